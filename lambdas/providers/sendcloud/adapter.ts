/**
 * SendCloud (Sohu / Aurora SendCloud) webhooks (docs/providers/sendcloud.md §6): verification and parsing.
 *
 * **Verify.** The form fields `timestamp` (epoch ms), `token` (50 random characters) and `signature`
 * = `hex(HMAC-SHA256(key = SENDCLOUD_APP_KEY, msg = timestamp + token))`, no separator, the
 * timestamp as the decimal string sent (SendCloud's own Python/Java/PHP samples). Only that pair is
 * signed, not the event: the token is what binds a request to SendCloud, so it is remembered until
 * `timestamp + SENDCLOUD_MAX_AGE_SECONDS` and a token seen again with a *different* body is refused
 * as a replay; the same bytes again are SendCloud retrying after our failure and pass (ingestion
 * dedupes by event id). Every refusal is `401`. SendCloud calls verification optional; we require it.
 *
 * SendCloud retries a request that was not answered 200 within 3 s up to 6 times, at least 3 min
 * apart and increasing (full schedule unpublished). Whether a retry is re-signed is not documented,
 * so the timestamp window covers the retry budget (`SENDCLOUD_MAX_AGE_SECONDS`, 12 h) rather than
 * 5 minutes: a shorter window would turn SendCloud's retries after our own outage into 401s and lose
 * the events. The replay guard keeps the longer window safe.
 *
 * **Parse.** One event per request (form fields, or a JSON object); `/v1/import/sendcloud` also takes
 * a JSON array of events. Event names and field names are matched case-insensitively, in every
 * spelling SendCloud's pages use (`schema.ts`). Mapping (scope always `*`: SendCloud's
 * unsubscribes are account-wide):
 *
 * | SendCloud event | normalized | rule |
 * | --- | --- | --- |
 * | `request` (one per recipient of `recipientArray`) | `request` | `sendcloud-request` |
 * | `deliver` / `delivered` | `delivered` | `sendcloud-deliver` |
 * | `invalid` / `invalid_email` | `invalid/<subStat row>` (`substat.ts`) | per subStat |
 * | `soft_bounce` | `soft_bounce/<subStat row>` | per subStat |
 * | `report_spam` / `spam-report` | `complaint` (no feedback type given) | `sendcloud-report-spam` |
 * | `unsubscribe` | `unsubscribe`, scope `*` | `sendcloud-unsubscribe` |
 * | `open`, `click`, `route`, anything else | ignored | — |
 *
 * The numeric ids of SendCloud's webhook API (1 deliver, 3 report_spam, 4 invalid, 5 soft_bounce,
 * 10 click, 11 open, 12 unsubscribe, 18 request) are accepted as event names too.
 *
 * **Event id.** `emailId` is unique per message and recipient and is the same in every retry (the
 * per-request `token` is not, if SendCloud re-signs), so the id is `<emailId>#<event>`; for `request`
 * each recipient's id comes from the `emailIds` list (aligned with `recipientArray`, or the one
 * ending in `$<recipient>`), else `<messageId>#<recipient>#request`. A per-recipient event without
 * `emailId` falls back to `<messageId>#<recipient>#<event>`, then `<token>#<recipient>#<event>`.
 *
 * `apiUser` (the SendCloud API_USER) is a tenant hint only: the tenant stays the request context's.
 *
 * **Tags.** `labelId` (any spelling: `label_id`…) becomes `tags: ["<labelId>"]`, the id as a string;
 * `0`, SendCloud's "no label", gives none (`sendcloudTags`).
 */
import { createHmac } from "node:crypto";
import { canonicalizeAddress } from "../../core/address.js";
import { InputError } from "../../core/errors.js";
import type { NormalizedEvent, ParsedNotification, Smtp } from "../../core/events.js";
import { isRecord } from "../../core/is-record.js";
import { tableOf } from "../../core/lookup.js";
import { ALL_MAIL } from "../../core/scope.js";
import { UNSUBSCRIBE_REASONS, type UnsubscribeReason } from "../../core/taxonomy.js";
import { NO_EXTRAS } from "../shared/event-defaults.js";
import { checkedEventId } from "../shared/event-id.js";
import { verifySignedToken } from "../shared/signed-token.js";
import { joinDiagnostics, smtpFrom } from "../shared/smtp.js";
import { tagged, tagsFrom } from "../shared/tags.js";
import { parseAt } from "../shared/validate.js";
import {
  type ParseContext,
  type ProviderAdapter,
  requireSecret,
  type VerifyContext,
  WebhookAuthError,
  type WebhookRequest,
  wholeRequestAdapter,
} from "../types.js";
import {
  canonicalFields,
  listItems,
  readSendCloudBody,
  type SendCloudEvent,
  SendCloudEventSchema,
  SendCloudSignedSchema,
} from "./schema.js";
import { classifySendCloudBounce } from "./substat.js";

