/**
 * `GET /v1/stats?from=YYYY-MM-DD&to=YYYY-MM-DD&groupBy=day|provider|tag&provider=&tag=`: the
 * reputation figures of the caller's tenant (docs/figures.md): per UTC day on which the service
 * first accepted each event, the events of each type, the bounce and complaint rates and whether
 * they are over their lines. Scope `admin`.
 */
import * as z from "zod";
import { MAX_TAG_CHARS } from "../core/limits.js";
import {
  BOUNCE_RATE_THRESHOLD,
  COMPLAINT_RATE_THRESHOLD,
  STATS_GROUP_BY,
  STATS_MAX_TAGS,
  STATS_WINDOW_DEFAULT_DAYS,
  STATS_WINDOW_MAX_DAYS,
} from "../core/reputation.js";
import { EventSource } from "./taxonomy.js";

/** The window's limits and the lines (core/reputation.ts: the store, the console and the alarms read them). */
export {
  BOUNCE_RATE_THRESHOLD,
  COMPLAINT_RATE_THRESHOLD,
  STATS_MAX_TAGS,
  STATS_WINDOW_DEFAULT_DAYS,
  STATS_WINDOW_MAX_DAYS,
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A UTC day, `YYYY-MM-DD`, that exists on the calendar. */
export const StatsDay = () =>
  z
    .string()
    .regex(DAY, "a day is YYYY-MM-DD")
    .refine((d) => {
      const t = Date.parse(`${d}T00:00:00Z`);
      return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
    }, "not a day of the calendar");

export const StatsGroupBy = z.enum(STATS_GROUP_BY).meta({ id: "StatsGroupBy" });
export type StatsGroupBy = z.output<typeof StatsGroupBy>;

/** The query of `GET /v1/stats` (strict: any other parameter is a 400). */
export const StatsQuery = z.strictObject({
  from: StatsDay()
    .optional()
    .describe(`The first UTC day, included; default \`to\` less ${STATS_WINDOW_DEFAULT_DAYS - 1} days.`),
  to: StatsDay().optional().describe("The last UTC day, included; default today (UTC)."),
  groupBy: StatsGroupBy.optional().describe("`day` (default), `provider` or `tag`."),
  provider: EventSource.optional().describe(
    "Only the events of this source (a provider or the service's own).",
  ),
  tag: z.string().min(1).max(MAX_TAG_CHARS).optional().describe("Only the events carrying this tag."),
});
export type StatsQuery = z.output<typeof StatsQuery>;

const count = () => z.int().min(0);

export const StatsCounts = z
  .strictObject({
    requests: count().describe("`request` events (sends the providers reported)."),
    deliveries: count().describe("`delivered` events."),
    softBounces: count().describe("`soft_bounce` events."),
    invalid: count().describe("`invalid` events: hard bounces."),
    complaints: count().describe("`complaint` events."),
    unsubscribes: count().describe("`unsubscribe` events."),
    bySubtype: z
      .record(z.string(), count())
      .describe(
        "The soft bounces and invalid events by subtype, keyed `<type>:<subtype>` (`invalid:mailbox_not_found`, `soft_bounce:other`): only subtypes that occurred.",
      ),
  })
  .meta({ id: "StatsCounts", description: "Events first accepted, by type." });
export type StatsCounts = z.output<typeof StatsCounts>;

export const StatsRow = z
  .strictObject({
    key: z
      .string()
      .nullable()
      .describe(
        "The day (`YYYY-MM-DD`), the provider id or the tag; `total` in `total`; `null` in the last row of a tag answer, which sums the rows of the tags not shown (an event with two of them counts in both).",
      ),
    counts: StatsCounts,
    bounceRate: z
      .number()
      .min(0)
      .nullable()
      .describe("invalid / (deliveries + softBounces + invalid); `null` when that is 0."),
    complaintRate: z
      .number()
      .min(0)
      .nullable()
      .describe("complaints / (deliveries + softBounces + invalid); `null` when that is 0."),
    over: z
      .strictObject({
        bounceRate: z.boolean().describe(`\`bounceRate\` > ${BOUNCE_RATE_THRESHOLD}.`),
        complaintRate: z.boolean().describe(`\`complaintRate\` > ${COMPLAINT_RATE_THRESHOLD}.`),
      })
      .describe("Whether each rate is strictly above its line (`false` when it is `null`)."),
  })
  .meta({ id: "StatsRow" });
export type StatsRow = z.output<typeof StatsRow>;

export const Stats = z
  .strictObject({
    from: StatsDay().describe("The first day of the window."),
    to: StatsDay().describe("The last day of the window."),
    groupBy: StatsGroupBy,
    thresholds: z
      .strictObject({
        bounceRate: z.literal(BOUNCE_RATE_THRESHOLD),
        complaintRate: z.literal(COMPLAINT_RATE_THRESHOLD),
      })
      .describe("The lines the rates are held to (2% and 0.1%)."),
    rows: z
      .array(StatsRow)
      .describe(
        `\`day\`: every day of the window counted, ascending (zeros included). \`provider\`: the providers that had events, by volume. \`tag\`: the ${STATS_MAX_TAGS} busiest tags, by volume, then (when there are more, or a day summed some) one \`null\` row for the others. An event with several tags counts under each.`,
      ),
    total: StatsRow.describe(
      "Every event the rows cover, counted once (key `total`); for `tag`, the events carrying a tag.",
    ),
    complete: z
      .boolean()
      .describe(
        "`false` when the answer is not the whole window: its read budget ran out (the days not counted are missing from `rows` and `total`; ask again, the days counted since are kept), or the `tag` asked for was summed with a day's other tags.",
      ),
  })
  .meta({ id: "Stats" });
export type Stats = z.output<typeof Stats>;
