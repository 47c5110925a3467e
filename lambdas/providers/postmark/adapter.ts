/**
 * Postmark webhooks (docs/providers/postmark.md §4): verification and parsing.
 *
 * **Verify.** Postmark signs nothing; the webhook URL carries HTTP basic auth
 * (`https://<user>:<password>@<api>/webhooks/postmark`), sent as `Authorization: Basic …`. The user
 * and password are compared with `POSTMARK_WEBHOOK_USER` / `POSTMARK_WEBHOOK_PASSWORD` in constant
 * time (`checkBasicAuth` in `shared/basic-auth.ts`; both always compared). Every
 * refusal — no or malformed `Authorization`, wrong user or password, a secret not set — is `403`,
 * the one status that stops Postmark's retries (any other non-200 is retried for ~10.5 h). There is
 * no signed timestamp or one-time token, so there is no freshness window or replay guard: a
 * redelivery is recognized by its event id (ingestion is idempotent).
 *
 * **Parse.** One JSON record per request, discriminated by `RecordType`; `/v1/import/postmark` also
 * takes an array of records or a Bounces API page (`{TotalCount, Bounces: [...]}`, records without
 * `RecordType` read as bounces). Bounce `ID`s are int64: their digits are kept exactly
 * (`postmarkIdReviver`). Mapping (design.md §2–§3):
 *
 * | record | normalized | scope | event id |
 * | --- | --- | --- | --- |
 * | `Bounce` (by `Type`, table `POSTMARK_BOUNCE_TYPES`) | `invalid` / `soft_bounce` / `complaint` / `unsubscribe` / ignored | `*` (unsubscribe: the stream) | `ID` |
 * | `SpamComplaint` | `complaint`, `feedbackType` null (Postmark gives none) | `*` | `MessageID#SpamComplaint` |
 * | `SubscriptionChange`, `SuppressSending: true`, `ManualSuppression` (or another reason) | `unsubscribe` | the stream | `MessageID#SubscriptionChange#ChangedAt#stream` |
 * | `SubscriptionChange`, `SuppressSending: true`, `SpamComplaint` | `complaint` | `*` | same |
 * | `SubscriptionChange`, `SuppressSending: true`, `HardBounce` | `invalid/blocklisted` (`suppressed`) | `*` | same |
 * | `SubscriptionChange`, `SuppressSending: false` (reactivation) | `unsubscribe`, `resubscribe: true` | the stream | same |
 * | `Delivery` | `delivered` | `*` | `MessageID#Delivery` |
 * | `Open`, `Click`, any other `RecordType` | ignored | — | — |
 *
 * Scope: `MessageStream` `outbound` (the default transactional stream) or none → `*`; any other
 * stream → `stream-<id>` (design.md §3). Complaints and bounces are about the address, so they are
 * `*` whatever the stream. A reactivation lifts only the unsubscribe of that stream's scope.
 * `ChangedAt` is in the SubscriptionChange id so an unsubscribe and a later resubscribe of the same
 * message are distinct events; `MessageID` is null for manual changes (`-` in the id).
 *
 * Bounces: the `Type` (not `TypeCode`: Postmark's own SpamComplaint example carries TypeCode 512,
 * which is SpamNotification) gives the permanence and a default reason; `Details` (the SMTP reply) is
 * classified and refines it when it says something specific. `Description` is Postmark's fixed
 * text per type ("ex: unknown user, mailbox not found") and is never classified. Where the type is
 * soft, `Inactive: true` (Postmark stopped sending to the address) makes the failure permanent.
 *
 * Tags: every record's `Tag` (one string; `""` means none) becomes the event's `tags`.
 */
