import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sameSecret } from "../../lambdas/core/secret-compare.js";

describe("sameSecret", () => {
  it("is true for equal secrets only, whatever their lengths", () => {
    expect(sameSecret("s3cret", "s3cret")).toBe(true);
    expect(sameSecret("s3cret", "s3cre")).toBe(false);
    expect(sameSecret("", "x")).toBe(false);
    expect(sameSecret("", "")).toBe(true);
    expect(sameSecret("x".repeat(10_000), "x".repeat(10_000))).toBe(true);
  });

  it("compares bytes and UTF-8 text alike", () => {
    expect(sameSecret(Buffer.from("dXNlcjpww6k=", "base64"), "user:pé")).toBe(true);
    expect(sameSecret(Buffer.from([0xff]), "\ufffd")).toBe(false);
  });

  it("agrees with === (property)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(sameSecret(a, b)).toBe(a === b);
        expect(sameSecret(a, a)).toBe(true);
      }),
      { seed: 5, numRuns: 500 },
    );
  });
});
