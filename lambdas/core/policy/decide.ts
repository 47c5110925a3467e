import type { NormalizedEvent } from "../events.js";
import { daysToSeconds, toEpochSeconds } from "../ledger/time.js";
import type { Decision } from "../ledger/types.js";
import { ALL_MAIL } from "../scope.js";
import type { Reason } from "../taxonomy.js";
import type { Policy } from "./schema.js";

/** `occurredAt + days` in epoch seconds, or `null` (never) when `days` is `null`. */
function expiry(occurredAt: string, days: number | null): number | null {
  return days === null ? null : toEpochSeconds(occurredAt) + daysToSeconds(days);
}

function bounceDays(policy: Policy, reason: Reason): { days: number | null } | undefined {
  const rule = policy.bounce.rules.find((r) => r.reasons.includes(reason));
  return rule && { days: rule.expiresAfterDays };
}

function decideInvalid(event: NormalizedEvent, policy: Policy): Decision {
  const { reason } = event;
  if (reason === null)
    return { action: "none", why: "invalid without a fine reason says nothing about the address" };
  if (reason === "unsubscribed") {
    if (!policy.unsubscribe.suppressRefusals) {
      return { action: "none", why: "refusals of unsubscribed addresses do not suppress (policy)" };
    }
    return {
      action: "suppress",
      cause: "unsubscribe",
      scope: event.scope,
      expiresAt: expiry(event.occurredAt, policy.unsubscribe.expiresAfterDays),
    };
  }
  const rule = bounceDays(policy, reason);
  if (!rule) {
    return {
      action: "none",
      why: `invalid/${reason} is not the recipient's fault: it says nothing about the address`,
    };
  }
  return {
    action: "suppress",
    cause: "bounce",
    scope: ALL_MAIL,
    expiresAt: expiry(event.occurredAt, rule.days),
  };
}

function decideSoftBounce(event: NormalizedEvent, policy: Policy): Decision {
  const { reason } = event;
  const soft = policy.softBounce;
  if (reason === null || !soft.reasons.includes(reason)) {
    return {
      action: "none",
      why: `soft_bounce/${reason ?? "no reason"} is not a recipient-side condition: it does not count`,
    };
  }
  return {
    action: "count_soft",
    scope: ALL_MAIL,
    threshold: soft.threshold,
    windowSeconds: daysToSeconds(soft.windowDays),
    escalateForSeconds: daysToSeconds(soft.suppressForDays),
  };
}

/**
 * What the policy says one normalized event should do (design.md §3), before looking at any stored
 * state. Pure: the result depends only on the event and the policy.
 *
 * - `invalid` with a reason of a `bounce` rule → `suppress` cause `bounce` at `*`, expiring
 *   `occurredAt + expiresAfterDays` (epoch seconds; `null` = never).
 * - `invalid` with reason `unsubscribed` (the ESP refused because the address unsubscribed) →
 *   `suppress` cause `unsubscribe` at the event's scope with the unsubscribe expiry, when
 *   `unsubscribe.suppressRefusals` (default); else `none`.
 * - any other `invalid` (blocked IP, auth failure, spam content, policy, …) → `none`.
 * - `soft_bounce` with a reason in `softBounce.reasons` → `count_soft` at `*`; other soft bounces
 *   (rate limits, too big, reputation, …) → `none`.
 * - `delivered` → `reset_soft` at `*`.
 * - `complaint` → `suppress` cause `complaint` at `*`, unless its feedback type is ignored → `none`.
 * - `unsubscribe` → `suppress` cause `unsubscribe` at the event's scope; with `resubscribe: true`
 *   → `lift` of that scope's unsubscribe.
 * - `request` → `none`.
 *
 * @example
 * decide({ ...event, type: "invalid", reason: "user_unknown", occurredAt: "2026-01-01T00:00:00Z" }, DEFAULT_POLICY);
 * // { action: "suppress", cause: "bounce", scope: "*", expiresAt: 1798761600 } (+365 days)
 * decide({ ...event, type: "invalid", reason: "blocked" }, DEFAULT_POLICY);
 * // { action: "none", why: "invalid/blocked is not the recipient's fault: it says nothing about the address" }
 */
export function decide(event: NormalizedEvent, policy: Policy): Decision {
  switch (event.type) {
    case "invalid":
      return decideInvalid(event, policy);
    case "soft_bounce":
      return decideSoftBounce(event, policy);
    case "delivered":
      return {
        action: "reset_soft",
        scope: ALL_MAIL,
        threshold: policy.softBounce.threshold,
        windowSeconds: daysToSeconds(policy.softBounce.windowDays),
      };
    case "complaint": {
      const fb = event.feedbackType;
      if (fb !== null && policy.complaint.ignoreFeedbackTypes.includes(fb)) {
        return {
          action: "none",
          why: `a complaint with feedback type ${fb} is not a complaint about the mail`,
        };
      }
      return {
        action: "suppress",
        cause: "complaint",
        scope: ALL_MAIL,
        expiresAt: expiry(event.occurredAt, policy.complaint.expiresAfterDays),
      };
    }
    case "unsubscribe":
      if (event.resubscribe) return { action: "lift", cause: "unsubscribe", scope: event.scope };
      return {
        action: "suppress",
        cause: "unsubscribe",
        scope: event.scope,
        expiresAt: expiry(event.occurredAt, policy.unsubscribe.expiresAfterDays),
      };
    case "request":
      return {
        action: "none",
        why: "a request (accepted, queued or deferred) says nothing about the address",
      };
  }
}
