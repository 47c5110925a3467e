/**
 * SendCloud's event → taxonomy mapping as data (lambdas/providers/mapping.ts): the table of
 * docs/providers/sendcloud.md is rendered from `MAPPING`, and test/providers/mapping.test.ts runs
 * every row's example through the adapter. The `invalid` / `soft_bounce` rows come from the
 * adapter's own subStat table (`SUBSTAT_ROWS`), so their type, subtype and default reason cannot
 * drift from the code. Read only by the docs generator and the tests, never by the adapter.
 */
import { REASON_IDS, type Reason } from "../../core/taxonomy.js";
import type { ExpectedEvent, MappingRow, ProviderMapping } from "../mapping.js";
import { reasonFits, SUBSTAT_ROWS } from "./substat.js";

/** The fields every SendCloud event carries (test/fixtures/sendcloud/, SendCloud's event docs). */
const COMMON = {
  apiUser: "example_api_user",
  category: "example_api_user",
  labelId: "0",
  labelName: "",
  maillistTaskId: "0",
  mail_list_task_id: "0",
  message: "",
  timestamp: "1770920772000",
  token: "PLACEHOLDER",
  signature: "PLACEHOLDER",
  userHeaders: '{"SC-Custom-order":"42"}',
};

const EMAIL_ID = "1770920772000_115236_12345_6789.sc-10_9_13_213-inbound0$jdoe@example.org";

/** A per-recipient event of `event`, to `jdoe@example.org`. */
const event = (name: string, fields: Record<string, string> = {}) => ({
  event: name,
  ...COMMON,
  emailId: EMAIL_ID,
  recipient: "jdoe@example.org",
  ...fields,
});

const code = (text: string): string => `\`${text}\``;

/** What a soft bounce with a reason of the default policy's `softBounce.reasons` does (design.md §3). */
const ESCALATES = "toward escalation (3 in 14 days → 7 days)";

/**
 * What the table says of each subStat code beyond `SUBSTAT_ROWS`: the default policy's effect (it
 * follows the reason, so a refined reason can change it), the example's SMTP reply (`cause`, from
 * the fixtures), and the reason and rule the adapter gives that example.
 */
const BY_CODE: Readonly<
  Record<string, { effect: string; cause?: string; gives: Required<Pick<ExpectedEvent, "reason" | "rule">> }>
> = {
  "401": { effect: "90 days", gives: { reason: "suppressed", rule: "sendcloud-substat-401" } },
  "402": {
    effect: "as an unsubscribe (scope `*`), never expires",
    gives: { reason: "unsubscribed", rule: "sendcloud-substat-402" },
  },
  "403": { effect: "30 days", gives: { reason: "host_unknown", rule: "sendcloud-substat-403" } },
  "404": { effect: "never expires", gives: { reason: "bad_address_format", rule: "sendcloud-substat-404" } },
  "405": {
    effect: "nothing (our IP, not the address)",
    gives: { reason: "blocked", rule: "sendcloud-substat-405" },
  },
  "406": {
    effect: "365 days",
    cause: "550 5.1.1 <jdoe@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
    gives: { reason: "user_unknown", rule: "text-user-unknown" },
  },
  "407": {
    effect: "nothing",
    cause: "554 5.7.1 Message rejected as spam by Content Filtering",
    gives: { reason: "spam_detected", rule: "text-spam" },
  },
  "408": {
    effect: "nothing",
    cause: "550 5.7.1 Relaying denied",
    gives: { reason: "no_relaying", rule: "text-no-relaying" },
  },
  "409": { effect: "nothing", gives: { reason: "undefined", rule: "sendcloud-substat-409" } },
  "503": {
    effect: `counts ${ESCALATES}, but \`not_accept\` does not`,
    cause: "421 4.3.2 Service not available, closing transmission channel",
    gives: { reason: "not_accept", rule: "enhanced-4.3.2" },
  },
  "505": {
    effect: "nothing",
    cause:
      "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints",
    gives: { reason: "bad_reputation", rule: "text-bad-reputation" },
  },
  "506": {
    effect: `counts ${ESCALATES}`,
    cause: "450 4.2.1 The user you are trying to contact is receiving mail too quickly",
    gives: { reason: "suspend", rule: "sendcloud-substat-506" },
  },
  "507": {
    effect: "nothing",
    cause: "451 4.7.1 Content rejected as spam",
    gives: { reason: "spam_detected", rule: "text-spam" },
  },
  "508": {
    effect: `nothing, but \`filtered\` / \`no_relaying\` count ${ESCALATES}`,
    gives: { reason: "rejected", rule: "sendcloud-substat-508" },
  },
  "509": {
    effect: `nothing, but \`mailbox_full\` counts ${ESCALATES}`,
    cause: "452 4.2.2 Mailbox full",
    gives: { reason: "mailbox_full", rule: "text-mailbox-full" },
  },
};