import { canonicalizeAddress } from "../../core/address.js";
import { classify, isVagueRule } from "../../core/classifier/index.js";
import type { Classification } from "../../core/classifier/types.js";
import { InputError } from "../../core/errors.js";
import type { NormalizedEvent, ParsedNotification, Smtp } from "../../core/events.js";
import { isRecord } from "../../core/is-record.js";
import { parseJsonBody } from "../../core/json.js";
import { tableOf } from "../../core/lookup.js";
import { ALL_MAIL, isScope } from "../../core/scope.js";
import { type Reason, typeFor } from "../../core/taxonomy.js";
import { checkBasicAuth } from "../shared/basic-auth.js";
import { NO_EXTRAS } from "../shared/event-defaults.js";
import { checkedEventId } from "../shared/event-id.js";
import { smtpFrom } from "../shared/smtp.js";
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
  type PostmarkBounce,
  PostmarkBouncePageSchema,
  PostmarkBounceSchema,
  PostmarkDeliverySchema,
  PostmarkHeaderSchema,
  type PostmarkSubscriptionChange,
  PostmarkSubscriptionChangeSchema,
  postmarkIdReviver,
} from "./schema.js";

/** The basic-auth user name embedded in the webhook URL configured in Postmark. */
export const POSTMARK_WEBHOOK_USER = "POSTMARK_WEBHOOK_USER";
/** The basic-auth password embedded in the webhook URL configured in Postmark. */
export const POSTMARK_WEBHOOK_PASSWORD = "POSTMARK_WEBHOOK_PASSWORD";
/** The status that makes Postmark stop retrying: every refusal uses it. */
export const POSTMARK_REFUSAL_STATUS = 403;
/** Postmark's default transactional stream: its suppressions apply to all mail (`*`). */
export const POSTMARK_DEFAULT_STREAM = "outbound";

// ── Verification ─────────────────────────────────────────────────────────────────────────────────

const refuse = (message: string, slug: string, cause?: unknown): WebhookAuthError =>
  new WebhookAuthError(message, { status: POSTMARK_REFUSAL_STATUS, slug: `postmark-${slug}`, cause });

/** Throws `WebhookAuthError` (403) unless the request carries the configured basic-auth credentials. */
async function verifyPostmark(request: WebhookRequest, context: VerifyContext): Promise<void> {
  const user = requireSecret(context.secrets, POSTMARK_WEBHOOK_USER, POSTMARK_REFUSAL_STATUS, "postmark");
  const password = requireSecret(
    context.secrets,
    POSTMARK_WEBHOOK_PASSWORD,
    POSTMARK_REFUSAL_STATUS,
    "postmark",
  );
  switch (checkBasicAuth(request.headers.authorization, { user, password })) {
    case "ok":
      return;
    case "missing":
      throw refuse(
        "No Authorization header: put the user and password in the webhook URL (https://user:password@…/webhooks/postmark).",
        "missing-credentials",
      );
    case "malformed":
      throw refuse(
        "The Authorization header is not HTTP basic auth (`Basic base64(user:password)`).",
        "bad-credentials",
      );
    case "wrong":
      throw refuse(
        `The basic-auth credentials do not match ${POSTMARK_WEBHOOK_USER} / ${POSTMARK_WEBHOOK_PASSWORD}.`,
        "bad-credentials",
      );
  }
}

// ── Bounce types ─────────────────────────────────────────────────────────────────────────────────

/** How one bounce `Type` is read. `permanent: "inactive"` = permanent when Postmark deactivated the address. */
export type BounceHandling =
  | { readonly kind: "ignore"; readonly why: string }
  | { readonly kind: "complaint" }
  | { readonly kind: "unsubscribe" }
  | {
      readonly kind: "certain";
      readonly reason: Reason;
      readonly permanent: boolean | "inactive";
      readonly rule: string;
    }
  | {
      readonly kind: "classify";
      readonly fallback: Reason;
      readonly permanent: boolean | "inactive";
      readonly rule: string;
    };

const ignore = (why: string): BounceHandling => ({ kind: "ignore", why });
const soft = (fallback: Reason, rule: string): BounceHandling => ({
  kind: "classify",
  fallback,
  permanent: "inactive",
  rule,
});

