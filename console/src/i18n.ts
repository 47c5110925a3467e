/**
 * Every word the console shows, in English and Chinese. The taxonomy's own labels (event types,
 * subtypes, reasons, unsubscribe reasons) come from lambdas/core/taxonomy.ts, the one table the
 * classifier and the API use; this file holds only the console's words. `zh` is typed by `en`, so a
 * label missing in either language does not compile.
 */
import type { ExportKind } from "../../lambdas/contract/exports.js";
import type { HistoryEntry } from "../../lambdas/contract/history.js";
import type { DecisionView } from "../../lambdas/contract/ingestion.js";
import type { JobStatus } from "../../lambdas/contract/jobs.js";
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
  navExports: "Exports",
  navListChecks: "List cleaning",
  navStats: "Rates",
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

  colStatus: "Status",
  colProgress: "Progress",
  colCreated: "Created",
  colStarted: "Started",
  colFinished: "Finished",
  colRows: "Rows",
  colFile: "File",
  colFiles: "Files",
  progressLabel: "Progress",
  progressSoFar: (p: { done: string }) => `${p.done} rows so far`,
  progressOf: (p: { done: string; rows: string }) => `${p.done} of ${p.rows} rows`,
  download: "Download",
  linkUntil: (p: { date: string }) => `link valid until ${p.date}`,
  expired: "Expired: the file is gone.",
  attempts: (p: { n: number }) => `attempt ${p.n}`,
  retried: "Started again.",
  polling: "Updates by itself while a job runs.",

  exportsTitle: "Exports",
  exportsIntro:
    "Take the suppression list or the status view's events out as a file. Each export runs as a job in the background; its file and link are kept for days after it finishes (until the date shown).",
  exportStartTitle: "Start an export",
  exportKind: "What",
  exportFormat: "Format",
  exportStart: "Start the export",
  exportStarted: "Export started: it is at the top of the list.",
  exportTasks: "Export tasks",
  exportThisList: "Export this list",
  exportTheseEvents: "Export these events",
  exportHintFilters:
    "Everything, unfiltered. To export a filtered list, use Export on the Lists or Status page.",
  colWhat: "What",
  colFormat: "Format",
  colFilters: "Filters",
  noFilters: "none",
  maskedFile: "masked",

  listChecksTitle: "List cleaning",
  listChecksIntro:
    "Check a whole mailing list against the suppressions of every provider before a campaign: a CSV with an email column, or one address per line. The job writes the rows to keep and the rows to drop, with the cause of each.",
  listCheckFile: "List (CSV, or one address per line)",
  listCheckScope: "Scope (optional: the mail stream the list is for)",
  listCheckColumn: "Address column (optional: found by its header otherwise)",
  listCheckStart: "Clean the list",
  listCheckTooLarge: (p: { size: string; max: string }) =>
    `This file is ${p.size}; the console sends lists of up to ${p.max}. Clean it from a terminal instead:`,
  listCheckStarted: "Cleaning started.",
  listCheckTitle: (p: { date: string }) => `List check of ${p.date}`,
  summaryTitle: "Summary",
  sumRows: "Rows read",
  sumKept: "Kept",
  sumDropped: "Dropped",
  sumInvalid: "Invalid syntax",
  sumDuplicates: "Duplicates within the list",
  sumSuppressed: "Suppressed",
  byCauseTitle: "Dropped, by cause",
  byReasonTitle: "Dropped, by reason",
  colCount: "Count",
  keepFile: "Rows to keep",
  dropFile: "Rows to drop, with cause and reason",
  earlierChecks: "Earlier checks",
  colKept: "Kept",
  colDropped: "Dropped",
  open: "Open",
  allScopes: "all mail",

  statsTitle: "Bounce and complaint rates",
  statsIntro:
    "Rates are over deliveries plus bounces (deliveries + soft bounces + hard bounces), per UTC day on which the service first received each event; keep bounces under the bounce line and complaints under the complaint line before an ESP or a mailbox provider acts.",
  statsWindowHint: (p: { max: number; days: number }) =>
    `Days in UTC, both ends included; up to ${p.max} days, the last ${p.days} when none are given.`,
  statsWindow: (p: { from: string; to: string }) => `${p.from} to ${p.to}`,
  statsIncomplete:
    "Not complete: the service could not count the whole window at once, so some days are missing. The page asks again by itself a few times; the days counted are kept.",
  askAgain: "Ask again",
  bounceChartTitle: "Bounce rate per day",
  complaintChartTitle: "Complaint rate per day",
  chartAlternative: "The table of days below has the same figures.",
  seriesBounceRate: "Bounce rate",
  seriesComplaintRate: "Complaint rate",
  lineAt: (p: { rate: string }) => `${p.rate} line`,
  overLine: (p: { rate: string }) => `over the ${p.rate} line`,
  daysTitle: "Per day",
  daysOver: (p: { bounce: number; complaint: number }) =>
    `Days over a line: ${p.bounce} over the bounce line, ${p.complaint} over the complaint line.`,
  byProviderTitle: "By provider",
  byTagTitle: "By tag",
  otherTags: "other tags",
  colDay: "Day",
  colBounceRate: "Bounce rate",
  colComplaintRate: "Complaint rate",
  colTag: "Tag",
  noEvents: "No events in this window.",
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
  navExports: "导出",
  navListChecks: "清洗列表",
  navStats: "信誉指标",
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

  colStatus: "状态",
  colProgress: "进度",
  colCreated: "创建时间",
  colStarted: "开始时间",
  colFinished: "完成时间",
  colRows: "行数",
  colFile: "文件",
  colFiles: "文件",
  progressLabel: "进度",
  progressSoFar: (p) => `已处理 ${p.done} 行`,
  progressOf: (p) => `已处理 ${p.done} / ${p.rows} 行`,
  download: "下载",
  linkUntil: (p) => `链接有效期至 ${p.date}`,
  expired: "已过期：文件已删除。",
  attempts: (p) => `第 ${p.n} 次运行`,
  retried: "已重新开始。",
  polling: "任务运行时自动刷新。",

  exportsTitle: "导出",
  exportsIntro:
    "将抑制列表或状态页的事件导出为文件。每次导出都在后台作为任务运行；文件和链接在任务完成后保留若干天（至所示日期）。",
  exportStartTitle: "新建导出",
  exportKind: "内容",
  exportFormat: "格式",
  exportStart: "开始导出",
  exportStarted: "导出已开始：见列表第一行。",
  exportTasks: "导出任务",
  exportThisList: "导出此列表",
  exportTheseEvents: "导出这些事件",
  exportHintFilters: "导出全部，不加筛选。要导出筛选后的列表，请在“列表”或“状态”页点击导出。",
  colWhat: "内容",
  colFormat: "格式",
  colFilters: "筛选条件",
  noFilters: "无",
  maskedFile: "地址已隐去",

  listChecksTitle: "清洗列表",
  listChecksIntro:
    "在发送营销邮件前，用所有服务商的抑制记录检查整个邮件列表：带 email 列的 CSV，或每行一个地址。任务会写出应保留的行和应剔除的行（附原因）。",
  listCheckFile: "列表（CSV，或每行一个地址）",
  listCheckScope: "范围（可选：列表所属的邮件类别）",
  listCheckColumn: "地址列名（可选：默认按表头识别）",
  listCheckStart: "开始清洗",
  listCheckTooLarge: (p) => `此文件大小为 ${p.size}；控制台最多发送 ${p.max} 的列表。请改在终端中清洗：`,
  listCheckStarted: "清洗已开始。",
  listCheckTitle: (p) => `${p.date} 的列表清洗`,
  summaryTitle: "汇总",
  sumRows: "读取行数",
  sumKept: "保留",
  sumDropped: "剔除",
  sumInvalid: "格式无效",
  sumDuplicates: "列表内重复",
  sumSuppressed: "已抑制",
  byCauseTitle: "剔除原因类别",
  byReasonTitle: "剔除原因明细",
  colCount: "数量",
  keepFile: "保留的行",
  dropFile: "剔除的行（附原因类别和原因）",
  earlierChecks: "以往的清洗",
  colKept: "保留",
  colDropped: "剔除",
  open: "查看",
  allScopes: "所有邮件",

  statsTitle: "退信率与投诉率",
  statsIntro:
    "比率的分母为送达加退信（送达 + 软退信 + 硬退信），按服务首次收到每个事件的 UTC 日期统计；在发信服务商或邮箱服务商采取措施之前，让退信率低于退信警戒线，投诉率低于投诉警戒线。",
  statsWindowHint: (p) => `按 UTC 日期，含首尾两天；最多 ${p.max} 天，未指定时为最近 ${p.days} 天。`,
  statsWindow: (p) => `${p.from} 至 ${p.to}`,
  statsIncomplete:
    "统计不完整：服务无法一次统计整个时间窗口，部分日期缺失。页面会自动再查询几次，已统计的日期会保留。",
  askAgain: "再次查询",
  bounceChartTitle: "每日退信率",
  complaintChartTitle: "每日投诉率",
  chartAlternative: "下方的每日表格列出了相同的数据。",
  seriesBounceRate: "退信率",
  seriesComplaintRate: "投诉率",
  lineAt: (p) => `${p.rate} 警戒线`,
  overLine: (p) => `超过 ${p.rate} 警戒线`,
  daysTitle: "每日",
  daysOver: (p) => `超过警戒线的天数：退信率 ${p.bounce} 天，投诉率 ${p.complaint} 天。`,
  byProviderTitle: "按服务商",
  byTagTitle: "按标签",
  otherTags: "其他标签",
  colDay: "日期",
  colBounceRate: "退信率",
  colComplaintRate: "投诉率",
  colTag: "标签",
  noEvents: "此时间窗口内没有事件。",
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