/** One row per subStat code, in SendCloud's order (`invalid` 401–409, then `soft_bounce` 503–509). */
const SUBSTAT_MAPPING_ROWS: readonly MappingRow[] = [...SUBSTAT_ROWS].map(([subStat, row]): MappingRow => {
  const extra = BY_CODE[subStat];
  if (extra === undefined) throw new Error(`sendcloud/mapping.ts: no entry for subStat ${subStat}`);
  const refinements = REASON_IDS.filter(
    (r: Reason) => r !== row.reason && reasonFits(r, row.type, row.subtype),
  ).map(code);
  return {
    when: `${code(row.type)}, \`subStat\` ${subStat} (${row.description})`,
    becomes: `${code(row.type)} / ${code(row.subtype)}`,
    reason:
      row.certain || refinements.length === 0
        ? code(row.reason)
        : `${code(row.reason)}, or the classifier's (${refinements.join(", ")})`,
    rule: row.certain
      ? code(`sendcloud-substat-${subStat}`)
      : `${code(`sendcloud-substat-${subStat}`)}, or the classifier's`,
    effect: extra.effect,
    example: {
      payload: event(row.type, {
        outIp: "192.0.2.10",
        subStat,
        subStatDesc: row.description,
        ...(extra.cause === undefined ? {} : { cause: extra.cause }),
      }),
      gives: { type: row.type, subtype: row.subtype, ...extra.gives },
    },
  };
});

export const MAPPING: ProviderMapping = {
  eventColumn: "SendCloud event",
  rows: [
    {
      when: "`request` (one event per recipient of `recipientArray`)",
      becomes: "`request`",
      reason: "—",
      rule: "`sendcloud-request`",
      effect: "nothing",
      example: {
        payload: {
          event: "request",
          ...COMMON,
          messageId: "1770920772000_115236_12345_6789.sc-10_9_13_213-inbound",
          recipientArray: '["jdoe@example.org", "Ann.Lee@Example.COM"]',
          emailIds:
            '["1770920772000_115236_12345_6789.sc-10_9_13_213-inbound0$jdoe@example.org", "1770920772000_115236_12345_6789.sc-10_9_13_213-inbound1$Ann.Lee@Example.COM"]',
          recipientSize: "2",
        },
        gives: { type: "request", rule: "sendcloud-request", scope: "*" },
      },
    },
    {
      when: "`deliver` (also `delivered`)",
      becomes: "`delivered`",
      reason: "—",
      rule: "`sendcloud-deliver`",
      effect: "resets the soft-bounce count",
      example: {
        payload: event("deliver", { outIp: "192.0.2.10" }),
        gives: { type: "delivered", rule: "sendcloud-deliver", scope: "*" },
      },
    },
    ...SUBSTAT_MAPPING_ROWS,
    {
      when: "`report_spam` (also `spam-report`)",
      becomes: "`complaint` (no feedback type)",
      reason: "—",
      rule: "`sendcloud-report-spam`",
      effect: "180 days",
      example: {
        payload: event("report_spam"),
        gives: { type: "complaint", rule: "sendcloud-report-spam", scope: "*", feedbackType: null },
      },
    },
    {
      when: "`unsubscribe`",
      becomes: "`unsubscribe`, scope `*` (`unsubscribeReason` from `reason`)",
      reason: "—",
      rule: "`sendcloud-unsubscribe`",
      effect: "never expires",
      example: {
        payload: event("unsubscribe", {
          ip: "198.51.100.7",
          explorerName: "Firefox",
          explorerVer: "121.0",
          oSName: "Linux",
          oSVer: "",
          reason: "这不是我订阅的",
        }),
        gives: {
          type: "unsubscribe",
          rule: "sendcloud-unsubscribe",
          scope: "*",
          resubscribe: false,
          unsubscribeReason: "not_subscribed",
        },
      },
    },
    {
      when: "`open`, `click`, `route`, others",
      becomes: "ignored",
      reason: "—",
      rule: "—",
      effect: "nothing",
      example: {
        payload: event("open", {
          ip: "198.51.100.7",
          explorerName: "Chrome",
          explorerVer: "120.0",
          oSName: "Windows",
          oSVer: "10",
        }),
        gives: "ignored",
      },
    },
  ],
};