/** The setting holding the APP KEY from SendCloud's WebHook settings page (发送设置 → WebHook). */
export const SENDCLOUD_APP_KEY = "SENDCLOUD_APP_KEY";
/** Oldest signature timestamp accepted: SendCloud's retry budget (6 retries, ≥ 3 min apart, increasing) with slack. */
export const SENDCLOUD_MAX_AGE_SECONDS = 12 * 60 * 60;
/** A timestamp further ahead than this is refused (clock skew allowance). */
export const SENDCLOUD_MAX_FUTURE_SECONDS = 5 * 60;
/** Every refusal: SendCloud documents no stop-retry status, and design.md §5.3 says 401. */
export const SENDCLOUD_REFUSAL_STATUS = 401;

const refuse = (message: string, slug: string, cause?: unknown): WebhookAuthError =>
  new WebhookAuthError(message, { status: SENDCLOUD_REFUSAL_STATUS, slug: `sendcloud-${slug}`, cause });

/** Epoch seconds of a SendCloud timestamp: milliseconds (13 digits) as documented, or seconds. */
export function epochSeconds(timestamp: string): number {
  const n = Number(timestamp);
  return n >= 1e11 ? Math.floor(n / 1000) : n;
}

/** hex(HMAC-SHA256(appKey, timestamp + token)), SendCloud's signature. */
export function sendcloudSignature(appKey: string, timestamp: string, token: string): string {
  return createHmac("sha256", appKey)
    .update(timestamp + token, "utf8")
    .digest("hex");
}

/**
 * Throws `WebhookAuthError` (401) unless the request is a genuine, fresh SendCloud webhook whose
 * token has not been used with another body. See the module comment for the window's reasoning.
 */
async function verifySendCloud(request: WebhookRequest, context: VerifyContext): Promise<void> {
  const key = requireSecret(context.secrets, SENDCLOUD_APP_KEY, SENDCLOUD_REFUSAL_STATUS, "sendcloud");
  let records: Record<string, unknown>[];
  try {
    records = readSendCloudBody(request).map(canonicalFields);
  } catch (error) {
    throw refuse(
      "The body cannot be read, so it carries no SendCloud signature.",
      "missing-signature",
      error,
    );
  }
  const found = records.length === 1 ? SendCloudSignedSchema.safeParse(records[0]) : null;
  if (found === null || !found.success) {
    throw refuse(
      "The body has no valid `timestamp`, `token` and `signature` fields (one SendCloud event per request).",
      "missing-signature",
      found?.error,
    );
  }
  const { timestamp, token, signature } = found.data;
  await verifySignedToken(
    { timestamp, signedAt: epochSeconds(timestamp), token, signatures: [signature] },
    {
      provider: "sendcloud",
      key,
      keyHint: `${SENDCLOUD_APP_KEY} (the APP KEY of SendCloud's WebHook settings, not the API_KEY)`,
      maxAgeSeconds: SENDCLOUD_MAX_AGE_SECONDS,
      maxFutureSeconds: SENDCLOUD_MAX_FUTURE_SECONDS,
      refuse,
    },
    context,
  );
}

// ── Parsing ──────────────────────────────────────────────────────────────────────────────────────

/** Our name for each event SendCloud maps (its per-event docs' spelling), by normalized name or API id. */
export type SendCloudKind = "request" | "deliver" | "report_spam" | "invalid" | "soft_bounce" | "unsubscribe";

const EVENT_NAMES: ReadonlyMap<string, SendCloudKind> = tableOf({
  request: "request",
  "18": "request",
  deliver: "deliver",
  delivered: "deliver",
  delivery: "deliver",
  "1": "deliver",
  reportspam: "report_spam",
  spamreport: "report_spam",
  spam: "report_spam",
  "3": "report_spam",
  invalid: "invalid",
  invalidemail: "invalid",
  "4": "invalid",
  softbounce: "soft_bounce",
  "5": "soft_bounce",
  unsubscribe: "unsubscribe",
  unsubscribed: "unsubscribe",
  unsubscribes: "unsubscribe",
  "12": "unsubscribe",
});

/**
 * The event a SendCloud name means (any spelling or case), or null for events we ignore.
 *
 * @example
 * sendcloudKind("Spam-Report"); // "report_spam"
 * sendcloudKind("invalid_email"); // "invalid"
 * sendcloudKind("open"); // null
 */
export function sendcloudKind(name: string): SendCloudKind | null {
  const normal = name.toLowerCase().replace(/[\s_-]/g, "");
  return EVENT_NAMES.get(normal) ?? null;
}

