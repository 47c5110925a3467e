/**
 * The reputation figures (docs/figures.md): what is counted, the two rates, the lines they are held
 * to, and how a day's counts are summarized and combined into the answer of `GET /v1/stats`. Pure
 * and zod-free: the store (lambdas/store/stats.ts), the contract, the console and the CDK alarms
 * (lib/constructs/alarms.ts) read the same numbers from here.
 *
 * - `bounceRate` = invalid / (deliveries + softBounces + invalid)
 * - `complaintRate` = complaints / (deliveries + softBounces + invalid)
 *
 * both `null` when the denominator is 0, and "over" when strictly above their threshold.
 */
import type { EventType, Subtype } from "./taxonomy.js";

/** Above this bounce rate (2%) a day is flagged and the per-tenant alarm fires (SES reviews at 5%). */

/** The value of `key` in `map`, first set to `make()` when absent. */
function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

export const BOUNCE_RATE_THRESHOLD = 0.02;
/** Above this complaint rate (0.1%) a day is flagged and the per-tenant alarm fires (SES reviews at 0.1%). */
export const COMPLAINT_RATE_THRESHOLD = 0.001;
/** Both lines, as `GET /v1/stats` answers them in `thresholds`. */
export const REPUTATION_THRESHOLDS = {
  bounceRate: BOUNCE_RATE_THRESHOLD,
  complaintRate: COMPLAINT_RATE_THRESHOLD,
} as const;
/**
 * The per-tenant alarms stay quiet below this many deliveries + bounces in their day: a tenant that
 * sent 3 messages, one of which bounced, is at 33% and says nothing yet.
 */
export const REPUTATION_ALARM_MIN_VOLUME = 100;

/** The longest window of `GET /v1/stats`, in UTC days (both ends included), and its default. */
export const STATS_WINDOW_MAX_DAYS = 92;
export const STATS_WINDOW_DEFAULT_DAYS = 30;
/**
 * A day keeps its busiest tags, at most this many (by volume); the others of the day are summed in
 * one row (`null` key). The answer's tag rows are capped the same way.
 */
export const STATS_MAX_TAGS = 50;
/** How an answer is grouped. */
export const STATS_GROUP_BY = ["day", "provider", "tag"] as const;
export type StatsGroupBy = (typeof STATS_GROUP_BY)[number];

/** The counts of one row: events first accepted, by type; `bySubtype` keyed `<type>:<subtype>`. */
export type StatsCounts = {
  requests: number;
  deliveries: number;
  softBounces: number;
  invalid: number;
  complaints: number;
  unsubscribes: number;
  bySubtype: Record<string, number>;
};

/** The field of `StatsCounts` each event type counts in. */
export const COUNT_OF_TYPE = {
  request: "requests",
  delivered: "deliveries",
  soft_bounce: "softBounces",
  invalid: "invalid",
  complaint: "complaints",
  unsubscribe: "unsubscribes",
} as const satisfies Record<EventType, keyof Omit<StatsCounts, "bySubtype">>;

type CountField = (typeof COUNT_OF_TYPE)[EventType];
const FIELDS = Object.values(COUNT_OF_TYPE) as CountField[];

/** The counts of nothing. @example zeroCounts().invalid; // 0 */
export const zeroCounts = (): StatsCounts => ({
  requests: 0,
  deliveries: 0,
  softBounces: 0,
  invalid: 0,
  complaints: 0,
  unsubscribes: 0,
  bySubtype: {},
});

/** Adds `b` into `a` (in place) and returns `a`. @example addCounts(zeroCounts(), day.total); */
export function addCounts(a: StatsCounts, b: StatsCounts): StatsCounts {
  for (const f of FIELDS) a[f] += b[f];
  for (const [k, n] of Object.entries(b.bySubtype)) a.bySubtype[k] = (a.bySubtype[k] ?? 0) + n;
  return a;
}

/** All the events a row counts. @example volume(counts); // 1234 */
export const volume = (c: StatsCounts): number => FIELDS.reduce((n, f) => n + c[f], 0);

/** The `bySubtype` key of a subtype of a type. @example subtypeKey("invalid", "mailbox_not_found"); // "invalid:mailbox_not_found" */
export const subtypeKey = (type: EventType, subtype: Subtype): string => `${type}:${subtype}`;

/** The two rates of `c` (see the module notes). @example rates(c).bounceRate; // 0.031 or null */
export function rates(c: StatsCounts): { bounceRate: number | null; complaintRate: number | null } {
  const sent = c.deliveries + c.softBounces + c.invalid;
  return sent === 0
    ? { bounceRate: null, complaintRate: null }
    : { bounceRate: c.invalid / sent, complaintRate: c.complaints / sent };
}

