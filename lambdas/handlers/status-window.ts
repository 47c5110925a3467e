/**
 * The window and filters of the status view (`GET /v1/events`, `GET /v1/event-counts`), shared by
 * the status function and an `events` export (lambdas/jobs/export). No handler here.
 */
import type { StatusQuery } from "../contract/status.js";
import { STATUS_WINDOW_DEFAULT_DAYS, STATUS_WINDOW_MAX_DAYS } from "../contract/status.js";
import { InputError } from "../core/errors.js";
import { DAY_SECONDS, fromEpochSeconds, toEpochSeconds } from "../core/ledger/time.js";

/** A window of the status view, in epoch seconds, and the clock it was read with. */
export type StatusWindow = { readonly from: number; readonly to: number; readonly now: number };

/**
 * The window both routes (and an `events` export) read at `now`: `to` defaults to now, `from` to 7
 * days before `to`; a reversed window (a `from` in the future with `to` left to now, say) or one
 * over 30 days is refused.
 *
 * @throws InputError (400) naming `from`
 * @example statusWindow({}, now); // { from: now - 7 days, to: now, now }
 */
export function statusWindow(
  query: { readonly from?: string; readonly to?: string },
  now: number,
): StatusWindow {
  const to = query.to === undefined ? now : toEpochSeconds(query.to);
  const from =
    query.from === undefined ? to - STATUS_WINDOW_DEFAULT_DAYS * DAY_SECONDS : toEpochSeconds(query.from);
  if (from > to) {
    throw new InputError("`from` is after `to`.", [
      { path: "from", message: `${fromEpochSeconds(from)} > ${fromEpochSeconds(to)}` },
    ]);
  }
  if (to - from > STATUS_WINDOW_MAX_DAYS * DAY_SECONDS) {
    throw new InputError(
      `The window is longer than ${STATUS_WINDOW_MAX_DAYS} days: narrow \`from\` and \`to\`.`,
      [{ path: "from", message: `more than ${STATUS_WINDOW_MAX_DAYS} days before \`to\`` }],
    );
  }
  return { from, to, now };
}

/** The provider and tag filters as the store takes them (both routes, and an `events` export). */
export const statusFilters = (query: {
  readonly provider?: StatusQuery["provider"];
  readonly tag?: string;
}) => ({
  ...(query.provider === undefined ? {} : { provider: query.provider }),
  ...(query.tag === undefined ? {} : { tag: query.tag }),
});
