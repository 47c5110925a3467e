/**
 * The secure defaults of every resource this service creates, in one place (the way
 * aws-solutions-constructs centralizes them). Constructs take these and only let a caller narrow
 * them (retention, thresholds), never weaken them (encryption, TLS, least privilege).
 */
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";

/** Lambda runs Node 22 (design.md §7); Graviton is cheaper per ms and starts as fast. */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_22_X;
export const LAMBDA_ARCHITECTURE = lambda.Architecture.ARM_64;

/** CommonJS dependencies inside an ESM bundle still call `require` for Node built-ins. */
export const ESM_REQUIRE_SHIM =
  'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);';

/**
 * esbuild with the local binary (no Docker: synth works offline on a fresh clone), minified ESM
 * with source maps. The AWS SDK is bundled: Lambda's built-in SDK version is not pinned, ours is.
 */
export const BUNDLING_DEFAULTS: nodejs.BundlingOptions = {
  forceDockerBundling: false,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: "node22",
  format: nodejs.OutputFormat.ESM,
  mainFields: ["module", "main"],
  banner: ESM_REQUIRE_SHIM,
  bundleAwsSDK: true,
  metafile: false,
};

/**
 * Environment variables Lambda sets itself (or reserves): a construct that tried to set one would
 * fail at deploy time, or silently shadow the runtime's value.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
export const RESERVED_ENV_VARS: ReadonlySet<string> = new Set([
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
]);

/** Throws when `env` sets a variable Lambda reserves. */
export function assertNoReservedEnv(env: Readonly<Record<string, string>>): void {
  const reserved = Object.keys(env).filter((k) => RESERVED_ENV_VARS.has(k));
  if (reserved.length > 0) {
    throw new Error(`Lambda reserves these environment variables; do not set them: ${reserved.join(", ")}`);
  }
}

export const DEFAULT_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;

/** A log group with a retention (never "forever"), kept when the stack is deleted (audit trail). */
export function secureLogGroup(
  scope: Construct,
  id: string,
  retention: logs.RetentionDays = DEFAULT_LOG_RETENTION,
): logs.LogGroup {
  return new logs.LogGroup(scope, id, { retention, removalPolicy: RemovalPolicy.RETAIN });
}

/** Messages are kept for the longest SQS allows, so an outage of up to 14 days loses nothing. */
export const QUEUE_RETENTION = Duration.days(14);
/** SQS moves a message that failed this many receives to the DLQ (issue #3). */
export const MAX_RECEIVE_COUNT = 5;

/** SQS-managed encryption at rest, TLS-only access, 14 days' retention. */
export function secureQueue(scope: Construct, id: string, props: sqs.QueueProps = {}): sqs.Queue {
  return new sqs.Queue(scope, id, {
    retentionPeriod: QUEUE_RETENTION,
    ...props,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
}

/**
 * An SNS topic encrypted with `key` (a customer-managed key: SES and CloudWatch cannot publish to a
 * topic encrypted with the AWS-managed `aws/sns` key), TLS-only.
 */
export function secureTopic(
  scope: Construct,
  id: string,
  key: kms.IKey,
  props: sns.TopicProps = {},
): sns.Topic {
  return new sns.Topic(scope, id, { ...props, masterKey: key, enforceSSL: true });
}

/**
 * The customer-managed key of the service's SNS topics, rotated yearly. SES (SES events) and
 * CloudWatch (alarms) may use it to publish; who may publish to which topic is the topic policy's
 * business. In a key policy, resource `*` means "this key".
 */
export function topicEncryptionKey(scope: Construct, id: string): kms.Key {
  const key = new kms.Key(scope, id, {
    description: "suppression-service: encrypts the SES events and alarm SNS topics",
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: "AllowAwsServicesToPublishToTheTopics",
      principals: [
        new iam.ServicePrincipal("ses.amazonaws.com"),
        new iam.ServicePrincipal("cloudwatch.amazonaws.com"),
      ],
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: ["*"],
    }),
  );
  return key;
}
