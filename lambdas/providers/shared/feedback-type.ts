import type { FeedbackType } from "../../core/taxonomy.js";

/**
 * ARF feedback type (RFC 5965/6591/6650) → the service's {@link FeedbackType}: `abuse`, `fraud`,
 * `virus` and `not-spam` as they are; `auth-failure`, `opt-out` and unknown values are `other`. One
 * mapping for every way a complaint comes (SES's `complaintFeedbackType`, SparkPost's `fbtype`, a
 * raw ARF report's `Feedback-Type`), so one complaint reads the same whichever way it came.
 *
 * @example
 * feedbackTypeOf("Abuse");        // "abuse"
 * feedbackTypeOf("auth-failure"); // "other"
 * feedbackTypeOf(undefined);      // null
 */
export function feedbackTypeOf(raw: string | null | undefined): FeedbackType | null {
  const value = raw?.trim().toLowerCase();
  if (!value) return null;
  switch (value) {
    case "abuse":
    case "fraud":
    case "virus":
    case "not-spam":
      return value;
    default:
      return "other";
  }
}
