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
