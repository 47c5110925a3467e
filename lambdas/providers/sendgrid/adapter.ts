/**
 * SendGrid Event Webhook adapter (docs/providers/sendgrid.md §2, design.md §2–§3).
 *
 * **Verify** — Signed Event Webhook: ECDSA P-256 / SHA-256 over the
 * `X-Twilio-Email-Event-Webhook-Timestamp` header value followed by the exact body bytes (no
 * separator); the signature header is base64 of an ASN.1 DER signature; the key is
 * `SENDGRID_VERIFICATION_KEY`, the base64 DER SubjectPublicKeyInfo SendGrid shows (a PEM block is
 * accepted too). Timestamps older than 5 minutes or more than 5 minutes ahead are refused (SendGrid
 * documents no tolerance). Every refusal is 401 (SendGrid has no stop-retry status).
 *
 * **Parse** — the body is a JSON array of events, one recipient each:
 *
 * | SendGrid event | normalized | rule |
 * | --- | --- | --- |
 * | `processed` | `request` | `sendgrid-processed` |
 * | `deferred` | `request` (design §2.1: "deferred and being retried"), `smtp` from `response` | `sendgrid-deferred` |
 * | `delivered` | `delivered` | `sendgrid-delivered` |
 * | `bounce` (`type: bounce` / `blocked`) | classifier, `permanent` true / false, `bounce_classification` when the text says nothing specific | the classifier's or `sendgrid-classification-*` |
 * | `dropped` (`Bounced Address`, `Spam Reporting Address`) | `invalid/blocklisted` (`suppressed`) | `sendgrid-dropped-bounced-address`, `…-spam-reporting-address` |
 * | `dropped` (`Unsubscribed Address`) | `invalid/unsubscribed` (`unsubscribed`), scope `asm-<asm_group_id>` when the message had a group, else `*` | `sendgrid-dropped-unsubscribed-address` |
 * | `dropped` (`Invalid`) | `invalid/bad_address_format` | `sendgrid-dropped-invalid` |
 * | `dropped` (`Spam Content`) | `invalid/spam` (`spam_detected`) | `sendgrid-dropped-spam-content` |
 * | `dropped` (other reasons: SMTPAPI header, package quota…) | ignored: our account's problem, not the recipient's | — |
 * | `spamreport` | `complaint`, `feedbackType: null` | `sendgrid-spamreport` |
 * | `unsubscribe` | `unsubscribe`, scope `*` | `sendgrid-unsubscribe` |
 * | `group_unsubscribe` | `unsubscribe`, scope `asm-<asm_group_id>` | `sendgrid-group-unsubscribe` |
 * | `group_resubscribe` | `unsubscribe` with `resubscribe: true`, scope `asm-<asm_group_id>` | `sendgrid-group-resubscribe` |
 * | `open`, `click`, `account_status_change`, unknown | ignored | — |
 *
 * `eventId` is `sg_event_id` (when absent, a hash of the event's identifying fields, prefixed
 * `sendgrid-derived:`); an id repeated within one batch is emitted once. `tags` are the message's
 * `category` (a string or an array of strings), through `tagsFrom` (`shared/tags.ts`).
 */
import { createHash, createPublicKey, verify as ecdsaVerify, type KeyObject } from "node:crypto";
import { canonicalizeAddress } from "../../core/address.js";
import { classify, isVagueRule } from "../../core/classifier/index.js";
import { InputError } from "../../core/errors.js";
import type { NormalizedEvent, ParsedNotification, Smtp } from "../../core/events.js";
import { parseJsonBody } from "../../core/json.js";
import { tableOf } from "../../core/lookup.js";
import { ALL_MAIL } from "../../core/scope.js";
import { type Reason, typeFor } from "../../core/taxonomy.js";
import { NO_EXTRAS } from "../shared/event-defaults.js";
import { checkedEventId } from "../shared/event-id.js";
import { smtpFrom } from "../shared/smtp.js";
import { tagged, tagsFrom } from "../shared/tags.js";
import { parseAt } from "../shared/validate.js";
import {
  type ProviderAdapter,
  requireSecret,
  WebhookAuthError,
  type WebhookRequest,
  wholeRequestAdapter,
} from "../types.js";
import { SendgridBatchSchema, type SendgridEvent, SendgridEventSchema } from "./schema.js";

/** The setting that holds the Signed Event Webhook verification key. */
export const SENDGRID_VERIFICATION_KEY = "SENDGRID_VERIFICATION_KEY";
export const SENDGRID_SIGNATURE_HEADER = "x-twilio-email-event-webhook-signature";
export const SENDGRID_TIMESTAMP_HEADER = "x-twilio-email-event-webhook-timestamp";
/**
 * Oldest signed timestamp accepted: SendGrid's retry span (24 h). SendGrid documents neither a
 * tolerance nor whether retries are re-signed; a replayed genuine request can only re-deliver the
 * same `sg_event_id`s, which the store records once, while a narrow window would turn SendGrid's
 * own retries after our 503 into lost events.
 */