/**
 * Every Postmark bounce type (Bounce API "bounce types", docs/providers/postmark.md §4) → how it is read.
 * `classify` types run the classifier on `Details` and keep its answer unless it is vague (only a
 * reply-code class or a fall-back), in which case the type's `fallback` reason stands.
 */
export const POSTMARK_BOUNCE_TYPES: ReadonlyMap<string, BounceHandling> = tableOf({
  HardBounce: { kind: "classify", fallback: "user_unknown", permanent: true, rule: "postmark-hard-bounce" },
  Transient: soft("network_error", "postmark-transient"),
  Unsubscribe: { kind: "unsubscribe" },
  Subscribe: ignore("a subscribe request by reply, not a delivery outcome"),
  AutoResponder: ignore("an auto-reply, never a bounce"),
  AddressChange: ignore("an auto-reply announcing a new address"),
  DnsError: soft("network_error", "postmark-dns-error"),
  SpamNotification: soft("spam_detected", "postmark-spam-notification"),
  OpenRelayTest: ignore("an open relay test, not about the recipient"),
  Unknown: soft("undefined", "postmark-unknown"),
  SoftBounce: soft("undefined", "postmark-soft-bounce"),
  VirusNotification: soft("virus_detected", "postmark-virus-notification"),
  ChallengeVerification: ignore("a challenge-response auto-reply"),
  BadEmailAddress: {
    kind: "certain",
    reason: "bad_address_format",
    permanent: true,
    rule: "postmark-bad-email-address",
  },
  SpamComplaint: { kind: "complaint" },
  ManuallyDeactivated: {
    kind: "certain",
    reason: "suppressed",
    permanent: true,
    rule: "postmark-manually-deactivated",
  },
  Unconfirmed: ignore("the sender signature is not confirmed: our configuration, not the recipient"),
  Blocked: soft("blocked", "postmark-blocked"),
  SMTPApiError: ignore("the SMTP API refused the message before sending: not about the recipient"),
  InboundError: ignore("an inbound processing error, not an outbound delivery"),
  DMARCPolicy: {
    kind: "certain",
    reason: "auth_failure",
    permanent: "inactive",
    rule: "postmark-dmarc-policy",
  },
  TemplateRenderingFailed: ignore("the template did not render; nothing was sent"),
});

/** `TypeCode` → `Type`, for records that carry only the code. */
export const POSTMARK_TYPE_CODES: ReadonlyMap<number, string> = new Map(
  Object.entries({
    1: "HardBounce",
    2: "Transient",
    16: "Unsubscribe",
    32: "Subscribe",
    64: "AutoResponder",
    128: "AddressChange",
    256: "DnsError",
    512: "SpamNotification",
    1024: "OpenRelayTest",
    2048: "Unknown",
    4096: "SoftBounce",
    8192: "VirusNotification",
    16384: "ChallengeVerification",
    100000: "BadEmailAddress",
    100001: "SpamComplaint",
    100002: "ManuallyDeactivated",
    100003: "Unconfirmed",
    100006: "Blocked",
    100007: "SMTPApiError",
    100008: "InboundError",
    100009: "DMARCPolicy",
    100010: "TemplateRenderingFailed",
  }).map(([code, type]) => [Number(code), type]),
);

/** A type Postmark adds later is read like `Unknown`: soft unless the reply or `Inactive` says otherwise. */
const UNRECOGNIZED: BounceHandling = soft("undefined", "postmark-unrecognized-type");

/** The handling of a bounce record: by `Type`, else by `TypeCode`, else as an unrecognized type. */
export function bounceHandling(record: Pick<PostmarkBounce, "Type" | "TypeCode">): BounceHandling {
  const byType = record.Type ? POSTMARK_BOUNCE_TYPES.get(record.Type) : undefined;
  if (byType) return byType;
  const name =
    record.TypeCode === null || record.TypeCode === undefined
      ? undefined
      : POSTMARK_TYPE_CODES.get(record.TypeCode);
  return (name === undefined ? undefined : POSTMARK_BOUNCE_TYPES.get(name)) ?? UNRECOGNIZED;
}

