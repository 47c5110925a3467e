/**
 * One SES record → normalized events, one per recipient (docs/providers/ses.md §1.8, design.md §2).
 */
import { createHash } from "node:crypto";
import { canonicalizeAddress } from "../../core/address.js";
import { InputError } from "../../core/errors.js";
import { MAX_EVENT_ID_CHARS, type NormalizedEvent, type ParsedNotification } from "../../core/events.js";
import { ALL_MAIL, isScope } from "../../core/scope.js";
import { NO_EXTRAS } from "../shared/event-defaults.js";
import { feedbackTypeOf } from "../shared/feedback-type.js";
import { tagged } from "../shared/tags.js";
import { parseAt } from "../shared/validate.js";
import { classifySesBounce, smtpOf } from "./bounce.js";
import {
  SesBounceRecordSchema,
  SesComplaintRecordSchema,
  SesDeliveryRecordSchema,
  type SesMail,
  SesRecordHeaderSchema,
  SesSendRecordSchema,
  type SesSubscription,
  SesSubscriptionRecordSchema,
} from "./schemas.js";
import { sesTags } from "./tags.js";

export { feedbackTypeOf };

export type SesRecordContext = {
  /** The tenant every event belongs to. */
  readonly tenant: string;
  /** When we received the record: `occurredAt` when SES gave no timestamp at all. Default: now. */
  readonly receivedAt?: Date;
  /** Where the record sits in the request body, to prefix issue paths (see `unwrapSes`). */
  readonly path?: readonly (string | number)[];
};

/** A recipient address SES gave that cannot be a key: skipped, counted in `ignored`, reported here. */
export type SkippedRecipient = {
  readonly path: string;
  readonly recipient: string;
  readonly problem: string;
};

/** `ParsedNotification` plus the recipients that were skipped because their address is malformed. */
export type SesParsedNotification = ParsedNotification & { readonly skipped: readonly SkippedRecipient[] };

/** SES record types that are acknowledged and never become events (docs/providers/ses.md §1.5, §1.8). */
export const SES_IGNORED_TYPES: ReadonlySet<string> = new Set([
  "Reject",
  "Open",
  "Click",
  "Rendering Failure",
  "DeliveryDelay",
]);

/**
 * Joins id parts with `#`; an id over the schema's `MAX_EVENT_ID_CHARS` keeps its head and a hash
 * of the whole. SES's own ids are bounded by the schemas, but the composed ones (a Subscription's
 * message id, time, recipient and scope) can legitimately pass the limit, so they are not refused.
 */
function eventIdOf(...parts: string[]): string {
  const id = parts.join("#");
  if (id.length <= MAX_EVENT_ID_CHARS) return id;
  return `${id.slice(0, 400)}#sha256:${createHash("sha256").update(id).digest("hex")}`;
}

/** `mail.timestamp` or the type object's timestamp → ISO, else `receivedAt`. */
function isoOf(...candidates: (string | null | undefined)[]): string | null {
  for (const c of candidates) if (c) return new Date(c).toISOString();
  return null;
}

type Base = Pick<NormalizedEvent, "tenant" | "provider" | "occurredAt" | "tags">;
type Builder = {
  readonly events: NormalizedEvent[];
  readonly skipped: SkippedRecipient[];
  /** Canonicalizes `raw`; emits nothing and records a skip when it is malformed or a repeat. */
  recipient(raw: string, path: readonly (string | number)[]): string | null;
};

function builder(): Builder {
  const seen = new Set<string>();
  const events: NormalizedEvent[] = [];
  const skipped: SkippedRecipient[] = [];
  return {
    events,
    skipped,
    recipient(raw, path) {
      const r = canonicalizeAddress(raw);
      if (!r.ok) {
        skipped.push({ path: path.join("."), recipient: raw.slice(0, 320), problem: r.problem });
        return null;
      }
      if (seen.has(r.address)) return null;
      seen.add(r.address);
      return r.address;
    },
  };
}

