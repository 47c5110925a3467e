import { sameSecret } from "../../core/secret-compare.js";

/** A user id and password (RFC 7617). */
export type BasicCredentials = { readonly user: string; readonly password: string };

/**
 * `Authorization: Basic <base64>`: the scheme in any case, spaces or tabs around, standard or URL-safe
 * base64 with its padding, at most 4096 characters (far more than any user and password).
 */
const BASIC = /^[ \t]*Basic[ \t]+([A-Za-z0-9+/_-]{1,4096}={0,2})[ \t]*$/i;

/**
 * `user:password` from an `Authorization: Basic` header, split at the first colon (RFC 7617: the
 * user id holds no colon, the password may), or `null` when the header is absent or not basic auth.
 *
 * @example
 * basicCredentials(`Basic ${Buffer.from("hook:s3:cret").toString("base64")}`); // { user: "hook", password: "s3:cret" }
 * basicCredentials("Bearer abc"); // null
 */
export function basicCredentials(header: string | undefined): BasicCredentials | null {
  const token = header === undefined ? undefined : BASIC.exec(header)?.[1];
  if (token === undefined) return null;
  const decoded = Buffer.from(token, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** What `checkBasicAuth` found: each provider words (and answers) its refusals its own way. */
export type BasicAuthOutcome = "ok" | "missing" | "malformed" | "wrong";

/**
 * Checks an `Authorization` header against the configured basic-auth credentials (Postmark's and
 * SparkPost's webhooks): `missing` (no or a blank header), `malformed` (not basic auth), `wrong`, or
 * `ok`. User and password are both compared, in constant time (`sameSecret`), whatever the first
 * comparison said: the answer's timing tells nothing about which part was wrong.
 *
 * @example
 * const header = `Basic ${Buffer.from("hook:s3cret").toString("base64")}`;
 * checkBasicAuth(header, { user: "hook", password: "s3cret" });  // "ok"
 * checkBasicAuth(header, { user: "hook", password: "guess" });   // "wrong"
 * checkBasicAuth("Bearer s3cret", { user: "hook", password: "s3cret" }); // "malformed"
 * checkBasicAuth(undefined, { user: "hook", password: "s3cret" });       // "missing"
 */
export function checkBasicAuth(header: string | undefined, expected: BasicCredentials): BasicAuthOutcome {
  if (header === undefined || header.trim() === "") return "missing";
  const given = basicCredentials(header);
  if (given === null) return "malformed";
  const userOk = sameSecret(given.user, expected.user);
  const passwordOk = sameSecret(given.password, expected.password);
  return userOk && passwordOk ? "ok" : "wrong";
}
