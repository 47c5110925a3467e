/**
 * The events a recipient's unsubscribe link makes (`/u/{token}`, handlers/unsubscribe.ts): the
 * service's own source `unsubscribe-link` (providers/names.ts), no payload from outside. Pure: the
 * claims come from a token `openUnsubscribeToken` opened (so a signature vouches for them), the
 * time and the recipient's choice from the request.
 *
 * Event ids are derived from the token, one per kind of answer, so a replay is a duplicate the
 * store counts once: a mailbox provider retrying its one-click POST, a recipient sending the form
 * twice. A one-click unsubscribe and a later form with a reason are two events (the form's reason
 * and complaint are news); the first form sent wins over a second one with another reason.
 */
import { createHash } from "node:crypto";
import type { NormalizedEvent } from "../../core/events.js";
import type { UnsubscribeReason } from "../../core/taxonomy.js";
import type { UnsubscribeClaims } from "../../core/unsubscribe-token.js";
import { NO_EXTRAS } from "../shared/event-defaults.js";

/** How the recipient unsubscribed: RFC 8058's one-click POST, or the confirmation page's form. */
export type UnsubscribeChannel = "one-click" | "form";

/** The rules the events carry (`rule`), so a history entry says how it came. */
export const UNSUBSCRIBE_LINK_RULES = {
  "one-click": "unsubscribe-link-one-click",
  form: "unsubscribe-link-form",
  report: "unsubscribe-link-report",
} as const;

/** The reasons that also report the message (SendCloud's "this is spam", "this is fraud"), as a complaint. */
export const COMPLAINT_OF_REASON: Readonly<Partial<Record<UnsubscribeReason, "abuse" | "fraud">>> = {
  spam: "abuse",
  fraud: "fraud",
};

/** The token's fingerprint: 128 bits of its SHA-256, enough to never collide, short in keys. */
const fingerprint = (token: string): string =>
  createHash("sha256").update(token, "utf8").digest("base64url").slice(0, 22);

/**
 * The events of one unsubscribe: the unsubscribe in the token's scope, and for `spam` or `fraud`
 * a complaint (scope `*`: a complaint is about the sender, whatever the list).
 *
 * @example
 * unsubscribeLinkEvents({ token, claims, channel: "form", reason: "spam", at: new Date() });
 * // [{ type: "unsubscribe", unsubscribeReason: "spam", … }, { type: "complaint", feedbackType: "abuse", … }]
 */
export function unsubscribeLinkEvents(request: {
  readonly token: string;
  readonly claims: UnsubscribeClaims;
  readonly channel: UnsubscribeChannel;
  readonly reason: UnsubscribeReason | null;
  readonly at: Date;
}): NormalizedEvent[] {
  const { token, claims, channel, reason, at } = request;
  const id = `unsubscribe-link:${fingerprint(token)}`;
  const base = {
    ...NO_EXTRAS,
    tenant: claims.tenant,
    provider: "unsubscribe-link",
    recipient: claims.address,
    subtype: null,
    reason: null,
    occurredAt: at.toISOString(),
    smtp: null,
  } as const;
  const unsubscribe: NormalizedEvent = {
    ...base,
    eventId: `${id}:${channel}`,
    type: "unsubscribe",
    rule: UNSUBSCRIBE_LINK_RULES[channel],
    scope: claims.scope,
    unsubscribeReason: reason,
  };
  const feedbackType = reason === null ? undefined : COMPLAINT_OF_REASON[reason];
  if (feedbackType === undefined) return [unsubscribe];
  const complaint: NormalizedEvent = {
    ...base,
    eventId: `${id}:report`,
    type: "complaint",
    rule: UNSUBSCRIBE_LINK_RULES.report,
    scope: "*",
    feedbackType,
  };
  return [unsubscribe, complaint];
}
