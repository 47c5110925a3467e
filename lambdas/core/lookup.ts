/**
 * Lookup tables keyed by text that comes from input (a provider's reason, type, subtype, event
 * name…).
 *
 * A plain object literal is the wrong shape for these: `table[key]` also finds what the object
 * inherits, so a payload naming `constructor`, `toString` or `__proto__` gets a function (or
 * `Object.prototype`) back instead of `undefined`, and the code after it breaks (issue #9, defect
 * 4). A `ReadonlyMap` has only the entries it was given, and `table[key]` on it does not compile:
 * the type system keeps the mistake from coming back. The tables stay readable object literals at
 * their definition; `tableOf` turns them into maps once, at load.
 */

/**
 * The entries of an object literal as a `ReadonlyMap` (own enumerable properties only, in order).
 * Look keys up with `.get(key)`: a key the literal does not list, prototype names included, is
 * `undefined`.
 *
 * @example
 * const REASONS = tableOf({ "suppress-bounce": "suppressed", "suppress-complaint": "suppressed" });
 * REASONS.get("suppress-bounce"); // "suppressed"
 * REASONS.get("constructor");     // undefined
 */
export function tableOf<V>(entries: Readonly<Record<string, V>>): ReadonlyMap<string, V> {
  return new Map(Object.entries(entries));
}
