import { canonicalizeAddress } from "../../core/address.js";
import { classify, isVagueRule } from "../../core/classifier/index.js";
import type { Classification } from "../../core/classifier/types.js";
import { InputError } from "../../core/errors.js";
import type { NormalizedEvent, ParsedNotification, Smtp } from "../../core/events.js";
import { isRecord } from "../../core/is-record.js";
import { parseJsonBody } from "../../core/json.js";
import { tableOf } from "../../core/lookup.js";
import { ALL_MAIL } from "../../core/scope.js";
import { type Reason, typeFor } from "../../core/taxonomy.js";
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
  type MailgunDeliveryStatus,
  type MailgunEventData,
  MailgunEventDataSchema,
  MailgunSignedBodySchema,
} from "./schema.js";

/** The setting holding the domain's (or account's) "HTTP webhook signing key". */
export const MAILGUN_SIGNING_KEY = "MAILGUN_SIGNING_KEY";
/** Oldest signature timestamp accepted: Mailgun's ~8 h retry horizon plus an hour of slack. */
export const MAILGUN_MAX_AGE_SECONDS = 9 * 60 * 60;
/** A timestamp further ahead than this is refused (clock skew allowance). */
export const MAILGUN_MAX_FUTURE_SECONDS = 5 * 60;
/** The status that makes Mailgun stop retrying: every refusal uses it. */
export const MAILGUN_REFUSAL_STATUS = 406;

const refuse = (message: string, slug: string, cause?: unknown): WebhookAuthError =>
  new WebhookAuthError(message, { status: MAILGUN_REFUSAL_STATUS, slug: `mailgun-${slug}`, cause });

/**
 * Throws `WebhookAuthError` (406) unless the request is a genuine, fresh Mailgun webhook whose token
 * has not been used with another body. See the module comment for the retry reasoning.
 */
async function verifyMailgun(request: WebhookRequest, context: VerifyContext): Promise<void> {
  const key = requireSecret(context.secrets, MAILGUN_SIGNING_KEY, MAILGUN_REFUSAL_STATUS, "mailgun");
  let body: unknown;
  try {
    body = parseJsonBody(request.rawBody);
  } catch (error) {
    throw refuse("The body is not JSON, so it carries no Mailgun signature.", "missing-signature", error);
  }
  const found = MailgunSignedBodySchema.safeParse(body);
  if (!found.success) {
    throw refuse(
      "The body has no valid `signature` block ({timestamp, token, signature}).",
      "missing-signature",
      found.error,
    );
  }
  const { timestamp, token, signature } = found.data.signature;
  await verifySignedToken(
    {
      timestamp,
      signedAt: Number(timestamp),
      token,
      signatures: [signature, found.data.signature["parent-signature"]],
    },
    {
      provider: "mailgun",
      key,
      keyHint: `${MAILGUN_SIGNING_KEY} (the HTTP webhook signing key, not the API key)`,
      maxAgeSeconds: MAILGUN_MAX_AGE_SECONDS,
      maxFutureSeconds: MAILGUN_MAX_FUTURE_SECONDS,
      refuse,
    },
    context,
  );
}

// ── Parsing ──────────────────────────────────────────────────────────────────────────────────────

type Path = readonly (string | number)[];
type Located = { readonly value: unknown; readonly path: Path };

/** The events a body holds, wherever they sit in it. */
function locateEvents(body: unknown): Located[] {
  const one = (value: unknown, path: Path): Located =>
    isRecord(value) && Object.hasOwn(value, "event-data")
      ? { value: value["event-data"], path: [...path, "event-data"] }
      : { value, path };
  if (Array.isArray(body)) return body.map((item, i) => one(item, [i]));
  if (isRecord(body)) {
    if (Object.hasOwn(body, "event-data")) return [one(body, [])];
    if (Array.isArray(body.items)) return body.items.map((item, i) => one(item, ["items", i]));
    if (Object.hasOwn(body, "event")) return [{ value: body, path: [] }];
  }
  throw new InputError(
    "Not a Mailgun payload: expected a webhook body with `event-data`, an event, an array of them, or an Events API page with `items`.",
  );
}

const MAPPED_EVENTS: ReadonlySet<string> = new Set([
  "accepted",
  "delivered",
  "failed",
  "complained",
  "unsubscribed",
]);