export type BounceVerdict = Pick<Classification, "type" | "subtype" | "reason" | "rule">;

/** The classifier found nothing specific: only the reply-code class, or a fall-back. */

/**
 * Type, subtype, reason and rule of one bounce record whose type is `certain` or `classify`.
 *
 * @example
 * classifyPostmarkBounce({ kind: "classify", fallback: "user_unknown", permanent: true, rule: "postmark-hard-bounce" },
 *   { code: null, enhanced: null, diagnostic: "Test bounce details" }, true);
 * // { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown", rule: "postmark-hard-bounce" }
 */
export function classifyPostmarkBounce(
  handling: Extract<BounceHandling, { kind: "certain" | "classify" }>,
  smtp: Smtp,
  inactive: boolean,
): BounceVerdict {
  const permanent = handling.permanent === "inactive" ? inactive : handling.permanent;
  if (handling.kind === "certain") {
    return { ...typeFor(handling.reason, permanent), reason: handling.reason, rule: handling.rule };
  }
  const c = classify({
    diagnostic: smtp.diagnostic,
    smtpCode: smtp.code,
    enhancedCode: smtp.enhanced,
    permanent,
  });
  if (!isVagueRule(c.rule)) return { type: c.type, subtype: c.subtype, reason: c.reason, rule: c.rule };
  // Permanence as the classifier saw it: the type's verdict, or a 5xx in the reply.
  return { ...typeFor(handling.fallback, c.permanent), reason: handling.fallback, rule: handling.rule };
}

// ── Parsing ──────────────────────────────────────────────────────────────────────────────────────

type Path = readonly (string | number)[];
type Located = { readonly value: unknown; readonly path: Path; readonly defaultType?: string };

function decode(raw: Buffer): unknown {
  if (raw.toString("utf8").trim() === "")
    throw new InputError("The request body is empty; a Postmark JSON record is expected.");
  return parseJsonBody(raw, postmarkIdReviver);
}

/** The records a body holds: one record, an array of records, or a Bounces API page. */
function locateRecords(body: unknown): Located[] {
  if (Array.isArray(body)) return body.map((value, i) => ({ value, path: [i] }));
  if (isRecord(body) && !Object.hasOwn(body, "RecordType")) {
    const page = PostmarkBouncePageSchema.safeParse(body);
    if (page.success) {
      return page.data.Bounces.map((value, i) => ({ value, path: ["Bounces", i], defaultType: "Bounce" }));
    }
  }
  return [{ value: body, path: [] }];
}

/** `outbound` (or no stream) → `*`; another stream → `stream-<id>`. */
export function scopeOfStream(stream: string | null | undefined, path: Path): string {
  if (stream === null || stream === undefined || stream === POSTMARK_DEFAULT_STREAM) return ALL_MAIL;
  const scope = `stream-${stream}`;
  // One stream is one scope level: a `/` would make it a path of nested scopes.
  if (stream.includes("/") || !isScope(scope)) {
    throw new InputError("The message stream does not make a valid scope.", [
      {
        path: [...path, "MessageStream"].join("."),
        message: `invalid stream id ${JSON.stringify(stream.slice(0, 80))}`,
      },
    ]);
  }
  return scope;
}

const iso = (value: string | null | undefined, fallback: Date): string =>
  new Date(value ?? fallback.getTime()).toISOString();

const NOT_A_BOUNCE = { subtype: null, reason: null, smtp: null } as const;

/**
 * The record's `Tag` (one string, `""` when the message had none) as the event's `tags`. Read from
 * the record as given, not through its schema: a malformed tag is dropped, the record still counts.
 */
const tagsOfRecord = (record: Readonly<Record<string, unknown>>) => tagged(tagsFrom(record.Tag));

/** Collects events; drops a repeat of (recipient, event id) within one body; counts what is ignored. */
class Collector {
  readonly events: NormalizedEvent[] = [];
  ignored = 0;
  private readonly seen = new Set<string>();
  constructor(private readonly ctx: ParseContext) {}

