/**
 * The closed taxonomy of suppression-service (design.md §2): event types, subtypes, fine reasons,
 * and how a reason maps to a type and subtype. One table, with the English and Chinese labels
 * people read.
 */

export type Label = { readonly en: string; readonly zh: string };

export const EVENT_TYPES = {
  request: { en: "Request", zh: "请求中" },
  delivered: { en: "Delivered", zh: "送达" },
  soft_bounce: { en: "Soft bounce", zh: "软退信" },
  invalid: { en: "Invalid", zh: "无效邮件" },
  complaint: { en: "Spam complaint", zh: "垃圾举报" },
  unsubscribe: { en: "Unsubscribe", zh: "取消订阅" },
} as const satisfies Record<string, Label>;

export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_IDS = Object.keys(EVENT_TYPES) as [EventType, ...EventType[]];

export const SOFT_BOUNCE_SUBTYPES = {
  service_unreachable: { en: "Service unreachable", zh: "服务不可达" },
  ip_or_domain_rejected: { en: "IP or domain rejected", zh: "IP、域名被拒" },
  mailbox_not_found: { en: "Mailbox not found", zh: "邮箱地址不存在" },
  spam_rejected: { en: "Rejected as spam", zh: "反垃圾邮件被拒" },
  sender_or_recipient_rejected: { en: "Sender or recipient rejected", zh: "发件人/收件人被拒" },
  other: { en: "Other", zh: "其他" },
} as const satisfies Record<string, Label>;

export const INVALID_SUBTYPES = {
  blocklisted: { en: "Blocklisted", zh: "黑名单" },
  unsubscribed: { en: "Unsubscribed", zh: "取消订阅" },
  server_unreachable: { en: "Server unreachable", zh: "服务器不可达" },
  bad_address_format: { en: "Bad address format", zh: "地址格式错误" },
  mailbox_not_found: { en: "Address does not exist", zh: "地址不存在" },
  spam: { en: "Spam", zh: "垃圾邮件" },
  sender_or_recipient_rejected: { en: "Sender or recipient rejected", zh: "发件人/收件人被拒" },
  other: { en: "Other", zh: "其他" },
} as const satisfies Record<string, Label>;

export type SoftBounceSubtype = keyof typeof SOFT_BOUNCE_SUBTYPES;
export type InvalidSubtype = keyof typeof INVALID_SUBTYPES;
export type Subtype = SoftBounceSubtype | InvalidSubtype;
export const SUBTYPE_IDS = [
  ...new Set([...Object.keys(SOFT_BOUNCE_SUBTYPES), ...Object.keys(INVALID_SUBTYPES)]),
] as [Subtype, ...Subtype[]];

/** Whether a reason says the address is bad, is temporary, or depends on the failure's permanence. */
export type ReasonClass = "hard" | "temporary" | "depends";

type ReasonRow = {
  readonly class: ReasonClass;
  readonly invalid: InvalidSubtype | null;
  readonly soft: SoftBounceSubtype | null;
  readonly label: Label;
};

const row = (
  cls: ReasonClass,
  invalid: InvalidSubtype | null,
  soft: SoftBounceSubtype | null,
  en: string,
  zh: string,
): ReasonRow => ({ class: cls, invalid, soft, label: { en, zh } });

