/**
 * What the check (`POST /v1/check`) and the suppressions lookup (`GET /v1/suppressions/{address}`)
 * both answer about an address. It lives apart from either handler module so that neither imports
 * the other: importing a handler module builds its Lambda handler, and one function's bundle must
 * not carry (or build) another's.
 */
import type { BadAddressVerdict } from "../contract/check.js";

/** A malformed address is answered as suppressed but is never stored, so it has no time or source. */
export type { BadAddressVerdict };

/**
 * The verdict on an address that cannot be canonicalized: suppressed as `bad_address_format`,
 * all-mail scope, never stored. A malformed address has no canonical form, so `address` echoes
 * the input (trimmed by the caller).
 *
 * @example
 * badFormat("not-an-address", "missing @");
 * // { address: "not-an-address", suppressed: true, cause: "bounce",
 * //   reason: { type: "invalid", subtype: "bad_address_format", reason: "bad_address_format" },
 * //   scope: "*", since: null, expiresAt: null, source: null, problem: "missing @" }
 */
export function badFormat(address: string, problem: string): BadAddressVerdict {
  return {
    address,
    suppressed: true,
    cause: "bounce",
    reason: { type: "invalid", subtype: "bad_address_format", reason: "bad_address_format" },
    scope: "*",
    since: null,
    expiresAt: null,
    source: null,
    problem,
  };
}
