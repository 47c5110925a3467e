import { describe, expect, it } from "vitest";
import { causeInWords, verdictSentence } from "../../console/src/verdict.js";
import type { AddressView, LiveEntry } from "../../lambdas/contract/suppressions.js";
import { CAUSES } from "../../lambdas/core/ledger/types.js";

const complaint: LiveEntry = {
  subjectKind: "address",
  subject: "jane.doe@example.org",
  scope: "*",
  cause: "complaint",
  reason: { type: "complaint", subtype: null, reason: null },
  since: "2026-11-20T10:00:00.000Z",
  lastAt: "2026-11-20T10:00:00.000Z",
  expiresAt: "2027-05-19T10:00:00.000Z",
  source: "ses",
  eventId: "e1",
  rule: "ses-complaint",
  note: null,
};

const suppressed = (entry: LiveEntry): AddressView => ({
  address: "jane.doe@example.org",
  suppressed: true,
  cause: entry.cause,
  reason: entry.reason,
  scope: entry.scope,
  since: entry.since,
  expiresAt: entry.expiresAt,
  source: entry.source,
  entries: [entry],
});

describe("verdictSentence", () => {
  it("says the issue's sentence for an SES complaint, in English and Chinese", () => {
    expect(verdictSentence(suppressed(complaint), "en")).toBe(
      "Suppressed for all mail until 2027-05-19: the recipient reported your mail as spam (SES, 2026-11-20)",
    );
    expect(verdictSentence(suppressed(complaint), "zh")).toBe(
      "已抑制所有邮件，直至 2027-05-19：收件人将你的邮件举报为垃圾邮件（SES，2026-11-20）",
    );
  });

  it("names the bounce's reason, a scope, no end date, an operator and a domain entry", () => {
    const bounce: LiveEntry = {
      ...complaint,
      cause: "bounce",
      reason: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
      expiresAt: null,
      scope: "newsletter",
    };
    expect(verdictSentence(suppressed(bounce), "en")).toBe(
      "Suppressed for “newsletter” with no end date: mail to it bounced (User unknown) (SES, 2026-11-20)",
    );
    const manual: LiveEntry = {
      ...complaint,
      subjectKind: "domain",
      subject: "example.org",
      cause: "manual",
      reason: { type: "invalid", subtype: "blocklisted", reason: "manual" },
      source: "admin",
    };
    expect(verdictSentence(suppressed(manual), "en")).toBe(
      "Suppressed for all mail until 2027-05-19: an operator suppressed it by hand (operator, 2026-11-20) — on the whole domain @example.org",
    );
  });

  it("says an address is clear, or not an address at all", () => {
    const clear: AddressView = {
      address: "a@example.org",
      suppressed: false,
      cause: null,
      reason: null,
      scope: null,
      since: null,
      expiresAt: null,
      source: null,
      entries: [],
    };
    expect(verdictSentence(clear, "en")).toBe("Not suppressed: mail to this address is sent.");
    const bad: AddressView = {
      address: "nope",
      suppressed: true,
      cause: "bounce",
      reason: { type: "invalid", subtype: "bad_address_format", reason: "bad_address_format" },
      scope: "*",
      since: null,
      expiresAt: null,
      source: null,
      problem: "no @",
      entries: [],
    };
    expect(verdictSentence(bad, "zh")).toBe("已抑制：这不是有效的地址（no @）。");
  });

  it("has words for every cause in both languages", () => {
    for (const cause of CAUSES) {
      for (const lang of ["en", "zh"] as const) {
        expect(
          causeInWords(cause, { type: "invalid", subtype: null, reason: "user_unknown" }, lang),
        ).not.toBe("");
      }
    }
  });
});
