import { Duration, Validations } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { EntryItem } from "../../lambdas/store/entries.js";
import { secureQueue } from "./secure-defaults.js";
import type { ServiceFunction } from "./service-function.js";

/** The SES actions of the sync-out: one address at a time, on the account-level suppression list. */
export const SES_SYNC_ACTIONS = [
  "ses:GetSuppressedDestination",
  "ses:PutSuppressedDestination",
  "ses:DeleteSuppressedDestination",
] as const;
/** The SES action of the import: pages the account-level suppression list. */
export const SES_IMPORT_ACTIONS = ["ses:ListSuppressedDestinations"] as const;

/** What Lambda reads the table's stream with; all but ListStreams are granted on the stream's ARN. */
export const STREAM_READ_ACTIONS = [
  "dynamodb:DescribeStream",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
] as const;
/** Lambda's stream consumers need it too, and it supports no resource-level permission. */
export const STREAM_LIST_ACTIONS = ["dynamodb:ListStreams"] as const;

const NO_RESOURCE_LEVEL_REASON =
  "These actions support no resource-level permissions, so IAM accepts only Resource *: the SES " +
  "account-level suppression list actions (Get/Put/Delete/ListSuppressedDestination(s): the list is one " +
  "per account and region) and, for the stream consumer, dynamodb:ListStreams. This policy holds nothing else.";

/** Stream records per invocation: each is a few SES calls, so a batch stays well inside the timeout. */
export const SES_SYNC_BATCH_SIZE = 100;
/** Attempts of a failing record (after bisecting its batch) before it goes to the DLQ. */
export const SES_SYNC_RETRY_ATTEMPTS = 5;
/** A record older than this goes to the DLQ unprocessed: the stream keeps records 24 hours anyway. */
export const SES_SYNC_MAX_RECORD_AGE = Duration.days(1);

/**
 * The attribute and value that mark an entry item (lambdas/store/entries.ts): the only items whose
 * changes the sync-out mirrors. Typed against `EntryItem`, so a rename there breaks the build here.
 */
const KIND_ATTRIBUTE = "kind" satisfies keyof EntryItem;
const ENTRY_KIND: EntryItem["kind"] = "entry";

export type SesAccountSyncProps = {
  /** The suppression table; its NEW_AND_OLD_IMAGES stream feeds `sync`. */
  readonly table: dynamodb.ITable;
  /** The `ses-sync` function, when the stack has opted-in tenants (`sesSyncTenants`). */
  readonly sync?: ServiceFunction;
  /** The `ses-import` function and its EventBridge schedule expression (`sesImportSchedule`). */
  readonly import?: { readonly fn: ServiceFunction; readonly schedule: string };
};

/**
 * The SES account-level suppression sync (issue #14), both halves opt-in:
 *
 * - **sync-out**: `ses-sync` consumes the table's stream, only the changes of entry items (Lambda
 *   event filters: an entry's new or old image has `kind = entry`, so markers, events and keys
 *   never invoke it), one batch per shard at a time (`parallelizationFactor` 1: the changes of one
 *   item must reach SES in order), with partial batch responses and bisection so a bad record is
 *   retried alone; after 5 attempts or a day it goes to an SQS dead-letter queue (SQS-managed
 *   encryption, TLS only, 14 days), which the stack alarms on. What lands there is the record's
 *   position in the stream (shard, sequence numbers), not the record: the stream keeps it 24 hours.
 * - **import**: `ses-import` runs on the schedule and records what the SES list holds.
 *
 * The actions that support no resource-level permission (the SES ones, and `dynamodb:ListStreams`)
 * are a policy of their own per function, so the `Resource: *` they need is acknowledged on that
 * policy alone, never on a function's default policy. That is why the mapping is made here rather
 * than by `DynamoEventSource`, whose `grantStreamRead` puts `ListStreams` on `*` into the default
 * policy; the mapping's settings are the same.
 */
