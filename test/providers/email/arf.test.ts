import { describe, expect, it } from "vitest";
import { parseFeedbackReport } from "../../../lambdas/providers/email/arf.js";
import { feedbackTypeOf } from "../../../lambdas/providers/shared/feedback-type.js";

describe("parseFeedbackReport", () => {
  it("reads the RFC 5965 fields, repeated Original-Rcpt-To included", () => {
    const report = parseFeedbackReport(
      [
        "Feedback-Type: Abuse",
        "User-Agent: SomeGenerator/1.0",
        "Version: 1",
        "Original-Mail-From: <Sender@Example.com>",
        "Original-Rcpt-To: <A@Example.net>",
        "Original-Rcpt-To: b@example.net",
        "Arrival-Date: Thu, 8 Mar 2005 14:00:00",
        "  -0500",
        "Source-IP: 192.0.2.1",
        "Reported-Domain: example.com",
      ].join("\r\n"),
    );
    expect(report).toEqual({
      rawFeedbackType: "abuse",
      feedbackType: "abuse",
      recipients: ["a@example.net", "b@example.net"],
      removalRecipients: [],
      arrivalAt: "2005-03-08T19:00:00.000Z",
      sourceIp: "192.0.2.1",
      reportedDomain: "example.com",
      userAgent: "SomeGenerator/1.0",
      originalMailFrom: "sender@example.com",
    });
  });

  it("falls back to the older drafts' Received-Date and keeps Removal-Recipient apart", () => {
    const report = parseFeedbackReport(
      "Feedback-Type: opt-out\nReceived-Date: Thu, 29 Apr 2009 00:00:00 -0000\nRemoval-Recipient: u@example.com\n",
    );
    expect(report.feedbackType).toBe("other");
    expect(report.recipients).toEqual([]);
    expect(report.removalRecipients).toEqual(["u@example.com"]);
    expect(report.arrivalAt).toBe("2009-04-29T00:00:00.000Z");
  });

  it("maps feedback types to the service's taxonomy", () => {
    expect(
      ["abuse", "fraud", "virus", "not-spam", "auth-failure", "opt-out", "x"].map(feedbackTypeOf),
    ).toEqual(["abuse", "fraud", "virus", "not-spam", "other", "other", "other"]);
    expect(feedbackTypeOf("")).toBeNull();
  });
});
