import type { DecisionView, EventView, IngestSummary } from "../contract/ingestion.js";
import type { ParsedNotification } from "../core/events.js";
import type { Decision } from "../core/ledger/types.js";
import { type Allowlist, allowlistDecision, EMPTY_ALLOWLIST } from "../core/policy/allowlist.js";
import { decide, type Policy } from "../core/policy/index.js";
import { allowlistStore } from "../store/allowlist.js";
import { INGEST_WRITE_CONCURRENCY, type SuppressionStore } from "../store/index.js";
import { decisionView } from "./decision-view.js";

/** One event as the API reports it (the tenant is implied by the key); what the policy decided for
 * it and, unless a dry run, what storing it did; the body of every ingestion answer (design.md §5.3). */
export type { DecisionView, EventView, IngestSummary };

/**
 * Applies the policy (and the tenant's allowlist, core/policy/allowlist.ts) to parsed events and,
 * unless `dryRun`, records each one (idempotently) in the store, `INGEST_WRITE_CONCURRENCY` at a
 * time. When a write fails, no further event is started (the ones in flight finish) and the whole
 * call fails so the sender retries; the retry completes what
 * was missing without counting anything twice. Stopping at the first failure keeps a request
 * against a stalled store to one store-call budget, whatever its size, so it is answered 503 inside
 * the function's deadline instead of timing out.
 *
 * @example
 * const summary = await ingest(parseSes(body, { tenant: "default" }), { store, policy, dryRun: false });
 */
export async function ingest(
  parsed: ParsedNotification,
  deps: { readonly store: SuppressionStore; readonly policy: Policy; readonly dryRun: boolean },
): Promise<IngestSummary> {
  // The allowlist of each tenant the events belong to (usually one), read once per request at most.
  const lists = new Map<string, Allowlist>();
  for (const tenant of new Set(parsed.events.map((e) => e.tenant))) {
    lists.set(tenant, await allowlistStore(deps.store).current(tenant));
  }
  const decisions = parsed.events.map((event) =>
    allowlistDecision(
      decide(event, deps.policy),
      event.recipient,
      lists.get(event.tenant) ?? EMPTY_ALLOWLIST,
      event.provider,
    ),
  );
  const events = parsed.events.map(({ tenant: _tenant, ...rest }) => rest);
  if (deps.dryRun) {
    const views = parsed.events.map((event, i) => decisionView(event, decisions[i] as Decision));
    return { accepted: 0, duplicates: 0, ignored: parsed.ignored, dryRun: true, events, decisions: views };
  }
  const results = await settleAll(parsed.events, INGEST_WRITE_CONCURRENCY, (event, i) =>
    deps.store.recordEvent(event, decisions[i] as Decision),
  );
  const views = parsed.events.map((event, i) => decisionView(event, decisions[i] as Decision, results[i]));
  const duplicates = results.filter((r) => r.duplicate).length;
  return {
    accepted: results.length - duplicates,
    duplicates,
    ignored: parsed.ignored,
    dryRun: false,
    events,
    decisions: views,
  };
}

/**
 * Runs `work` over `items` with bounded concurrency; after the first failure starts nothing new,
 * waits for what is in flight, then rethrows that failure.
 */
async function settleAll<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
) {
  const results: R[] = new Array(items.length);
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const i = next++;
      try {
        results[i] = await work(items[i] as T, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