export class SesAccountSync extends Construct {
  /** The sync-out's dead-letter queue; `undefined` without `sync`. */
  readonly deadLetterQueue: sqs.Queue | undefined;
  /** The stream's mapping to `ses-sync`; `undefined` without `sync`. */
  readonly streamMapping: lambda.EventSourceMapping | undefined;
  /** The import's schedule; `undefined` without `import`. */
  readonly importRule: events.Rule | undefined;

  constructor(scope: Construct, id: string, props: SesAccountSyncProps) {
    super(scope, id);
    if (!props.sync && !props.import) {
      throw new Error("SesAccountSync needs the sync function, the import function, or both");
    }

    if (props.sync) {
      const fn = props.sync;
      const streamArn = props.table.tableStreamArn;
      if (streamArn === undefined) throw new Error("the SES sync needs the table's stream");
      this.anyResourcePolicy("SyncSesPolicy", fn, [...SES_SYNC_ACTIONS, ...STREAM_LIST_ACTIONS]);
      props.table.grantStream(fn.role, ...STREAM_READ_ACTIONS);
      const dlq = secureQueue(this, "DeadLetterQueue");
      Validations.of(dlq).acknowledge({
        id: "AwsSolutions-SQS3",
        reason:
          "This queue is itself a dead-letter queue: the on-failure destination of the ses-sync stream " +
          "mapping (cdk-nag only recognizes queues' and functions' DLQs); a DLQ of it would hold nothing.",
      });
      this.deadLetterQueue = dlq;
      const entryOnly = (image: "NewImage" | "OldImage") =>
        lambda.FilterCriteria.filter({
          dynamodb: { [image]: { [KIND_ATTRIBUTE]: { S: lambda.FilterRule.isEqual(ENTRY_KIND) } } },
        });
      this.streamMapping = fn.function.addEventSourceMapping("TableStream", {
        eventSourceArn: streamArn,
        // From the deployment on: earlier writes are not replayed (the stream keeps 24 hours only).
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: SES_SYNC_BATCH_SIZE,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: SES_SYNC_RETRY_ATTEMPTS,
        maxRecordAge: SES_SYNC_MAX_RECORD_AGE,
        // One batch per shard at a time: the changes of one item reach SES in their order.
        parallelizationFactor: 1,
        // Also grants the function SendMessage on the queue.
        onFailure: new SqsDlq(dlq),
        // Filters are OR'd: an insert has only a new image, a TTL removal only an old one.
        filters: [entryOnly("NewImage"), entryOnly("OldImage")],
      });
      // The mapping starts reading once the role may read the stream.
      const defaultPolicy = fn.role.node.tryFindChild("DefaultPolicy");
      if (defaultPolicy) this.streamMapping.node.addDependency(defaultPolicy);
    }

    if (props.import) {
      const { fn, schedule } = props.import;
      this.anyResourcePolicy("ImportSesPolicy", fn, SES_IMPORT_ACTIONS);
      this.importRule = new events.Rule(this, "ImportSchedule", {
        description: "suppression-service: import the SES account-level suppression list",
        schedule: events.Schedule.expression(schedule),
        targets: [new targets.LambdaFunction(fn.function, { retryAttempts: 2 })],
      });
      // A failed run raises its Errors alarm and the next scheduled run resumes from the checkpoint:
      // Lambda's own retries would only spend SES's per-account rate on a repeat of the crash.
      fn.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.hours(1) });
    }
  }

  /** A policy of `fn`'s role holding only `actions` on `*`, with the IAM5 acknowledgement on it alone. */
  private anyResourcePolicy(id: string, fn: ServiceFunction, actions: readonly string[]): iam.Policy {
    const policy = new iam.Policy(this, id, {
      roles: [fn.role],
      statements: [new iam.PolicyStatement({ actions: [...actions], resources: ["*"] })],
    });
    Validations.of(policy).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason: NO_RESOURCE_LEVEL_REASON,
    });
    // The function (and so its stream mapping and schedule) is created once the role holds these.
    fn.function.node.addDependency(policy);
    return policy;
  }
}
