/**
 * Every word the console shows, in English and Chinese. The taxonomy's own labels (event types,
 * subtypes, reasons, unsubscribe reasons) come from lambdas/core/taxonomy.ts, the one table the
 * classifier and the API use; this file holds only the console's words. `zh` is typed by `en`, so a
 * label missing in either language does not compile.
 */
import type { HistoryEntry } from "../../lambdas/contract/history.js";
import type { DecisionView } from "../../lambdas/contract/ingestion.js";
import type { Cause } from "../../lambdas/core/ledger/types.js";
import {
  EVENT_TYPES,
  type EventType,
  INVALID_SUBTYPES,
  type Label,
  REASONS,
  SOFT_BOUNCE_SUBTYPES,
  UNSUBSCRIBE_REASONS,
} from "../../lambdas/core/taxonomy.js";

export const LANGUAGES = ["en", "zh"] as const;
export type Lang = (typeof LANGUAGES)[number];

type Outcome = NonNullable<DecisionView["outcome"]>;
type Action = DecisionView["action"];
type AdminAction = Extract<HistoryEntry, { kind: "admin" }>["action"];

const en = {
  appName: "Suppression console",
  language: "Language",
  skipToContent: "Skip to content",
  navAddress: "Address",
  navLists: "Lists",
  navStatus: "Status",
  signOut: "Sign out",
  tenant: "Tenant",
  maskedBanner: "Addresses are masked: this key has no pii scope.",

  signInTitle: "Sign in",
  signInIntro:
    "Paste an API key with the admin scope (and pii to see full addresses). It is kept in this tab only and forgotten when the tab closes.",
  apiKey: "API key",
  tenantOptional: "Tenant (bootstrap key only)",
  signIn: "Sign in",
  signingIn: "Signing in…",
  keyRefused: "The service refused this key: it is unknown or revoked.",
  keyLacksAdmin: "This key has no admin scope: the console needs it.",
  sessionEnded: "Signed out: the service refused the key.",
  sessionForbidden: "Signed out: the key may not do that.",

  lookupTitle: "Why is an address suppressed?",
  lookupLabel: "Address or @domain",
  lookupPlaceholder: "jane.doe@example.org",
  lookup: "Look up",
  loading: "Loading…",
  nothingYet: "Type an address to see its verdict, entries and history.",

  verdictSuppressed: (p: { scope: string; until: string; why: string; source: string; date: string }) =>
    `Suppressed ${p.scope} ${p.until}: ${p.why} (${p.source}, ${p.date})`,
  verdictClear: "Not suppressed: mail to this address is sent.",
  verdictBad: (p: { problem: string }) => `Suppressed: this is not a valid address (${p.problem}).`,
  forAllMail: "for all mail",
  forScope: (p: { scope: string }) => `for “${p.scope}”`,
  untilDate: (p: { date: string }) => `until ${p.date}`,
  noEnd: "with no end date",
  whyComplaint: "the recipient reported your mail as spam",
  whyBounce: (p: { reason: string }) => `mail to it bounced (${p.reason})`,
  whyUnsubscribe: "the recipient unsubscribed",
  whyManual: "an operator suppressed it by hand",
  whySoft: (p: { reason: string }) => `it soft-bounced again and again (${p.reason})`,
  operator: "operator",
  domainWide: (p: { domain: string }) => `on the whole domain @${p.domain}`,

  entriesTitle: "Live entries",
  noEntries: "No live entries.",
  colCause: "Cause",
  colReason: "Reason",
  colScope: "Scope",
  colSince: "Since",
  colExpires: "Expires",
  colSource: "Source",
  colRule: "Rule",
  colSubject: "Address",
  colNote: "Note",
  colActions: "Actions",
  never: "never",
  allScope: "* (all mail)",
  remove: "Remove",
  removeTitle: (p: { cause: string }) => `Remove the ${p.cause} cause`,
  removeReason: "Reason (required, kept in the history)",
  removeConfirm: "Remove",
  cancel: "Cancel",
  complaintWarning:
    "This recipient reported your mail as spam. Mailing a complainer again invites a second complaint, which hurts your sending reputation with every mailbox provider.",
  removed: (p: { causes: string }) => `Removed: ${p.causes}.`,
  keptNewer: (p: { causes: string }) => `Kept (a newer event set them): ${p.causes}.`,

  allowTitle: "Allowlist",
  allowOn: (p: { subject: string }) => `On the allowlist (${p.subject}): provider events never suppress it.`,
  allowOff: "Not on the allowlist.",
  allowAdd: "Allowlist",
  allowRemove: "Take off the allowlist",
  allowNote: "Note (optional)",
  allowed: "Put on the allowlist.",
  disallowed: "Taken off the allowlist.",

  manualTitle: "Add a manual entry",
  manualSubject: "Address or @domain",
  manualScope: "Scope (* for all mail)",
  manualNote: "Note (optional)",
  manualExpires: "Expires (optional)",
  manualAdd: "Suppress",
  manualAdded: (p: { subject: string }) => `Suppressed ${p.subject} by hand.`,

  historyTitle: "History",
  noHistory: "No events yet.",
  more: "More",
  received: "received",
  rule: "rule",
  diagnostic: "SMTP diagnostic",
  decision: "Decision",
  notApplied: "not applied yet",
  by: (p: { name: string }) => `by ${p.name}`,
  adminReason: (p: { reason: string }) => `reason: ${p.reason}`,

  listsTitle: "Lists",
  listBounces: "Bounces",
  listComplaints: "Complaints",
  listUnsubscribes: "Unsubscribes",
  listManual: "Manual entries",
  listAllowlist: "Allowlist",
  filterReason: "Reason",
  filterSource: "Source",
  filterScope: "Scope",
  filterSince: "Since",
  filterUntil: "Until",
  filterQuery: "Address prefix or @domain",
  any: "Any",
  apply: "Apply",
  reset: "Reset",
  nextPage: "Next page",
  previousPage: "Previous page",
  firstPage: "First page",
  pageOf: (p: { page: number }) => `Page ${p.page}`,
  emptyList: "Nothing here.",
  colUnsubscribeReason: "Recipient's reason",
  colAllowedSince: "On the list since",
  colBy: "By",

  statusTitle: "Status",
  filterType: "Type",
  filterProvider: "Provider",
  filterTag: "Tag",
  filterFrom: "From",
  filterTo: "To",
  colTime: "Time",
  colType: "Type",
  colSubtype: "Subtype",
  colProvider: "Provider",
  colRecipient: "Recipient",
  colOutcome: "Outcome",
  countsTitle: "Counts in the window",
  total: "Total",
  countsPartial: (p: { from: string }) =>
    `Counted from ${p.from} only: the window is too large to count at once.`,
  windowHint: (p: { max: number; days: number }) =>
    `Up to ${p.max} days; the last ${p.days} when no start is given.`,

  errorTitle: "Something went wrong",
  retry: "Retry",
  unavailable: "The service is unavailable; try again in a moment.",
  working: "Working…",
  done: "Done.",
} as const;

