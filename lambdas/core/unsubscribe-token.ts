/**
 * One-click unsubscribe tokens (issue #14, RFC 8058): the opaque `{token}` of
 * `List-Unsubscribe: <https://…/u/{token}>`. A token carries who made the link for whom (tenant,
 * canonical address, scope, expiry, API key id) sealed with AES-256-GCM, so it is both secret (the
 * address cannot be read from URLs in access logs, link scanners or mailbox previews) and
 * authenticated (the GCM tag is the MAC: a changed byte never opens). Stateless: opening the same
 * token twice gives the same claims, so replays are harmless by construction.
 *
 * Pure: node:crypto and the service's own patterns, no AWS, no clock (the caller passes `now`).
 *
 * Token, version 1: `v1.<kid>.<base64url(iv ‖ tag ‖ ciphertext)>`
 * - `kid`: which signing key sealed it (rotation), 1–16 of `[A-Za-z0-9_-]`.
 * - `iv`: 12 random bytes; `tag`: the 16-byte GCM tag; additional authenticated data: the ASCII
 *   prefix `v1.<kid>.`, so neither the version nor the key id can be swapped.
 * - The AES key of each kid: HKDF-SHA256(secret, salt "", info `suppression-service unsubscribe
 *   token v1` ‖ 0x00 ‖ kid, 32 bytes).
 * - The plaintext, big-endian: `expiresAt` u32 ‖ u8 len ‖ tenant ‖ u8 len ‖ keyId ‖ u8 len ‖
 *   address ‖ u16 len ‖ scope (strings UTF-8), nothing after.
 * A typical token (`default`, a 20-character address, scope `*`, a 12-digit key id, kid `k1`) is
 * 109 characters.
 */

import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { TENANT_PATTERN } from "./access.js";
import { isScope } from "./scope.js";

/** What a token says: the route records an unsubscribe of `address` in `scope` for `tenant`. */
export type UnsubscribeClaims = {
  /** The tenant the link was made for; the route refuses a token of another tenant. */
  readonly tenant: string;
  /** The canonical address (`canonicalizeAddress`); at most 254 bytes. */
  readonly address: string;
  /** The scope to unsubscribe from (`*` or a list path, see scope.ts). */
  readonly scope: string;
  /** When the link stops working, in epoch seconds (an integer up to 2^32 − 1, year 2106). */
  readonly expiresAt: number;
  /** The id of the API key that made the link, for the history's audit trail. */
  readonly keyId: string;
};

/** Why a token did not open. Only `expired` is worth telling the reader apart from the rest. */
export type UnsubscribeTokenRefusal = "malformed" | "unknown_key" | "tampered" | "expired";

/** The answer of `openUnsubscribeToken`. */
export type OpenedUnsubscribeToken =
  | { readonly ok: true; readonly claims: UnsubscribeClaims }
  | { readonly ok: false; readonly reason: UnsubscribeTokenRefusal };

/**
 * The parsed `UNSUBSCRIBE_SECRET`: the derived AES keys by kid (the secrets themselves are not
 * kept) and the kid that seals new tokens. `KeyObject`s print no key material when logged.
 */
export type UnsubscribeKeys = {
  /** The kid that seals; the first entry of the secret text. */
  readonly current: string;
  /** Every kid that opens tokens, in the order of the secret text (`current` first). */
  readonly keys: ReadonlyMap<string, KeyObject>;
};

/**
 * `UNSUBSCRIBE_SECRET` (or its Secrets Manager value) cannot be used; the message names the entry
 * and the kid, never the secret.
 *
 * @example
 * try { parseUnsubscribeKeys(text) } catch (e) { if (e instanceof UnsubscribeKeyError) fail(e.message) }
 */
export class UnsubscribeKeyError extends Error {
  override readonly name = "UnsubscribeKeyError";
}

/**
 * `sealUnsubscribeToken` was given claims no token may carry (a programming error of the caller,
 * which validates requests first); `field` names the claim.
 *
 * @example
 * sealUnsubscribeToken({ ...claims, expiresAt: 1.5 }, keys); // throws UnsubscribeClaimsError, field "expiresAt"
 */
