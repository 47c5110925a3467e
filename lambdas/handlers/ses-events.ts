/**
 * `ses-events` Lambda: the SQS queue consumer for SES output (design.md §4). The queue is fed by the
 * SES SNS topic (the SNS document as the body, or the SES record itself with raw delivery) and by an
 * EventBridge rule for `aws.ses` events (the EventBridge event as the body); docs/providers/ses.md §1.6–1.7.
 *
 * Each SQS message is handled on its own (Powertools `BatchProcessor`, partial batch responses):
 * parse → policy → store, and only a message whose events are all recorded is acknowledged.
 *
 * - Stored (new or duplicate events, or nothing to record) → acknowledged.
 * - Store failure (or any unexpected error) → reported in `batchItemFailures`: SQS delivers it again
 *   after the visibility timeout; recording is idempotent, so a retry completes what a failed
 *   attempt left half done and never counts anything twice. A stalled store fails each store call
 *   within its budget (lambdas/store/budget.ts, which also sets this function's timeout), so the
 *   message is reported as failed before the invocation times out.
 * - An event too large to store (`StoreItemTooLargeError`) → logged at error level and reported,
 *   like a poison message: no retry will fix it, so it goes to the DLQ after `maxReceiveCount`.
 * - Poison message (not JSON, not an SES shape, a malformed SES record, a plain-text SNS `Message`)
 *   → logged at error level and ALSO reported in `batchItemFailures`. It is deliberately not
 *   acknowledged: after `maxReceiveCount` (5) receives SQS moves it to the dead-letter queue, where
 *   it stays for inspection and redrive, and the DLQ alarm fires. Retrying it costs at most four
 *   more cheap parse attempts; acknowledging it would lose it silently. (This relies on the queue's
 *   redrive policy, which the stack sets; without one a poison message would cycle until it expires.)
 * - Every message of a batch failed → Powertools throws `FullBatchFailureError` (its default): the
 *   invocation fails, Lambda returns the whole batch to the queue, the Errors metric counts it and
 *   the event source mapping backs off, which is what a store outage should do.
 *
 * Trust comes from IAM: only our SNS topic and our EventBridge rule may send to the queue (queue
 * policy), so no SNS signature is checked here.
 */
import {
  BatchProcessor,
  EventType,
  FullBatchFailureError,
  processPartialResponse,
} from "@aws-lambda-powertools/batch";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { InputError } from "../core/errors.js";
import { parseSes, type SesParseResult } from "../providers/ses/parse.js";
import { StoreFaultError, StoreItemTooLargeError, StoreUnavailableError } from "../store/errors.js";
import { ingest } from "./ingestion.js";
import { METRICS_NAMESPACE } from "./names.js";
import { getPolicy } from "./policy-source.js";
import {
  type AcceptedCounts,
  countAccepted,
  noAccepted,
  recordReputationMetrics,
} from "./reputation-metrics.js";
import { containerDeps, type RuntimeDeps, SERVICE_NAME } from "./runtime.js";

export type SesEventsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export type SesEventsOptions = {
  /** CloudWatch EMF metrics (counts per invocation, see `SES_EVENTS_METRICS`); none when absent. */
  readonly metrics?: Metrics;
};

/** The CloudWatch namespace of the deployed functions' metrics (written once, in metrics.ts). */
export { METRICS_NAMESPACE };

/** The metrics published once per invocation (all counts, zeros included so graphs stay continuous). */
export const SES_EVENTS_METRICS = {
  /** SQS messages received. */
  messages: "SesMessages",
  /** Events recorded for the first time. */
  accepted: "SesEventsAccepted",
  /** Events recorded before (SNS/SQS redelivery): acknowledged, nothing changed. */
  duplicates: "SesEventsDuplicate",
  /** Records that never become events (opens, clicks, …) and skipped recipients. */
  ignored: "SesEventsIgnored",
  /** Messages that cannot be parsed: retried until the DLQ takes them. */
  poison: "SesMessagesPoison",
  /** Messages that failed for another reason (store unavailable…): retried. */
  failed: "SesMessagesFailed",
} as const;

type Counts = Record<keyof typeof SES_EVENTS_METRICS, number>;

/**
 * A message that is not an SES notification at all. Reported as a batch item failure so that SQS
 * moves it to the dead-letter queue after `maxReceiveCount` receives (see the module notes).
 */
export class PoisonMessageError extends Error {
  override readonly name = "PoisonMessageError";
}

const receiveCountOf = (record: SQSRecord): number => Number(record.attributes?.ApproximateReceiveCount ?? 1);

