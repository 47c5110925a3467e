import { describe, expect, it } from "vitest";
import { classify, prepare } from "../../../lambdas/core/classifier/index.js";

describe("classify: permanence and codes", () => {
  it("reads reply and enhanced codes out of the text when none are given", () => {
    // Act
    const ctx = prepare({ diagnostic: "smtp; 550 5.1.1 <jdoe@example.org>... User Unknown" });
    // Assess
    expect(ctx).toMatchObject({ reply: "550", enhanced: "5.1.1", codeClass: 5 });
  });

  it("does not take pieces of IP addresses or dates for codes", () => {
    // Act
    const ctx = prepare({
      diagnostic: "connect to mx.example.org[192.0.2.222]:25 at 2024-05-12: Connection refused",
    });
    // Assess
    expect(ctx).toMatchObject({ reply: null, enhanced: null, codeClass: null });
  });

  it("prefers the structured codes over numbers found in the text", () => {
    // Act
    const result = classify({ diagnostic: "refused to talk to me: 554 Blocked", enhancedCode: "4.0.0" });
    // Assess
    expect(result).toMatchObject({ permanent: false, type: "soft_bounce" });
  });

  it("treats a 5xx as permanent even when the ESP says transient (SES cross-check)", () => {
    // Act
    const result = classify({
      diagnostic: "smtp; 550 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org",
      permanent: false,
    });
    // Assess
    expect(result).toEqual({
      type: "invalid",
      subtype: "sender_or_recipient_rejected",
      reason: "blocked",
      rule: "text-blocked-list",
      permanent: true,
    });
  });

  it("follows the ESP's permanent verdict when the codes are only 4xx", () => {
    // Act
    const result = classify({ diagnostic: "451 4.7.1 Access denied by recipient policy", permanent: true });
    // Assess
    expect(result.permanent).toBe(true);
  });

  it("is not permanent when nothing says so", () => {
    // Act
    const result = classify({ diagnostic: "Spam detected" });
    // Assess
    expect(result).toMatchObject({
      reason: "spam_detected",
      permanent: false,
      type: "soft_bounce",
      subtype: "spam_rejected",
    });
  });

  it("keeps a hard reason invalid on a 4xx", () => {
    // Act
    const result = classify({
      diagnostic: "450 4.1.1 <a@b.example>: Recipient address rejected: User unknown",
    });
    // Assess
    expect(result).toMatchObject({ type: "invalid", subtype: "mailbox_not_found", permanent: false });
  });

  it("calls a DNS failure on a 4xx a network error, not a dead domain", () => {
    // Act
    const result = classify({
      diagnostic: "450 4.1.2 <a@b.example>: Recipient address rejected: Domain not found",
    });
    // Assess
    expect(result).toMatchObject({
      reason: "network_error",
      rule: "text-host-unknown-4xx",
      type: "soft_bounce",
    });
  });

  it("names the sender's domain as rejected, not host_unknown (design.md §2.4)", () => {
    // Act
    const result = classify({
      diagnostic: "550 5.1.8 <bounce@mail.example.com>: Sender address rejected: Domain not found",
    });
    // Assess
    expect(result).toMatchObject({
      reason: "rejected",
      type: "invalid",
      subtype: "sender_or_recipient_rejected",
    });
  });

  it("lets the provider's stated reason win", () => {
    // Act
    const result = classify({ diagnostic: "550 5.1.1 user unknown", providerReason: "suppressed" });
    // Assess
    expect(result).toMatchObject({ reason: "suppressed", rule: "provider-reason", subtype: "blocklisted" });
  });

  it("ignores a provider reason outside the taxonomy", () => {
    // Act
    const result = classify({
      diagnostic: "550 5.1.1 user unknown",
      providerReason: "bogus" as unknown as "suppressed",
    });
    // Assess
    expect(result.rule).toBe("text-user-unknown");
  });

  it("lets specific text beat the enhanced code", () => {
    // Act
    const result = classify({
      diagnostic: "552 sorry, mailbox is over quota temporarily (#5.1.1)",
      enhancedCode: "5.1.1",
    });
    // Assess
    expect(result).toMatchObject({ reason: "mailbox_full", rule: "text-mailbox-full" });
  });

  it("falls back to on_hold (soft) for unknown text without codes, and undefined for nothing", () => {
    // Act
    const text = classify({ diagnostic: "Quelque chose s'est mal passé" });
    const empty = classify({});
    // Assess
    expect(text).toMatchObject({
      reason: "on_hold",
      rule: "fallback-text",
      type: "soft_bounce",
      subtype: "other",
    });
    expect(empty).toMatchObject({ reason: "undefined", rule: "fallback-empty", type: "soft_bounce" });
  });

  it("ignores malformed codes", () => {
    // Act
    const result = classify({ diagnostic: "", smtpCode: "55O", enhancedCode: "5.1" });
    // Assess
    expect(result).toMatchObject({ rule: "fallback-empty", permanent: false });
  });

  it("classifies multi-line diagnostics as if on one line", () => {
    // Act
    const result = classify({
      diagnostic: "550-5.1.1 The email account that you tried to reach\n550-5.1.1   does not exist.",
    });
    // Assess
    expect(result.reason).toBe("user_unknown");
  });
});