  /** The canonical recipient, or `null` (counted as ignored) when absent or malformed. */
  recipient(raw: string | null | undefined): string | null {
    const r = raw === null || raw === undefined ? null : canonicalizeAddress(raw);
    if (r === null || !r.ok) {
      this.ignored += 1;
      return null;
    }
    return r.address;
  }

  /** Adds one event; `path` is where its record sits in the body (for a refused event id). */
  push(
    event: Omit<
      NormalizedEvent,
      "tenant" | "provider" | "feedbackType" | "unsubscribeReason" | "resubscribe"
    > &
      Partial<Pick<NormalizedEvent, "resubscribe">>,
    path: Path,
  ): void {
    checkedEventId(event.eventId, path.join("."));
    const key = `${event.recipient}\u0000${event.eventId}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.events.push({ tenant: this.ctx.tenant, provider: "postmark", ...NO_EXTRAS, ...event });
  }
}

function parseBounceRecord(value: unknown, path: Path, out: Collector, ctx: ParseContext): void {
  const record = parseAt(PostmarkBounceSchema, value, path, "Not a valid Postmark bounce record.");
  const isComplaintRecord = record.RecordType === "SpamComplaint";
  const handling: BounceHandling = isComplaintRecord ? { kind: "complaint" } : bounceHandling(record);
  if (handling.kind === "ignore") {
    out.ignored += 1;
    return;
  }
  const recipient = out.recipient(record.Email);
  if (recipient === null) return;
  const occurredAt = iso(record.BouncedAt, ctx.receivedAt);
  const base = { recipient, occurredAt, eventId: record.ID, ...tagsOfRecord(record) };
  switch (handling.kind) {
    case "complaint": {
      const eventId = isComplaintRecord && record.MessageID ? `${record.MessageID}#SpamComplaint` : record.ID;
      out.push(
        {
          ...base,
          ...NOT_A_BOUNCE,
          eventId,
          type: "complaint",
          rule: "postmark-spam-complaint",
          scope: ALL_MAIL,
        },
        path,
      );
      return;
    }
    case "unsubscribe":
      out.push(
        {
          ...base,
          ...NOT_A_BOUNCE,
          type: "unsubscribe",
          rule: "postmark-unsubscribe-request",
          scope: scopeOfStream(record.MessageStream, path),
        },
        path,
      );
      return;
    default: {
      const smtp = smtpFrom(record.Details);
      const verdict = classifyPostmarkBounce(handling, smtp, record.Inactive === true);
      out.push({ ...base, ...verdict, scope: ALL_MAIL, smtp }, path);
    }
  }
}

function subscriptionEvent(record: PostmarkSubscriptionChange, path: Path) {
  const stream = scopeOfStream(record.MessageStream, path);
  if (!record.SuppressSending) {
    return { type: "unsubscribe", rule: "postmark-reactivated", scope: stream, resubscribe: true } as const;
  }
  switch (record.SuppressionReason) {
    case "SpamComplaint":
      return { type: "complaint", rule: "postmark-suppressed-spam-complaint", scope: ALL_MAIL } as const;
    case "HardBounce":
      return {
        ...typeFor("suppressed", true),
        reason: "suppressed",
        rule: "postmark-suppressed-hard-bounce",
        scope: ALL_MAIL,
      } as const;
    default:
      // ManualSuppression: the recipient unsubscribed (Origin Recipient) or the sender suppressed
      // the address (Customer, Admin); a reason Postmark adds later is read the same way.
      return {
        type: "unsubscribe",
        rule: record.Origin === "Recipient" ? "postmark-unsubscribed" : "postmark-manual-suppression",
        scope: stream,
      } as const;
  }
}

