import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalizeAddress, canonicalizeSubject, splitAddress } from "../../lambdas/core/address.js";

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

describe("canonicalizeAddress: Unicode NFC (issue #9, defect 7b)", () => {
  it.each([
    ["a composed and a decomposed local part", "josé@example.org", "jose\u0301@example.org"],
    ["upper case, decomposed", "JOSÉ@example.org", "JOSE\u0301@Example.ORG"],
    ["a decomposed domain", "a@bücher.example", "a@bu\u0308cher.example"],
    [
      "both, behind a display name",
      "José <josé@bücher.example>",
      "Jose\u0301 <jose\u0301@bu\u0308cher.example>",
    ],
    ["Hangul jamo and the syllable", "한@example.org", "\u1112\u1161\u11ab@example.org"],
    ["a quoted local part", '"josé x"@example.org', '"jose\u0301 x"@example.org'],
  ])("%s give one key", (_name, composed, decomposed) => {
    // Act
    const a = canonicalizeAddress(composed);
    const b = canonicalizeAddress(decomposed);
    // Assess
    expect(a.ok).toBe(true);
    expect(b).toEqual(a);
  });

  it("gives the NFC form, which is what a check finds", () => {
    const result = canonicalizeAddress("JOSE\u0301@BU\u0308CHER.example");
    expect(result).toMatchObject({
      ok: true,
      address: "jos\u00e9@xn--bcher-kva.example",
      local: "jos\u00e9",
    });
    if (result.ok) expect(result.address.normalize("NFC")).toBe(result.address);
  });

  it("any normalization form of an address gives the same key (property)", () => {
    const unit = fc.constantFrom(
      ..."aeiouAEIOU",
      "\u0301",
      "\u0308",
      "\u0327",
      "é",
      "Å",
      "ﬁ",
      "한",
      "\u1112\u1161",
    );
    const local = fc.string({ unit, minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(local, fc.constantFrom("NFC", "NFD") as fc.Arbitrary<"NFC" | "NFD">, (l, form) => {
        const key = (input: string) => {
          const r = canonicalizeAddress(input);
          return r.ok ? r.address : r.problem;
        };
        expect(key(`${l.normalize(form)}@example.org`)).toBe(key(`${l.normalize("NFC")}@example.org`));
      }),
      { seed: 11, numRuns: 1000 },
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

describe("canonicalizeSubject: an address, or @domain for a whole domain", () => {
  it.each([
    ["@Example.ORG", { kind: "domain", value: "example.org" }],
    [" @Bücher.Example. ", { kind: "domain", value: "xn--bcher-kva.example" }],
    ["JDoe@Example.org", { kind: "address", value: "jdoe@example.org" }],
    ['"J. Doe" <jdoe@example.org>', { kind: "address", value: "jdoe@example.org" }],
  ])("%s", (input, subject) => {
    expect(canonicalizeSubject(input)).toEqual({ ok: true, subject });
  });

  it.each(["@", "@localhost", "@-bad-.example", `@${"a".repeat(300)}.example`, "@[192.0.2.1]", "nope", ""])(
    "refuses %j with the problem named",
    (input) => {
      const result = canonicalizeSubject(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problem).toMatch(/host name|address|empty/);
    },
  );

  it("reads a domain the way an address's domain is read (the check finds domain entries by it)", () => {
    fc.assert(
      fc.property(fc.domain(), (domain) => {
        const address = canonicalizeAddress(`jdoe@${domain}`);
        const subject = canonicalizeSubject(`@${domain}`);
        if (address.ok)
          expect(subject).toEqual({ ok: true, subject: { kind: "domain", value: address.domain } });
        else expect(subject.ok).toBe(false);
      }),
    );
  });
});
