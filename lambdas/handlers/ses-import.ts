/**
 * `ses-import` Lambda (issue #14): run by a schedule, it reads what is new on the SES
 * account-level suppression list and records it as `ses-account-list` events of every tenant in
 * `SES_SYNC_TENANTS` (lambdas/ses-account/import.ts), so that what SES suppressed by itself
 * (bounces and complaints it saw, across every sending path) reaches the tenants' lists. Addresses
 * we put in SES ourselves (the sync-out's markers) are skipped.
 *
 * It stops starting pages `SES_IMPORT_MARGIN_MS` before its timeout and leaves the next page's
 * token in the checkpoint: the next scheduled run goes on from there. A run that finds another
 * (`npm run ses:import`) holding the checkpoint does nothing and says so. Logs carry counts only,
 * never an address (and the service logger scrubs any that slips in).
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { createSesClient, sesOptionsFromEnv } from "../ses-account/client.js";
import { runSesImport, SesImportBusyError, type SesImportOutcome } from "../ses-account/import.js";
import { parseSesSyncTenants, SES_SYNC_TENANTS_ENV } from "../ses-account/settings.js";
import type { SesImportCounts, SesImportWindow } from "../store/ses-import-state.js";
import { sesImportState } from "../store/ses-import-state.js";
import { sesMarkers } from "../store/ses-markers.js";
import { ingest } from "./ingestion.js";
import { getPolicy } from "./policy-source.js";
import { containerDeps, type RuntimeDeps } from "./runtime.js";

/**
 * Time left unused before the function's timeout: no page starts within it. One page (1000
 * addresses, an event per tenant each, `INGEST_WRITE_CONCURRENCY` at a time) takes far less.
 */
export const SES_IMPORT_MARGIN_MS = 120_000;

/** The timeout the stack gives the function (Lambda's longest): more pages per run. */
export const SES_IMPORT_TIMEOUT_SECONDS = 900;

/** What the handler needs: the usual container deps, an SES client and the opted-in tenants. */
export type SesImportHandlerDeps = Pick<RuntimeDeps, "logger" | "store" | "policy" | "now"> & {
  /** Built on first use. */
  readonly ses: () => SESv2Client;
  /** `SES_SYNC_TENANTS`, read on each invocation (a bad value fails the invocation, loudly). */
  readonly tenants: () => readonly string[];
  /** Default `SES_IMPORT_MARGIN_MS`. */
  readonly marginMs?: number;
  /** SES page size (default its largest, 1000). */
  readonly pageSize?: number;
};

/** What one invocation did. */
export type SesImportRun =
  | { readonly status: "disabled" }
  | { readonly status: "busy"; readonly heldUntil: string | null }
  | {
      readonly status: SesImportOutcome["status"];
      readonly window: SesImportWindow;
      readonly resumed: boolean;
      readonly windowRestarts: number;
      /** The window's counts so far, earlier runs included. */
      readonly counts: SesImportCounts;
      /** This invocation's. */
      readonly run: SesImportCounts;
    };

export type SesImportHandler = (event: unknown, context: Context) => Promise<SesImportRun>;

/**
 * Builds the handler over `deps` (tests pass their own store, SES client, tenants and clock).
 *
 * @example
 * const run = await createSesImportHandler({ ...deps, ses: () => ses, tenants: () => ["default"] })({}, context);
 * run.status; // "completed" | "stopped" | "busy" | "disabled"
 */
export function createSesImportHandler(deps: SesImportHandlerDeps): SesImportHandler {
  const { logger } = deps;
  const logic = async (_event: unknown, context: Context): Promise<SesImportRun> => {
    const tenants = deps.tenants();
    if (tenants.length === 0) {
      logger.info(`No tenant opted in (${SES_SYNC_TENANTS_ENV} is empty): nothing to import`);
      return { status: "disabled" };
    }
    const store = deps.store();
    const markers = sesMarkers(store);
    const budgetMs = Math.max(
      0,
      context.getRemainingTimeInMillis() - (deps.marginMs ?? SES_IMPORT_MARGIN_MS),
    );
    let outcome: SesImportOutcome;
    try {
      outcome = await runSesImport(
        {
          ses: deps.ses(),
          state: sesImportState(store),
          isOurs: async (address) => (await markers.holders(address)).length > 0,
          record: (events) =>
            ingest({ events: [...events], ignored: 0 }, { store, policy: deps.policy(), dryRun: false }),
          now: deps.now,
        },
        { tenants, budgetMs, ...(deps.pageSize !== undefined ? { pageSize: deps.pageSize } : {}) },
      );
    } catch (err) {
      if (!(err instanceof SesImportBusyError)) throw err;
      const heldUntil = err.heldUntil === null ? null : new Date(err.heldUntil).toISOString();
      logger.warn("Another SES import holds the checkpoint; this run does nothing", { heldUntil });
      return { status: "busy", heldUntil };
    }
    logger.info(
      outcome.status === "completed"
        ? "SES suppression list imported to the end of the window"
        : "SES import stopped before the timeout; the next run resumes at the saved page",
      {
        status: outcome.status,
        windowStart: outcome.window.start,
        windowEnd: outcome.window.end,
        tenants: tenants.length,
        resumed: outcome.resumed,
        windowRestarts: outcome.windowRestarts,
        run: outcome.run,
        window: outcome.counts,
      },
    );
    const { status, window, resumed, windowRestarts, counts, run } = outcome;
    return { status, window, resumed, windowRestarts, counts, run };
  };
  return middy<unknown, SesImportRun>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(logic) as SesImportHandler;
}

const base = containerDeps(getPolicy);
let ses: SESv2Client | undefined;
export const handler = createSesImportHandler({
  ...base,
  ses: () => {
    ses ??= createSesClient(sesOptionsFromEnv());
    return ses;
  },
  tenants: () => parseSesSyncTenants(process.env[SES_SYNC_TENANTS_ENV]),
});
