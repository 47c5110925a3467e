/**
 * Paging cursors are sealed (AES-256-GCM under the `cursor` key, internal-key.ts): a cursor holds
 * table keys, and table keys hold addresses, which a caller without the `pii` scope must not read;
 * and a cursor is bound to the query it came from (`context`: the index and the tenant or subject),
 * so one that was altered, forged, or taken from another tenant's page opens to nothing and is
 * refused (400), never followed.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { purposeKey } from "./internal-key.js";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * `plain` sealed for `context`, as base64url.
 *
 * @example
 * const cursor = sealCursor(JSON.stringify(position), "history|T#default#A#jdoe@example.org");
 */
export function sealCursor(plain: string, context: string, key: Buffer = purposeKey("cursor")): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/**
 * What `sealCursor` sealed for the same `context`; `undefined` for anything else (garbled, altered,
 * another context, another key).
 *
 * @example
 * openCursor(cursor, "history|T#default#A#jdoe@example.org"); // the JSON text
 */
export function openCursor(
  sealed: string,
  context: string,
  key: Buffer = purposeKey("cursor"),
): string | undefined {
  const raw = Buffer.from(sealed, "base64url");
  if (raw.length <= IV_BYTES + TAG_BYTES || raw.toString("base64url") !== sealed) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    return undefined;
  }
}
