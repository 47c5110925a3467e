import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openCursor, sealCursor } from "../../lambdas/store/cursor-seal.js";
import { purposeKey } from "../../lambdas/store/internal-key.js";

const POSITION = JSON.stringify(["T#acme#A#jdoe@example.org", "E#ses#x", "2026-12-01T10:00:00.000Z#E#ses#x"]);

describe("sealed cursors", () => {
  it("open to what was sealed, for the same context only, and hold no readable key", () => {
    const sealed = sealCursor(POSITION, "history|T#acme#A#jdoe@example.org");
    expect(openCursor(sealed, "history|T#acme#A#jdoe@example.org")).toBe(POSITION);
    expect(openCursor(sealed, "history|T#other#A#jdoe@example.org")).toBeUndefined();
    expect(Buffer.from(sealed, "base64url").toString("latin1")).not.toContain("jdoe");
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("refuse another key's cursor (another deployment, a rotated INTERNAL_KEY)", () => {
    const sealed = sealCursor(POSITION, "lists|acme", purposeKey("cursor", "one"));
    expect(openCursor(sealed, "lists|acme", purposeKey("cursor", "one"))).toBe(POSITION);
    expect(openCursor(sealed, "lists|acme", purposeKey("cursor", "two"))).toBeUndefined();
  });

  it("refuse any changed character, and garbage (property)", () => {
    const sealed = sealCursor(POSITION, "lists|acme");
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    fc.assert(
      fc.property(fc.nat(sealed.length - 1), fc.constantFrom(...alphabet), (at, char) => {
        fc.pre(sealed[at] !== char);
        const changed = `${sealed.slice(0, at)}${char}${sealed.slice(at + 1)}`;
        expect(openCursor(changed, "lists|acme")).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (garbage) => {
        expect(openCursor(garbage, "lists|acme")).toBeUndefined();
      }),
    );
  });

  it("seal the same position differently each time (no position can be recognised across pages)", () => {
    expect(sealCursor(POSITION, "c")).not.toBe(sealCursor(POSITION, "c"));
  });
});