export type Messages = {
  readonly [K in keyof typeof en]: (typeof en)[K] extends string ? string : (typeof en)[K];
};

const zh: Messages = {
  appName: "抑制列表控制台",
  language: "语言",
  skipToContent: "跳到正文",
  navAddress: "地址",
  navLists: "列表",
  navStatus: "状态",
  signOut: "退出",
  tenant: "租户",
  maskedBanner: "地址已隐去部分内容：此密钥没有 pii 权限。",

  signInTitle: "登录",
  signInIntro:
    "粘贴一个具有 admin 权限的 API 密钥（有 pii 权限才显示完整地址）。密钥只保存在此标签页中，关闭即清除。",
  apiKey: "API 密钥",
  tenantOptional: "租户（仅限初始密钥）",
  signIn: "登录",
  signingIn: "正在登录…",
  keyRefused: "服务拒绝了此密钥：密钥不存在或已吊销。",
  keyLacksAdmin: "此密钥没有 admin 权限，控制台需要该权限。",
  sessionEnded: "已退出：服务拒绝了此密钥。",
  sessionForbidden: "已退出：此密钥无权执行该操作。",

  lookupTitle: "这个地址为什么被抑制？",
  lookupLabel: "地址或 @域名",
  lookupPlaceholder: "jane.doe@example.org",
  lookup: "查询",
  loading: "加载中…",
  nothingYet: "输入一个地址，查看其结论、条目和历史。",

  verdictSuppressed: (p) => `已抑制${p.scope}，${p.until}：${p.why}（${p.source}，${p.date}）`,
  verdictClear: "未被抑制：发往此地址的邮件会正常发送。",
  verdictBad: (p) => `已抑制：这不是有效的地址（${p.problem}）。`,
  forAllMail: "所有邮件",
  forScope: (p) => `“${p.scope}”的邮件`,
  untilDate: (p) => `直至 ${p.date}`,
  noEnd: "没有截止日期",
  whyComplaint: "收件人将你的邮件举报为垃圾邮件",
  whyBounce: (p) => `发往此地址的邮件被退回（${p.reason}）`,
  whyUnsubscribe: "收件人已取消订阅",
  whyManual: "操作员手动添加了抑制",
  whySoft: (p) => `多次软退信（${p.reason}）`,
  operator: "操作员",
  domainWide: (p) => `作用于整个域名 @${p.domain}`,

  entriesTitle: "生效中的条目",
  noEntries: "没有生效中的条目。",
  colCause: "原因类别",
  colReason: "原因",
  colScope: "范围",
  colSince: "开始时间",
  colExpires: "到期时间",
  colSource: "来源",
  colRule: "规则",
  colSubject: "地址",
  colNote: "备注",
  colActions: "操作",
  never: "永不",
  allScope: "*（所有邮件）",
  remove: "移除",
  removeTitle: (p) => `移除“${p.cause}”原因`,
  removeReason: "理由（必填，记入历史）",
  removeConfirm: "移除",
  cancel: "取消",
  complaintWarning:
    "此收件人曾将你的邮件举报为垃圾邮件。再次向举报者发信可能招致第二次举报，损害你在各邮箱服务商的发信信誉。",
  removed: (p) => `已移除：${p.causes}。`,
  keptNewer: (p) => `已保留（有更新的事件）：${p.causes}。`,

  allowTitle: "白名单",
  allowOn: (p) => `在白名单中（${p.subject}）：服务商事件不会抑制它。`,
  allowOff: "不在白名单中。",
  allowAdd: "加入白名单",
  allowRemove: "移出白名单",
  allowNote: "备注（可选）",
  allowed: "已加入白名单。",
  disallowed: "已移出白名单。",

  manualTitle: "手动添加条目",
  manualSubject: "地址或 @域名",
  manualScope: "范围（* 表示所有邮件）",
  manualNote: "备注（可选）",
  manualExpires: "到期时间（可选）",
  manualAdd: "抑制",
  manualAdded: (p) => `已手动抑制 ${p.subject}。`,

  historyTitle: "历史",
  noHistory: "还没有事件。",
  more: "更多",
  received: "接收于",
  rule: "规则",
  diagnostic: "SMTP 诊断信息",
  decision: "处理结果",
  notApplied: "尚未应用",
  by: (p) => `操作者 ${p.name}`,
  adminReason: (p) => `理由：${p.reason}`,

  listsTitle: "列表",
  listBounces: "退信",
  listComplaints: "垃圾举报",
  listUnsubscribes: "取消订阅",
  listManual: "手动条目",
  listAllowlist: "白名单",
  filterReason: "原因",
  filterSource: "来源",
  filterScope: "范围",
  filterSince: "开始",
  filterUntil: "结束",
  filterQuery: "地址前缀或 @域名",
  any: "全部",
  apply: "筛选",
  reset: "重置",
  nextPage: "下一页",
  previousPage: "上一页",
  firstPage: "第一页",
  pageOf: (p) => `第 ${p.page} 页`,
  emptyList: "暂无数据。",
  colUnsubscribeReason: "收件人选择的原因",
  colAllowedSince: "加入时间",
  colBy: "操作者",

  statusTitle: "状态",
  filterType: "类型",
  filterProvider: "服务商",
  filterTag: "标签",
  filterFrom: "从",
  filterTo: "到",
  colTime: "时间",
  colType: "类型",
  colSubtype: "子类型",
  colProvider: "服务商",
  colRecipient: "收件人",
  colOutcome: "结果",
  countsTitle: "时间窗口内的数量",
  total: "合计",
  countsPartial: (p) => `仅统计了 ${p.from} 之后：时间窗口过大，无法一次统计完。`,
  windowHint: (p) => `最多 ${p.max} 天；未指定开始时间时为最近 ${p.days} 天。`,

  errorTitle: "出错了",
  retry: "重试",
  unavailable: "服务暂时不可用，请稍后重试。",
  working: "处理中…",
  done: "完成。",
};