/** `{code, enhanced, diagnostic}` from `delivery-status`; the code Mailgun gives beats one found in the text. */
export function mailgunSmtp(status: MailgunDeliveryStatus | null | undefined): Smtp | null {
  if (!status) return null;
  const fromText = smtpFrom(joinDiagnostics(status.message, status.description), status["enhanced-code"]);
  const given = status.code === null || status.code === undefined ? "" : String(status.code).trim();
  const code = given !== "" ? given : fromText.code;
  if (code === null && fromText.enhanced === null && fromText.diagnostic === null) return null;
  return { ...fromText, code };
}

export type FailureVerdict =
  | {
      readonly kind: "bounce";
      readonly verdict: Pick<Classification, "type" | "subtype" | "reason" | "rule">;
    }
  | { readonly kind: "deferred" };

/** Mailgun refused to send because the address was already on one of its lists. */
const SUPPRESSIONS: ReadonlyMap<string, readonly [Reason, string]> = tableOf({
  "suppress-bounce": ["suppressed", "mailgun-suppress-bounce"],
  "suppress-complaint": ["suppressed", "mailgun-suppress-complaint"],
  "suppress-unsubscribe": ["unsubscribed", "mailgun-suppress-unsubscribe"],
});

/** The classifier matched only a reply-code class or a fall-back: nothing specific. */

/** Mailgun's own wording when the recipient domain has no MX ("No MX for example.com", code 498). */
const NO_MX = /\bno mx\b/i;

const pick = ({ type, subtype, reason, rule }: Classification) => ({ type, subtype, reason, rule });

/**
 * Decides what one `failed` event is: a bounce (with type, subtype, reason, rule) or a deferral
 * that Mailgun keeps retrying.
 *
 * @example
 * classifyMailgunFailure("permanent", "suppress-bounce", null);
 * // { kind: "bounce", verdict: { type: "invalid", subtype: "blocklisted", reason: "suppressed", rule: "mailgun-suppress-bounce" } }
 * classifyMailgunFailure("temporary", "generic", { code: "451", enhanced: null, diagnostic: "try later" });
 * // { kind: "deferred" }
 */
export function classifyMailgunFailure(
  severity: string | null | undefined,
  reason: string | null | undefined,
  smtp: Smtp | null,
): FailureVerdict {
  const sev = severity?.trim().toLowerCase() ?? "";
  const why = reason?.trim().toLowerCase() ?? "";
  const run = (permanent: boolean | null, providerReason: Reason | null = null): Classification =>
    classify({
      diagnostic: smtp?.diagnostic ?? null,
      smtpCode: smtp?.code ?? null,
      enhancedCode: smtp?.enhanced ?? null,
      permanent,
      providerReason,
    });
  const bounce = (verdict: Pick<Classification, "type" | "subtype" | "reason" | "rule">): FailureVerdict => ({
    kind: "bounce",
    verdict,
  });

  const named = SUPPRESSIONS.get(why);
  if (named !== undefined) {
    const [providerReason, rule] = named;
    return bounce({ ...pick(run(true, providerReason)), rule });
  }
  if (why.startsWith("suppress-")) {
    return bounce({ ...pick(run(true, "suppressed")), rule: "mailgun-suppress-other" });
  }

  if (sev === "temporary") {
    if (why !== "old") return { kind: "deferred" };
    // Mailgun gave up after its retry period: the final failure of this message.
    if (NO_MX.test(smtp?.diagnostic ?? "")) {
      return bounce({ ...pick(run(true, "not_accept")), rule: "mailgun-old-no-mx" });
    }
    const c = run(false);
    if (!isVagueRule(c.rule)) return bounce(pick(c));
    return bounce({ ...typeFor("expired", false), reason: "expired", rule: "mailgun-old" });
  }

  // Permanent, or no severity at all (the codes then decide).
  const permanent = sev === "permanent" ? true : null;
  const c = run(permanent);
  if (why === "espblock" && isVagueRule(c.rule)) {
    return bounce({ ...pick(run(permanent, "blocked")), rule: "mailgun-espblock" });
  }
  return bounce(pick(c));
}

