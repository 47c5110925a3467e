import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalizeAddress, splitAddress } from "../../lambdas/core/address.js";

describe("canonicalizeAddress", () => {
  it.each([
    [' "J. Doe" <JDoe@Bücher.Example> ', "jdoe@xn--bcher-kva.example"],
    ["User+Tag@Gmail.COM", "user+tag@gmail.com"],
    ["  a@b.example  ", "a@b.example"],
    ["张三@例子.中国", "张三@xn--fsqu00a.xn--fiqs8s"],
    ['"quoted local"@x.org', '"quoted local"@x.org'],
  ])("canonicalizes %j", (input, expected) => {
    // Act
    const result = canonicalizeAddress(input);
    // Assess
    expect(result).toMatchObject({ ok: true, address: expected });
  });

  it.each([
    "",
    "   ",
    "foo",
    "a@b",
    "a@-b.com",
    "a@b..com",
    "x@[192.0.2.1]",
    "a b@c.com",
    `${"x".repeat(65)}@example.com`,
    `a@${"x".repeat(300)}.com`,
  ])("refuses %j", (input) => {
    expect(canonicalizeAddress(input).ok).toBe(false);
  });

  it("is idempotent and never throws", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.emailAddress()), (input) => {
        const once = canonicalizeAddress(input);
        if (!once.ok) return;
        const twice = canonicalizeAddress(once.address);
        expect(twice).toMatchObject({ ok: true, address: once.address });
      }),
      { numRuns: 2000 },
    );
  });

  it("ignores the case of the input and surrounding space", () => {
    fc.assert(
      fc.property(fc.emailAddress(), (input) => {
        const a = canonicalizeAddress(input);
        const b = canonicalizeAddress(` ${input.toUpperCase()}\t`);
        expect(b.ok).toBe(a.ok);
        if (a.ok && b.ok) expect(b.address).toBe(a.address);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("the fast path for plain addresses", () => {
  const plainish = fc.oneof(
    fc.emailAddress(),
    fc.emailAddress().map((a) => a.toUpperCase()),
    fc.string({ unit: fc.constantFrom(..."aZ09.-_+@!#'`{|}~"), maxLength: 40 }),
    fc.tuple(fc.string({ maxLength: 12 }), fc.domain()).map(([l, d]) => `${l}@${d}`),
  );

  it("splits exactly as the RFC 5322 parser does", () => {
    fc.assert(
      fc.property(plainish, (input) => {
        expect(splitAddress(input.trim(), true)).toEqual(splitAddress(input.trim(), false));
      }),
      { numRuns: 20_000 },
    );
  });
});