/**
 * Turns one SES record (classic notification or event-publishing record, as found in the SNS
 * `Message`, the SQS raw body or the EventBridge `detail`) into normalized events.
 *
 * - Bounce → per `bouncedRecipients[]`: `invalid`/`soft_bounce` (see `bounce.ts`), `eventId`
 *   `feedbackId#recipient`, `smtp` from that recipient's DSN fields.
 * - Complaint → `complaint` per `complainedRecipients[]`, `feedbackType` mapped (`auth-failure` and
 *   unknown → `other`, absent → null; `not-spam` is kept: the policy decides), `feedbackId#recipient`.
 * - Delivery → `delivered` per `delivery.recipients[]`, `messageId#delivery#recipient`.
 * - Send → `request` per `mail.destination[]`, `messageId#send#recipient`.
 * - Subscription → `unsubscribe` per `mail.destination[]` and changed scope (see `subscriptionChanges`),
 *   `messageId#subscription#<subscription.timestamp>#recipient#<scope>`: the timestamp keeps a later
 *   change made from the same message (unsubscribe, then resubscribe) from reading as a duplicate.
 * - Reject, Open, Click, Rendering Failure, DeliveryDelay and unknown types (including SES's
 *   `AmazonSnsSubscriptionSucceeded` notice) → no events, `ignored: 1`.
 *
 * Every event of a record carries the message's `mail.tags` as `tags` (`name:value`; of SES's
 * automatic tags only `ses:configuration-set`, see `sesTags`).
 *
 * A recipient whose address cannot be canonicalized is skipped: counted in `ignored` and listed in
 * `skipped` (it cannot be a key; SES does not send to such addresses, so it signals a broken record).
 * A recipient listed twice in one record yields one event.
 *
 * @throws InputError when the record or a field we read is malformed (issue paths prefixed by `ctx.path`).
 * @example
 * parseSesRecord({ notificationType: "Delivery", mail: { messageId: "m1", timestamp: "2016-01-27T14:59:38.237Z" },
 *   delivery: { timestamp: "2016-01-27T14:59:38.237Z", recipients: ["jane@example.com"] } }, { tenant: "default" });
 * // { events: [{ type: "delivered", eventId: "m1#delivery#jane@example.com", … }], ignored: 0, skipped: [] }
 */
export function parseSesRecord(record: unknown, ctx: SesRecordContext): SesParsedNotification {
  const path = ctx.path ?? [];
  const header = parseAt(SesRecordHeaderSchema, record, path, "Not a valid SES notification record.");
  const type = header.eventType ?? header.notificationType ?? "";
  const fallback = (ctx.receivedAt ?? new Date()).toISOString();
  const b = builder();
  // What every event of the record shares: its time, and the message's tags (`mail.tags`, see tags.ts).
  const base = (mail: SesMail, ...timestamps: (string | null | undefined)[]): Base => ({
    tenant: ctx.tenant,
    provider: "ses",
    occurredAt: isoOf(...timestamps) ?? fallback,
    ...tagged(sesTags(mail.tags)),
  });

  switch (type) {
    case "Bounce": {
      const { mail, bounce } = parseAt(
        SesBounceRecordSchema,
        record,
        path,
        `Not a valid SES ${type} record.`,
      );
      const common = base(mail, bounce.timestamp, mail.timestamp);
      bounce.bouncedRecipients.forEach((r, i) => {
        const recipient = b.recipient(r.emailAddress, [
          ...path,
          "bounce",
          "bouncedRecipients",
          i,
          "emailAddress",
        ]);
        if (recipient === null) return;
        const smtp = smtpOf(r);
        const verdict = classifySesBounce(bounce.bounceType, bounce.bounceSubType, smtp);
        b.events.push({
          ...common,
          ...NO_EXTRAS,
          ...verdict,
          eventId: eventIdOf(bounce.feedbackId, recipient),
          recipient,
          scope: ALL_MAIL,
          smtp,
        });
      });
      break;
    }
    case "Complaint": {
      const { mail, complaint } = parseAt(
        SesComplaintRecordSchema,
        record,
        path,
        `Not a valid SES ${type} record.`,
      );
      const common = base(mail, complaint.timestamp, mail.timestamp);
      const feedbackType = feedbackTypeOf(complaint.complaintFeedbackType);
      complaint.complainedRecipients.forEach((r, i) => {
        const recipient = b.recipient(r.emailAddress, [
          ...path,
          "complaint",
          "complainedRecipients",
          i,
          "emailAddress",
        ]);
        if (recipient === null) return;
        b.events.push({
          ...common,
          ...NO_EXTRAS,
          type: "complaint",
          subtype: null,
          reason: null,
          rule: "ses-complaint",
          feedbackType,
          eventId: eventIdOf(complaint.feedbackId, recipient),
          recipient,
          scope: ALL_MAIL,
          smtp: null,
        });
      });
      break;
    }
    case "Delivery": {
      const { mail, delivery } = parseAt(
        SesDeliveryRecordSchema,
        record,
        path,
        `Not a valid SES ${type} record.`,
      );
      const common = base(mail, delivery.timestamp, mail.timestamp);
      delivery.recipients.forEach((raw, i) => {
        const recipient = b.recipient(raw, [...path, "delivery", "recipients", i]);
        if (recipient === null) return;
        b.events.push({
          ...common,
          ...NO_EXTRAS,
          type: "delivered",
          subtype: null,
          reason: null,
          rule: "ses-delivery",
          eventId: eventIdOf(mail.messageId, "delivery", recipient),
          recipient,
          scope: ALL_MAIL,
          smtp: null,
        });
      });
      break;
    }
    case "Send": {
      const { mail } = parseAt(SesSendRecordSchema, record, path, `Not a valid SES ${type} record.`);
      const common = base(mail, mail.timestamp);
      mail.destination.forEach((raw, i) => {
        const recipient = b.recipient(raw, [...path, "mail", "destination", i]);
        if (recipient === null) return;
        b.events.push({
          ...common,
          ...NO_EXTRAS,
          type: "request",
          subtype: null,
          reason: null,
          rule: "ses-send",
          eventId: eventIdOf(mail.messageId, "send", recipient),
          recipient,
          scope: ALL_MAIL,
          smtp: null,
        });
      });
      break;
    }
    case "Subscription": {
      const { mail, subscription } = parseAt(
        SesSubscriptionRecordSchema,
        record,
        path,
        `Not a valid SES ${type} record.`,
      );
      const common = base(mail, subscription.timestamp, mail.timestamp);
      const changes = subscriptionChanges(subscription, [...path, "subscription"]);
      // Not `occurredAt`: its last resort (receivedAt) would make the id differ across redeliveries.
      const changedAt = isoOf(subscription.timestamp, mail.timestamp) ?? "-";
      mail.destination.forEach((raw, i) => {
        const recipient = b.recipient(raw, [...path, "mail", "destination", i]);
        if (recipient === null) return;
        for (const change of changes) {
          b.events.push({
            ...common,
            ...NO_EXTRAS,
            type: "unsubscribe",
            subtype: null,
            reason: null,
            rule: change.resubscribe ? "ses-subscription-opt-in" : "ses-subscription-opt-out",
            resubscribe: change.resubscribe,
            eventId: eventIdOf(mail.messageId, "subscription", changedAt, recipient, change.scope),
            recipient,
            scope: change.scope,
            smtp: null,
          });
        }
      });
      break;
    }
    default:
      // Reject, Open, Click, Rendering Failure, DeliveryDelay, and any type SES adds later.
      return { events: [], ignored: 1, skipped: [] };
  }
  const ignored = b.skipped.length > 0 ? b.skipped.length : b.events.length === 0 ? 1 : 0;
  return { events: b.events, ignored, skipped: b.skipped };
}