/** Mailgun's event id (unique within a day) made unique by the event's own timestamp. */
export const mailgunEventId = (data: Pick<MailgunEventData, "id" | "timestamp">): string =>
  `${data.id}#${String(data.timestamp)}`;

/** One validated event → at most one normalized event (null: ignored). */
function normalize(data: MailgunEventData, recipient: string, context: ParseContext): NormalizedEvent | null {
  const base = {
    ...NO_EXTRAS,
    tenant: context.tenant,
    provider: "mailgun" as const,
    eventId: mailgunEventId(data),
    recipient,
    occurredAt: new Date(data.timestamp * 1000).toISOString(),
    scope: ALL_MAIL,
    subtype: null,
    reason: null,
    smtp: null,
    // `tags` of the message (an array of strings, webhook and Events API alike); not validated by
    // the schema: a malformed tag is dropped by `tagsFrom`, the event still counts.
    ...tagged(tagsFrom(data.tags)),
  };
  switch (data.event) {
    case "accepted":
      return { ...base, type: "request", rule: "mailgun-accepted" };
    case "delivered":
      return { ...base, type: "delivered", rule: "mailgun-delivered" };
    case "complained":
      return { ...base, type: "complaint", rule: "mailgun-complained" };
    case "unsubscribed":
      return { ...base, type: "unsubscribe", rule: "mailgun-unsubscribed" };
    case "failed": {
      const smtp = mailgunSmtp(data["delivery-status"]);
      const failure = classifyMailgunFailure(data.severity, data.reason, smtp);
      if (failure.kind === "deferred") {
        return { ...base, type: "request", rule: "mailgun-temporary-retrying", smtp };
      }
      return { ...base, ...failure.verdict, smtp };
    }
    default:
      return null;
  }
}

/**
 * Parses a Mailgun body into normalized events (see the module comment for the mapping).
 * Ignored: event types outside the taxonomy, and events whose recipient is missing or malformed.
 * An event repeated within one body (same id and timestamp) is emitted once.
 *
 * @throws InputError when the body is not JSON, holds no events, or an event we map is malformed.
 * @example
 * parseMailgun(request, { tenant: "default", receivedAt: new Date() });
 * // { events: [{ provider: "mailgun", type: "invalid", subtype: "mailbox_not_found", … }], ignored: 0 }
 */
export function parseMailgun(request: WebhookRequest, context: ParseContext): ParsedNotification {
  const located = locateEvents(parseJsonBody(request.rawBody));
  if (located.length === 0) throw new InputError("The body holds no Mailgun events.");
  const events: NormalizedEvent[] = [];
  const seen = new Set<string>();
  let ignored = 0;
  for (const { value, path } of located) {
    const kind = isRecord(value) && typeof value.event === "string" ? value.event : null;
    if (kind !== null && !MAPPED_EVENTS.has(kind)) {
      ignored += 1;
      continue;
    }
    const data = parseAt(MailgunEventDataSchema, value, path, "Not a valid Mailgun event.");
    const address = canonicalizeAddress(data.recipient ?? "");
    if (!address.ok) {
      ignored += 1;
      continue;
    }
    const event = normalize(data, address.address, context);
    if (event === null) {
      ignored += 1;
      continue;
    }
    checkedEventId(event.eventId, [...path, "id"].join("."));
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    events.push(event);
  }
  return { events, ignored };
}

/**
 * The Mailgun adapter: `POST /webhooks/mailgun` (and `/v1/import/mailgun` through `parse`).
 *
 * @example
 * await mailgunAdapter.verify(request, { secrets: (n) => process.env[n], now: new Date(), replayGuard });
 * const { events, ignored } = mailgunAdapter.parse(request, { tenant: "default", receivedAt: new Date() });
 */
export const mailgunAdapter: ProviderAdapter = wholeRequestAdapter({
  provider: "mailgun",
  secretNames: [MAILGUN_SIGNING_KEY],
  check: verifyMailgun,
  parse: parseMailgun,
  // An Events API page (`{items: [...], paging}`) is split into its events.
  importUnits: (value) =>
    isRecord(value) && Array.isArray(value.items)
      ? value.items.map((event) => ({ value: event, events: 1, envelope: null }))
      : [{ value, events: 1, envelope: null }],
});