export const SENDGRID_MAX_AGE_SECONDS = 24 * 3600;
/** Furthest a signed timestamp may be ahead of our clock. */
export const SENDGRID_MAX_SKEW_SECONDS = 300;

/** SendGrid retries any non-2xx; 401 is the refusal status for every check. */
const REFUSAL = 401;
/** A DER ECDSA P-256 signature is at most 72 bytes (96 base64 characters); leave room. */
const MAX_SIGNATURE_CHARS = 256;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const UNIX_SECONDS = /^\d{1,12}$/;

const refuse = (message: string, slug: string, cause?: unknown): WebhookAuthError =>
  new WebhookAuthError(message, { status: REFUSAL, slug: `sendgrid-${slug}`, cause });

/**
 * The verification key as a Node key object: base64 DER SPKI as SendGrid shows it (white space
 * ignored), or a PEM `PUBLIC KEY` block. Anything but an EC P-256 public key is refused.
 *
 * @example
 * sendgridPublicKey("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…"); // KeyObject (ec, prime256v1)
 */
export function sendgridPublicKey(setting: string): KeyObject {
  let key: KeyObject;
  try {
    key = setting.includes("-----BEGIN")
      ? createPublicKey(setting)
      : createPublicKey({
          key: Buffer.from(setting.replace(/\s+/g, ""), "base64"),
          format: "der",
          type: "spki",
        });
  } catch (error) {
    throw refuse(
      `${SENDGRID_VERIFICATION_KEY} is not a public key (expected the base64 DER key SendGrid shows under Signed Event Webhook), so no sendgrid webhook can be verified.`,
      "bad-verification-key",
      error,
    );
  }
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw refuse(
      `${SENDGRID_VERIFICATION_KEY} is not an ECDSA P-256 public key, so no sendgrid webhook can be verified.`,
      "bad-verification-key",
    );
  }
  return key;
}

function header(request: WebhookRequest, name: string): string | null {
  const value = request.headers[name]?.trim();
  return value ? value : null;
}

/**
 * Checks a Signed Event Webhook request: key configured, both headers present and well-formed, the
 * DER signature valid for `timestamp + rawBody`, and the timestamp within the window.
 *
 * @throws WebhookAuthError (401) naming what failed.
 * @example
 * await verifySendgrid(request, { secrets: (n) => process.env[n], now: new Date(), replayGuard });
 */
async function verifySendgrid(
  request: WebhookRequest,
  { secrets, now }: Parameters<ProviderAdapter["verify"]>[1],
): Promise<void> {
  const key = sendgridPublicKey(requireSecret(secrets, SENDGRID_VERIFICATION_KEY, REFUSAL, "sendgrid"));
  const signature = header(request, SENDGRID_SIGNATURE_HEADER);
  const timestamp = header(request, SENDGRID_TIMESTAMP_HEADER);
  if (signature === null || timestamp === null) {
    throw refuse(
      "The request is not signed: the X-Twilio-Email-Event-Webhook-Signature and X-Twilio-Email-Event-Webhook-Timestamp headers are required (enable Signed Event Webhook in SendGrid).",
      "missing-signature",
    );
  }
  if (!UNIX_SECONDS.test(timestamp)) {
    throw refuse("X-Twilio-Email-Event-Webhook-Timestamp is not a Unix time in seconds.", "bad-timestamp");
  }
  if (signature.length > MAX_SIGNATURE_CHARS || !BASE64.test(signature)) {
    throw refuse("X-Twilio-Email-Event-Webhook-Signature is not a base64 signature.", "bad-signature");
  }
  const signed = Buffer.concat([Buffer.from(timestamp, "utf8"), request.rawBody]);
  let valid: boolean;
  try {
    valid = ecdsaVerify("sha256", signed, { key, dsaEncoding: "der" }, Buffer.from(signature, "base64"));
  } catch (error) {
    // OpenSSL refuses some malformed DER outright instead of answering false.
    throw refuse("The signature does not match the timestamp and body.", "bad-signature", error);
  }
  if (!valid) throw refuse("The signature does not match the timestamp and body.", "bad-signature");
  const age = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (age > SENDGRID_MAX_AGE_SECONDS) {
    throw refuse(
      `The signed timestamp is ${age} s old; at most ${SENDGRID_MAX_AGE_SECONDS} s is accepted.`,
      "stale-timestamp",
    );
  }
  if (-age > SENDGRID_MAX_SKEW_SECONDS) {
    throw refuse(
      `The signed timestamp is ${-age} s in the future; at most ${SENDGRID_MAX_SKEW_SECONDS} s is accepted.`,
      "future-timestamp",
    );
  }
}

