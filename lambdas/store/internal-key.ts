/**
 * The service's internal key (`INTERNAL_KEY`): never shown to anybody, it keys what the service
 * computes for itself. Each use gets its own key, derived with HKDF-SHA-256 under its purpose, so
 * no two uses can be played against each other:
 * - `log-hash`: the address hashes in logs (handlers/log-safety.ts);
 * - `cursor`: the sealing of paging cursors (cursor-seal.ts).
 *
 * In AWS the stack sets `INTERNAL_KEY` from a generated secret, the same for every function (an
 * address hashes alike everywhere, a cursor from one function opens in another). Without it, each
 * process draws its own (local runs: cursors and hashes then hold within one run).
 */
import { hkdfSync, randomBytes } from "node:crypto";

/** The environment variable holding the internal key (data only: the stack reads it too). */
export const INTERNAL_KEY_ENV = "INTERNAL_KEY";

/** What a derived key is for. */
export type KeyPurpose = "log-hash" | "cursor";

let processKey: string | undefined;
const derived = new Map<string, Buffer>();

/** `INTERNAL_KEY`, else this process's own random key. */
export function internalKey(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env[INTERNAL_KEY_ENV]?.trim();
  if (configured) return configured;
  processKey ??= randomBytes(32).toString("base64url");
  return processKey;
}

/**
 * 32 bytes for `purpose`, derived from the internal key (cached per key and purpose).
 *
 * @example
 * const key = purposeKey("cursor"); // Buffer(32)
 */
export function purposeKey(purpose: KeyPurpose, master: string = internalKey()): Buffer {
  const id = `${purpose}\n${master}`;
  let key = derived.get(id);
  if (key === undefined) {
    key = Buffer.from(hkdfSync("sha256", master, "", `suppression-service ${purpose} v1`, 32));
    derived.set(id, key);
  }
  return key;
}
