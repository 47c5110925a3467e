import { describe, expect, it } from "vitest";
import {
  commandOf,
  parseDeliveryStatus,
  refinedStatus,
  statusOf,
} from "../../../lambdas/providers/email/dsn.js";

describe("parseDeliveryStatus", () => {
  it("reads per-message and folded per-recipient fields, stripping type prefixes", () => {
    const dsn = parseDeliveryStatus(
      [
        "Reporting-MTA: dns; mx.example.net",
        "Arrival-Date: Sat, 13 Sep 2014 05:23:57 +0000 (UTC)",
        "",
        "Final-Recipient: rfc822; Kijitora@Example.ORG",
        "Original-Recipient: rfc822;kijitora@example.org",
        "Action: failed",
        "Status: 5.1.1 (bad mailbox)",
        "Remote-MTA: dns; mx1.example.org",
        "Diagnostic-Code: smtp; 550 5.1.1 <kijitora@example.org>: Recipient address",
        "    rejected: User unknown (in reply to RCPT TO command)",
        "Last-Attempt-Date: Sat, 13 Sep 2014 05:24:00 +0000",
        "",
      ].join("\r\n"),
    );
    expect(dsn.reportingMta).toBe("mx.example.net");
    expect(dsn.arrivalAt).toBe("2014-09-13T05:23:57.000Z");
    expect(dsn.recipients).toEqual([
      {
        recipient: "kijitora@example.org",
        originalRecipient: "kijitora@example.org",
        action: "failed",
        status: "5.1.1",
        diagnostic:
          "550 5.1.1 <kijitora@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)",
        remoteMta: "mx1.example.org",
        command: "RCPT",
        lastAttemptAt: "2014-09-13T05:24:00.000Z",
      },
    ]);
  });

  it("separates several recipients, with or without blank lines, fields in any order", () => {
    const dsn = parseDeliveryStatus(
      [
        "Reporting-MTA: dns; mx.example.net",
        "",
        "Action: failed",
        "Status: 5.0.0",
        "Final-Recipient: rfc822; a@example.org",
        "",
        "Final-Recipient: rfc822; b@example.org",
        "Action: delayed",
        "Status: 4.4.7",
        "Final-Recipient: rfc822; c@example.org",
        "Action: failed",
        "Status: 5.2.2",
      ].join("\n"),
    );
    expect(dsn.recipients.map((r) => [r.recipient, r.action, r.status])).toEqual([
      ["a@example.org", "failed", "5.0.0"],
      ["b@example.org", "delayed", "4.4.7"],
      ["c@example.org", "failed", "5.2.2"],
    ]);
  });

  it("uses Original-Recipient when Final-Recipient is missing, and skips blocks with no address", () => {
    const dsn = parseDeliveryStatus(
      "Original-Recipient: <O@Example.org>\nAction: failed\nDiagnostic-Code: smtp; 550 5.1.1 unknown\n\nAction: failed\nStatus: 5.0.0\n",
    );
    expect(dsn.recipients.map((r) => [r.recipient, r.status])).toEqual([["o@example.org", "5.1.1"]]);
    expect(dsn.skipped).toEqual([{ raw: null, problem: "no recipient field" }]);
  });

  it("keeps a malformed address as skipped, and reads RFC 6533 utf-8 addresses", () => {
    const dsn = parseDeliveryStatus(
      "Final-Recipient: rfc822; not an address\nStatus: 5.1.3\n\nFinal-Recipient: utf-8; jos\\x{E9}@b\\x{FC}cher.example\nStatus: 5.1.1\n",
    );
    expect(dsn.skipped.map((s) => s.raw)).toEqual(["rfc822; not an address"]);
    expect(dsn.recipients.map((r) => r.recipient)).toEqual(["josé@xn--bcher-kva.example"]);
  });

  it("returns nothing, without throwing, for garbage", () => {
    expect(parseDeliveryStatus("\u0000\u0001 garbage ::: \n\n  \t folded without field").recipients).toEqual(
      [],
    );
  });
});

describe("status and command helpers", () => {
  it("normalizes status codes and refines a generic one from the diagnostic", () => {
    expect(statusOf("5.01.001")).toBe("5.1.1");
    expect(statusOf("failed")).toBeNull();
    expect(refinedStatus("5.0.0", "550 5.7.1 blocked")).toBe("5.7.1");
    expect(refinedStatus("5.0.0", "421 4.7.0 later")).toBe("5.0.0");
    expect(refinedStatus(null, "550 5.1.1 unknown")).toBe("5.1.1");
    expect(refinedStatus("4.4.7", "452 4.4.5 full")).toBe("4.4.7");
  });

  it.each([
    ["452 4.3.2 rate limit (in reply to MAIL FROM command)", "MAIL"],
    ["SMTP error from remote mail server after RCPT TO:<a@example.org>: 550 unknown", "RCPT"],
    ["SMTP error from remote mail server after pipelined RCPT TO:<a@example.org>", "RCPT"],
    ["SMTP error from remote mail server after end of data: 554 spam", "DATA"],
    ["550 rejected (in reply to end of DATA command)", "DATA"],
    ["554 go away (in reply to EHLO command)", "HELO"],
    ["SMTP error from remote mail server after initial connection: 554", "CONN"],
    ["550 5.1.1 User unknown", null],
  ])("commandOf(%s) → %s", (diagnostic, command) => {
    expect(commandOf(diagnostic)).toBe(command);
  });
});