// ── Parse ────────────────────────────────────────────────────────────────────────────────────────

type Verdict = Pick<NormalizedEvent, "type" | "subtype" | "reason" | "rule">;

const certain = (reason: Reason, permanent: boolean, rule: string): Verdict => ({
  ...typeFor(reason, permanent),
  reason,
  rule,
});

/**
 * `bounce_classification` (Bounce & Block Classifications) → the reason it stands for, used when
 * the reply text itself names nothing specific. `Unclassified` (and unknown values) add nothing.
 * `Frequency or Volume Too High` is `speeding` (design §2.4: temporary, never suppresses).
 */
const CLASSIFICATIONS: ReadonlyMap<string, (permanent: boolean) => Reason> = tableOf({
  // A `5.1.3` status never gets here: the classifier's own rule reads it as bad_address_format.
  "invalid address": () => "user_unknown",
  "mailbox unavailable": (permanent) => (permanent ? "suspend" : "mailbox_full"),
  "technical failure": () => "not_accept",
  content: () => "spam_detected",
  reputation: () => "bad_reputation",
  "frequency or volume too high": () => "speeding",
});

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/**
 * One `bounce` event → type, subtype, reason, rule. `type: "bounce"` is permanent, `"blocked"` is
 * not (a 5xx reply still makes it permanent: the classifier's rule). The reply text decides when it
 * is specific; otherwise SendGrid's `bounce_classification`; otherwise the classifier's fall-back.
 *
 * @example
 * classifySendgridBounce({ type: "bounce", bounce_classification: "Invalid Address" },
 *   { code: "550", enhanced: "5.1.1", diagnostic: "550 5.1.1 user unknown" });
 * // { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown", rule: "text-user-unknown" }
 */
export function classifySendgridBounce(
  event: Pick<SendgridEvent, "type" | "bounce_classification">,
  smtp: Smtp,
): Verdict {
  const permanent = event.type?.trim().toLowerCase() !== "blocked";
  const c = classify({
    diagnostic: smtp.diagnostic,
    smtpCode: smtp.code,
    enhancedCode: smtp.enhanced,
    permanent,
  });
  const classification = event.bounce_classification?.trim() ?? "";
  const hint = CLASSIFICATIONS.get(classification.toLowerCase());
  if (isVagueRule(c.rule) && hint) {
    return certain(hint(c.permanent), c.permanent, `sendgrid-classification-${slug(classification)}`);
  }
  return { type: c.type, subtype: c.subtype, reason: c.reason, rule: c.rule };
}

/** `dropped` reasons SendGrid states with certainty (matched on the start, case-insensitive). */
const DROPPED: readonly (readonly [prefix: string, reason: Reason])[] = [
  ["bounced address", "suppressed"],
  ["spam reporting address", "suppressed"],
  ["unsubscribed address", "unsubscribed"],
  ["invalid smtpapi header", "undefined"], // listed to be ignored below, before "invalid"
  ["invalid", "bad_address_format"],
  ["spam content", "spam_detected"],
];

/**
 * One `dropped` event → a certain verdict, or `null` when the reason is not about the recipient
 * (invalid SMTPAPI header, package quota, unknown reasons): those are ignored.
 *
 * @example
 * classifySendgridDrop("Bounced Address"); // { type: "invalid", subtype: "blocklisted", reason: "suppressed", rule: "sendgrid-dropped-bounced-address" }
 */
export function classifySendgridDrop(reasonText: string | null | undefined): Verdict | null {
  const text = reasonText?.trim().toLowerCase() ?? "";
  const found = DROPPED.find(([prefix]) => text.startsWith(prefix));
  if (!found || found[1] === "undefined") return null;
  const [prefix, reason] = found;
  return certain(reason, true, `sendgrid-dropped-${slug(prefix)}`);
}

/** Stable id for an event without `sg_event_id` (old payloads): a hash of what identifies it. */
function derivedId(e: SendgridEvent): string {
  const parts = [
    e.event,
    e.email,
    e.timestamp ?? "",
    e.sg_message_id ?? e["smtp-id"] ?? "",
    e.type ?? "",
    e.reason ?? "",
    e.asm_group_id ?? "",
  ];
  return `sendgrid-derived:${createHash("sha256").update(JSON.stringify(parts)).digest("base64url")}`;
}

function groupScope(e: SendgridEvent, index: number): string {
  if (e.asm_group_id === null || e.asm_group_id === undefined) {
    throw new InputError(`Event ${index} (${e.event}) has no asm_group_id.`, [
      { path: `${index}.asm_group_id`, message: "required for group_unsubscribe and group_resubscribe" },
    ]);
  }
  return `asm-${e.asm_group_id}`;
}