const UNSUBSCRIBE_BY_TEXT = new Map<string, UnsubscribeReason>(
  (Object.entries(UNSUBSCRIBE_REASONS) as [UnsubscribeReason, { en: string; zh: string }][]).flatMap(
    ([id, label]) => [
      [id, id],
      [label.en.toLowerCase(), id],
      [label.zh, id],
    ],
  ),
);

/** An unsubscribe reason given by id or by its English / Chinese label (SendCloud's unsubscribe page). */
export function unsubscribeReasonOf(value: string | undefined): UnsubscribeReason | null {
  if (value === undefined) return null;
  return UNSUBSCRIBE_BY_TEXT.get(value.trim().toLowerCase()) ?? UNSUBSCRIBE_BY_TEXT.get(value.trim()) ?? null;
}

/** `{code, enhanced, diagnostic}` from `cause` (the SMTP reply) and `subStatDesc`; null when neither is given. */
export function sendcloudSmtp(event: Pick<SendCloudEvent, "cause" | "subStatDesc">): Smtp | null {
  const joined = joinDiagnostics(event.cause, event.subStatDesc);
  if (joined === null) return null;
  // The codes come from `cause` alone: it is the receiver's reply, `subStatDesc` SendCloud's words.
  return smtpFrom(joined, null, event.cause ?? null);
}

/** A label id of `0` (any number of zeros): SendCloud's "sent without a label". */
const NO_LABEL = /^0+$/;

/**
 * The event's `tags` from `labelId` (a number in JSON, a digit string in a form): the label's id as
 * a string, `"12345"`, not prefixed and not looked up (the name, `labelName`, can be renamed; the id
 * cannot). `0` is SendCloud's "no label" and gives none; a malformed value (an object, a list of
 * them) is dropped by `tagsFrom`, never refused.
 *
 * @example
 * sendcloudTags(12345); // ["12345"]
 * sendcloudTags("0");   // undefined
 */
export function sendcloudTags(labelId: unknown): string[] | undefined {
  const ids = tagsFrom(labelId, true)?.filter((id) => !NO_LABEL.test(id));
  return ids?.length ? ids : undefined;
}

/** `occurredAt` from the event's timestamp, else when we received it. */
function occurredAt(event: SendCloudEvent, context: ParseContext): string {
  if (event.timestamp === undefined) return context.receivedAt.toISOString();
  const n = Number(event.timestamp);
  const date = new Date(n >= 1e11 ? n : n * 1000);
  return Number.isNaN(date.getTime()) ? context.receivedAt.toISOString() : date.toISOString();
}

type Recipient = { readonly raw: string; readonly emailId: string | null };

/** The recipients of one event: `recipientArray` (with `emailIds`) for `request`, else `recipient`. */
function recipientsOf(kind: SendCloudKind, event: SendCloudEvent): Recipient[] {
  if (kind === "request") {
    const listed = listItems(event.recipientArray);
    const raws = listed.length > 0 ? listed : event.recipient ? [event.recipient] : [];
    const ids = listItems(event.emailIds);
    return raws.map((raw, i) => {
      const aligned = ids.length === raws.length ? (ids[i] ?? null) : null;
      const bySuffix = ids.find((id) => id.toLowerCase().endsWith(`$${raw.toLowerCase()}`)) ?? null;
      return { raw, emailId: aligned ?? bySuffix ?? (raws.length === 1 ? (event.emailId ?? null) : null) };
    });
  }
  if (event.recipient !== undefined) return [{ raw: event.recipient, emailId: event.emailId ?? null }];
  // No recipient field: SendCloud's emailId ends with `$<recipient>`.
  const fromId = event.emailId?.split("$").at(-1);
  return fromId?.includes("@") ? [{ raw: fromId, emailId: event.emailId ?? null }] : [];
}

/** The event id (see the module comment), or null when the event carries nothing to build one from. */
function eventIdOf(
  kind: SendCloudKind,
  event: SendCloudEvent,
  recipient: Recipient,
  address: string,
): string | null {
  if (recipient.emailId) return `${recipient.emailId}#${kind}`;
  if (event.messageId) return `${event.messageId}#${address}#${kind}`;
  if (event.token) return `${event.token.slice(0, 200)}#${address}#${kind}`;
  return null;
}