export class UnsubscribeClaimsError extends Error {
  override readonly name = "UnsubscribeClaimsError";
  constructor(
    readonly field: keyof UnsubscribeClaims,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Tokens longer than this are `malformed` before any decoding or crypto (the longest valid is ~1650). */
export const MAX_UNSUBSCRIBE_TOKEN_CHARS = 2048;
/** The least number of secret bytes per kid. */
export const MIN_UNSUBSCRIBE_SECRET_BYTES = 32;

const VERSION = "v1";
const KID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;
const HKDF_INFO = "suppression-service unsubscribe token v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_U32 = 0xffff_ffff;
const MAX_KEY_ID_BYTES = 64;
const MAX_ADDRESS_BYTES = 254;
/** expiresAt, three u8 lengths, one u16 length, and at least one byte of each string. */
const MIN_PAYLOAD_BYTES = 4 + 3 + 2 + 4;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** `bytes` as base64url, or `undefined` unless `text` is its one canonical (unpadded) spelling. */
function decodeBase64url(text: string): Buffer | undefined {
  if (!BASE64URL_PATTERN.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64url");
  // Unused trailing bits or a dangling character would let two texts carry the same bytes.
  return bytes.toString("base64url") === text ? bytes : undefined;
}

function deriveKey(secret: Buffer, kid: string): KeyObject {
  const info = Buffer.concat([Buffer.from(HKDF_INFO, "utf8"), Buffer.from([0]), Buffer.from(kid, "utf8")]);
  return createSecretKey(Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), info, 32)));
}

/**
 * Parses the secret text: comma-separated `<kid>:<secret>` entries, the first one current.
 * - `kid`: 1–16 of `[A-Za-z0-9_-]`; it is visible in every token, so never put meaning in it.
 * - `secret`: base64url (RFC 4648 §5, no `=` padding) of at least 32 random bytes (43+ characters),
 *   as `generateUnsubscribeSecret()` or `openssl rand -base64 32 | tr '+/' '-_' | tr -d '='` make.
 * - White space around entries (a trailing newline of a secret file) is ignored.
 * Rotation: put a new entry first (`k2:…,k1:…`); new links use `k2`, old `k1` links keep opening
 * until they expire; deleting `k1:…` revokes every link it sealed.
 *
 * @throws UnsubscribeKeyError when the text is empty, an entry is not `<kid>:<secret>`, a kid is
 * invalid or repeated, a secret is not canonical base64url, is shorter than 32 bytes, or repeats
 * another entry's secret.
 *
 * @example
 * const keys = parseUnsubscribeKeys(process.env.UNSUBSCRIBE_SECRET ?? "");
 * keys.current;              // "k2"
 * [...keys.keys.keys()];     // ["k2", "k1"]
 */
export function parseUnsubscribeKeys(text: string): UnsubscribeKeys {
  const entries = text.split(",").map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === "") {
    throw new UnsubscribeKeyError(
      'UNSUBSCRIBE_SECRET is empty: expected "<kid>:<secret>[,<kid>:<secret>…]" (see generateUnsubscribeSecret)',
    );
  }
  const keys = new Map<string, KeyObject>();
  const secrets: { readonly kid: string; readonly secret: Buffer }[] = [];
  entries.forEach((entry, index) => {
    const where = `UNSUBSCRIBE_SECRET entry ${index + 1}`;
    const colon = entry.indexOf(":");
    if (colon < 0) throw new UnsubscribeKeyError(`${where} is not "<kid>:<secret>"`);
    const kid = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1);
    if (!KID_PATTERN.test(kid)) {
      throw new UnsubscribeKeyError(`${where}: the kid must be 1–16 of A-Z a-z 0-9 _ -`);
    }
    if (keys.has(kid)) throw new UnsubscribeKeyError(`${where}: kid "${kid}" is listed twice`);
    const secret = decodeBase64url(encoded);
    if (secret === undefined) {
      throw new UnsubscribeKeyError(`${where} (kid "${kid}"): the secret is not base64url without padding`);
    }
    if (secret.length < MIN_UNSUBSCRIBE_SECRET_BYTES) {
      throw new UnsubscribeKeyError(
        `${where} (kid "${kid}"): the secret has ${secret.length} bytes, at least ${MIN_UNSUBSCRIBE_SECRET_BYTES} are needed`,
      );
    }
    const twin = secrets.find((other) => other.secret.equals(secret));
    if (twin !== undefined) {
      throw new UnsubscribeKeyError(
        `${where} (kid "${kid}"): same secret as kid "${twin.kid}"; rotate to a fresh one`,
      );
    }
    secrets.push({ kid, secret });
    keys.set(kid, deriveKey(secret, kid));
  });
  const current = secrets[0]?.kid;
  // Unreachable (an empty text threw above, every other entry threw or was pushed), but typed.
  if (current === undefined) throw new UnsubscribeKeyError("UNSUBSCRIBE_SECRET has no entry");
  return { current, keys };
}