/** One event as the figures see it: what the `stats` index's `cdim` attribute encodes. */
export type CountedEvent = {
  readonly type: EventType;
  readonly subtype: Subtype | null;
  readonly provider: string;
  readonly tags: readonly string[];
};

/**
 * The compact encoding of an event's dimensions, stored on its history claim (`cdim`): a JSON
 * array `[type, subtype, provider, ...tags]`. Small, and safe for any tag text.
 *
 * @example encodeDimensions({ type: "invalid", subtype: "mailbox_not_found", provider: "ses", tags: ["a"] });
 * // '["invalid","mailbox_not_found","ses","a"]'
 */
export const encodeDimensions = (e: CountedEvent): string =>
  JSON.stringify([e.type, e.subtype, e.provider, ...e.tags]);

/** The inverse of `encodeDimensions`; `undefined` for anything it did not make. @example decodeDimensions('["delivered",null,"ses"]'); */
export function decodeDimensions(cdim: unknown): CountedEvent | undefined {
  if (typeof cdim !== "string") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(cdim);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length < 3) return undefined;
  const [type, subtype, provider, ...tags] = value as unknown[];
  if (!(typeof type === "string" && type in COUNT_OF_TYPE)) return undefined;
  if (!(subtype === null || typeof subtype === "string") || typeof provider !== "string") return undefined;
  if (!tags.every((t): t is string => typeof t === "string")) return undefined;
  return { type: type as EventType, subtype: subtype as Subtype | null, provider, tags };
}

/** Counts `n` events like `e` into `c`. */
function countInto(c: StatsCounts, e: CountedEvent, n: number): void {
  c[COUNT_OF_TYPE[e.type]] += n;
  if (e.subtype !== null) {
    const k = subtypeKey(e.type, e.subtype);
    c.bySubtype[k] = (c.bySubtype[k] ?? 0) + n;
  }
}

/**
 * One cell of a day: the counts of one provider's events, all of them (`tag` `undefined`), those
 * carrying one tag, or (`tag` `null`) the sum of the rows of the tags the day did not keep.
 */
export type DayCell = {
  readonly provider: string;
  readonly tag?: string | null;
  readonly counts: StatsCounts;
};

/**
 * One UTC day of a tenant, summarized: per provider, its counts, and its counts per kept tag (the
 * day's `STATS_MAX_TAGS` busiest, across providers) plus one overflow cell for the others. Every
 * answer is computed from these, whether the day was read live from the index or from its rollup.
 */
export type DaySummary = {
  readonly day: string;
  readonly cells: readonly DayCell[];
  /** Tags the day did not keep (summed in the `null` cells); 0 when it kept every tag. */
  readonly otherTags: number;
};

const tagCompare = (a: [string, number], b: [string, number]) =>
  b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * The summary of a day from its events, each with how many times it occurred (in any order: the
 * result does not depend on it; the same event may come in several entries).
 *
 * @example summarizeDay("2026-11-20", [[{ type: "delivered", subtype: null, provider: "ses", tags: [] }, 3]]);
 */