export type SubscriptionChange = { readonly scope: string; readonly resubscribe: boolean };

const status = (s: string): "in" | "out" | null => {
  const v = s.toLowerCase();
  return v === "optin" ? "in" : v === "optout" ? "out" : null;
};

/**
 * What a Subscription event changed, as scopes to unsubscribe or resubscribe:
 * - `new.unsubscribeAll` true → unsubscribe `<contactList>` (covers every topic; topics not listed).
 * - `old.unsubscribeAll` true → false → resubscribe `<contactList>`, and unsubscribe every topic that
 *   is OptOut in the new preferences (the list-wide cover no longer hides them).
 * - otherwise per topic: OptIn (or unknown) → OptOut unsubscribes `<contactList>/<topic>`; OptOut →
 *   OptIn resubscribes it; unchanged topics yield nothing.
 *
 * @example
 * subscriptionChanges({ contactList: "News", newTopicPreferences: { unsubscribeAll: false,
 *   topicSubscriptionStatus: [{ topicName: "Deals", subscriptionStatus: "OptOut" }] },
 *   oldTopicPreferences: { unsubscribeAll: false,
 *   topicSubscriptionStatus: [{ topicName: "Deals", subscriptionStatus: "OptIn" }] } }, []);
 * // [{ scope: "News/Deals", resubscribe: false }]
 */
export function subscriptionChanges(
  subscription: SesSubscription,
  path: readonly (string | number)[],
): SubscriptionChange[] {
  const list = subscription.contactList;
  const scopeOf = (topic?: string): string => {
    const scope = topic === undefined ? list : `${list}/${topic}`;
    if (!isScope(scope)) {
      throw new InputError("The contact list and topic do not make a valid scope.", [
        {
          path: [...path, "contactList"].join("."),
          message: `invalid scope ${JSON.stringify(scope.slice(0, 80))}`,
        },
      ]);
    }
    return scope;
  };
  const next = subscription.newTopicPreferences;
  const prev = subscription.oldTopicPreferences;
  if (next.unsubscribeAll === true) return [{ scope: scopeOf(), resubscribe: false }];

  const changes: SubscriptionChange[] = [];
  const listResubscribed = prev?.unsubscribeAll === true;
  if (listResubscribed) changes.push({ scope: scopeOf(), resubscribe: true });
  const before = new Map<string, "in" | "out" | null>();
  for (const t of prev?.topicSubscriptionStatus ?? []) before.set(t.topicName, status(t.subscriptionStatus));
  const done = new Set<string>();
  for (const t of next.topicSubscriptionStatus ?? []) {
    if (done.has(t.topicName)) continue;
    done.add(t.topicName);
    const now = status(t.subscriptionStatus);
    const was = before.get(t.topicName) ?? null;
    if (now === "out" && (was !== "out" || listResubscribed))
      changes.push({ scope: scopeOf(t.topicName), resubscribe: false });
    if (now === "in" && was === "out") changes.push({ scope: scopeOf(t.topicName), resubscribe: true });
  }
  return changes;
}