/**
 * Decodes an Event Webhook body into normalized events (see the module table).
 *
 * @throws InputError when the body is not a non-empty JSON array of events, or an event lacks a
 *   field its type needs (`email`, `event`; `asm_group_id` for group events).
 * @example
 * parseSendgrid(request, { tenant: "default", receivedAt: new Date() });
 * // { events: [{ provider: "sendgrid", type: "complaint", eventId: "c3BhbXJlcG9ydC0x", … }], ignored: 0 }
 */
function parseSendgrid(
  request: WebhookRequest,
  { tenant, receivedAt }: Parameters<ProviderAdapter["parse"]>[1],
) {
  const batch = parseAt(
    SendgridBatchSchema,
    parseJsonBody(request.rawBody),
    [],
    "Not a SendGrid Event Webhook body.",
  );
  const events: NormalizedEvent[] = [];
  const seen = new Set<string>();
  let ignored = 0;
  batch.forEach((item, index) => {
    const e = parseAt(SendgridEventSchema, item, [index], `Event ${index} is not a valid SendGrid event.`);
    const kind = e.event.trim().toLowerCase();
    let verdict: Verdict;
    let smtp: Smtp | null = null;
    let scope = ALL_MAIL;
    let resubscribe = false;
    switch (kind) {
      case "processed":
        verdict = { type: "request", subtype: null, reason: null, rule: "sendgrid-processed" };
        break;
      case "deferred":
        verdict = { type: "request", subtype: null, reason: null, rule: "sendgrid-deferred" };
        smtp = smtpFrom(e.response ?? e.reason);
        break;
      case "delivered":
        verdict = { type: "delivered", subtype: null, reason: null, rule: "sendgrid-delivered" };
        break;
      case "bounce":
        smtp = smtpFrom(e.reason, e.status);
        verdict = classifySendgridBounce(e, smtp);
        break;
      case "dropped": {
        const drop = classifySendgridDrop(e.reason);
        if (drop === null) {
          ignored++;
          return;
        }
        verdict = drop;
        // Refused as unsubscribed on a message of a group: the group's list or the global one;
        // a global unsubscribe arrives as its own event, so keep the narrower scope.
        if (drop.reason === "unsubscribed" && e.asm_group_id != null) scope = `asm-${e.asm_group_id}`;
        smtp = smtpFrom(e.reason, e.status);
        break;
      }
      case "spamreport":
        verdict = { type: "complaint", subtype: null, reason: null, rule: "sendgrid-spamreport" };
        break;
      case "unsubscribe":
        verdict = { type: "unsubscribe", subtype: null, reason: null, rule: "sendgrid-unsubscribe" };
        break;
      case "group_unsubscribe":
        verdict = { type: "unsubscribe", subtype: null, reason: null, rule: "sendgrid-group-unsubscribe" };
        scope = groupScope(e, index);
        break;
      case "group_resubscribe":
        verdict = { type: "unsubscribe", subtype: null, reason: null, rule: "sendgrid-group-resubscribe" };
        scope = groupScope(e, index);
        resubscribe = true;
        break;
      default:
        // open, click, account_status_change, and event types SendGrid may add.
        ignored++;
        return;
    }
    const address = canonicalizeAddress(e.email);
    if (!address.ok) {
      ignored++;
      return;
    }
    const eventId = checkedEventId(e.sg_event_id?.trim() || derivedId(e), `${index}.sg_event_id`);
    if (seen.has(eventId)) return; // the same event twice in one batch: counted once
    seen.add(eventId);
    const occurredAt =
      e.timestamp === null || e.timestamp === undefined
        ? receivedAt.toISOString()
        : new Date(e.timestamp * 1000).toISOString();
    events.push({
      tenant,
      provider: "sendgrid",
      eventId,
      recipient: address.address,
      ...verdict,
      occurredAt,
      scope,
      smtp,
      ...NO_EXTRAS,
      resubscribe,
      // `category`: one string or an array of them (the message's categories, repeated on every event).
      ...tagged(tagsFrom(e.category)),
    });
  });
  return { events, ignored } satisfies ParsedNotification;
}

/**
 * The SendGrid Event Webhook adapter: `POST /webhooks/sendgrid`.
 *
 * @example
 * await sendgridAdapter.verify(request, { secrets: (n) => process.env[n], now: new Date(), replayGuard });
 * const { events, ignored } = sendgridAdapter.parse(request, { tenant: "default", receivedAt: new Date() });
 */
export const sendgridAdapter: ProviderAdapter = wholeRequestAdapter({
  provider: "sendgrid",
  secretNames: [SENDGRID_VERIFICATION_KEY],
  check: verifySendgrid,
  parse: parseSendgrid,
});