export function summarizeDay(
  day: string,
  events: Iterable<readonly [CountedEvent, number]>,
  maxTags = STATS_MAX_TAGS,
): DaySummary {
  const byProvider = new Map<string, StatsCounts>();
  const byTag = new Map<string, Map<string, StatsCounts>>(); // tag → provider → counts
  const tagVolume = new Map<string, number>();
  for (const [e, n] of events) {
    const p = getOrAdd(byProvider, e.provider, zeroCounts);
    countInto(p, e, n);
    for (const tag of new Set(e.tags)) {
      const t = getOrAdd(byTag, tag, () => new Map<string, StatsCounts>());
      countInto(getOrAdd(t, e.provider, zeroCounts), e, n);
      tagVolume.set(tag, (tagVolume.get(tag) ?? 0) + n);
    }
  }
  const ranked = [...tagVolume].sort(tagCompare);
  const kept = new Set(ranked.slice(0, maxTags).map(([t]) => t));
  const cells: DayCell[] = [];
  const others = new Map<string, StatsCounts>();
  for (const [provider, counts] of [...byProvider].sort(([a], [b]) => (a < b ? -1 : 1))) {
    cells.push({ provider, counts });
  }
  for (const [tag] of ranked) {
    for (const [provider, counts] of [...(byTag.get(tag) ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (kept.has(tag)) cells.push({ provider, tag, counts });
      else {
        const o = others.get(provider) ?? zeroCounts();
        others.set(provider, addCounts(o, counts));
      }
    }
  }
  for (const [provider, counts] of [...others].sort(([a], [b]) => (a < b ? -1 : 1))) {
    cells.push({ provider, tag: null, counts });
  }
  return { day, cells, otherTags: ranked.length - kept.size };
}

/** One row of an answer, before it is shaped for the contract. */
export type FigureRow = {
  readonly key: string | null;
  readonly counts: StatsCounts;
  readonly bounceRate: number | null;
  readonly complaintRate: number | null;
  readonly over: { readonly bounceRate: boolean; readonly complaintRate: boolean };
};

/** A row of `counts` with its rates and flags. @example figureRow("2026-11-20", counts).over.bounceRate; */
export function figureRow(key: string | null, counts: StatsCounts): FigureRow {
  const r = rates(counts);
  return {
    key,
    counts,
    ...r,
    over: {
      bounceRate: r.bounceRate !== null && r.bounceRate > BOUNCE_RATE_THRESHOLD,
      complaintRate: r.complaintRate !== null && r.complaintRate > COMPLAINT_RATE_THRESHOLD,
    },
  };
}

/** Which events an answer counts, and how it groups them. */
export type FigureQuery = {
  readonly groupBy: StatsGroupBy;
  readonly provider?: string;
  readonly tag?: string;
};

/** The figures of some days: the rows, the total, and whether a tag filter met a day that did not keep it. */
export type Figures = {
  readonly rows: FigureRow[];
  readonly total: FigureRow;
  /** `false` when `tag` was asked for and some day summed it with its other tags (not exact). */
  readonly exact: boolean;
};

/**
 * The answer's figures over `days` (ascending): rows by day (every day given, zeros included), by
 * provider or by tag (by volume, at most `STATS_MAX_TAGS`, then the others summed in a `null` row),
 * under the provider and tag filters.
 *
 * @example figures(days, { groupBy: "provider" }).rows.map((r) => r.key); // ["ses", "sendgrid"]
 */
export function figures(days: readonly DaySummary[], query: FigureQuery, maxTags = STATS_MAX_TAGS): Figures {
  const total = zeroCounts();
  const groups = new Map<string | null, StatsCounts>();
  const add = (key: string | null, counts: StatsCounts) => {
    addCounts(getOrAdd(groups, key, zeroCounts), counts);
  };
  let exact = true;
  const rows: FigureRow[] = [];
  for (const day of days) {
    const dayCounts = zeroCounts();
    let tagKept = false;
    for (const cell of day.cells) {
      if (query.provider !== undefined && cell.provider !== query.provider) continue;
      if (query.groupBy === "tag") {
        if (cell.tag === undefined) continue;
        if (query.tag !== undefined && cell.tag !== query.tag) continue;
        add(cell.tag, cell.counts);
        if (cell.tag !== null) addCounts(dayCounts, cell.counts);
        continue;
      }
      if (query.tag === undefined ? cell.tag !== undefined : cell.tag !== query.tag) continue;
      tagKept = true;
      addCounts(dayCounts, cell.counts);
      if (query.groupBy === "provider") add(cell.provider, cell.counts);
    }
    if (query.tag !== undefined && day.otherTags > 0) {
      tagKept ||= day.cells.some((c) => c.tag === query.tag);
      if (!tagKept) exact = false;
    }
    if (query.groupBy === "day") rows.push(figureRow(day.day, dayCounts));
    if (query.groupBy !== "tag") addCounts(total, dayCounts);
  }
  if (query.groupBy === "tag") {
    // The total of a tag answer: the events of the days under the filters, once each.
    for (const day of days)
      for (const cell of day.cells) {
        if (query.provider !== undefined && cell.provider !== query.provider) continue;
        if (query.tag === undefined ? cell.tag !== undefined : cell.tag !== query.tag) continue;
        addCounts(total, cell.counts);
      }
  }
  if (query.groupBy !== "day") {
    const named = [...groups].filter((g): g is [string, StatsCounts] => g[0] !== null);
    named.sort((a, b) => volume(b[1]) - volume(a[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const shown = query.groupBy === "tag" ? named.slice(0, maxTags) : named;
    rows.push(...shown.map(([k, c]) => figureRow(k, c)));
    const rest = query.groupBy === "tag" ? named.slice(maxTags) : [];
    const other = groups.get(null);
    if (rest.length > 0 || other !== undefined) {
      const o = zeroCounts();
      if (other !== undefined) addCounts(o, other);
      for (const [, c] of rest) addCounts(o, c);
      rows.push(figureRow(null, o));
    }
  }
  return { rows, total: figureRow("total", total), exact };
}
