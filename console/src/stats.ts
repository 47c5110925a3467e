/**
 * The stats page's figures as the charts draw them: one rate per day, in percent, with its line.
 * Pure, so the unit tests run it in Node (test/console/stats.test.ts); the page hands the result to
 * uPlot (views/rate-chart.tsx).
 */
import type { StatsRow } from "../../lambdas/contract/stats.js";

/** The two rates the page charts, as `StatsRow` and `thresholds` name them. */
export const RATES = ["bounceRate", "complaintRate"] as const;
export type RateName = (typeof RATES)[number];

/** One chart's data, in uPlot's shape: x (seconds, UTC midnight), the rate in %, the line in %. */
export type RateSeries = readonly [x: number[], rate: (number | null)[], line: number[]];

/** `2026-11-20` → the Unix time, in seconds, of its UTC midnight. */
export const daySeconds = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 1000;

/**
 * The per-day series of `rate` with its line (`threshold`, a fraction), in percent; a day without
 * deliveries or bounces has no rate (`null`: a gap in the line, not a zero).
 *
 * @example
 * rateSeries([{ key: "2026-11-20", bounceRate: 0.03, … }], "bounceRate", 0.02);
 * // [[1795132800], [3], [2]]
 */
export function rateSeries(rows: readonly StatsRow[], rate: RateName, threshold: number): RateSeries {
  const days = rows.filter((row): row is StatsRow & { key: string } => row.key !== null);
  return [
    days.map((row) => daySeconds(row.key)),
    days.map((row) => (row[rate] === null ? null : toPercent(row[rate]))),
    days.map(() => toPercent(threshold)),
  ];
}

/** A fraction in percent, without binary noise (`0.07 * 100` is `7.000000000000001`). */
const toPercent = (fraction: number): number => Number((fraction * 100).toPrecision(12));

/**
 * The top of a chart's y axis: above the highest rate and the line, so the line is always in view.
 *
 * @example
 * rateScaleMax([0.5, null, 1], 2); // 3
 * rateScaleMax([5], 2); // 5.5
 */
export function rateScaleMax(values: readonly (number | null)[], line: number): number {
  const highest = Math.max(0, ...values.filter((v): v is number => v !== null));
  return Math.max(line * 1.5, highest * 1.1);
}

/** How many of `rows` are over the line of `rate` (the API's own flag, `over`). */
export const daysOver = (rows: readonly StatsRow[], rate: RateName): number =>
  rows.filter((row) => row.over[rate]).length;
