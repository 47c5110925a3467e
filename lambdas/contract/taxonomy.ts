/**
 * The vocabulary every HTTP answer uses (design.md §2, §5.3), as zod schemas registered under their
 * OpenAPI component names. The lists come from core (taxonomy, ledger) and the providers' list,
 * so the document cannot drift from the classifier or the routes.
 */
import * as z from "zod";
import { ScopeSchema, SmtpSchema } from "../core/events.js";
import { CAUSES } from "../core/ledger/types.js";
import {
  EVENT_TYPE_IDS,
  FEEDBACK_TYPES,
  REASON_IDS,
  SUBTYPE_IDS,
  UNSUBSCRIBE_REASON_IDS,
} from "../core/taxonomy.js";
import { EVENT_SOURCES, PROVIDERS } from "../providers/names.js";

export const Scope = ScopeSchema.meta({
  id: "Scope",
  description: "`*` (all mail) or `/`-separated list/topic names.",
  examples: ["*", "newsletter/product-updates"],
});

export const EventType = z.enum(EVENT_TYPE_IDS).meta({ id: "EventType" });
export const Subtype = z
  .enum(SUBTYPE_IDS)
  .meta({ id: "Subtype", description: "Soft-bounce and invalid subtypes (design §2)." });
export const Reason = z.enum(REASON_IDS).meta({ id: "Reason", description: "Fine reasons (design §2.4)." });
export const Cause = z.enum(CAUSES).meta({ id: "Cause", description: "Strongest first." });
export const Provider = z.enum(PROVIDERS).meta({ id: "Provider" });
export const EventSource = z.enum(EVENT_SOURCES).meta({
  id: "EventSource",
  description:
    "Who reported an event: a provider, or the service itself (`unsubscribe-link`: a recipient's unsubscribe link; `ses-account-list`: the SES account-level suppression list).",
});
export const Source = z.enum([...EVENT_SOURCES, "admin"]).meta({
  id: "Source",
  description: "The event source that reported the winning event, or `admin`.",
});
export const FeedbackType = z.enum(FEEDBACK_TYPES).meta({ id: "FeedbackType" });
export const UnsubscribeReason = z.enum(UNSUBSCRIBE_REASON_IDS).meta({ id: "UnsubscribeReason" });

export const VerdictReason = z
  .strictObject({
    type: EventType,
    subtype: Subtype.nullable(),
    reason: z.union([Reason, z.literal("manual"), z.null()]),
  })
  .meta({
    id: "VerdictReason",
    description: "A manual entry reads as `{type: invalid, subtype: blocklisted, reason: manual}`.",
  });

export const Smtp = SmtpSchema.strict().meta({ id: "Smtp" });

/** An ISO 8601 time as we write it (`2026-11-20T10:00:00.000Z`). */
export const IsoTime = () => z.iso.datetime({ offset: true });
