/**
 * `GET /v1/events?type=&provider=&tag=&from=&to=&cursor=&limit=`: the status view, every provider
 * event of the tenant in a window of at most 30 days, newest first; `GET
 * /v1/event-counts?provider=&tag=&from=&to=`: how many of each type the same window holds
 * (design.md §5.3).
 */
import * as z from "zod";
import { MAX_TAG_CHARS, STATUS_WINDOW_DEFAULT_DAYS, STATUS_WINDOW_MAX_DAYS } from "../core/limits.js";
import { EVENT_TYPE_IDS, type EventType as EventTypeId } from "../core/taxonomy.js";
import { EventHistoryEntry } from "./history.js";
import { MAX_CURSOR_CHARS } from "./lists.js";
import { EventSource, EventType, IsoTime } from "./taxonomy.js";

/** At most this many events per page (the store's `MAX_STATUS_PAGE`). */
export const STATUS_PAGE_LIMIT = 100;
/** Events per page when `limit` is not given. */
export const STATUS_PAGE_DEFAULT = 50;
/** The window's limits (core/limits.ts: the store and the console read them too). */
export { STATUS_WINDOW_DEFAULT_DAYS, STATUS_WINDOW_MAX_DAYS };

export const StatusPage = z
  .strictObject({
    from: IsoTime().describe("The window's start (the one asked for, or `to` less 7 days)."),
    to: IsoTime().describe("The window's end (the one asked for, or now)."),
    items: z.array(EventHistoryEntry).describe("Newest first."),
    cursor: z
      .string()
      .nullable()
      .describe(
        "Pass as `cursor` (with the same `from` and `to`) for the next page; `null` once everything was read. A page may be short, or empty, and still carry a cursor (its read budget ran out under a selective filter or over empty days): follow `cursor` until it is null.",
      ),
  })
  .meta({ id: "StatusPage" });
export type StatusPage = z.output<typeof StatusPage>;

/** The query of a status-view read. */
export const StatusQuery = z.strictObject({
  type: EventType.optional(),
  provider: EventSource.optional(),
  tag: z.string().min(1).max(MAX_TAG_CHARS).optional(),
  from: IsoTime().optional(),
  to: IsoTime().optional(),
  cursor: z.string().min(1).max(MAX_CURSOR_CHARS).optional(),
  limit: z.coerce.number().int().min(1).max(STATUS_PAGE_LIMIT).optional(),
});
export type StatusQuery = z.output<typeof StatusQuery>;

/**
 * The query of `GET /v1/event-counts`: the status view's window and filters, without `type` (every
 * type is counted), `cursor` or `limit` (strict: those are a 400 here).
 */
export const EventCountsQuery = StatusQuery.omit({ type: true, cursor: true, limit: true });
export type EventCountsQuery = z.output<typeof EventCountsQuery>;

export const EventCounts = z
  .strictObject({
    from: IsoTime().describe("The window's start (the one asked for, or `to` less 7 days)."),
    to: IsoTime().describe("The window's end (the one asked for, or now)."),
    counts: z
      .strictObject(
        Object.fromEntries(EVENT_TYPE_IDS.map((type) => [type, z.int().min(0)])) as Record<
          EventTypeId,
          z.ZodInt
        >,
      )
      .describe(
        "The provider events of each type between `countedFrom` and `to`, under the `provider` and `tag` filters: exactly what paging `GET /v1/events` with the same filters to its end lists.",
      ),
    total: z.int().min(0).describe("The sum of `counts`."),
    complete: z
      .boolean()
      .describe(
        "`true` when the whole window was counted. `false` when counting it all would not fit the read budget of one request: the newest whole UTC days were counted, never a part of a day, and `countedFrom` says from when.",
      ),
    countedFrom: IsoTime().describe(
      "The counts are of the events between this and `to`: `from` when `complete`; otherwise 00:00 UTC of the oldest day counted (`to` when none was). Ask for the rest as another window ending before it.",
    ),
  })
  .meta({ id: "EventCounts" });
export type EventCounts = z.output<typeof EventCounts>;
