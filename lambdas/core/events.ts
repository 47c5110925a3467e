import * as z from "zod";
import type { EventSource } from "../providers/names.js";
import { MAX_DIAGNOSTIC_CHARS, MAX_EVENT_ID_CHARS, MAX_TAG_CHARS, MAX_TAGS } from "./limits.js";
import { MAX_SCOPE_LENGTH, SCOPE_PATTERN } from "./scope.js";
import {
  EVENT_TYPE_IDS,
  FEEDBACK_TYPES,
  PROVIDER_NAME,
  REASON_IDS,
  SUBTYPE_IDS,
  UNSUBSCRIBE_REASON_IDS,
} from "./taxonomy.js";

/** `*` or a `/`-separated path of list/topic names (design.md §3, Scopes). */
export const ScopeSchema = z
  .string()
  .min(1)
  .max(MAX_SCOPE_LENGTH)
  .regex(SCOPE_PATTERN, "a scope is `*` or names separated by `/`");

export { MAX_DIAGNOSTIC_CHARS, MAX_EVENT_ID_CHARS };

/** What the receiving server said: reply code, enhanced status code, diagnostic (capped at `MAX_DIAGNOSTIC_CHARS`). */
export const SmtpSchema = z.object({
  code: z.string().nullable(),
  enhanced: z.string().nullable(),
  diagnostic: z.string().max(MAX_DIAGNOSTIC_CHARS).nullable(),
});
export type Smtp = z.infer<typeof SmtpSchema>;

/**
 * One normalized event: one recipient, one thing that happened (design.md §2). Providers produce
 * these; the policy turns them into decisions; the store keeps them in the event history.
 *
 * @example
 * NormalizedEventSchema.parse({
 *   tenant: "default", provider: "ses", eventId: "0100…-000000#jdoe@example.org",
 *   recipient: "jdoe@example.org", type: "invalid", subtype: "mailbox_not_found",
 *   reason: "user_unknown", rule: "enhanced-5.1.1", occurredAt: "2026-11-20T10:00:00.000Z",
 *   scope: "*", smtp: { code: "550", enhanced: "5.1.1", diagnostic: "smtp; 550 5.1.1 user unknown" },
 *   feedbackType: null, unsubscribeReason: null, resubscribe: false,
 * });
 */
export const NormalizedEventSchema = z.object({
  tenant: z.string().min(1).max(128),
  /** A provider of lambdas/providers/names.ts (the adapter that read the event), or one of the service's own sources (`unsubscribe-link`, `ses-account-list`). */
  provider: z.string().regex(PROVIDER_NAME),
  /** The provider's id for this event and recipient: the idempotency key. */
  eventId: z.string().min(1).max(MAX_EVENT_ID_CHARS),
  /** Canonical address (see `canonicalizeAddress`). */
  recipient: z.string().min(3).max(254),
  type: z.enum(EVENT_TYPE_IDS),
  subtype: z.enum(SUBTYPE_IDS).nullable(),
  reason: z.enum(REASON_IDS).nullable(),
  /** The classifier rule (or provider mapping) that decided type/subtype/reason. */
  rule: z.string().nullable(),
  occurredAt: z.iso.datetime({ offset: true }),
  scope: ScopeSchema,
  smtp: SmtpSchema.nullable(),
  feedbackType: z.enum(FEEDBACK_TYPES).nullable(),
  unsubscribeReason: z.enum(UNSUBSCRIBE_REASON_IDS).nullable(),
  /** An `unsubscribe` with `resubscribe: true` lifts the unsubscribe of its scope instead. */
  resubscribe: z.boolean(),
  /**
   * The sender's tags or categories on the message, as the provider gave them (SendGrid `category`,
   * Mailgun `tags`, SparkPost `rcpt_tags`, SES `mail.tags` as `name:value`, Postmark `Tag`,
   * SendCloud `labelId`): what the status view's `tag` filter matches. Absent or empty: none.
   */
  tags: z.array(z.string().min(1).max(MAX_TAG_CHARS)).max(MAX_TAGS).optional(),
});
/**
 * One normalized event. `provider` is typed by the registry's names (a type-only import: the domain
 * loads no provider, and checks the name's shape only).
 */
export type NormalizedEvent = Omit<z.infer<typeof NormalizedEventSchema>, "provider"> & {
  readonly provider: EventSource;
};

/** What a provider's parser returns for one request body. */
export type ParsedNotification = {
  /** One per recipient and event, in the order the provider gave them. */
  readonly events: NormalizedEvent[];
  /** Opens, clicks, auto-replies and other events outside the taxonomy, acknowledged and counted. */
  readonly ignored: number;
};
