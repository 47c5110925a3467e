/**
 * The per-tenant reputation metrics (`REPUTATION_METRICS`, names.ts) of the ingest functions: one
 * EMF document of their own per tenant and request (or SQS batch), through `singleMetric`, so the
 * functions' other series keep their dimensions. Tiny: every ingest bundle loads it.
 */
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { EventType } from "../core/taxonomy.js";
import { REPUTATION_DIMENSION, REPUTATION_METRICS } from "./names.js";

/** Events first accepted, by type. */
export type AcceptedCounts = Record<EventType, number>;

/** No events yet. @example const counts = noAccepted(); */
export const noAccepted = (): AcceptedCounts =>
  Object.fromEntries(Object.keys(REPUTATION_METRICS).map((type) => [type, 0])) as AcceptedCounts;

/**
 * Adds the events of an ingestion answer that were first accepted now (not duplicates) to `into`.
 *
 * @example countAccepted(summary, counts);
 */
export function countAccepted(
  summary: {
    readonly events: readonly { readonly type: EventType }[];
    readonly decisions: readonly { readonly outcome?: string }[];
  },
  into: AcceptedCounts = noAccepted(),
): AcceptedCounts {
  summary.events.forEach((e, i) => {
    if (summary.decisions[i]?.outcome !== "duplicate") into[e.type]++;
  });
  return into;
}

/**
 * Publishes `counts` for `tenant` at once (zeros too: the alarms' rates need every series).
 *
 * @example recordReputationMetrics(metrics, "default", countAccepted(summary));
 */
export function recordReputationMetrics(
  metrics: Metrics | undefined,
  tenant: string,
  counts: AcceptedCounts,
): void {
  if (metrics === undefined) return;
  const single = metrics.singleMetric();
  for (const [type, name] of Object.entries(REPUTATION_METRICS)) {
    // A single metric is published (and its dimensions cleared) by each `addMetric`.
    single.addDimension(REPUTATION_DIMENSION, tenant);
    single.addMetric(name, MetricUnit.Count, counts[type as EventType]);
  }
}
