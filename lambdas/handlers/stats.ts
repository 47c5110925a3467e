/**
 * `GET /v1/stats?from=&to=&groupBy=day|provider|tag&provider=&tag=` (docs/figures.md): the
 * reputation figures of the caller's tenant over UTC days of acceptance, from the store's day
 * summaries (store/stats.ts), grouped and rated by core/reputation.ts.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { type Stats, StatsQuery } from "../contract/stats.js";
import { InputError } from "../core/errors.js";
import {
  type FigureRow,
  figures,
  REPUTATION_THRESHOLDS,
  STATS_WINDOW_DEFAULT_DAYS,
  STATS_WINDOW_MAX_DAYS,
} from "../core/reputation.js";
import { parseAt } from "../providers/shared/validate.js";
import { statsDays, statsStore } from "../store/stats.js";
import { type HttpResponse, json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { getPolicy } from "./policy-source.js";
import { containerDeps, type RuntimeDeps } from "./runtime.js";

const DAY_SECONDS = 86_400;
const dayOf = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10);
const daysBefore = (day: string, n: number): string =>
  dayOf(Date.parse(`${day}T00:00:00Z`) / 1000 - n * DAY_SECONDS);

/**
 * The window of a query at `now`: `to` defaults to today (UTC), `from` to `to` less 29 days (30 days
 * in all); reversed, or longer than `STATS_WINDOW_MAX_DAYS` days, is refused.
 *
 * @throws InputError (400) naming `from`
 * @example statsWindow({}, now); // { from: "2026-11-02", to: "2026-12-01" }
 */
export function statsWindow(
  query: { readonly from?: string; readonly to?: string },
  now: number,
): { readonly from: string; readonly to: string } {
  const to = query.to ?? dayOf(now);
  const from = query.from ?? daysBefore(to, STATS_WINDOW_DEFAULT_DAYS - 1);
  if (from > to) {
    throw new InputError("`from` is after `to`.", [{ path: "from", message: `${from} > ${to}` }]);
  }
  if (statsDays(from, to).length > STATS_WINDOW_MAX_DAYS) {
    throw new InputError(
      `The window is longer than ${STATS_WINDOW_MAX_DAYS} days: narrow \`from\` and \`to\`.`,
      [{ path: "from", message: `more than ${STATS_WINDOW_MAX_DAYS} days up to ${to}, both included` }],
    );
  }
  return { from, to };
}

const rowOf = (row: FigureRow): Stats["rows"][number] => ({
  key: row.key,
  counts: { ...row.counts, bySubtype: { ...row.counts.bySubtype } },
  bounceRate: row.bounceRate,
  complaintRate: row.complaintRate,
  over: { ...row.over },
});

/**
 * The figures answer for `event` in `tenant`: the route's whole logic, apart from authentication.
 *
 * @throws InputError (400) for a bad or unknown parameter, a bad day, a reversed or too long window
 */
export async function statsView(
  deps: RuntimeDeps,
  event: APIGatewayProxyEventV2,
  tenant: string,
): Promise<HttpResponse> {
  const query = parseAt(StatsQuery, event.queryStringParameters ?? {}, [], "Not a valid stats query.");
  const now = Math.floor(deps.now().getTime() / 1000);
  const { from, to } = statsWindow(query, now);
  const groupBy = query.groupBy ?? "day";
  const read = await statsStore(deps.store()).read(tenant, from, to, now);
  const result = figures(read.days, {
    groupBy,
    ...(query.provider === undefined ? {} : { provider: query.provider }),
    ...(query.tag === undefined ? {} : { tag: query.tag }),
  });
  if (!read.complete) deps.logger.info("stats cut short", { queries: read.queries, days: read.days.length });
  if (read.rolledUp.length > 0) deps.logger.info("stats rolled up", { days: read.rolledUp });
  const answer: Stats = {
    from,
    to,
    groupBy,
    thresholds: { ...REPUTATION_THRESHOLDS },
    rows: result.rows.map(rowOf),
    total: rowOf(result.total),
    complete: read.complete && result.exact,
  };
  return json(200, answer);
}

/**
 * `GET /v1/stats`: the tenant's reputation figures (scope `admin`).
 *
 * @example
 * const answer = await handler(apiGatewayEvent("GET", "/v1/stats?groupBy=provider"), context);
 */
export function createStatsHandler(deps: RuntimeDeps): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: deps.auth }, (event, caller) =>
    statsView(deps, event, caller.tenant),
  );
}

/** The policy's `history.keepDays` says which closed days can still be rolled up. */
export const handler = createStatsHandler(containerDeps(getPolicy));