export const MESSAGES: Readonly<Record<Lang, Messages>> = { en, zh };

/** Names of the causes (the ledger's strongest-first list), in both languages. */
export const CAUSE_LABELS: Readonly<Record<Cause, Label>> = {
  manual: { en: "Manual", zh: "手动" },
  unsubscribe: { en: "Unsubscribe", zh: "取消订阅" },
  complaint: { en: "Complaint", zh: "垃圾举报" },
  bounce: { en: "Bounce", zh: "退信" },
  soft_escalation: { en: "Repeated soft bounces", zh: "多次软退信" },
};

export const OUTCOME_LABELS: Readonly<Record<Outcome, Label>> = {
  suppressed: { en: "Suppressed", zh: "已抑制" },
  extended: { en: "Extended", zh: "已延长" },
  unchanged: { en: "Unchanged", zh: "无变化" },
  counted: { en: "Counted as a soft bounce", zh: "记为一次软退信" },
  escalated: { en: "Escalated to a suppression", zh: "升级为抑制" },
  reset: { en: "Soft bounces reset", zh: "软退信计数已清零" },
  lifted: { en: "Unsubscribe lifted", zh: "已恢复订阅" },
  none: { en: "Nothing to do", zh: "无需处理" },
  duplicate: { en: "Duplicate", zh: "重复事件" },
};

