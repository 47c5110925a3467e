/** Tiny statistics and timing helpers for the benchmarks. */

/** The q-quantile (0..1) of `samples`, nearest-rank on a sorted copy. @example quantile([3, 1, 2], 0.5); // 2 */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Median. @example p50([5, 1, 9]); // 5 */
export const p50 = (samples: readonly number[]): number => quantile(samples, 0.5);

/** 95th percentile. */
export const p95 = (samples: readonly number[]): number => quantile(samples, 0.95);

/** Milliseconds since an arbitrary origin, sub-millisecond. */
export const nowMs = (): number => performance.now();

/** Runs `fn` once and returns how long it took, in ms. */
export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = nowMs();
  await fn();
  return nowMs() - start;
}

/** Rounds to `digits` significant digits, for display. @example sig(1234.5, 3); // 1230 */
export function sig(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}
