/**
 * Addresses as people without the `pii` scope see them (design.md §5.4): `j***@example.org`, the
 * first character of the local part and the whole domain, so an operator can still tell a typo'd
 * domain or a role account apart, but not read who it is. Plain code, no dependencies.
 */

/**
 * Something shaped like an address inside free text (a diagnostic, an event id, a note): a local
 * part without spaces, brackets or quotes, `@`, and a dotted domain or an address literal. Looser
 * than `canonicalizeAddress` on purpose: masking must catch what a remote server wrote, too.
 */
export const ADDRESS_IN_TEXT =
  /[^\s<>()[\]{}"'`,;:@\\]+@(?:[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+|\[[^\]\s]+\])/gu;

/**
 * The masked form of one address: its first character (a whole code point), `***`, `@` and the
 * domain. Idempotent: a masked address masks to itself.
 *
 * @example
 * maskAddress("jdoe@example.org"); // "j***@example.org"
 * maskAddress("é@example.org"); // "é***@example.org"
 */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return address;
  const first = String.fromCodePoint(address.codePointAt(0) ?? 0x2a);
  return `${first}***${address.slice(at)}`;
}

/**
 * `text` with every address in it masked.
 *
 * @example
 * maskText("550 5.1.1 <jdoe@example.org>: user unknown"); // "550 5.1.1 <j***@example.org>: user unknown"
 */
export function maskText(text: string): string {
  return text.includes("@") ? text.replace(ADDRESS_IN_TEXT, maskAddress) : text;
}

/**
 * A JSON value with every address in every string masked (object keys are left alone: answers
 * never key by address). Applied to whole answers, so no field can be forgotten.
 *
 * @example
 * maskJson({ subject: "jdoe@example.org", items: [{ note: "asked by ana@corp.example" }] });
 * // { subject: "j***@example.org", items: [{ note: "asked by a***@corp.example" }] }
 */
export function maskJson(value: unknown): unknown {
  if (typeof value === "string") return maskText(value);
  if (Array.isArray(value)) return value.map(maskJson);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, maskJson(v)]));
  }
  return value;
}
