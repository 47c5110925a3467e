import { Aws, Duration } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as ses from "aws-cdk-lib/aws-ses";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { MAX_RECEIVE_COUNT, secureQueue, secureTopic } from "./secure-defaults.js";

/**
 * The SES events that can change the suppression list (docs/providers/ses.md §1.8): everything else (sends,
 * deliveries, opens, clicks, delays, rejects) would only be ignored by the consumer.
 */
export const SES_EVENTS: readonly ses.EmailSendingEvent[] = [
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.SUBSCRIPTION,
];

/** The same events as EventBridge `detail-type`s (docs/providers/ses.md §1.6; "Subscribed" covers unsubscribes). */
export const SES_DETAIL_TYPES: readonly string[] = [
  "Email Bounced",
  "Email Complaint Received",
  "Email Subscribed",
];

export type SesIngestionProps = {
  /** The `ses-events` function: the queue's only consumer. */
  readonly consumer: lambda.IFunction;
  /** The consumer's timeout: the queue's visibility timeout is six times it. */
  readonly consumerTimeout: Duration;
  /** Encrypts the SES topic; SES must be allowed to use it (see `topicKey`). */
  readonly topicKey: kms.IKey;
  /**
   * Subscribe the queue to these existing SNS topics (SES identity notifications, or topics in another
   * account or region) instead of creating a topic. The topic owner must allow `sns:Subscribe` from
   * this account.
   * @default [] : the stack creates its own topic
   */
  readonly existingTopicArns?: readonly string[];
  /**
   * Create an SES configuration set publishing BOUNCE, COMPLAINT and SUBSCRIPTION events to the topic
   * (when the stack owns one) and to EventBridge.
   * @default undefined: no configuration set
   */
  readonly configurationSet?: { readonly name?: string };
  /** @default 10 */
  readonly batchSize?: number;
  /** @default 5: caps the consumer's concurrent invocations, so a burst never starves the API */
  readonly maxConcurrency?: number;
};

/**
 * SES in (design.md §4): SNS topic(s) and an EventBridge rule for `aws.ses` events, both into one
 * SQS queue (SQS-managed encryption, TLS only) with a dead-letter queue after 5 receives, consumed by
 * `ses-events` with partial batch responses. Only our topic(s) and our rule may send to the queue.
 */
export class SesIngestion extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** The topic this stack created, when it did (no `existingTopicArns`). */
  readonly topic?: sns.Topic;
  /** Every topic the queue is subscribed to (ours or the existing ones). */
  readonly topicArns: string[];
  readonly rule: events.Rule;
  readonly configurationSet?: ses.ConfigurationSet;

  constructor(scope: Construct, id: string, props: SesIngestionProps) {
    super(scope, id);
    this.deadLetterQueue = secureQueue(this, "DeadLetterQueue");
    this.queue = secureQueue(this, "Queue", {
      // AWS guidance for Lambda consumers: at least 6× the function timeout, so a retried batch is
      // not delivered again while an earlier attempt still runs.
      visibilityTimeout: Duration.seconds(Math.max(6 * props.consumerTimeout.toSeconds(), 30)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    const existing = props.existingTopicArns ?? [];
    const topics: sns.ITopic[] = existing.map((arn, i) =>
      sns.Topic.fromTopicArn(this, `ExistingTopic${i}`, arn),
    );
    if (topics.length === 0) {
      const topic = secureTopic(this, "Topic", props.topicKey, {
        displayName: "suppression-service SES notifications",
      });
      // SES (identity notifications and configuration-set destinations) publishes from this account only.
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: "AllowSesPublishFromThisAccount",
          principals: [new iam.ServicePrincipal("ses.amazonaws.com")],
          actions: ["sns:Publish"],
          resources: [topic.topicArn],
          conditions: { StringEquals: { "AWS:SourceAccount": Aws.ACCOUNT_ID } },
        }),
      );
      this.topic = topic;
      topics.push(topic);
    }
    for (const topic of topics) {
      // Not raw: the body stays the SNS document, so the consumer sees (and can pin) TopicArn.
      topic.addSubscription(
        new subscriptions.SqsSubscription(this.queue, {
          rawMessageDelivery: false,
          deadLetterQueue: this.deadLetterQueue,
        }),
      );
    }
    this.topicArns = topics.map((t) => t.topicArn);

    // SES event publishing to EventBridge goes to the default bus; only this account's events.
    this.rule = new events.Rule(this, "SesEventsRule", {
      description: "SES bounce, complaint and subscription events into the suppression-service queue",
      eventPattern: {
        source: ["aws.ses"],
        account: [Aws.ACCOUNT_ID],
        detailType: [...SES_DETAIL_TYPES],
      },
      targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue })],
    });

    if (props.configurationSet) {
      const configurationSet = new ses.ConfigurationSet(this, "ConfigurationSet", {
        configurationSetName: props.configurationSet.name,
        reputationMetrics: true,
      });
      if (this.topic) {
        configurationSet.addEventDestination("ToSns", {
          destination: ses.EventDestination.snsTopic(this.topic),
          events: [...SES_EVENTS],
        });
      }
      configurationSet.addEventDestination("ToEventBridge", {
        destination: ses.EventDestination.eventBus(
          events.EventBus.fromEventBusName(this, "DefaultBus", "default"),
        ),
        events: [...SES_EVENTS],
      });
      this.configurationSet = configurationSet;
    }

    props.consumer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize ?? 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency ?? 5,
      }),
    );
  }
}
