/** `GET /v1/events/{address}`: the history of one address or domain (design.md §5.3). */
import * as z from "zod";
import { DecisionView, EventView, OUTCOMES } from "./ingestion.js";
import { SUBJECT_KINDS } from "./suppressions.js";
import { Cause, EventType, IsoTime, Scope } from "./taxonomy.js";

/** At most this many items per page (the store's `MAX_HISTORY_PAGE`). */
export const HISTORY_PAGE_LIMIT = 100;
/** Items per page when `limit` is not given. */
export const HISTORY_PAGE_DEFAULT = 50;

export const EventHistoryEntry = z
  .strictObject({
    kind: z.literal("event"),
    at: IsoTime().describe("When it occurred, as the provider says."),
    receivedAt: IsoTime(),
    event: EventView,
    decision: DecisionView,
    applied: z.boolean().describe("`false`: recorded, not yet applied (a delivery that failed half-way)."),
    outcome: z.enum(OUTCOMES).nullable(),
  })
  .meta({ id: "EventHistoryEntry", description: "A provider event and what the policy did with it." });

export const AdminHistoryEntry = z
  .strictObject({
    kind: z.literal("admin"),
    at: IsoTime(),
    actionId: z.string(),
    action: z
      .enum(["suppress", "remove", "allow", "disallow"])
      .describe("A manual entry, a removal, or the allowlist taking the subject on or off."),
    scope: Scope,
    actor: z.strictObject({ keyId: z.string(), name: z.string() }).describe("The API key that asked."),
    note: z.string().nullable().describe("A manual entry's note."),
    expiresAt: IsoTime().nullable().describe("A manual entry's expiry; `null` for never (and for removals)."),
    reason: z.string().nullable().describe("Why a removal was asked for."),
    causes: z.array(Cause).describe("The causes a removal named (`[]` for a manual entry)."),
    removed: z.array(Cause).nullable().describe("The causes a removal ended, once applied."),
    applied: z.boolean().describe("`false`: the request failed before the change was made."),
  })
  .meta({ id: "AdminHistoryEntry", description: "An operator's change, with who and why." });

export const HistoryEntry = z
  .discriminatedUnion("kind", [EventHistoryEntry, AdminHistoryEntry])
  .meta({ id: "HistoryEntry" });
export type HistoryEntry = z.output<typeof HistoryEntry>;

export const HistoryPage = z
  .strictObject({
    subjectKind: z.enum(SUBJECT_KINDS),
    subject: z.string(),
    items: z.array(HistoryEntry).describe("Newest first."),
    cursor: z.string().nullable().describe("Pass as `cursor` for the next page; `null` on the last page."),
  })
  .meta({ id: "HistoryPage" });
export type HistoryPage = z.output<typeof HistoryPage>;

/** The query of a history read. */
export const HistoryQuery = z.strictObject({
  from: IsoTime().optional(),
  to: IsoTime().optional(),
  type: z.enum([...EventType.options, "admin"]).optional(),
  cursor: z.string().min(1).max(2_048).optional(),
  limit: z.coerce.number().int().min(1).max(HISTORY_PAGE_LIMIT).optional(),
});
export type HistoryQuery = z.output<typeof HistoryQuery>;
