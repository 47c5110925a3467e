import { Aws, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as ses from "aws-cdk-lib/aws-ses";
import * as actions from "aws-cdk-lib/aws-ses-actions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import {
  BOUNCE_MAILBOX_BUCKET_ENV,
  INCOMING_PREFIX,
  incomingPrefix,
  POISON_PREFIX,
} from "../../lambdas/bounce-mailbox/keys.js";
import { type BounceMailboxDomain, domainsByTenant } from "../../lambdas/bounce-mailbox/settings.js";
import { MAX_RECEIVE_COUNT, secureQueue } from "./secure-defaults.js";
import type { ServiceFunction } from "./service-function.js";

/** Days a received mail stays in `incoming/`: read within seconds, kept a week for inspection. */
export const MAILBOX_INCOMING_DAYS = 7;
/** Days a poison mail stays in `poison/`: long enough to notice the alarm, fix and redrive. */
export const MAILBOX_POISON_DAYS = 90;
/** Mails per invocation: each is parsed whole (up to 10 MiB), so batches stay small. */
export const MAILBOX_BATCH_SIZE = 5;

export type BounceMailboxProps = {
  /** The mailbox domains and their tenants (`bounceMailbox`, lib/config.ts); at least one. */
  readonly domains: readonly BounceMailboxDomain[];
  /** The `bounce-mailbox` function: the queue's only consumer. */
  readonly consumer: ServiceFunction;
  /** Where the bucket's access logs go (the job files' log bucket), under `s3/bounce-mailbox/`. */
  readonly accessLogs: s3.IBucket;
};

/**
 * The bounce mailbox (issue #15, docs/bounce-mailbox.md), opt-in: an SES receipt rule set with one
 * rule per tenant (recipients: that tenant's domains) whose S3 action writes each mail to
 * `incoming/<tenant>/` of a private bucket (S3-managed encryption, TLS only, its accesses logged;
 * only SES, from this account, may put objects there: the action's bucket policy). The bucket's
 * EventBridge notifications and a rule put each `Object Created` under `incoming/` on an SQS queue
 * (with a DLQ after 5 receives), consumed by `bounce-mailbox`. Lifecycle: `incoming/` expires after
 * `MAILBOX_INCOMING_DAYS`, `poison/` after `MAILBOX_POISON_DAYS`.
 *
 * EventBridge rather than S3's own queue notifications: those need either CDK's notifications
 * custom resource (a Lambda with a managed policy) or a queue policy the bucket depends on; the
 * rule's target policy pins the queue to the rule's ARN instead.
 *
 * The rule set is created inactive: SES receives with the one ACTIVE rule set of the account and
 * region, which CloudFormation cannot choose (see the docs).
 */
export class BounceMailbox extends Construct {
  readonly bucket: s3.Bucket;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly ruleSet: ses.ReceiptRuleSet;
  /** One per tenant, by tenant. */
  readonly receiptRules: ReadonlyMap<string, ses.ReceiptRule>;

  constructor(scope: Construct, id: string, props: BounceMailboxProps) {
    super(scope, id);
    if (props.domains.length === 0) throw new Error("BounceMailbox needs at least one domain");
    // DESTROY: nothing in it outlives 90 days and SES can write it again; a non-empty bucket stays.
    this.bucket = new s3.Bucket(this, "Bucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: "s3/bounce-mailbox/",
      lifecycleRules: [
        { id: "incoming-expire", prefix: INCOMING_PREFIX, expiration: Duration.days(MAILBOX_INCOMING_DAYS) },
        { id: "poison-expire", prefix: POISON_PREFIX, expiration: Duration.days(MAILBOX_POISON_DAYS) },
      ],
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // EventBridge notifications set on the bucket itself (no custom resource, see the class notes).
    const cfnBucket = this.bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.addPropertyOverride(
      "NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled",
      true,
    );

    this.deadLetterQueue = secureQueue(this, "DeadLetterQueue");
    const timeout = props.consumer.function.timeout ?? Duration.seconds(30);
    this.queue = secureQueue(this, "Queue", {
      // At least 6× the consumer's timeout, so a retried batch is not delivered again while it runs.
      visibilityTimeout: Duration.seconds(Math.max(6 * timeout.toSeconds(), 30)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    new events.Rule(this, "MailCreated", {
      description: "suppression-service: bounce mails SES wrote to the mailbox bucket, into its queue",
      eventPattern: {
        source: ["aws.s3"],
        account: [Aws.ACCOUNT_ID],
        detailType: ["Object Created"],
        detail: {
          bucket: { name: [this.bucket.bucketName] },
          object: { key: [{ prefix: INCOMING_PREFIX }] },
        },
      },
      targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue })],
    });

    this.ruleSet = new ses.ReceiptRuleSet(this, "RuleSet", {});
    const rules = new Map<string, ses.ReceiptRule>();
    let after: ses.ReceiptRule | undefined;
    for (const [tenant, recipients] of domainsByTenant(props.domains)) {
      const rule = this.ruleSet.addRule(`Tenant-${tenant}`, {
        recipients,
        after,
        enabled: true,
        // SES's spam and virus scan; a report of its verdict is in the mail's headers.
        scanEnabled: true,
        // MTAs send bounces with or without TLS: refusing plain SMTP would lose some.
        tlsPolicy: ses.TlsPolicy.OPTIONAL,
        actions: [new actions.S3({ bucket: this.bucket, objectKeyPrefix: incomingPrefix(tenant) })],
      });
      rules.set(tenant, rule);
      after = rule;
    }
    this.receiptRules = rules;

    const fn = props.consumer;
    fn.function.addEnvironment(BOUNCE_MAILBOX_BUCKET_ENV, this.bucket.bucketName);
    // Read the mails; write only the poison copies (CopyObject needs GetObject on the source).
    iam.Grant.addToPrincipal({
      grantee: fn.role,
      actions: ["s3:GetObject"],
      resourceArns: [this.bucket.arnForObjects(`${INCOMING_PREFIX}*`)],
    });
    iam.Grant.addToPrincipal({
      grantee: fn.role,
      actions: ["s3:PutObject"],
      resourceArns: [this.bucket.arnForObjects(`${POISON_PREFIX}*`)],
    });
    const bucketId = Stack.of(this).getLogicalId(cfnBucket);
    for (const prefix of [INCOMING_PREFIX, POISON_PREFIX]) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
        reason:
          "SES names each mail by its message id under incoming/<tenant>/, so the consumer reads that prefix of the mailbox bucket and writes only under poison/.",
      });
    }
    fn.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: MAILBOX_BATCH_SIZE,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        maxConcurrency: 5,
      }),
    );
  }
}
