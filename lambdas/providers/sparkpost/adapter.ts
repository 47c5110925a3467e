/**
 * SparkPost / Bird event webhooks (docs/providers/sparkpost.md §5): basic authentication, then a JSON batch of
 * `{"msys": {"<event class>": {…}}}` elements, each one event for one recipient.
 */
import { canonicalizeAddress } from "../../core/address.js";
import { InputError, type InputIssue } from "../../core/errors.js";
import type { NormalizedEvent, ParsedNotification, Smtp } from "../../core/events.js";
import { parseJsonBody } from "../../core/json.js";
import { ALL_MAIL } from "../../core/scope.js";
import { REPLY_CODE } from "../../core/smtp-codes.js";
import { checkBasicAuth } from "../shared/basic-auth.js";
import { NO_EXTRAS } from "../shared/event-defaults.js";
import { checkedEventId } from "../shared/event-id.js";
import { feedbackTypeOf } from "../shared/feedback-type.js";
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
import {
  bounceClassOf,
  classifySparkPostBounce,
  classifySparkPostPolicyRejection,
} from "./bounce-classes.js";
import {
  isoOfTimestamp,
  SPARKPOST_EVENT_CLASSES,
  SparkPostElementSchema,
  type SparkPostEvent,
  SparkPostEventSchema,
} from "./schema.js";

/** The basic-auth user name set on the SparkPost webhook (`auth_credentials.username`). */
export const SPARKPOST_USER_SETTING = "SPARKPOST_WEBHOOK_USER";
/** The basic-auth password set on the SparkPost webhook (`auth_credentials.password`). */
export const SPARKPOST_PASSWORD_SETTING = "SPARKPOST_WEBHOOK_PASSWORD";

/**
 * SparkPost retries anything but 200 for 8 hours whatever the status, so a refusal is a plain 401:
 * fixing the credentials within 8 hours lets the retried batches in.
 */
const REFUSAL = 401;

function refuse(message: string, slug: string): never {
  throw new WebhookAuthError(message, { status: REFUSAL, slug });
}

/** SparkPost event types that are not part of the taxonomy: acknowledged and counted as ignored. */
const IGNORED_TYPES: ReadonlySet<string> = new Set([
  "delay",
  "sms_status",
  "generation_failure",
  "generation_rejection",
]);

type Base = Pick<NormalizedEvent, "tenant" | "provider" | "eventId" | "recipient" | "occurredAt" | "scope">;

/** The SMTP details of a bounce: `error_code`, and the codes and text of `raw_reason` (else `reason`). */
function smtpOfEvent(event: SparkPostEvent): Smtp {
  const diagnostic = event.raw_reason?.trim() || event.reason?.trim() || null;
  const fromText = smtpFrom(diagnostic);
  const code = event.error_code?.trim() ?? "";
  return { ...fromText, code: REPLY_CODE.test(code) ? code : fromText.code };
}

/**
 * Turns one validated event into at most one normalized event; `null` when it is outside the
 * taxonomy (open, click, delay, auto-reply…).
 */
function normalize(event: SparkPostEvent, base: Base): NormalizedEvent | null {
  switch (event.type) {
    case "injection":
      return {
        ...base,
        ...NO_EXTRAS,
        type: "request",
        subtype: null,
        reason: null,
        rule: "sparkpost-injection",
        smtp: null,
      };
    case "delivery":
      return {
        ...base,
        ...NO_EXTRAS,
        type: "delivered",
        subtype: null,
        reason: null,
        rule: "sparkpost-delivery",
        smtp: null,
      };
    case "bounce":
    case "out_of_band":
    case "policy_rejection": {
      const smtp = smtpOfEvent(event);
      const cls = bounceClassOf(event.bounce_class);
      if (cls?.action === "ignore") return null;
      if (cls?.action === "unsubscribe") {
        return {
          ...base,
          ...NO_EXTRAS,
          type: "unsubscribe",
          subtype: null,
          reason: null,
          rule: `sparkpost-class-${cls.code}`,
          smtp,
        };
      }
      const verdict =
        event.type === "policy_rejection"
          ? classifySparkPostPolicyRejection(cls, smtp)
          : classifySparkPostBounce(cls, smtp);
      return { ...base, ...NO_EXTRAS, ...verdict, smtp };
    }
    case "spam_complaint":
      return {
        ...base,
        ...NO_EXTRAS,
        type: "complaint",
        subtype: null,
        reason: null,
        rule: "sparkpost-spam-complaint",
        smtp: null,
        feedbackType: feedbackTypeOf(event.fbtype),
      };
    case "list_unsubscribe":
    case "link_unsubscribe":
      return {
        ...base,
        ...NO_EXTRAS,
        type: "unsubscribe",
        subtype: null,
        reason: null,
        rule: `sparkpost-${event.type.replace("_", "-")}`,
        smtp: null,
      };
    default:
      return null;
  }
}

function invalid(message: string, issues: InputIssue[], cause?: unknown): never {
  throw new InputError(message, issues, cause === undefined ? undefined : { cause });
}