/** design.md §2.4, one row per fine reason. */
export const REASONS = {
  user_unknown: row("hard", "mailbox_not_found", null, "User unknown", "用户不存在"),
  has_moved: row("hard", "mailbox_not_found", null, "Mailbox has moved", "邮箱已迁移"),
  host_unknown: row("hard", "server_unreachable", null, "Host unknown", "域名不存在"),
  not_accept: row("depends", "server_unreachable", "service_unreachable", "Accepts no mail", "不接收邮件"),
  bad_address_format: row("hard", "bad_address_format", null, "Bad address format", "地址格式错误"),
  suppressed: row("hard", "blocklisted", null, "On the ESP's suppression list", "已在发送方抑制列表"),
  unsubscribed: row("hard", "unsubscribed", null, "Unsubscribed", "已取消订阅"),
  suspend: row("depends", "mailbox_not_found", "mailbox_not_found", "Mailbox suspended", "邮箱已停用"),
  mailbox_full: row("temporary", null, "other", "Mailbox full", "邮箱已满"),
  exceed_limit: row("temporary", null, "other", "Exceeds a recipient limit", "超出收件限制"),
  mesg_too_big: row("temporary", null, "other", "Message too big", "邮件过大"),
  failed_starttls: row("temporary", null, "other", "STARTTLS failed", "STARTTLS 失败"),
  system_full: row("temporary", null, "service_unreachable", "Receiving system full", "对方系统空间不足"),
  system_error: row("temporary", null, "service_unreachable", "Receiving system error", "对方系统错误"),
  mailer_error: row("temporary", null, "service_unreachable", "Mailer error", "投递程序错误"),
  network_error: row("temporary", null, "service_unreachable", "Network error", "网络错误"),
  expired: row("temporary", null, "service_unreachable", "Delivery expired", "投递超时"),
  speeding: row("temporary", null, "ip_or_domain_rejected", "Rate limited", "发送频率过高"),
  too_many_conn: row("temporary", null, "ip_or_domain_rejected", "Too many connections", "连接数过多"),
  blocked: row("depends", "sender_or_recipient_rejected", "ip_or_domain_rejected", "Blocked IP", "IP 被封禁"),
  bad_reputation: row(
    "depends",
    "sender_or_recipient_rejected",
    "ip_or_domain_rejected",
    "Bad sender reputation",
    "发件信誉差",
  ),
  require_ptr: row(
    "depends",
    "sender_or_recipient_rejected",
    "ip_or_domain_rejected",
    "Reverse DNS required",
    "需要反向解析",
  ),
  auth_failure: row(
    "depends",
    "sender_or_recipient_rejected",
    "ip_or_domain_rejected",
    "SPF/DKIM/DMARC failure",
    "SPF/DKIM/DMARC 验证失败",
  ),
  rejected: row(
    "depends",
    "sender_or_recipient_rejected",
    "sender_or_recipient_rejected",
    "Sender rejected",
    "发件人被拒",
  ),
  filtered: row(
    "depends",
    "sender_or_recipient_rejected",
    "sender_or_recipient_rejected",
    "Filtered by recipient",
    "被收件方过滤",
  ),
  no_relaying: row(
    "depends",
    "sender_or_recipient_rejected",
    "sender_or_recipient_rejected",
    "Relaying denied",
    "拒绝转发",
  ),
  spam_detected: row("depends", "spam", "spam_rejected", "Detected as spam", "被判定为垃圾邮件"),
  virus_detected: row("depends", "spam", "spam_rejected", "Virus detected", "检测到病毒"),
  policy_violation: row("depends", "spam", "spam_rejected", "Policy violation", "违反收件方策略"),
  content_error: row("depends", "other", "other", "Content error", "内容错误"),
  not_compliant_rfc: row("depends", "other", "other", "Not RFC compliant", "不符合 RFC 规范"),
  security_error: row("depends", "other", "other", "Security error", "安全错误"),
  syntax_error: row("depends", "other", "other", "SMTP syntax error", "SMTP 语法错误"),
  on_hold: row("depends", "other", "other", "Undecided", "未能判定"),
  undefined: row("depends", "other", "other", "Unknown", "未知"),
} as const satisfies Record<string, ReasonRow>;

export type Reason = keyof typeof REASONS;
export const REASON_IDS = Object.keys(REASONS) as [Reason, ...Reason[]];

export type BounceType = "soft_bounce" | "invalid";

/**
 * Maps a fine reason and the failure's permanence to a type and subtype (design.md §2.4).
 * A hard reason is `invalid` even on a 4xx; a temporary one is `soft_bounce` even on a 5xx.
 *
 * @example
 * typeFor("user_unknown", false); // { type: "invalid", subtype: "mailbox_not_found" }
 * typeFor("blocked", false);      // { type: "soft_bounce", subtype: "ip_or_domain_rejected" }
 */
export function typeFor(reason: Reason, permanent: boolean): { type: BounceType; subtype: Subtype } {
  const r: ReasonRow = REASONS[reason];
  const asInvalid = r.class === "hard" || (r.class === "depends" && permanent);
  if (asInvalid && r.invalid) return { type: "invalid", subtype: r.invalid };
  if (r.soft) return { type: "soft_bounce", subtype: r.soft };
  // Only reachable for a hard reason without a soft mapping, handled above.
  return { type: "invalid", subtype: r.invalid ?? "other" };
}

/** The labels of a subtype within its type (both types share some ids with different words). */
export function subtypeLabel(type: BounceType, subtype: Subtype): Label | null {
  const table: Record<string, Label> = type === "invalid" ? INVALID_SUBTYPES : SOFT_BOUNCE_SUBTYPES;
  return table[subtype] ?? null;
}

export const FEEDBACK_TYPES = ["abuse", "fraud", "virus", "not-spam", "other"] as const;
export type FeedbackType = (typeof FEEDBACK_TYPES)[number];

export const UNSUBSCRIBE_REASONS = {
  not_wanted: { en: "I no longer want these emails", zh: "我不想再收到此类邮件" },
  not_subscribed: { en: "I never subscribed", zh: "这不是我订阅的" },
  spam: { en: "This is spam", zh: "这是垃圾邮件" },
  fraud: { en: "This is fraud", zh: "这是欺诈邮件" },
} as const satisfies Record<string, Label>;
export type UnsubscribeReason = keyof typeof UNSUBSCRIBE_REASONS;
export const UNSUBSCRIBE_REASON_IDS = Object.keys(UNSUBSCRIBE_REASONS) as [
  UnsubscribeReason,
  ...UnsubscribeReason[],
];

/**
 * The shape of an event source's name (`ses`, `sendgrid`…, `unsubscribe-link`). The domain knows no
 * source by name: the one list is lambdas/providers/names.ts, and the contract's `Provider` and
 * `EventSource` enums derive from it.
 */
export const PROVIDER_NAME = /^[a-z][a-z0-9-]{1,31}$/;