/**
 * A fresh secret text of one entry: `<kid>:<32 random bytes, base64url>`. `npm start` prints one
 * when `UNSUBSCRIBE_SECRET` is unset; to rotate, prepend a fresh entry with a new kid.
 *
 * @throws UnsubscribeKeyError when `kid` is not 1–16 of `[A-Za-z0-9_-]`.
 *
 * @example
 * generateUnsubscribeSecret();     // "k1:3q2-7wA…" (43 characters after the colon)
 * generateUnsubscribeSecret("k2"); // "k2:…", to put in front of the current text
 */
export function generateUnsubscribeSecret(kid = "k1"): string {
  if (!KID_PATTERN.test(kid)) throw new UnsubscribeKeyError("The kid must be 1–16 of A-Z a-z 0-9 _ -");
  return `${kid}:${randomBytes(MIN_UNSUBSCRIBE_SECRET_BYTES).toString("base64url")}`;
}

/** Why `claims` cannot be sealed, or `undefined` when they can (also re-checked after opening). */
function claimsProblem(claims: UnsubscribeClaims): [keyof UnsubscribeClaims, string] | undefined {
  const { tenant, address, scope, expiresAt, keyId } = claims;
  if (!TENANT_PATTERN.test(tenant)) return ["tenant", "tenant is not a tenant id"];
  if (address.length === 0 || Buffer.byteLength(address, "utf8") > MAX_ADDRESS_BYTES) {
    return ["address", `address must be 1–${MAX_ADDRESS_BYTES} bytes`];
  }
  if (!isScope(scope)) return ["scope", "scope is not a scope"];
  if (!Number.isInteger(expiresAt) || expiresAt < 1 || expiresAt > MAX_U32) {
    return ["expiresAt", "expiresAt must be whole epoch seconds between 1 and 2^32 − 1"];
  }
  if (keyId.length === 0 || Buffer.byteLength(keyId, "utf8") > MAX_KEY_ID_BYTES) {
    return ["keyId", `keyId must be 1–${MAX_KEY_ID_BYTES} bytes`];
  }
  return undefined;
}

function encodeClaims(claims: UnsubscribeClaims): Buffer {
  const tenant = Buffer.from(claims.tenant, "utf8");
  const keyId = Buffer.from(claims.keyId, "utf8");
  const address = Buffer.from(claims.address, "utf8");
  const scope = Buffer.from(claims.scope, "utf8");
  const head = Buffer.alloc(4);
  head.writeUInt32BE(claims.expiresAt);
  const scopeLength = Buffer.alloc(2);
  scopeLength.writeUInt16BE(scope.length);
  return Buffer.concat([
    head,
    Buffer.from([tenant.length]),
    tenant,
    Buffer.from([keyId.length]),
    keyId,
    Buffer.from([address.length]),
    address,
    scopeLength,
    scope,
  ]);
}

/** The claims of a decrypted payload, or `undefined` when its layout or contents are wrong. */
function decodeClaims(payload: Buffer): UnsubscribeClaims | undefined {
  let at = 0;
  const take = (length: number): Buffer | undefined => {
    if (at + length > payload.length) return undefined;
    const part = payload.subarray(at, at + length);
    at += length;
    return part;
  };
  const text = (lengthBytes: 1 | 2): string | undefined => {
    const prefix = take(lengthBytes);
    if (prefix === undefined) return undefined;
    const bytes = take(lengthBytes === 1 ? prefix.readUInt8(0) : prefix.readUInt16BE(0));
    if (bytes === undefined) return undefined;
    try {
      return utf8.decode(bytes);
    } catch {
      return undefined;
    }
  };
  const head = take(4);
  if (head === undefined) return undefined;
  const expiresAt = head.readUInt32BE(0);
  const tenant = text(1);
  const keyId = text(1);
  const address = text(1);
  const scope = text(2);
  if (tenant === undefined || keyId === undefined || address === undefined || scope === undefined)
    return undefined;
  if (at !== payload.length) return undefined;
  const claims: UnsubscribeClaims = { tenant, address, scope, expiresAt, keyId };
  return claimsProblem(claims) === undefined ? claims : undefined;
}

