import fc from "fast-check";
import type { NormalizedEvent } from "../../../lambdas/core/events.js";

/** Epoch seconds of 2026-01-01T00:00:00Z, the origin of test times. */
export const T0 = Date.UTC(2026, 0, 1) / 1000;
export const DAY = 86_400;

/** ISO time `days` (may be fractional) after T0. */
export const at = (days: number): string => new Date((T0 + Math.round(days * DAY)) * 1000).toISOString();

/** A valid normalized event; override what the test is about. */
export function ev(over: Partial<NormalizedEvent> = {}): NormalizedEvent {
  return {
    tenant: "default",
    provider: "ses",
    eventId: "e1",
    recipient: "jdoe@example.org",
    type: "invalid",
    subtype: "mailbox_not_found",
    reason: "user_unknown",
    rule: "test",
    occurredAt: at(0),
    scope: "*",
    smtp: null,
    feedbackType: null,
    unsubscribeReason: null,
    resubscribe: false,
    ...over,
  };
}

/** A hard bounce (`user_unknown` unless said otherwise) `days` after T0. */
export const bounce = (id: string, days: number, reason: NormalizedEvent["reason"] = "user_unknown") =>
  ev({ eventId: id, occurredAt: at(days), type: "invalid", reason });
/** A soft bounce the default policy counts (`mailbox_full`). */
export const soft = (id: string, days: number) =>
  ev({ eventId: id, occurredAt: at(days), type: "soft_bounce", subtype: "other", reason: "mailbox_full" });
export const delivered = (id: string, days: number) =>
  ev({ eventId: id, occurredAt: at(days), type: "delivered", subtype: null, reason: null });
export const complaint = (id: string, days: number) =>
  ev({
    eventId: id,
    occurredAt: at(days),
    type: "complaint",
    subtype: null,
    reason: null,
    feedbackType: "abuse",
  });
export const unsub = (id: string, days: number, resubscribe = false) =>
  ev({ eventId: id, occurredAt: at(days), type: "unsubscribe", subtype: null, reason: null, resubscribe });

/** What a property test varies of an event: its kind. */
export type Spec = Pick<NormalizedEvent, "type" | "subtype" | "reason" | "feedbackType" | "resubscribe">;
const base = { subtype: null, reason: null, feedbackType: null, resubscribe: false } as const;
/** Every kind of provider event the default policy acts on, and some it does not. */
export const specArb: fc.Arbitrary<Spec> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.constantFrom<Spec>(
      { ...base, type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
      { ...base, type: "invalid", subtype: "server_unreachable", reason: "host_unknown" },
      { ...base, type: "invalid", subtype: "bad_address_format", reason: "bad_address_format" },
      { ...base, type: "invalid", subtype: "unsubscribed", reason: "unsubscribed" },
      { ...base, type: "invalid", subtype: "sender_or_recipient_rejected", reason: "blocked" },
      { ...base, type: "soft_bounce", subtype: "ip_or_domain_rejected", reason: "speeding" },
      { ...base, type: "complaint", feedbackType: "abuse" },
      { ...base, type: "complaint", feedbackType: "not-spam" },
      { ...base, type: "unsubscribe" },
      { ...base, type: "unsubscribe", resubscribe: true },
      { ...base, type: "request" },
    ),
  },
  // Counted soft bounces and deliveries drive the most state: weighted up.
  {
    weight: 3,
    arbitrary: fc.constantFrom<Spec>(
      { ...base, type: "soft_bounce", subtype: "other", reason: "mailbox_full" },
      { ...base, type: "soft_bounce", subtype: "service_unreachable", reason: "system_full" },
    ),
  },
  { weight: 1, arbitrary: fc.constant<Spec>({ ...base, type: "delivered" }) },
);