/**
 * Parses a SparkPost webhook body: a JSON array of `{"msys": {...}}` elements (a single element
 * outside an array is accepted too, e.g. for `/v1/import`).
 *
 * - `{"msys": {}}` (the ping sent when a webhook is created or tested) → nothing, not even `ignored`.
 * - `message_event`: `injection` → `request`; `delivery` → `delivered`; `bounce`, `out_of_band`,
 *   `policy_rejection` → `invalid` / `soft_bounce` by `bounce_class` and the diagnostic (see
 *   bounce-classes.ts; classes 60/80/100 ignored, 90 → `unsubscribe`); `spam_complaint` →
 *   `complaint` with `feedbackType` from `fbtype` (`not-spam` kept: the policy decides); `delay`,
 *   `sms_status` and unknown types → ignored.
 * - `unsubscribe_event`: `list_unsubscribe`, `link_unsubscribe` → `unsubscribe`, scope `*`
 *   (SparkPost has no lists or groups).
 * - `track_event`, `gen_event`, `relay_event`, `ab_test_event` and unknown classes → ignored.
 *
 * The recipient is `rcpt_to` (else `raw_rcpt_to`), canonicalized; a missing or malformed one is
 * skipped and counted in `ignored`. `eventId` is SparkPost's `event_id`; an event repeated in one
 * batch is emitted once. `occurredAt` is `timestamp` (unix seconds), else the time we received it.
 * `tags` are the recipient's `rcpt_tags` (an array of strings; a malformed one is dropped by
 * `tagsFrom`, never refused).
 *
 * @throws InputError when the body is not JSON, is an empty batch, or an element or an event we
 *   read is malformed (issue paths point into the batch: `3.msys.message_event.event_id`).
 * @example
 * parseSparkPost(Buffer.from('[{"msys":{}}]'), { tenant: "default", receivedAt: new Date() });
 * // { events: [], ignored: 0 }
 */
export function parseSparkPost(
  rawBody: Buffer,
  context: { readonly tenant: string; readonly receivedAt: Date },
): ParsedNotification {
  const body = parseJsonBody(rawBody);
  const elements: unknown[] = Array.isArray(body) ? body : [body];
  if (elements.length === 0) invalid("The batch is empty: SparkPost sends at least one element.", []);
  const fallback = context.receivedAt.toISOString();
  const events: NormalizedEvent[] = [];
  const seen = new Set<string>();
  let ignored = 0;

  elements.forEach((element, i) => {
    const path = Array.isArray(body) ? [i] : [];
    const { msys } = parseAt(SparkPostElementSchema, element, path, "Not a valid SparkPost batch element.");
    for (const [eventClass, payload] of Object.entries(msys)) {
      if (!(SPARKPOST_EVENT_CLASSES as readonly string[]).includes(eventClass)) {
        ignored++;
        continue;
      }
      const event = parseAt(
        SparkPostEventSchema,
        payload,
        [...path, "msys", eventClass],
        `Not a valid SparkPost ${eventClass}.`,
      );
      if (IGNORED_TYPES.has(event.type)) {
        ignored++;
        continue;
      }
      if (seen.has(event.event_id)) continue;
      const address = canonicalizeAddress(event.rcpt_to ?? event.raw_rcpt_to ?? "");
      if (!address.ok) {
        ignored++;
        continue;
      }
      const occurredAt = event.timestamp == null ? fallback : (isoOfTimestamp(event.timestamp) ?? fallback);
      const normalized = normalize(event, {
        tenant: context.tenant,
        provider: "sparkpost",
        eventId: checkedEventId(event.event_id, [...path, "msys", eventClass, "event_id"].join(".")),
        recipient: address.address,
        occurredAt,
        scope: ALL_MAIL,
      });
      if (normalized === null) {
        ignored++;
        continue;
      }
      seen.add(event.event_id);
      events.push({ ...normalized, ...tagged(tagsFrom(event.rcpt_tags)) });
    }
  });
  return { events, ignored };
}

/**
 * Checks SparkPost's basic authentication (`auth_type: "basic"`): the `Authorization: Basic`
 * credentials must be `SPARKPOST_WEBHOOK_USER` / `SPARKPOST_WEBHOOK_PASSWORD`, compared in
 * constant time (`checkBasicAuth`). SparkPost signs nothing: the credentials are the whole proof.
 *
 * @throws WebhookAuthError (401) when a setting is missing, or the credentials are missing or wrong.
 * @example
 * await verifySparkPost(request, (name) => process.env[name]);
 */
export async function verifySparkPost(
  request: WebhookRequest,
  secrets: (name: string) => string | undefined,
): Promise<void> {
  const user = requireSecret(secrets, SPARKPOST_USER_SETTING, REFUSAL, "sparkpost");
  const password = requireSecret(secrets, SPARKPOST_PASSWORD_SETTING, REFUSAL, "sparkpost");
  switch (checkBasicAuth(request.headers.authorization, { user, password })) {
    case "ok":
      return;
    case "missing":
      return refuse(
        "No Authorization header: set the webhook's authentication to Basic Auth with the configured user and password.",
        "sparkpost-missing-credentials",
      );
    case "malformed":
      return refuse("The Authorization header is not Basic credentials.", "sparkpost-bad-credentials");
    case "wrong":
      return refuse("The basic-auth user name or password is wrong.", "sparkpost-bad-credentials");
  }
}

/**
 * The SparkPost / Bird adapter. No replay guard: SparkPost has no one-time token (the batch id
 * `X-MessageSystems-Batch-ID` is the same on every retry, which must be accepted); redeliveries
 * are made harmless by `event_id`.
 *
 * @example
 * await sparkpostAdapter.verify(request, { secrets, now: new Date(), replayGuard });
 * sparkpostAdapter.parse(request, { tenant: "default", receivedAt: new Date() });
 */
export const sparkpostAdapter: ProviderAdapter = wholeRequestAdapter({
  provider: "sparkpost",
  secretNames: [SPARKPOST_USER_SETTING, SPARKPOST_PASSWORD_SETTING],
  check: (request, { secrets }) => verifySparkPost(request, secrets),
  parse: (request, context) => parseSparkPost(request.rawBody, context),
});