/**
 * Builds the handler over `deps` (tests pass their own store, logger and clock).
 *
 * @example
 * const handler = createSesEventsHandler({ ...ingestDeps, store: () => myStore });
 * const { batchItemFailures } = await handler(sqsEvent, context);
 */
export function createSesEventsHandler(deps: RuntimeDeps, options: SesEventsOptions = {}): SesEventsHandler {
  const { logger } = deps;
  const { metrics } = options;

  /** One SQS message: resolves only once every event in it is stored; throws to have it retried. */
  const recordHandler = (counts: Counts, accepted: AcceptedCounts) => async (record: SQSRecord) => {
    const context = { messageId: record.messageId, receiveCount: receiveCountOf(record) };
    let parsed: SesParseResult;
    try {
      parsed = parseSes({ Records: [record] }, { tenant: deps.tenant, receivedAt: deps.now() });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      counts.poison++;
      // The body is not logged: it holds recipients' addresses. It waits in the queue, then the DLQ.
      logger.error("Poison SQS message: not an SES notification; left to the dead-letter queue", {
        ...context,
        bodyLength: record.body?.length ?? 0,
        problem: err.message,
        issues: err.issues.slice(0, 10),
      });
      throw new PoisonMessageError(`${record.messageId}: ${err.message}`, { cause: err });
    }
    if (parsed.skipped.length > 0) {
      logger.warn("Skipped recipients that are not valid addresses", {
        ...context,
        skipped: parsed.skipped.map(({ path, problem }) => ({ path, problem })),
      });
    }
    if (parsed.events.length === 0 && parsed.ignored === 0) {
      logger.warn("No SES record in the message (an SNS subscription or unsubscribe confirmation?)", context);
    }
    try {
      const summary = await ingest(parsed, { store: deps.store(), policy: deps.policy(), dryRun: false });
      counts.accepted += summary.accepted;
      countAccepted(summary, accepted);
      counts.duplicates += summary.duplicates;
      counts.ignored += summary.ignored;
      logger.debug("Recorded", {
        ...context,
        accepted: summary.accepted,
        duplicates: summary.duplicates,
        ignored: summary.ignored,
      });
    } catch (err) {
      counts.failed++;
      const problem = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (err instanceof StoreUnavailableError) {
        logger.warn("Store unavailable; the message will be retried", { ...context, problem });
      } else if (err instanceof StoreItemTooLargeError) {
        logger.error("An event is too large to store; left to the dead-letter queue", {
          ...context,
          provider: err.provider,
          bytes: err.bytes,
          largestField: err.largestField,
        });
      } else {
        // A fault a retry will not fix (missing table, access denied) or a bug: retried anyway, so the
        // message reaches the DLQ and can be redriven once the deployment is fixed.
        const message = err instanceof StoreFaultError ? "Store refused the write" : "Unexpected failure";
        logger.error(message, { ...context, problem, error: err });
      }
      throw err;
    }
  };

  const logic = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const counts: Counts = {
      messages: event.Records?.length ?? 0,
      accepted: 0,
      duplicates: 0,
      ignored: 0,
      poison: 0,
      failed: 0,
    };
    // One processor per invocation: it keeps the batch's state, so it is never shared.
    const processor = new BatchProcessor(EventType.SQS);
    const accepted = noAccepted();
    try {
      const response = await processPartialResponse(event, recordHandler(counts, accepted), processor, {
        context,
      });
      logger.info("SES batch processed", { ...counts, retried: response.batchItemFailures.length });
      return response;
    } catch (err) {
      if (err instanceof FullBatchFailureError) {
        logger.error("Every message of the batch failed; the whole batch returns to the queue", counts);
      }
      throw err;
    } finally {
      if (metrics) {
        for (const [key, name] of Object.entries(SES_EVENTS_METRICS)) {
          metrics.addMetric(name, MetricUnit.Count, counts[key as keyof Counts]);
        }
        recordReputationMetrics(metrics, deps.tenant, accepted);
      }
    }
  };

  const wrapped = middy<SQSEvent, SQSBatchResponse>().use(injectLambdaContext(logger, { resetKeys: true }));
  if (metrics) wrapped.use(logMetrics(metrics));
  return wrapped.handler(logic) as SesEventsHandler;
}

// The queue is trusted through IAM (no signature to check): no provider secret is read, so the
// function loads neither the provider registry nor its secrets (ingest-runtime.ts).
export const handler = createSesEventsHandler(containerDeps(getPolicy), {
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
});
