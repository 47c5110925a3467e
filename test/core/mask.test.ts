import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskAddress, maskJson, maskText } from "../../lambdas/core/mask.js";

const local = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}$/);
const domain = fc.stringMatching(/^[a-z0-9-]{1,12}(\.[a-z0-9-]{1,10}){1,3}$/);
const address = fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`);

describe("maskAddress", () => {
  it.each([
    ["jdoe@example.org", "j***@example.org"],
    ["a@example.org", "a***@example.org"],
    ["élodie@exemple.fr", "é***@exemple.fr"],
    ["😀x@example.org", "😀***@example.org"],
    ["j***@example.org", "j***@example.org"],
    ["not-an-address", "not-an-address"],
    ["@example.org", "@example.org"],
  ])("%s → %s", (input, masked) => {
    expect(maskAddress(input)).toBe(masked);
  });
});

describe("maskText", () => {
  it("masks every address in a diagnostic and leaves the rest", () => {
    expect(maskText("550 5.1.1 <jdoe@example.org>: user unknown (from ana.b+x@mail.example.co.uk)")).toBe(
      "550 5.1.1 <j***@example.org>: user unknown (from a***@mail.example.co.uk)",
    );
    expect(maskText("RCPT TO:<bob@[192.0.2.1]> refused")).toBe("RCPT TO:<b***@[192.0.2.1]> refused");
    expect(maskText("no address here, just @handles and a@b")).toBe("no address here, just @handles and a@b");
  });

  it("never leaves the local part of an address in text (property)", () => {
    fc.assert(
      fc.property(address, fc.string(), fc.string(), (addr, before, after) => {
        const masked = maskText(`${before} <${addr}> ${after}`);
        expect(masked).toContain(maskAddress(addr));
        expect(masked).not.toContain(`<${addr}>`);
      }),
    );
  });

  it("is idempotent (property)", () => {
    fc.assert(
      fc.property(address, fc.string(), (addr, text) => {
        const once = maskText(`${text} ${addr}`);
        expect(maskText(once)).toBe(once);
      }),
    );
  });
});

describe("maskJson", () => {
  it("masks strings at any depth (an id that ends in an address too), keeps keys and other values", () => {
    const answer = {
      subject: "jdoe@example.org",
      items: [{ event: { recipient: "ana@example.net", eventId: "abc#ana@example.net", n: 3 }, ok: true }],
      cursor: null,
      "jdoe@example.org": 1,
    };
    expect(maskJson(answer)).toEqual({
      subject: "j***@example.org",
      items: [{ event: { recipient: "a***@example.net", eventId: "a***@example.net", n: 3 }, ok: true }],
      cursor: null,
      "jdoe@example.org": 1,
    });
  });
});