/**
 * Seals `claims` under the current key into a URL-safe token (`[A-Za-z0-9_.-]`, 109 characters for a
 * typical address). A fresh random IV each call: two links for the same address look unrelated.
 *
 * @throws UnsubscribeClaimsError when a claim is out of range (tenant id, 1–254-byte address, scope,
 * integer `expiresAt` in 1…2^32 − 1, 1–64-byte `keyId`).
 *
 * @example
 * const token = sealUnsubscribeToken(
 *   { tenant: "acme", address: "jane@example.org", scope: "*", expiresAt: 1_800_000_000, keyId: "0123456789ab" },
 *   parseUnsubscribeKeys(secretText),
 * ); // "v1.k1.Qm9…"
 */
export function sealUnsubscribeToken(claims: UnsubscribeClaims, keys: UnsubscribeKeys): string {
  const problem = claimsProblem(claims);
  if (problem !== undefined) throw new UnsubscribeClaimsError(problem[0], problem[1]);
  const key = keys.keys.get(keys.current);
  if (key === undefined) throw new UnsubscribeKeyError(`The current kid "${keys.current}" has no key`);
  const prefix = `${VERSION}.${keys.current}.`;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(prefix, "ascii"));
  const ciphertext = Buffer.concat([cipher.update(encodeClaims(claims)), cipher.final()]);
  return prefix + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url");
}

/**
 * Opens a token at `nowSeconds` (epoch seconds). Never throws, whatever `token` holds:
 * - `malformed`: not a v1 token's shape (too long, wrong parts, non-canonical base64url, too short);
 * - `unknown_key`: its kid is not in `keys` (never issued, or removed to revoke it);
 * - `tampered`: the GCM tag does not verify (any changed byte, or another deployment's key);
 * - `expired`: authentic, but `nowSeconds >= expiresAt` (or `nowSeconds` is not a finite number).
 * Expiry is checked only after authentication, so a forgery never learns more than `tampered`.
 * Stateless: the same token opens the same way every time (a replayed one-click POST records the
 * same unsubscribe again, which the store treats as a duplicate).
 *
 * @example
 * const opened = openUnsubscribeToken(token, keys, Math.floor(Date.now() / 1000));
 * if (!opened.ok) return refuse(opened.reason);
 * if (opened.claims.tenant !== routeTenant) return refuse("foreign tenant");
 */
export function openUnsubscribeToken(
  token: string,
  keys: UnsubscribeKeys,
  nowSeconds: number,
): OpenedUnsubscribeToken {
  if (typeof token !== "string" || token.length > MAX_UNSUBSCRIBE_TOKEN_CHARS) return refuse("malformed");
  const parts = token.split(".");
  if (parts.length !== 3) return refuse("malformed");
  const [version, kid, body] = parts as [string, string, string];
  if (version !== VERSION || !KID_PATTERN.test(kid)) return refuse("malformed");
  const sealed = decodeBase64url(body);
  if (sealed === undefined || sealed.length < IV_BYTES + TAG_BYTES + MIN_PAYLOAD_BYTES)
    return refuse("malformed");
  const key = keys.keys.get(kid);
  if (key === undefined) return refuse("unknown_key");

  let payload: Buffer;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(`${VERSION}.${kid}.`, "ascii"));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    payload = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    // final() throws when the tag does not verify (OpenSSL compares it in constant time).
    return refuse("tampered");
  }
  const claims = decodeClaims(payload);
  if (claims === undefined) return refuse("malformed");
  if (!Number.isFinite(nowSeconds) || nowSeconds >= claims.expiresAt) return refuse("expired");
  return { ok: true, claims };
}

const refuse = (reason: UnsubscribeTokenRefusal): OpenedUnsubscribeToken => ({ ok: false, reason });