function parseSubscriptionChange(value: unknown, path: Path, out: Collector): void {
  const record = parseAt(
    PostmarkSubscriptionChangeSchema,
    value,
    path,
    "Not a valid Postmark SubscriptionChange record.",
  );
  const recipient = out.recipient(record.Recipient);
  if (recipient === null) return;
  const event = subscriptionEvent(record, path);
  out.push(
    {
      subtype: null,
      reason: null,
      smtp: null,
      ...event,
      ...tagsOfRecord(record),
      recipient,
      occurredAt: new Date(record.ChangedAt).toISOString(),
      eventId: `${record.MessageID || "-"}#SubscriptionChange#${record.ChangedAt}#${record.MessageStream ?? POSTMARK_DEFAULT_STREAM}`,
    },
    path,
  );
}

function parseDelivery(value: unknown, path: Path, out: Collector, ctx: ParseContext): void {
  const record = parseAt(PostmarkDeliverySchema, value, path, "Not a valid Postmark Delivery record.");
  const recipient = out.recipient(record.Recipient);
  if (recipient === null) return;
  out.push(
    {
      ...NOT_A_BOUNCE,
      ...tagsOfRecord(record),
      type: "delivered",
      rule: "postmark-delivery",
      recipient,
      occurredAt: iso(record.DeliveredAt, ctx.receivedAt),
      eventId: `${record.MessageID}#Delivery`,
      scope: ALL_MAIL,
    },
    path,
  );
}

/**
 * Turns a Postmark webhook body (or an import: array of records, Bounces API page) into normalized
 * events. See the module comment for the mapping.
 *
 * @throws InputError when the body is not JSON, holds no record, or a record we read is malformed.
 * @example
 * parsePostmark({ rawBody: Buffer.from(JSON.stringify({ RecordType: "Delivery", MessageID: "m1",
 *   Recipient: "jdoe@example.org", DeliveredAt: "2019-11-05T16:33:54.9070259Z" })), headers: {}, query: {} },
 *   { tenant: "default", receivedAt: new Date() });
 * // { events: [{ type: "delivered", eventId: "m1#Delivery", recipient: "jdoe@example.org", … }], ignored: 0 }
 */
export function parsePostmark(request: WebhookRequest, ctx: ParseContext): ParsedNotification {
  const records = locateRecords(decode(request.rawBody));
  if (records.length === 0) throw new InputError("The body holds no Postmark record.");
  const out = new Collector(ctx);
  for (const { value, path, defaultType } of records) {
    const record =
      isRecord(value) && defaultType && !Object.hasOwn(value, "RecordType")
        ? { ...value, RecordType: defaultType }
        : value;
    const { RecordType } = parseAt(
      PostmarkHeaderSchema,
      record,
      path,
      "Not a valid Postmark webhook record.",
    );
    switch (RecordType) {
      case "Bounce":
      case "SpamComplaint":
        parseBounceRecord(record, path, out, ctx);
        break;
      case "SubscriptionChange":
        parseSubscriptionChange(record, path, out);
        break;
      case "Delivery":
        parseDelivery(record, path, out, ctx);
        break;
      default:
        // Open, Click, and any record type Postmark adds later.
        out.ignored += 1;
    }
  }
  return { events: out.events, ignored: out.ignored };
}

/**
 * The Postmark adapter: basic-auth verification (403 on any refusal) and record parsing.
 *
 * @example
 * await postmarkAdapter.verify(request, { secrets, now: new Date(), replayGuard });
 * const { events, ignored } = postmarkAdapter.parse(request, { tenant: "default", receivedAt: new Date() });
 */
export const postmarkAdapter: ProviderAdapter = wholeRequestAdapter({
  provider: "postmark",
  secretNames: [POSTMARK_WEBHOOK_USER, POSTMARK_WEBHOOK_PASSWORD],
  check: verifyPostmark,
  parse: parsePostmark,
  // A Bounces API page (`{TotalCount, Bounces: [...]}`) is split into its bounces, sent as a page.
  importUnits: (value) =>
    isRecord(value) && Array.isArray(value.Bounces)
      ? value.Bounces.map((bounce) => ({ value: bounce, events: 1, envelope: "Bounces" }))
      : [{ value, events: 1, envelope: null }],
});
