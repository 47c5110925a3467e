/**
 * `bounce-mailbox` Lambda (issue #15, docs/bounce-mailbox.md): the SQS consumer of the opt-in bounce
 * mailbox. SES receives a bounce mail for a mailbox domain and writes it to the mailbox bucket under
 * `incoming/<tenant>/`; S3 tells EventBridge, whose rule puts the `Object Created` event on the queue.
 * Per message: read the object (refused above the parser's limit before it is downloaded), parse it
 * (`parseBounceEmail`), make its events (`emailEvents`), policy, store: the same steps as
 * `POST /v1/import/email` (providers/email/adapter.ts), with the tenant from the object's key.
 *
 * - Stored (new or duplicate events; an auto-reply or a mail that is no report: ignored) → acknowledged.
 *   A redelivered notification records nothing twice: the event ids come from the report (its
 *   `Message-ID`, else the SHA-256 of its bytes).
 * - Poison (a mail the parser refuses, too large, a key outside `incoming/<tenant>/`): copied to
 *   `poison/<tenant>/…` with the problem as metadata, logged at error level without its content,
 *   counted, and **acknowledged**. Unlike an SQS message, the mail itself is kept in the bucket (90
 *   days), so nothing is lost by not retrying it, and a retry could never fix it.
 * - A message that is not an S3 event, a store or S3 failure → batch item failure: retried, then
 *   SQS moves it to the dead-letter queue after `maxReceiveCount` receives.
 * - The object is gone (expired before a late redelivery) → logged and acknowledged.
 *
 * Trust comes from IAM: only SES may write the bucket's objects, and only the stack's rule may send
 * to the queue. Addresses are never logged.
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
import type { S3Client } from "@aws-sdk/client-s3";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { BOUNCE_MAILBOX_BUCKET_ENV, tenantOfKey } from "../bounce-mailbox/keys.js";
import { keepPoison, MailGoneError, readMail } from "../bounce-mailbox/mail-store.js";
import { BOUNCE_MAILBOX_METRICS } from "../bounce-mailbox/names.js";
import { type MailObject, mailObjectOf } from "../bounce-mailbox/notification.js";
import { createS3Client, s3OptionsFromEnv } from "../files/client.js";
import { rawReportId } from "../providers/email/adapter.js";
import { EmailParseError } from "../providers/email/errors.js";
import { emailEvents } from "../providers/email/events.js";
import { parseBounceEmail } from "../providers/email/parse.js";
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

export { BOUNCE_MAILBOX_METRICS };

export type BounceMailboxHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** What the handler needs besides the runtime's: the mailbox bucket and how to reach it. */
export type BounceMailboxDeps = RuntimeDeps & {
  /** Built on first use (importing the handler opens no connection). */
  readonly s3: () => S3Client;
  /** The only bucket it reads: an event naming another is refused. */
  readonly bucket: string;
};

export type BounceMailboxOptions = {
  /** CloudWatch EMF metrics (`BOUNCE_MAILBOX_METRICS`); none when absent. */
  readonly metrics?: Metrics;
};

type Counts = Record<keyof typeof BOUNCE_MAILBOX_METRICS, number>;

/** A message that names no mail of ours: retried, then left to the dead-letter queue. */
export class PoisonMessageError extends Error {
  override readonly name = "PoisonMessageError";
}

/** A mail that cannot be read, with the problem its poison copy carries. */
class UnreadableMailError extends Error {
  override readonly name = "UnreadableMailError";
}

const problemOf = (err: unknown): string =>
  err instanceof Error ? `${err.name}: ${err.message}` : String(err);

/**
 * Builds the handler over `deps` (tests pass their own store, S3 client and bucket).
 *
 * @example
 * const handler = createBounceMailboxHandler({ ...deps, s3: () => client, bucket: "mailbox" });
 * const { batchItemFailures } = await handler(sqsEvent, context);
 */
