/**
 * Whether a value parsed from JSON (or any `unknown`) is an object whose fields can be read:
 * not `null`, not an array. The type guard every reader of untyped input uses before it looks at a
 * field.
 *
 * @example
 * isRecord({ event: "bounce" }); // true
 * isRecord([{ event: "bounce" }]); // false
 * isRecord(null);                // false
 */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
