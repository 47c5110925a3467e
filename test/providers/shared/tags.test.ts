/**
 * `tagsFrom` (lambdas/providers/shared/tags.ts): the one normalizer every provider's tags go
 * through. Trims, drops what is not a tag, keeps the first of repeats, bounds count and length,
 * never throws, and gives `undefined` (no `tags` key) when nothing is left.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NormalizedEventSchema } from "../../../lambdas/core/events.js";
import { MAX_TAG_CHARS, MAX_TAGS } from "../../../lambdas/core/limits.js";
import { cutAt } from "../../../lambdas/providers/shared/cut.js";
import { listOf, tagged, tagsFrom } from "../../../lambdas/providers/shared/tags.js";

/** The `tags` field of the normalized event schema, alone. */
const TagsSchema = NormalizedEventSchema.shape.tags;

describe("tagsFrom", () => {
  it("trims, drops empty values and keeps the first of repeats, in order", () => {
    expect(tagsFrom([" newsletter ", "weekly", "", "   ", "newsletter", "weekly ", "promo"])).toEqual([
      "newsletter",
      "weekly",
      "promo",
    ]);
  });

  it("keeps case and inner spaces as the provider gave them", () => {
    expect(tagsFrom(["Cat Facts", "cat facts"])).toEqual(["Cat Facts", "cat facts"]);
  });

  it("gives undefined when no tag is left, so an event has no `tags` key", () => {
    expect(tagsFrom([])).toBeUndefined();
    expect(tagsFrom(["", "  ", null, undefined])).toBeUndefined();
    expect(tagged(tagsFrom([]))).toEqual({});
    expect("tags" in tagged(tagsFrom([]))).toBe(false);
    expect(tagged(tagsFrom(["a"]))).toEqual({ tags: ["a"] });
  });

  it("reads one value as a list of one", () => {
    expect(tagsFrom("cat facts")).toEqual(["cat facts"]);
    expect(tagsFrom(undefined)).toBeUndefined();
    expect(tagsFrom({ name: "x" })).toBeUndefined();
  });

  it("drops numbers, booleans, null, objects and nested lists", () => {
    expect(tagsFrom([7, true, null, { name: "x" }, ["nested"], "kept", Number.NaN])).toEqual(["kept"]);
  });

  it("reads numbers as their decimal form only when told (numeric ids)", () => {
    expect(tagsFrom([12345, "12345", 7.5], true)).toEqual(["12345", "7.5"]);
    expect(tagsFrom([Number.NaN, Number.POSITIVE_INFINITY], true)).toBeUndefined();
    expect(tagsFrom([12345])).toBeUndefined();
  });

  it(`keeps at most MAX_TAGS (${MAX_TAGS}), the first ones`, () => {
    const tags = tagsFrom(Array.from({ length: 500 }, (_, i) => `tag-${i}`));
    expect(tags).toHaveLength(MAX_TAGS);
    expect(tags?.[0]).toBe("tag-0");
    expect(tags?.at(-1)).toBe(`tag-${MAX_TAGS - 1}`);
  });

  it("counts repeats and dropped values toward nothing: 50 distinct tags after many repeats are kept", () => {
    const values = [
      ...Array.from({ length: 1000 }, () => "same"),
      ...Array.from({ length: 60 }, (_, i) => `t${i}`),
    ];
    const tags = tagsFrom(values);
    expect(tags).toHaveLength(MAX_TAGS);
    expect(tags?.slice(0, 2)).toEqual(["same", "t0"]);
  });

  it(`cuts a tag to MAX_TAG_CHARS (${MAX_TAG_CHARS})`, () => {
    const [tag] = tagsFrom([`  ${"x".repeat(10_000)}`]) ?? [];
    expect(tag).toBe("x".repeat(MAX_TAG_CHARS));
  });

  it("never splits a surrogate pair at the cut", () => {
    const [cut] = tagsFrom([`${"a".repeat(MAX_TAG_CHARS - 1)}😀tail`]) ?? [];
    expect(cut).toBe("a".repeat(MAX_TAG_CHARS - 1));
    expect(Buffer.from(cut ?? "", "utf8").toString("utf8")).toBe(cut);
  });

  it("two long tags that share their first MAX_TAG_CHARS characters become one", () => {
    const head = "h".repeat(MAX_TAG_CHARS);
    expect(tagsFrom([`${head}-one`, `${head}-two`])).toEqual([head]);
  });

  it("whatever it is given, never throws and gives tags the event schema accepts", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 400 }), fc.anything()), { maxLength: 120 }),
        (values) => {
          const tags = tagsFrom(values, true);
          if (tags === undefined) return;
          expect(tags.length).toBeGreaterThan(0);
          expect(TagsSchema.parse(tags)).toEqual(tags);
          expect(new Set(tags).size).toBe(tags.length);
        },
      ),
    );
  });
});

describe("listOf", () => {
  it("reads one value or a list of them as a list", () => {
    expect(listOf("cat facts")).toEqual(["cat facts"]);
    expect(listOf(["a", "b"])).toEqual(["a", "b"]);
    expect(listOf(0)).toEqual([0]);
    expect(listOf(null)).toEqual([]);
    expect(listOf(undefined)).toEqual([]);
  });
});

describe("cutAt", () => {
  it("cuts to at most `max` code units, dropping a surrogate pair that straddles the cut", () => {
    expect(cutAt("abcdef", 4)).toBe("abcd");
    expect(cutAt("abc", 4)).toBe("abc");
    expect(cutAt("abc😀", 4)).toBe("abc");
    expect(cutAt("ab😀", 4)).toBe("ab😀");
  });
});
