/**
 * Malformed tag data every provider's tags test feeds its tag field with, and the check every
 * parsed event must pass: its `tags` absent, or within the schema's bounds.
 *
 * @example
 * for (const [name, value, expected] of MALFORMED_TAG_LISTS) { … body.rcpt_tags = value … }
 */
import { expect } from "vitest";
import { type NormalizedEvent, NormalizedEventSchema } from "../../../lambdas/core/events.js";
import { MAX_TAG_CHARS, MAX_TAGS } from "../../../lambdas/core/limits.js";

/** 500 distinct tags: ten times what an event keeps. */
export const MANY_TAGS = Array.from({ length: 500 }, (_, i) => `tag-${i}`);
/** One 10 000-character tag. */
export const LONG_TAG = "x".repeat(10_000);

/**
 * For a field that holds a list of strings: [case, value, the `tags` it gives]. Nothing here is
 * refused: a malformed member is dropped, the event still counts.
 */
export const MALFORMED_TAG_LISTS: readonly (readonly [string, unknown, string[] | undefined])[] = [
  ["numbers", [1, 2, 3.5], undefined],
  ["nested objects and lists", [{ name: "x" }, ["nested"], null, true], undefined],
  ["good tags among bad ones", [7, " kept ", { a: 1 }, "", "kept", "also"], ["kept", "also"]],
  ["500 tags", MANY_TAGS, MANY_TAGS.slice(0, MAX_TAGS)],
  ["a 10 000-character tag", [LONG_TAG], [LONG_TAG.slice(0, MAX_TAG_CHARS)]],
  ["an object instead of a list", { name: "x" }, undefined],
  ["a number instead of a list", 42, undefined],
  ["null", null, undefined],
  ["an empty list", [], undefined],
];

/** The event's tags are absent or valid: at most MAX_TAGS, each 1..MAX_TAG_CHARS, no repeats. */
export function expectValidTags(event: NormalizedEvent): void {
  expect(NormalizedEventSchema.parse(event)).toEqual(event);
  if (!("tags" in event)) return;
  const tags = event.tags ?? [];
  expect(tags.length).toBeGreaterThan(0);
  expect(tags.length).toBeLessThanOrEqual(MAX_TAGS);
  for (const tag of tags) expect(tag.length).toBeLessThanOrEqual(MAX_TAG_CHARS);
  expect(new Set(tags).size).toBe(tags.length);
}
