/** Seconds in a day: policy durations are days, stored expiries are epoch seconds. */
export const DAY_SECONDS = 86_400;

/**
 * Epoch seconds (floored) of an ISO date-time; throws on an unparsable value.
 *
 * @example
 * toEpochSeconds("2026-11-20T10:00:00.900Z"); // 1795168800
 */
export function toEpochSeconds(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO date-time: ${JSON.stringify(iso)}`);
  return Math.floor(ms / 1000);
}

/**
 * The ISO (UTC, `Z`) form of epoch seconds.
 *
 * @example
 * fromEpochSeconds(1795168800); // "2026-11-20T10:00:00.000Z"
 */
export function fromEpochSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** A number of days as whole seconds (days may be fractional). */
export function daysToSeconds(days: number): number {
  return Math.round(days * DAY_SECONDS);
}