function normalize(
  kind: SendCloudKind,
  event: SendCloudEvent,
  recipient: string,
  eventId: string,
  context: ParseContext,
): NormalizedEvent {
  const base = {
    ...NO_EXTRAS,
    tenant: context.tenant,
    provider: "sendcloud" as const,
    eventId,
    recipient,
    occurredAt: occurredAt(event, context),
    scope: ALL_MAIL,
    subtype: null,
    reason: null,
    smtp: null,
    ...tagged(sendcloudTags(event.labelId)),
  };
  switch (kind) {
    case "request":
      return { ...base, type: "request", rule: "sendcloud-request" };
    case "deliver":
      return { ...base, type: "delivered", rule: "sendcloud-deliver" };
    case "report_spam":
      return { ...base, type: "complaint", rule: "sendcloud-report-spam" };
    case "unsubscribe":
      return {
        ...base,
        type: "unsubscribe",
        rule: "sendcloud-unsubscribe",
        unsubscribeReason: unsubscribeReasonOf(event.unsubscribeReason),
      };
    case "invalid":
    case "soft_bounce": {
      const smtp = sendcloudSmtp(event);
      return { ...base, ...classifySendCloudBounce(kind, event.subStat ?? null, smtp), smtp };
    }
  }
}

/**
 * Parses a SendCloud body into normalized events (see the module comment for the mapping).
 * Ignored (counted): events outside the taxonomy, and recipients that are missing or malformed.
 * An event repeated within one body (same event id) is emitted once.
 *
 * @throws InputError when the body is unreadable, holds no events, an event has no name or a
 * malformed field, or a `request` names no recipients.
 * @example
 * parseSendCloud(request, { tenant: "default", receivedAt: new Date() });
 * // { events: [{ provider: "sendcloud", type: "invalid", subtype: "mailbox_not_found", … }], ignored: 0 }
 */
export function parseSendCloud(request: WebhookRequest, context: ParseContext): ParsedNotification {
  const records = readSendCloudBody(request);
  if (records.length === 0) throw new InputError("The body holds no SendCloud events.");
  const many = records.length > 1;
  const events: NormalizedEvent[] = [];
  const seen = new Set<string>();
  let ignored = 0;
  records.forEach((record, index) => {
    const at = (path: readonly PropertyKey[]) => (many ? [index, ...path] : [...path]);
    const event = parseAt(
      SendCloudEventSchema,
      canonicalFields(record),
      at([]),
      "Not a valid SendCloud event.",
    );
    const kind = sendcloudKind(event.event);
    if (kind === null) {
      ignored += 1;
      return;
    }
    const recipients = recipientsOf(kind, event);
    if (kind === "request" && recipients.length === 0) {
      throw new InputError("A SendCloud `request` event names no recipients.", [
        { path: at(["recipientArray"]).join("."), message: "expected at least one recipient" },
      ]);
    }
    if (recipients.length === 0) ignored += 1;
    for (const recipient of recipients) {
      const address = canonicalizeAddress(recipient.raw);
      if (!address.ok) {
        ignored += 1;
        continue;
      }
      const eventId = eventIdOf(kind, event, recipient, address.address);
      if (eventId === null) {
        throw new InputError("A SendCloud event has no `emailId`, `messageId` or `token` to identify it.", [
          { path: at(["emailId"]).join("."), message: "required" },
        ]);
      }
      checkedEventId(eventId, at([kind === "request" ? "emailIds" : "emailId"]).join("."));
      if (seen.has(eventId)) continue;
      seen.add(eventId);
      events.push(normalize(kind, event, address.address, eventId, context));
    }
  });
  return { events, ignored };
}

/**
 * How many events one SendCloud event of a file becomes (`npm run import` sizes its requests by it):
 * the recipients a `request` lists, else 1. Read as `parse` reads the list (`listItems`).
 *
 * @example
 * sendcloudRecipientCount({ event: "request", recipientArray: '["a@example.org","b@example.org"]' }); // 2
 */
export function sendcloudRecipientCount(value: unknown): number {
  if (!isRecord(value)) return 1;
  const list = canonicalFields(value).recipientArray;
  const items =
    typeof list === "string" ? listItems(list) : Array.isArray(list) ? listItems(list.map(String)) : [];
  return Math.max(1, items.length);
}

/**
 * The SendCloud adapter: `POST /webhooks/sendcloud` (and `/v1/import/sendcloud` through `parse`).
 *
 * @example
 * await sendcloudAdapter.verify(request, { secrets: (n) => process.env[n], now: new Date(), replayGuard });
 * const { events, ignored } = sendcloudAdapter.parse(request, { tenant: "default", receivedAt: new Date() });
 */
export const sendcloudAdapter: ProviderAdapter = wholeRequestAdapter({
  provider: "sendcloud",
  secretNames: [SENDCLOUD_APP_KEY],
  check: verifySendCloud,
  parse: parseSendCloud,
  // A `request` event becomes one event per recipient it lists.
  importUnits: (value) => [{ value, events: sendcloudRecipientCount(value), envelope: null }],
});
