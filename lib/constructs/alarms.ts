import { Duration } from "aws-cdk-lib";
import type * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { BOUNCE_MAILBOX_METRICS } from "../../lambdas/bounce-mailbox/names.js";
import {
  BOUNCE_RATE_THRESHOLD,
  COMPLAINT_RATE_THRESHOLD,
  REPUTATION_ALARM_MIN_VOLUME,
} from "../../lambdas/core/reputation.js";
import {
  METRICS_NAMESPACE,
  REPUTATION_DIMENSION,
  REPUTATION_METRICS,
  SERVICE_NAME,
} from "../../lambdas/handlers/names.js";
import { secureTopic } from "./secure-defaults.js";

/**
 * SES reviews an account above 5% bounces / 0.1% complaints; we want to hear well before. The same
 * lines as the figures' (lambdas/core/reputation.ts, the one source).
 */
export const SES_BOUNCE_RATE_THRESHOLD = BOUNCE_RATE_THRESHOLD;
export const SES_COMPLAINT_RATE_THRESHOLD = COMPLAINT_RATE_THRESHOLD;
/** The tenants with reputation alarms when the stack names none. */
export const DEFAULT_REPUTATION_TENANTS: readonly string[] = ["default"];
/** API 5xx per 5 minutes before we page (503 "store unavailable" is retried by callers). */
export const DEFAULT_API_5XX_THRESHOLD = 5;

export type AlarmsProps = {
  readonly topicKey: kms.IKey;
  /** Subscribed to the alarm topic by email (the address must confirm the subscription). */
  readonly email?: string;
  readonly deadLetterQueue: sqs.IQueue;
  /** The SES sync-out's dead-letter queue (lib/constructs/ses-account-sync.ts), when it is deployed. */
  readonly sesSyncDeadLetterQueue?: sqs.IQueue;
  /** The bounce mailbox's dead-letter queue (lib/constructs/bounce-mailbox.ts), when it is deployed. */
  readonly bounceMailboxDeadLetterQueue?: sqs.IQueue;
  /** Function name (`check`, `ses-events`, …) → function. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly api: apigw.IHttpApi;
  /** @default DEFAULT_API_5XX_THRESHOLD */
  readonly api5xxThreshold?: number;
  /** Tenants whose bounce and complaint rates raise alarms. @default DEFAULT_REPUTATION_TENANTS */
  readonly reputationTenants?: readonly string[];
};