export const ACTION_LABELS: Readonly<Record<Action, Label>> = {
  suppress: { en: "Suppress", zh: "抑制" },
  count_soft: { en: "Count a soft bounce", zh: "计一次软退信" },
  reset_soft: { en: "Reset soft bounces", zh: "清零软退信" },
  lift: { en: "Lift the unsubscribe", zh: "恢复订阅" },
  none: { en: "None", zh: "无" },
};

export const ADMIN_ACTION_LABELS: Readonly<Record<AdminAction, Label>> = {
  suppress: { en: "Suppressed by hand", zh: "手动抑制" },
  remove: { en: "Removed", zh: "已移除" },
  allow: { en: "Put on the allowlist", zh: "加入白名单" },
  disallow: { en: "Taken off the allowlist", zh: "移出白名单" },
};

/** The label of an event type. */
export const typeLabel = (type: EventType, lang: Lang): string => EVENT_TYPES[type][lang];

/** The label of a subtype within its type; the id itself for a type without subtypes. */
export function subtypeLabel(type: string, subtype: string | null, lang: Lang): string | null {
  if (subtype === null) return null;
  const table: Record<string, Label> =
    type === "soft_bounce" ? SOFT_BOUNCE_SUBTYPES : type === "invalid" ? INVALID_SUBTYPES : {};
  return table[subtype]?.[lang] ?? subtype;
}

/** The label of a fine reason (`manual` for a manual entry). */
export function reasonLabel(reason: string | null, lang: Lang): string | null {
  if (reason === null) return null;
  if (reason === "manual") return CAUSE_LABELS.manual[lang];
  return (REASONS as Record<string, { label: Label }>)[reason]?.label[lang] ?? reason;
}

/** The label of an unsubscribe reason the recipient chose. */
export function unsubscribeReasonLabel(reason: string | null, lang: Lang): string | null {
  if (reason === null) return null;
  return (UNSUBSCRIBE_REASONS as Record<string, Label>)[reason]?.[lang] ?? reason;
}

/**
 * The language to start in: the one chosen before (kept in `localStorage`), else the browser's
 * first preference that is Chinese or English, else English.
 */
export function initialLang(stored: string | null, preferred: readonly string[]): Lang {
  if (stored === "en" || stored === "zh") return stored;
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split("-")[0];
    if (primary === "zh") return "zh";
    if (primary === "en") return "en";
  }
  return "en";
}
