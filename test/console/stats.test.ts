/**
 * The stats charts' data (console/src/stats.ts) from answers of `GET /v1/stats` checked by the
 * contract's schema (lambdas/contract/stats.ts): one point per day, rates in percent, the line
 * beside them, gaps where a day had no volume, the days over the line by the API's own flag.
 */
import { describe, expect, it } from "vitest";
import { daySeconds, daysOver, RATES, rateScaleMax, rateSeries } from "../../console/src/stats.js";
import {
  BOUNCE_RATE_THRESHOLD,
  COMPLAINT_RATE_THRESHOLD,
  Stats,
  type StatsRow,
} from "../../lambdas/contract/stats.js";

const row = (
  key: string | null,
  bounceRate: number | null,
  complaintRate: number | null,
  over: StatsRow["over"] = {
    bounceRate: (bounceRate ?? 0) > BOUNCE_RATE_THRESHOLD,
    complaintRate: (complaintRate ?? 0) > COMPLAINT_RATE_THRESHOLD,
  },
): StatsRow => ({
  key,
  counts: {
    requests: 0,
    deliveries: 0,
    softBounces: 0,
    invalid: 0,
    complaints: 0,
    unsubscribes: 0,
    bySubtype: {},
  },
  bounceRate,
  complaintRate,
  over,
});

/** A `groupBy=day` answer, as the page receives it. */
const answer = (rows: StatsRow[]): Stats =>
  Stats.parse({
    from: rows[0]?.key ?? "2026-11-19",
    to: rows.at(-1)?.key ?? "2026-11-19",
    groupBy: "day",
    thresholds: { bounceRate: BOUNCE_RATE_THRESHOLD, complaintRate: COMPLAINT_RATE_THRESHOLD },
    rows,
    total: row("total", null, null),
    complete: true,
  });

describe("the stats charts' data", () => {
  const stats = answer([
    row("2026-11-19", 0.01, 0),
    row("2026-11-20", 0.07, 0.002),
    row("2026-11-21", null, null),
    row("2026-11-22", 0.0029, 0.0007),
  ]);

  it("is one point per day at UTC midnight, in percent, with the line beside it and gaps for no volume", () => {
    // Act
    const [x, rate, line] = rateSeries(stats.rows, "bounceRate", stats.thresholds.bounceRate);
    const complaints = rateSeries(stats.rows, "complaintRate", stats.thresholds.complaintRate);
    // Assess
    expect(x).toEqual([
      Date.UTC(2026, 10, 19) / 1000,
      Date.UTC(2026, 10, 20) / 1000,
      Date.UTC(2026, 10, 21) / 1000,
      Date.UTC(2026, 10, 22) / 1000,
    ]);
    expect(rate).toEqual([1, 7, null, 0.29]);
    expect(line).toEqual([2, 2, 2, 2]);
    expect(complaints[1]).toEqual([0, 0.2, null, 0.07]);
    expect(complaints[2]).toEqual([0.1, 0.1, 0.1, 0.1]);
    expect(RATES).toEqual(Object.keys(stats.thresholds));
  });

  it("leaves out a row that is not a day (a tag answer's others)", () => {
    // Act
    const [x, rate] = rateSeries([row("2026-11-20", 0.03, 0), row(null, 0.5, 0)], "bounceRate", 0.02);
    // Assess
    expect(x).toEqual([daySeconds("2026-11-20")]);
    expect(rate).toEqual([3]);
    expect(daySeconds("2026-11-20")).toBe(1_795_132_800);
  });

  it("keeps the line in view, above the highest rate", () => {
    expect(rateScaleMax([1, null], 2)).toBe(3);
    expect(rateScaleMax([0.5, null, 1], 2)).toBe(3);
    expect(rateScaleMax([7], 2)).toBeCloseTo(7.7);
    expect(rateScaleMax([5], 2)).toBeCloseTo(5.5);
    expect(rateScaleMax([], 0.1)).toBeCloseTo(0.15);
    expect(rateScaleMax([null, null], 0.1)).toBeCloseTo(0.15);
  });

  it("counts the days over the line by the API's own flag, not by comparing again", () => {
    // Prepare
    const flagged = [
      row("2026-11-19", 0.03, 0, { bounceRate: false, complaintRate: true }),
      row("2026-11-20", 0.01, 0, { bounceRate: true, complaintRate: false }),
      row("2026-11-21", 0.02, 0, { bounceRate: true, complaintRate: false }),
    ];
    // Act / Assess
    expect(daysOver(stats.rows, "bounceRate")).toBe(1);
    expect(daysOver(stats.rows, "complaintRate")).toBe(1);
    expect(daysOver(flagged, "bounceRate")).toBe(2);
    expect(daysOver(flagged, "complaintRate")).toBe(1);
  });
});