/** A job's states (exports, list checks). */
export const JOB_STATUS_LABELS: Readonly<Record<JobStatus, Label>> = {
  awaiting_upload: { en: "Awaiting its upload", zh: "等待上传" },
  queued: { en: "Queued", zh: "排队中" },
  running: { en: "Running", zh: "进行中" },
  succeeded: { en: "Done", zh: "已完成" },
  failed: { en: "Failed", zh: "失败" },
};

/** What an export writes. */
export const EXPORT_KIND_LABELS: Readonly<Record<ExportKind, Label>> = {
  suppressions: { en: "Suppression list", zh: "抑制列表" },
  events: { en: "Events (status view)", zh: "事件（状态页）" },
};

/** Why a list check dropped a row: a suppression's cause, or the list's own faults. */
export const DROP_CAUSE_LABELS: Readonly<Record<Cause | "invalid_syntax" | "duplicate", Label>> = {
  ...CAUSE_LABELS,
  invalid_syntax: { en: "Invalid syntax", zh: "格式无效" },
  duplicate: { en: "Duplicate within the list", zh: "列表内重复" },
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

/**
 * The address problems and row reasons a list check gives a row it drops for itself (the API's
 * words: lambdas/core/address.ts, `ROW_REASONS` in lambdas/core/list-cleaning.ts), in Chinese; one
 * not here is shown as the API wrote it.
 */
const ROW_REASONS_ZH: Readonly<Record<string, string>> = {
  "not an email address": "不是电子邮件地址",
  "empty address": "地址为空",
  "address too long": "地址过长",
  "local part length": "用户名部分长度无效",
  "address literals are not accepted": "不接受 IP 地址形式的域名",
  "domain is not a valid host name": "域名不是有效的主机名",
  "malformed CSV row (a quote that never closes)": "CSV 行格式错误（引号未闭合）",
  "row longer than 65,536 characters": "行长度超过 65,536 个字符",
  "empty row": "空行",
  "no value in the address column": "地址列为空",
  "same address as an earlier row": "与前面某行地址相同",
};

/**
 * The label of a list check's drop reason (the keys of `summary.byReason`, the drop file's
 * `reason`): a suppression's fine reason, else its subtype, else its cause (`complaint`,
 * `unsubscribe`, `manual`); or what is wrong with the row itself.
 *
 * @example
 * dropReasonLabel("complaint", "en"); // "Complaint"
 * dropReasonLabel("same address as an earlier row", "zh"); // "与前面某行地址相同"
 */
export function dropReasonLabel(reason: string, lang: Lang): string {
  const fine = (REASONS as Readonly<Record<string, { label: Label }>>)[reason];
  if (fine !== undefined && Object.hasOwn(REASONS, reason)) return fine.label[lang];
  if (Object.hasOwn(CAUSE_LABELS, reason)) return CAUSE_LABELS[reason as Cause][lang];
  for (const table of [INVALID_SUBTYPES, SOFT_BOUNCE_SUBTYPES] as Readonly<Record<string, Label>>[]) {
    if (Object.hasOwn(table, reason)) return table[reason]?.[lang] ?? reason;
  }
  return lang === "zh" ? (ROW_REASONS_ZH[reason] ?? reason) : reason;
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
