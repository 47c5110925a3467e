/**
 * `stats-rollup` Lambda (docs/figures.md): run daily by an EventBridge schedule, it rolls up the
 * closed days of every tenant that had events (store/stats.ts `rollupClosedDays`), so a day's
 * figures outlive its events in the history. Safe to run twice or concurrently. `npm start` runs
 * the same every hour.
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { STATS_ROLLUP_BUDGET_MS } from "../store/budget.js";
import {
  createStore,
  defaultDocumentClient,
  type SuppressionStore,
  tableNameFromEnv,
} from "../store/index.js";
import { type RollupRun, statsStore } from "../store/stats.js";
import { getPolicy } from "./policy-source.js";
import { containerDeps, type RuntimeDeps } from "./runtime.js";

export type StatsRollupHandler = (event: unknown, context: Context) => Promise<RollupRun>;

/**
 * Builds the handler over `deps` (tests pass their own store and clock).
 *
 * @example
 * const run = await createStatsRollupHandler(deps)({}, context); // { days, rolledUp, present }
 */
export function createStatsRollupHandler(deps: RuntimeDeps): StatsRollupHandler {
  const logic = async (): Promise<RollupRun> => {
    const run = await statsStore(deps.store()).rollup(Math.floor(deps.now().getTime() / 1000));
    deps.logger.info("stats rolled up", {
      days: run.days.length,
      rolledUp: run.rolledUp,
      present: run.present,
    });
    return run;
  };
  return middy<unknown, RollupRun>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler(logic) as StatsRollupHandler;
}

const base = containerDeps(getPolicy);
let store: SuppressionStore | undefined;
export const handler = createStatsRollupHandler({
  ...base,
  // One long store call: a busy tenant's day takes many pages to count.
  store: () => {
    store ??= createStore({
      client: defaultDocumentClient(),
      tableName: tableNameFromEnv(),
      policy: getPolicy(),
      callBudgetMs: STATS_ROLLUP_BUDGET_MS,
    });
    return store;
  },
});
