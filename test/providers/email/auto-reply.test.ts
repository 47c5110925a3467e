import { describe, expect, it } from "vitest";
import { autoReplyReason, looksLikeBounce } from "../../../lambdas/providers/email/auto-reply.js";

const lookup =
  (headers: Record<string, string>) =>
  (name: string): string[] =>
    headers[name] === undefined ? [] : [headers[name]];

describe("autoReplyReason", () => {
  it.each([
    [{ "auto-submitted": "auto-replied (vacation)" }, "auto-submitted: auto-replied"],
    [{ "x-autoreply": "yes" }, "x-autoreply"],
    [{ precedence: "auto_reply" }, "precedence: auto_reply"],
    [{ subject: "Automatic reply: Hello" }, "subject"],
    [{ subject: "Out of Office: Hello" }, "subject"],
    [{ subject: "自動応答: こんにちは" }, "subject"],
    [{ "auto-submitted": "auto-generated" }, null],
    [{ subject: "Hello" }, null],
  ])("%o → %s", (headers, reason) => {
    expect(autoReplyReason(lookup(headers))).toBe(reason);
  });

  it("does not take an MTA bounce marked auto-replied for a vacation notice", () => {
    const headers = {
      "auto-submitted": "auto-replied",
      from: "Mail Delivery System <Mailer-Daemon@mx.example.org>",
      subject: "Mail delivery failed: returning message to sender",
    };
    expect(looksLikeBounce(lookup(headers))).toBe(true);
    expect(autoReplyReason(lookup(headers))).toBeNull();
  });
});
