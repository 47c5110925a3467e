import type { NormalizedEvent } from "../../core/events.js";
import { MAX_TAG_CHARS, MAX_TAGS } from "../../core/limits.js";
import { cutAt } from "./cut.js";

/**
 * The `tags` of a normalized event from the values a provider gave for them (SendGrid `category`,
 * Mailgun `tags`, SparkPost `rcpt_tags`, SES `mail.tags` as `name:value`, Postmark `Tag`, SendCloud
 * `labelId`): a list of values, or one value standing for a list of one (`listOf`: SendGrid's
 * `category` may be either, Postmark's `Tag` is one). Each string is trimmed, and dropped when
 * empty; anything else (objects, nested arrays, `null`, booleans) is dropped. Numbers are dropped
 * too unless `numbers` is set (a provider whose tag is a numeric id, SendCloud's `labelId`): then a
 * finite number is its decimal form. Repeats are kept once, in first-seen order; each tag is cut to
 * `MAX_TAG_CHARS` (never splitting a surrogate pair) and at most `MAX_TAGS` are kept
 * (`core/limits.ts`), so the event always fits `NormalizedEventSchema`. `undefined` when no tag is
 * left: an event without tags has no `tags` key.
 *
 * Never throws: tags only label an event, so malformed tag data is ignored and the event still
 * counts. Every provider's tags go through here: this is the one place the bounds are applied.
 *
 * @param values a list of values, or one value (`null`/`undefined`: none).
 * @param numbers whether a number is a tag (numeric ids) rather than malformed data.
 * @example
 * tagsFrom([" newsletter ", "weekly", "newsletter", "", 7, { nested: true }]); // ["newsletter", "weekly"]
 * tagsFrom("cat facts"); // ["cat facts"]
 * tagsFrom([12345], true); // ["12345"]
 * tagsFrom(["x".repeat(10_000)])?.[0]?.length; // 256
 * tagsFrom(Array.from({ length: 500 }, (_, i) => `t${i}`))?.length; // 50
 * tagsFrom([]); // undefined
 */
export function tagsFrom(values: unknown, numbers = false): string[] | undefined {
  const tags = new Set<string>();
  for (const value of listOf(values)) {
    if (tags.size >= MAX_TAGS) break;
    const text = typeof value === "string" ? value : numbers && Number.isFinite(value) ? String(value) : "";
    const tag = cutAt(text.trim(), MAX_TAG_CHARS);
    if (tag) tags.add(tag);
  }
  return tags.size ? [...tags] : undefined;
}

/**
 * A field that may hold one value or a list of them (SendGrid's `category`, a form field sent once
 * or repeated) as a list: an array as it is, `null` or `undefined` as none, anything else as one.
 *
 * @example
 * listOf("cat facts");      // ["cat facts"]
 * listOf(["a", "b"]);       // ["a", "b"]
 * listOf(undefined);        // []
 */
export function listOf(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return value == null ? [] : [value];
}

/**
 * The `tags` member to spread into a normalized event: `{ tags }`, or nothing when there are none
 * (so events without tags keep exactly the keys they had).
 *
 * @example
 * const event: NormalizedEvent = { ...base, ...tagged(tagsFrom(e.category)) };
 * tagged(undefined); // {}
 */
export function tagged(tags: string[] | undefined): Pick<NormalizedEvent, "tags"> {
  return tags ? { tags } : {};
}
