/**
 * `core/smtp-codes.ts`: the one set of SMTP code shapes. The classifier (`prepare`) and the
 * providers (`smtpFrom`) both read codes through it, so they find the same code in the same text.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prepare } from "../../lambdas/core/classifier/index.js";
import { ENHANCED_CODE, enhancedCodeIn, REPLY_CODE, replyCodeIn } from "../../lambdas/core/smtp-codes.js";
import { smtpFrom } from "../../lambdas/providers/shared/smtp.js";

describe("replyCodeIn", () => {
  it.each([
    ["smtp; 550 5.1.1 user unknown", "550"],
    ["550-5.7.26 unauthenticated", "550"],
    ["ERROR_CODE :421, try later", "421"],
    ["Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound'", "550"],
    ["host mx.example.org[203.0.113.2] said: 452 4.3.2 rate limit", "452"],
    ["connect to example.org[203.0.113.225]:25: Connection timed out", null],
    ["v550 build 2.5.1", null],
    ["order #550 or id=421 or 5500", null],
    ["", null],
  ])("%j → %j", (text, code) => {
    expect(replyCodeIn(text)).toBe(code);
  });
});

describe("enhancedCodeIn", () => {
  it.each([
    ["550 5.1.1 user unknown", "5.1.1"],
    ["550-5.7.26 unauthenticated", "5.7.26"],
    ["#4.4.1 no answer", "4.4.1"],
    ["relay 192.0.2.5 refused", null],
    ["version 5.1.1.2", null],
    ["no code here", null],
  ])("%j → %j", (text, code) => {
    expect(enhancedCodeIn(text)).toBe(code);
  });
});

describe("REPLY_CODE and ENHANCED_CODE (a whole field)", () => {
  it("accept a code and nothing around it", () => {
    expect(["550", "421", "250"].every((c) => REPLY_CODE.test(c))).toBe(true);
    expect(["650", "55", "5500", " 550", "550 "].some((c) => REPLY_CODE.test(c))).toBe(false);
    expect(["5.1.1", "4.7.26", "2.0.0"].every((c) => ENHANCED_CODE.test(c))).toBe(true);
    expect(["6.1.1", "5.1", "5.1.1.1", "5.1.1 "].some((c) => ENHANCED_CODE.test(c))).toBe(false);
  });
});

describe("the classifier and the providers read the same codes", () => {
  /** Texts of codes, IP addresses, host names and punctuation, where the two readers used to differ. */
  const text = fc
    .array(
      fc.constantFrom(
        "550",
        "421",
        "5.1.1",
        "4.7.0",
        "203.0.113.2",
        "[",
        "]",
        "(",
        ")",
        ":",
        ".",
        "-",
        "'",
        " ",
        "\n",
        "mx",
        "said",
        "#",
        "=",
        "@",
        "/",
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join(""));

  it("smtpFrom finds the code and the enhanced code prepare finds (property)", () => {
    fc.assert(
      fc.property(text, (diagnostic) => {
        const smtp = smtpFrom(diagnostic);
        const ctx = prepare({ diagnostic });
        expect(smtp.code).toBe(ctx.reply);
        expect(smtp.enhanced).toBe(ctx.enhanced);
      }),
      { seed: 10, numRuns: 2000 },
    );
  });

  it("neither takes an IP address's octet for a reply code", () => {
    const diagnostic = "host mx.example.org[203.0.113.2] said: 550 5.1.1 <jdoe@example.org>: User unknown";
    expect(smtpFrom(diagnostic)).toMatchObject({ code: "550", enhanced: "5.1.1" });
    expect(prepare({ diagnostic })).toMatchObject({ reply: "550", enhanced: "5.1.1" });
  });
});