export function createBounceMailboxHandler(
  deps: BounceMailboxDeps,
  options: BounceMailboxOptions = {},
): BounceMailboxHandler {
  const { logger } = deps;
  const { metrics } = options;

  /** The mail's events, or UnreadableMailError when it is poison. */
  async function eventsOf(mail: MailObject, tenant: string) {
    const raw = await readMail(deps.s3(), mail.bucket, mail.key, mail.size);
    try {
      const parsed = await parseBounceEmail(raw);
      return emailEvents(parsed, { tenant, receivedAt: deps.now(), reportId: rawReportId(raw) }, "email");
    } catch (err) {
      if (err instanceof EmailParseError) throw new UnreadableMailError(problemOf(err), { cause: err });
      throw err;
    }
  }

  const recordHandler =
    (counts: Counts, accepted: Map<string, AcceptedCounts>) => async (record: SQSRecord) => {
      const context = {
        messageId: record.messageId,
        receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1),
      };
      let mail: MailObject;
      try {
        mail = mailObjectOf(record.body);
      } catch (err) {
        counts.poison++;
        logger.error("Poison SQS message: not an S3 event of the mailbox; left to the dead-letter queue", {
          ...context,
          problem: problemOf(err),
        });
        throw new PoisonMessageError(`${record.messageId}: ${problemOf(err)}`, { cause: err });
      }
      if (mail.bucket !== deps.bucket) {
        counts.poison++;
        logger.error(
          "Poison SQS message: an object of another bucket; left to the dead-letter queue",
          context,
        );
        throw new PoisonMessageError(`${record.messageId}: bucket ${mail.bucket} is not the mailbox`);
      }
      const where = { ...context, key: mail.key, size: mail.size };
      const tenant = tenantOfKey(mail.key);
      let parsed: Awaited<ReturnType<typeof eventsOf>>;
      try {
        if (tenant === undefined)
          throw new UnreadableMailError(`the key is not ${"incoming/<tenant>/<name>"}`);
        parsed = await eventsOf(mail, tenant);
      } catch (err) {
        if (err instanceof MailGoneError) {
          counts.ignored++;
          logger.warn("The mail is no longer in the bucket (expired or deleted); nothing to record", where);
          return;
        }
        if (!(err instanceof UnreadableMailError) && !(err instanceof EmailParseError)) {
          counts.failed++;
          logger.error("Could not read the mail; the message will be retried", {
            ...where,
            problem: problemOf(err),
          });
          throw err;
        }
        const problem = err instanceof UnreadableMailError ? err.message : problemOf(err);
        // Kept before acknowledging: if the copy fails the message is retried, so the mail is never lost.
        let poisonKey: string;
        try {
          poisonKey = await keepPoison(deps.s3(), mail.bucket, mail.key, problem);
        } catch (copyErr) {
          counts.failed++;
          logger.error("Could not keep a poison mail; the message will be retried", {
            ...where,
            problem,
            copyProblem: problemOf(copyErr),
          });
          throw copyErr;
        }
        counts.poison++;
        logger.error("Poison mail: kept in the bucket, not retried", { ...where, poisonKey, problem });
        return;
      }
      try {
        const summary = await ingest(parsed, { store: deps.store(), policy: deps.policy(), dryRun: false });
        counts.accepted += summary.accepted;
        counts.duplicates += summary.duplicates;
        counts.ignored += summary.ignored;
        const tenantCounts = accepted.get(tenant) ?? noAccepted();
        countAccepted(summary, tenantCounts);
        accepted.set(tenant, tenantCounts);
        logger.debug("Recorded", {
          ...where,
          accepted: summary.accepted,
          duplicates: summary.duplicates,
          ignored: summary.ignored,
        });
      } catch (err) {
        counts.failed++;
        logger.error("Store failure; the message will be retried", { ...where, problem: problemOf(err) });
        throw err;
      }
    };

  const logic = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // A deployment fault (the stack sets it): fail the invocation loudly rather than poison every mail.
    if (deps.bucket === "") {
      throw new Error(`${BOUNCE_MAILBOX_BUCKET_ENV} is not set: the function has no mailbox bucket to read`);
    }
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
    const accepted = new Map<string, AcceptedCounts>();
    try {
      const response = await processPartialResponse(event, recordHandler(counts, accepted), processor, {
        context,
      });
      logger.info("Mailbox batch processed", { ...counts, retried: response.batchItemFailures.length });
      return response;
    } catch (err) {
      if (err instanceof FullBatchFailureError) {
        logger.error("Every message of the batch failed; the whole batch returns to the queue", counts);
      }
      throw err;
    } finally {
      if (metrics) {
        for (const [key, name] of Object.entries(BOUNCE_MAILBOX_METRICS)) {
          metrics.addMetric(name, MetricUnit.Count, counts[key as keyof Counts]);
        }
        for (const [tenant, tenantCounts] of accepted) recordReputationMetrics(metrics, tenant, tenantCounts);
      }
    }
  };

  const wrapped = middy<SQSEvent, SQSBatchResponse>().use(injectLambdaContext(logger, { resetKeys: true }));
  if (metrics) wrapped.use(logMetrics(metrics));
  return wrapped.handler(logic) as BounceMailboxHandler;
}

let s3: S3Client | undefined;
// No provider secret: the bucket is trusted through IAM (see the module notes).
export const handler = createBounceMailboxHandler(
  {
    ...containerDeps(getPolicy),
    s3: () => {
      s3 ??= createS3Client(s3OptionsFromEnv());
      return s3;
    },
    // Checked on each invocation (not at import, so importing the module never throws).
    bucket: process.env[BOUNCE_MAILBOX_BUCKET_ENV]?.trim() ?? "",
  },
  { metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }) },
);
