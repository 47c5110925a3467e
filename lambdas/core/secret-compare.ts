import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string | Buffer): Buffer => createHash("sha256").update(value).digest();

/**
 * Whether two secrets are equal, compared in time independent of where (or whether) they differ:
 * both are hashed with SHA-256 first, so `timingSafeEqual` always gets two 32-byte buffers and the
 * answer's timing tells nothing about the expected secret's length either. Strings are read as
 * UTF-8. The one constant-time comparison of the service: the API key, the providers' basic-auth
 * credentials and their HMAC signatures all go through it.
 *
 * @example
 * sameSecret("s3cret", "s3cret");                          // true
 * sameSecret("s3cret", "s3cre");                           // false, in the same time as a match
 * sameSecret(Buffer.from("dXNlcjpwdw==", "base64"), "user:pw"); // true: bytes and text compare alike
 */
export function sameSecret(given: string | Buffer, expected: string | Buffer): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
