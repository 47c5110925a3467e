import type { NormalizedEvent } from "../../core/events.js";

/**
 * The normalized event's fields that only some events fill — the complaint's feedback type, the
 * unsubscribe's reason, the resubscribe flag — at their "none" values. A provider spreads it first
 * and sets what its event does carry after it.
 *
 * @example
 * const event: NormalizedEvent = { ...NO_EXTRAS, ...base, type: "complaint", feedbackType: "abuse" };
 */
export const NO_EXTRAS = {
  feedbackType: null,
  unsubscribeReason: null,
  resubscribe: false,
} as const satisfies Pick<NormalizedEvent, "feedbackType" | "unsubscribeReason" | "resubscribe">;
