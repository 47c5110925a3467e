/**
 * DynamoDB's item size, measured before a write so that an oversized item is refused with a clear
 * `StoreItemTooLargeError` instead of a round trip that ends in a ValidationException (which
 * `toStoreError` maps to the same error anyway, for whatever this estimate misses).
 */
import { type OversizedItem, StoreItemTooLargeError } from "./errors.js";

/** DynamoDB's item size limit: 400 KB, attribute names and values included. */
export const MAX_ITEM_BYTES = 400 * 1024;

const utf8 = (text: string): number => Buffer.byteLength(text, "utf8");

/** Bytes of a number as DynamoDB stores it: about one per two significant digits, plus one. */
function numberBytes(n: number): number {
  const digits = String(Math.abs(n))
    .replace(/e.*$/i, "")
    .replace(".", "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

type Sized = { bytes: number; largest: { path: string; bytes: number } };

/**
 * The size of a value the document client will marshal (plain JSON values; `undefined` dropped, as
 * `removeUndefinedValues` does), per DynamoDB's rules: strings and binaries by length, numbers by
 * digits, booleans and null 1 byte, maps and lists 3 bytes plus 1 per element.
 */
function sizeOf(value: unknown, path: string): Sized {
  const leaf = (bytes: number): Sized => ({ bytes, largest: { path, bytes } });
  if (typeof value === "string") return leaf(utf8(value));
  if (typeof value === "number") return leaf(numberBytes(value));
  if (typeof value === "boolean" || value === null) return leaf(1);
  if (value instanceof Uint8Array) return leaf(value.byteLength);
  if (Array.isArray(value)) {
    let bytes = 3;
    let largest = { path, bytes: 0 };
    value.forEach((element, i) => {
      const inner = sizeOf(element, `${path}[${i}]`);
      bytes += inner.bytes + 1;
      if (inner.largest.bytes > largest.bytes) largest = inner.largest;
    });
    return { bytes, largest };
  }
  if (typeof value === "object") {
    const fields = sizeOfFields(value as Record<string, unknown>, path);
    return { bytes: 3 + fields.bytes + fields.count, largest: fields.largest };
  }
  return leaf(0);
}

function sizeOfFields(record: Record<string, unknown>, prefix: string) {
  let bytes = 0;
  let count = 0;
  let largest = { path: prefix, bytes: 0 };
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    const inner = sizeOf(value, prefix ? `${prefix}.${name}` : name);
    bytes += utf8(name) + inner.bytes;
    count += 1;
    if (inner.largest.bytes > largest.bytes) largest = inner.largest;
  }
  return { bytes, count, largest };
}

/**
 * An item's size in bytes as DynamoDB counts it, and its largest attribute (by dotted path).
 *
 * @example
 * itemSize({ pk: "a", sk: "b", event: { smtp: { diagnostic: "x".repeat(10) } } });
 * // { bytes: 43, largestField: "event.smtp.diagnostic" }
 */
export function itemSize(item: Record<string, unknown>): { bytes: number; largestField: string } {
  const { bytes, largest } = sizeOfFields(item, "");
  return { bytes, largestField: largest.path };
}

/**
 * Throws `StoreItemTooLargeError` when `item` would be over DynamoDB's 400 KB limit.
 *
 * @param what which item it is (never the address: the error reaches HTTP answers and logs)
 * @example
 * assertItemFits(eventItem, { item: "event", provider: "ses" }); // throws for a 420 KB diagnostic
 */
export function assertItemFits(item: Record<string, unknown>, what: Omit<OversizedItem, "bytes">): void {
  const { bytes, largestField } = itemSize(item);
  if (bytes <= MAX_ITEM_BYTES) return;
  const kb = (n: number) => Math.ceil(n / 1024);
  throw new StoreItemTooLargeError(
    `the ${what.item ?? "item"} item would be ${kb(bytes)} KB, over DynamoDB's ${kb(MAX_ITEM_BYTES)} KB item limit (largest field: ${largestField})`,
    { ...what, bytes, largestField },
  );
}
