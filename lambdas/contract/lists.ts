/**
 * `GET /v1/suppressions?cause=&reason=&source=&scope=&since=&until=&q=&cursor=&limit=`: the live
 * entries of the tenant, newest first (design.md §5.3). SendCloud's bounce, complaint, unsubscribe
 * and manual lists are this route with a filter.
 */
import * as z from "zod";
import { SUBJECT_KINDS } from "./suppressions.js";
import { Cause, IsoTime, Reason, Scope, Source, UnsubscribeReason, VerdictReason } from "./taxonomy.js";

/** At most this many entries per page (the store's `MAX_LIST_PAGE`). */
export const LIST_PAGE_LIMIT = 100;
/** Entries per page when `limit` is not given. */
export const LIST_PAGE_DEFAULT = 50;
/** The longest cursor the lists and the status view hand out. */
export const MAX_CURSOR_CHARS = 4_096;

export const ListedCause = z
  .strictObject({
    cause: Cause,
    reason: VerdictReason,
    rule: z.string().nullable(),
    source: Source,
    since: IsoTime().describe("When this cause began (its current life)."),
    lastAt: IsoTime().describe("The latest event that set or extended it."),
    expiresAt: IsoTime().nullable().describe("`null` means never."),
    eventId: z.string().describe("The event (or the operator's action) the cause carries."),
    unsubscribeReason: UnsubscribeReason.nullable().describe(
      "The reason the recipient chose when unsubscribing, where the provider says one; `null` otherwise.",
    ),
    note: z.string().nullable().describe("The operator's note of a manual entry; `null` otherwise."),
  })
  .meta({ id: "ListedCause", description: "One live cause of a listed entry." });
export type ListedCause = z.output<typeof ListedCause>;

export const ListEntry = z
  .strictObject({
    subjectKind: z.enum(SUBJECT_KINDS).describe("An address, or (manual entries) a whole domain."),
    subject: z.string().describe("The canonical address, or the domain (without `@`)."),
    scope: Scope,
    cause: Cause.describe("The strongest live cause that matches the filters."),
    reason: VerdictReason,
    since: IsoTime(),
    expiresAt: IsoTime().nullable().describe("`null` means never."),
    source: Source,
    causes: z.array(ListedCause).min(1).describe("Every live cause of the entry, strongest first."),
  })
  .meta({
    id: "ListEntry",
    description:
      "One live entry (subject × scope); `cause`, `reason`, `since`, `expiresAt` and `source` are those of its strongest live cause that matches the filters.",
  });
export type ListEntry = z.output<typeof ListEntry>;

export const ListPage = z
  .strictObject({
    items: z.array(ListEntry).describe("Newest first."),
    cursor: z
      .string()
      .nullable()
      .describe(
        "Pass as `cursor` for the next page; `null` once everything was read. A page may be short, or empty, and still carry a cursor (its read budget ran out under a selective filter): follow `cursor` until it is null.",
      ),
  })
  .meta({ id: "ListPage" });
export type ListPage = z.output<typeof ListPage>;

/** `source`: a provider, `admin` (operators' manual entries), or `manual`, the same as `admin`. */
export const ListSource = z.enum([...Source.options, "manual"]);

/** The query of a list read. */
export const ListQuery = z.strictObject({
  cause: Cause.optional(),
  reason: Reason.optional(),
  source: ListSource.optional(),
  scope: Scope.optional(),
  since: IsoTime().optional(),
  until: IsoTime().optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^\S+$/, "an address prefix (`jdoe`, `jdoe@exa`) or `@domain`, without spaces")
    .optional(),
  cursor: z.string().min(1).max(MAX_CURSOR_CHARS).optional(),
  limit: z.coerce.number().int().min(1).max(LIST_PAGE_LIMIT).optional(),
});
export type ListQuery = z.output<typeof ListQuery>;
