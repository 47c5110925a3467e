/**
 * Text rules of the fine reason `rejected` (Sender rejected; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `rejected` rules, in decision order. */
export const rules: readonly ReasonRule<"rejected">[] = [
  {
    id: "provider-google-groups",
    reason: "rejected",
    any: ["group you tried to contact", "您试图联系的", "您試圖聯絡的", "groups.google.com/support"],
    note: "Google Groups refuses a poster who may not post: the sender, not the address, is the problem.",
    example: {
      diagnostic:
        "We're writing to let you know that the group you tried to contact (team) may not exist, or you may not have permission to post messages to the group.",
    },
  },
  {
    id: "text-mailing-list-member",
    reason: "rejected",
    any: [
      "not a member of this mailing list",
      "not allowed to post to this mailing list",
      "not a member of this list",
      "only members can post",
    ],
    example: { diagnostic: "You are not a member of this mailing list <list@example.org>." },
  },
  {
    id: "text-sender-rejected",
    reason: "rejected",
    any: [
      "envelope blocked - user",
      "administrative prohibition envelope blocked",
      "block policy for envelope from",
      "block policy for header from",
      "manually blocked senders",
      "sender denied",
      "mail sending denied",
      "sender address rejected",
      "sender email address rejected",
      "domain of sender address",
      "sender domain",
      "from domain",
      "verify from domain",
      "from: domain is invalid",
      "unroutable sender",
      "unrouteable sender",
      "sender verify failed",
      "sender verification failed",
      "invalid sender",
      "bad sender address",
      "sender was rejected",
      "sender rejected",
      "sender not allowed",
      "sender is not allowed",
      "sender address has null mx",
      "null sender is not allowed",
      "empty envelope senders not allowed",
      "can't determine purported responsible address",
      "recipient addresses rejected : access denied",
      "address that has been blacklisted",
      "your email address has been blacklisted",
      "sender address has been blacklisted",
      "email address is not verified",
      "is not a registered gateway user",
      "mail from invalid",
      "host denies the sender",
      "sender is unvalidated",
      "black mail address",
      "send mail as",
      "mi:imf",
      "mi:spb",
      "发件人被拒",
      "发件人地址被拒",
      "发件人域名不存在",
      "发信人域名不存在",
      "发件人地址不合规范",
      "发信人电子邮件地址不合规范",
      "寄件者被拒",
    ],
    unless: ["recipient address rejected", "sender ip address rejected", "rbl"],
    note: "design.md §2.4: a reply that names the sender's domain is `rejected`, never host_unknown.",
    example: {
      smtpCode: "550",
      enhancedCode: "5.1.8",
      diagnostic: "550 5.1.8 <bounce@mail.example.com>: Sender address rejected: Domain not found",
    },
  },
  {
    id: "stage-mail-from-refused",
    reason: "rejected",
    any: [
      "access denied",
      "not allowed",
      "rejected",
      "refused",
      "does not exist",
      "no such domain",
      "domain not found",
      "unknown domain",
      "not found",
    ],
    unless: ["authentication", "unauthenticated"],
    stage: ["mail"],
    note: "Refused in reply to MAIL FROM: the envelope sender is what the receiver objects to.",
    example: {
      smtpCode: "550",
      diagnostic:
        "host mail.example.ne.jp[203.0.113.2] said: 550 Access denied (in reply to MAIL FROM command)",
    },
  },
];
