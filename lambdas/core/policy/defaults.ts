import type { Policy } from "./schema.js";

// Plain data with a type-only import: readers of the store (the check function) get the defaults
// without bundling zod. test/core/policy/schema.test.ts validates this object against PolicySchema.

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The defaults of design.md §3, deeply frozen. */
export const DEFAULT_POLICY: Policy = deepFreeze({
  bounce: {
    rules: [
      { reasons: ["user_unknown", "has_moved", "suspend"], expiresAfterDays: 365 },
      { reasons: ["host_unknown", "not_accept"], expiresAfterDays: 30 },
      { reasons: ["bad_address_format"], expiresAfterDays: null },
      { reasons: ["suppressed"], expiresAfterDays: 90 },
    ],
  },
  softBounce: {
    reasons: [
      "mailbox_full",
      "suspend",
      "system_full",
      "system_error",
      "mailer_error",
      "network_error",
      "expired",
      "filtered",
      "no_relaying",
    ],
    threshold: 3,
    windowDays: 14,
    suppressForDays: 7,
  },
  complaint: { expiresAfterDays: 180, ignoreFeedbackTypes: ["not-spam"] },
  unsubscribe: { expiresAfterDays: null, suppressRefusals: true },
  history: { keepDays: 30 },
});