/**
 * The service's alarms, all to one SNS topic (ALARM and OK): the DLQ is not empty, a function errs or
 * is throttled, the API answers 5xx, the SES account's bounce or complaint rate is too high.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = secureTopic(this, "Topic", props.topicKey, { displayName: "suppression-service alarms" });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));

    this.add("DeadLetterQueueNotEmpty", {
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription:
        "SES messages the ses-events function failed 5 times (or SNS/EventBridge could not deliver) wait in the DLQ. See docs: inspect, fix, redrive.",
    });

    if (props.sesSyncDeadLetterQueue) {
      this.add("SesSyncDeadLetterQueueNotEmpty", {
        metric: props.sesSyncDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription:
          "Table stream records the ses-sync function failed 5 times (or that were a day old) wait in its DLQ: the SES account list may lack or still hold those addresses. See docs/deploy.md: each message names the records' shard and sequence numbers, which the stream keeps 24 hours.",
      });
    }

    if (props.bounceMailboxDeadLetterQueue) {
      this.add("BounceMailboxDeadLetterQueueNotEmpty", {
        metric: props.bounceMailboxDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription:
          "Mailbox notifications the bounce-mailbox function failed 5 times (store or S3 failures) wait in its DLQ; the mails are still in the bucket. See docs/bounce-mailbox.md: fix, then redrive.",
      });
      this.add("BounceMailboxPoison", {
        metric: new cloudwatch.Metric({
          namespace: METRICS_NAMESPACE,
          metricName: BOUNCE_MAILBOX_METRICS.poison,
          dimensionsMap: { service: SERVICE_NAME },
          statistic: cloudwatch.Stats.SUM,
          period: Duration.minutes(5),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription:
          "The bounce mailbox received mails it could not read; they are kept under poison/ of its bucket with the problem as metadata. See docs/bounce-mailbox.md.",
      });
    }

    for (const [name, fn] of Object.entries(props.functions)) {
      const id = name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
      this.add(`${id}Errors`, {
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `The ${name} function failed (unhandled error or timeout) in the last 5 minutes.`,
      });
      this.add(`${id}Throttles`, {
        metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `The ${name} function was throttled (account or reserved concurrency exhausted).`,
      });
    }

    this.add("Api5xx", {
      metric: props.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: props.api5xxThreshold ?? DEFAULT_API_5XX_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      alarmDescription: "The HTTP API answered 5xx (store unavailable, function errors or timeouts).",
    });

    // Account-wide reputation metrics SES publishes (no dimensions); sparse, so missing data is fine.
    this.add("SesBounceRate", {
      metric: sesReputationMetric("Reputation.BounceRate"),
      threshold: SES_BOUNCE_RATE_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription: "SES account bounce rate above 2% (SES reviews the account at 5%, may pause at 10%).",
    });
    this.add("SesComplaintRate", {
      metric: sesReputationMetric("Reputation.ComplaintRate"),
      threshold: SES_COMPLAINT_RATE_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription:
        "SES account complaint rate above 0.1% (SES reviews the account at 0.1%, may pause at 0.5%).",
    });

    for (const tenant of props.reputationTenants ?? DEFAULT_REPUTATION_TENANTS) {
      const rates = reputationRates(tenant);
      this.add(`Reputation-${tenant}-BounceRate`, {
        metric: rates.bounceRate,
        threshold: BOUNCE_RATE_THRESHOLD,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        alarmDescription: `Tenant ${tenant}: hard bounces above ${BOUNCE_RATE_THRESHOLD * 100}% of deliveries + bounces over the last day (at least ${REPUTATION_ALARM_MIN_VOLUME} of them). See docs/figures.md.`,
      });
      this.add(`Reputation-${tenant}-ComplaintRate`, {
        metric: rates.complaintRate,
        threshold: COMPLAINT_RATE_THRESHOLD,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        alarmDescription: `Tenant ${tenant}: complaints above ${COMPLAINT_RATE_THRESHOLD * 100}% of deliveries + bounces over the last day (at least ${REPUTATION_ALARM_MIN_VOLUME} of them). See docs/figures.md.`,
      });
    }
  }

  private add(
    id: string,
    props: Pick<cloudwatch.AlarmProps, "metric" | "threshold" | "comparisonOperator" | "alarmDescription">,
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      ...props,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

function sesReputationMetric(metricName: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: "AWS/SES",
    metricName,
    statistic: cloudwatch.Stats.MAXIMUM,
    period: Duration.minutes(15),
  });
}

/**
 * A tenant's two rates over one day, by metric math on the ingest functions' EMF counts
 * (`REPUTATION_METRICS`, lambdas/handlers/names.ts): hard bounces and complaints over deliveries +
 * soft + hard bounces, as `GET /v1/stats` computes them; 0 while that sum is under
 * `REPUTATION_ALARM_MIN_VOLUME` (a tenant with 3 sends does not page).
 *
 * @example reputationRates("default").bounceRate; // a MathExpression to alarm on
 */
export function reputationRates(tenant: string): {
  readonly bounceRate: cloudwatch.MathExpression;
  readonly complaintRate: cloudwatch.MathExpression;
} {
  const period = Duration.days(1);
  const count = (metricName: string) =>
    new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: SERVICE_NAME, [REPUTATION_DIMENSION]: tenant },
      statistic: cloudwatch.Stats.SUM,
      period,
    });
  const sentMetrics = {
    d: count(REPUTATION_METRICS.delivered),
    s: count(REPUTATION_METRICS.soft_bounce),
    h: count(REPUTATION_METRICS.invalid),
  };
  const sent = "(FILL(d, 0) + FILL(s, 0) + FILL(h, 0))";
  // Every metric an alarm's expression names, and none it does not.
  const rate = (part: string, label: string, usingMetrics: Record<string, cloudwatch.IMetric>) =>
    new cloudwatch.MathExpression({
      expression: `IF(${sent} >= ${REPUTATION_ALARM_MIN_VOLUME}, FILL(${part}, 0) / ${sent}, 0)`,
      usingMetrics,
      period,
      label: `${label} of tenant ${tenant}`,
    });
  return {
    bounceRate: rate("h", "Bounce rate", sentMetrics),
    complaintRate: rate("c", "Complaint rate", {
      ...sentMetrics,
      c: count(REPUTATION_METRICS.complaint),
    }),
  };
}
