import { domainToASCII } from "node:url";
import emailAddresses from "email-addresses";

/** A recipient address in the one form every key and answer uses. */
export type CanonicalAddress = { readonly address: string; readonly local: string; readonly domain: string };

export type AddressResult =
  | ({ readonly ok: true } & CanonicalAddress)
  | { readonly ok: false; readonly input: string; readonly problem: string };

/** RFC 5321 limits: 64 octets of local part, 255 of domain, 254 for the whole path. */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;
const MAX_ADDRESS = 254;
/** Anything longer cannot be one address; refuse before handing it to the parser. */
const MAX_INPUT = 1024;
/** RFC 5322 dot-atom (with RFC 6532 UTF-8): a local part that needs no quotes. */
const DOT_ATOM = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/**
 * A bare ASCII `dot-atom@host` needs no RFC 5322 parser (no display name, quotes, comments or
 * brackets to undo). The parser costs ~24 µs an address, most of a 1000-address check, so such
 * addresses skip it; the domain checks below still apply. A property test holds the two paths equal.
 */
const PLAIN_ADDRESS =
  /^([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/;

/**
 * Printable ASCII only: NFC leaves such text as it is, so the (common) plain address skips
 * normalizing. Anything else, control characters included, is normalized (a no-op for them).
 */
const PRINTABLE_ASCII = /^[ -~]*$/;

/**
 * Canonicalizes one recipient address (design.md §5.3): trims, puts it in Unicode NFC before
 * anything else reads it (a composed `é` and an `e` followed by U+0301 COMBINING ACUTE ACCENT are
 * one address, one key), drops a display name and angle brackets, lower-cases the local part (and
 * normalizes it again: lower-casing does not always keep NFC), and turns the domain into lower-case
 * IDNA ASCII (UTS #46 normalizes it too). Never throws: a malformed address comes back as
 * `{ ok: false, problem }`.
 *
 * @example
 * canonicalizeAddress(' "J. Doe" <JDoe@Bücher.Example> ');
 * // { ok: true, address: "jdoe@xn--bcher-kva.example", local: "jdoe", domain: "xn--bcher-kva.example" }
 * canonicalizeAddress("jose\u0301@example.org").address === canonicalizeAddress("josé@example.org").address; // true
 */
export function canonicalizeAddress(input: string): AddressResult {
  const fail = (problem: string): AddressResult => ({ ok: false, input, problem });
  const trimmed = input.trim();
  if (trimmed === "") return fail("empty address");
  // Bounded before normalizing, so no work is spent on text that cannot be one address; NFC may
  // lengthen a string, hence the second check.
  if (trimmed.length > MAX_INPUT) return fail("address too long");
  const text = nfc(trimmed);
  if (text.length > MAX_INPUT) return fail("address too long");
  const parts = splitAddress(text);
  if (parts === undefined) return fail("not an email address");
  const bare = nfc(parts.local.toLowerCase());
  const local = DOT_ATOM.test(bare) ? bare : `"${bare.replace(/(["\\])/g, "\\$1")}"`;
  if (local.length === 0 || Buffer.byteLength(local) > MAX_LOCAL) return fail("local part length");
  if (parts.domain.startsWith("[")) return fail("address literals are not accepted");
  const domain = canonicalDomain(parts.domain);
  if (domain === undefined) return fail("domain is not a valid host name");
  const address = `${local}@${domain}`;
  if (Buffer.byteLength(address) > MAX_ADDRESS) return fail("address too long");
  return { ok: true, address, local, domain };
}

/** A host name in lower-case IDNA ASCII (UTS #46), or `undefined` when it is not a valid one. */
function canonicalDomain(text: string): string | undefined {
  const domain = domainToASCII(nfc(text).toLowerCase().replace(/\.$/, ""));
  if (domain === "" || domain.length > MAX_DOMAIN || !domain.includes(".")) return undefined;
  return domain.split(".").every((label) => DNS_LABEL.test(label)) ? domain : undefined;
}

/** What an operator's entry is about: one address, or (written `@example.org`) a whole domain. */
export type Subject = { readonly kind: "address" | "domain"; readonly value: string };

/**
 * Canonicalizes the subject of an operator's entry: `@example.org` (or `@Bücher.Example`) is the
 * domain, canonical as an address's domain is; anything else an address (`canonicalizeAddress`).
 *
 * @example
 * canonicalizeSubject("@Bücher.Example"); // { ok: true, subject: { kind: "domain", value: "xn--bcher-kva.example" } }
 * canonicalizeSubject("JDoe@example.org"); // { ok: true, subject: { kind: "address", value: "jdoe@example.org" } }
 */
export function canonicalizeSubject(
  input: string,
): { readonly ok: true; readonly subject: Subject } | { readonly ok: false; readonly problem: string } {
  const trimmed = input.trim();
  if (trimmed.startsWith("@")) {
    const domain = trimmed.length <= MAX_DOMAIN + 1 ? canonicalDomain(trimmed.slice(1)) : undefined;
    return domain === undefined
      ? { ok: false, problem: "domain is not a valid host name" }
      : { ok: true, subject: { kind: "domain", value: domain } };
  }
  const address = canonicalizeAddress(trimmed);
  return address.ok
    ? { ok: true, subject: { kind: "address", value: address.address } }
    : { ok: false, problem: address.problem };
}

/** `text` in Unicode NFC (ASCII text is already). */
function nfc(text: string): string {
  return PRINTABLE_ASCII.test(text) ? text : text.normalize("NFC");
}

/** Local part and domain of one mailbox, unquoted; `undefined` when it is not one mailbox. */
export function splitAddress(trimmed: string, fast = true): { local: string; domain: string } | undefined {
  const plain = fast ? PLAIN_ADDRESS.exec(trimmed) : null;
  if (plain?.[1] !== undefined && plain[2] !== undefined) return { local: plain[1], domain: plain[2] };
  const parsed = emailAddresses.parseOneAddress({ input: trimmed, rfc6532: true, rejectTLD: false });
  return parsed?.type === "mailbox" ? { local: parsed.local, domain: parsed.domain } : undefined;
}

/** The domain of an already canonical address. */
export function domainOf(canonical: string): string {
  return canonical.slice(canonical.lastIndexOf("@") + 1);
}
