/** What `POST /v1/import/{provider}` and `POST /webhooks/{provider}` answer (design.md §5.3). */
import * as z from "zod";
import { NormalizedEventSchema } from "../core/events.js";
import type { Decision, Outcome } from "../core/ledger/types.js";
import {
  Cause,
  EventSource,
  EventType,
  FeedbackType,
  IsoTime,
  Reason,
  Scope,
  Smtp,
  Subtype,
  UnsubscribeReason,
} from "./taxonomy.js";

const event = NormalizedEventSchema.shape;

export const EventView = z
  .strictObject({
    provider: EventSource,
    eventId: event.eventId.describe("The provider's id for this event and recipient (the idempotency key)."),
    recipient: event.recipient.describe("Canonical address."),
    type: EventType,
    subtype: Subtype.nullable(),
    reason: Reason.nullable(),
    rule: event.rule.describe("The classifier rule or provider mapping that decided."),
    occurredAt: event.occurredAt,
    scope: Scope,
    smtp: Smtp.nullable(),
    feedbackType: FeedbackType.nullable(),
    unsubscribeReason: UnsubscribeReason.nullable(),
    resubscribe: event.resubscribe,
    tags: event.tags.describe("The sender's tags or categories on the message, as the provider gave them."),
  })
  .meta({ id: "EventView", description: "One normalized event (the tenant is implied by the key)." });
export type EventView = z.output<typeof EventView>;

export const ACTIONS = [
  "suppress",
  "count_soft",
  "reset_soft",
  "lift",
  "none",
] as const satisfies readonly Decision["action"][];
export const OUTCOMES = [
  "suppressed",
  "extended",
  "unchanged",
  "counted",
  "escalated",
  "reset",
  "lifted",
  "none",
] as const satisfies readonly Outcome[];

export const DecisionView = z
  .strictObject({
    recipient: z.string(),
    eventId: z.string(),
    action: z.enum(ACTIONS),
    scope: z.string().nullable().describe("`null` when the action is `none`."),
    cause: Cause.nullable(),
    expiresAt: IsoTime()
      .nullable()
      .describe("When the affected cause now expires; `null` for never or when no cause is affected."),
    outcome: z
      .enum([...OUTCOMES, "duplicate"])
      .optional()
      .describe("What storing did; absent on a dry run."),
    why: z.string().optional().describe("Only with action `none`: why the policy does nothing."),
  })
  .meta({ id: "DecisionView" });
export type DecisionView = z.output<typeof DecisionView>;

const count = z.int().min(0);

export const IngestSummary = z
  .strictObject({
    accepted: count,
    duplicates: count,
    ignored: count.describe("Opens, clicks, auto-replies and other events outside the taxonomy."),
    dryRun: z.boolean(),
    events: z.array(EventView),
    decisions: z.array(DecisionView).describe("One per event, same order."),
  })
  .meta({ id: "IngestSummary" });
export type IngestSummary = z.output<typeof IngestSummary>;

export const SNS_CONTROL_TYPES = ["SubscriptionConfirmation", "UnsubscribeConfirmation"] as const;

export const SnsControlAnswer = z
  .strictObject({
    sns: z.enum(SNS_CONTROL_TYPES),
    topicArn: z.string(),
    messageId: z.string(),
    confirmed: z
      .boolean()
      .describe(
        "Whether the subscription was confirmed (never for an UnsubscribeConfirmation, which is only logged).",
      ),
  })
  .meta({
    id: "SnsControlAnswer",
    description: "The answer to an SNS SubscriptionConfirmation or UnsubscribeConfirmation.",
  });
export type SnsControlAnswer = z.output<typeof SnsControlAnswer>;
