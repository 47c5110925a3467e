import { CfnOutput, Duration, Fn, Stack, type StackProps, Validations } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import type { BounceMailboxDomain } from "../lambdas/bounce-mailbox/settings.js";
import { EXPORT_BUCKET_ENV } from "../lambdas/files/client.js";
import { SERVICE_NAME } from "../lambdas/handlers/names.js";
import { HTTP_ROUTES } from "../lambdas/handlers/routes.js";
import {
  API_KEY_SECRET_ARN_ENV,
  PROVIDER_SECRETS_SECRET_ARN_ENV,
} from "../lambdas/handlers/secret-api-key.js";
import { UNSUBSCRIBE_SECRET_ARN_ENV } from "../lambdas/handlers/unsubscribe-keys.js";
import { JOBS_FUNCTION_ENV } from "../lambdas/jobs/launcher.js";
import { SNS_TOPIC_ARNS } from "../lambdas/providers/ses/subscription.js";
import { SES_SYNC_TENANTS_ENV } from "../lambdas/ses-account/settings.js";
import { INTERNAL_KEY_ENV } from "../lambdas/store/internal-key.js";
import { Alarms } from "./constructs/alarms.js";
import { BounceMailbox } from "./constructs/bounce-mailbox.js";
import { ConsoleSite } from "./constructs/console-site.js";
import { HttpApi } from "./constructs/http-api.js";
import { JobFiles } from "./constructs/job-files.js";
import { topicEncryptionKey } from "./constructs/secure-defaults.js";
import { ServiceFunction } from "./constructs/service-function.js";
import { ServiceSecrets } from "./constructs/service-secrets.js";
import { SesAccountSync } from "./constructs/ses-account-sync.js";
import { SesIngestion } from "./constructs/ses-ingestion.js";
import { SuppressionTable } from "./constructs/suppression-table.js";
import {
  BOUNCE_MAILBOX_FUNCTION,
  deployedFunctions,
  FUNCTION_SPECS,
  JOBS_FUNCTION,
  SES_EVENTS_FUNCTION,
  SES_IMPORT_FUNCTION,
  SES_SYNC_FUNCTION,
  STATS_ROLLUP_FUNCTION,
  UNSUBSCRIBE_BASE_URL_ENV,
} from "./functions.js";

export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";

export type SuppressionStackProps = StackProps & {
  /** Email address subscribed to the alarm topic. @default no subscriber */
  readonly alarmEmail?: string;
  /** Subscribe the SES queue to these existing SNS topics instead of creating one. @default [] */
  readonly existingSesTopicArns?: readonly string[];
  /** Create an SES configuration set publishing to the topic and EventBridge. @default none */
  readonly sesConfigurationSet?: { readonly name?: string };
  /** @default "INFO" */
  readonly logLevel?: LogLevel;
  /** Retention of every log group (functions, API access logs). @default three months */
  readonly logRetention?: logs.RetentionDays;
  /** A policy JSON file (design.md §3) bundled into the ingesting functions. @default built-in policy */
  readonly policyFile?: string;
  /** @default { rateLimit: 200, burstLimit: 400 } */
  readonly apiThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** API 5xx responses per 5 minutes that raise the alarm. @default 5 */
  readonly api5xxThreshold?: number;
  /** Tenants with per-tenant bounce and complaint rate alarms (docs/figures.md). @default ["default"] */
  readonly reputationTenants?: readonly string[];
  /** @default true */
  readonly tableDeletionProtection?: boolean;
  /** Deploy the operator console (CloudFront + S3, `ConsoleUrl` output). @default true */
  readonly console?: boolean;
  /**
   * The base of the unsubscribe links (`<base>/u/{token}`): an https URL without query or fragment,
   * e.g. a custom domain in front of the API. @default the domain each `POST /v1/unsubscribe-links` request reached
   */
  readonly unsubscribeBaseUrl?: string;
  /**
   * Tenants whose entries are mirrored into the SES account-level suppression list (issue #14):
   * deploys `ses-sync` on the table's stream. @default none: no sync
   */
  readonly sesSyncTenants?: readonly string[];
  /**
   * An EventBridge schedule expression (`rate(6 hours)`, `cron(…)`) on which `ses-import` imports
   * the SES account-level list for `sesSyncTenants` (required with it). @default none: no import
   */
  readonly sesImportSchedule?: string;
  /**
   * The bounce mailbox (issue #15, docs/bounce-mailbox.md): the domains SES receives bounce mails
   * for, each with its tenant. Deploys the receipt rule set (inactive), the bucket, the queue and
   * `bounce-mailbox`. @default none: no mailbox
   */
  readonly bounceMailbox?: readonly BounceMailboxDomain[];
};

const L1_REASON =
  "Node.js 22 is pinned on purpose (design.md §7): the toolchain (node@22 devDependency, middy 7, " +
  "Powertools 2.35) is tested on 22, Lambda's supported runtime until 2027; moving to 24 is one " +
  "constant in lib/constructs/secure-defaults.ts, done with the toolchain.";

/**
 * suppression-service (design.md §4): the table, the HTTP API and its functions, SES ingestion through
 * SNS/EventBridge → SQS → `ses-events`, secrets, and alarms. Environment-agnostic: no lookups, so it
 * synthesizes offline without credentials.
 */
export class SuppressionStack extends Stack {
  readonly table: SuppressionTable;
  readonly functions: Readonly<Record<string, ServiceFunction>>;
  readonly httpApi: HttpApi;
  readonly ses: SesIngestion;
  readonly alarms: Alarms;
  readonly secrets: ServiceSecrets;
  /** The exports' and list checks' files. */
  readonly jobFiles: JobFiles;
  /** The operator console; `undefined` when the stack is built with `console: false`. */
  readonly console: ConsoleSite | undefined;
  /** The SES account-level suppression sync; `undefined` without `sesSyncTenants`. */
  readonly sesAccountSync: SesAccountSync | undefined;
  /** The bounce mailbox; `undefined` without `bounceMailbox`. */
  readonly bounceMailbox: BounceMailbox | undefined;

  constructor(scope: Construct, id: string, props: SuppressionStackProps = {}) {
    super(scope, id, {
      description: "suppression-service: one suppression list for every ESP (design.md)",
      ...props,
    });
    const sesSyncTenants = props.sesSyncTenants ?? [];
    if (props.sesImportSchedule !== undefined && sesSyncTenants.length === 0) {
      throw new Error("sesImportSchedule needs sesSyncTenants: the tenants the SES list is imported for");
    }
    this.table = new SuppressionTable(this, "Store", {
      deletionProtection: props.tableDeletionProtection,
    });
    this.secrets = new ServiceSecrets(this, "Secrets");
    const topicKey = topicEncryptionKey(this, "TopicKey");

    this.jobFiles = new JobFiles(this, "JobFiles");
    const functions: Record<string, ServiceFunction> = {};
    for (const name of deployedFunctions(props)) {
      const spec = FUNCTION_SPECS[name];
      if (!spec) continue;
      const environment: Record<string, string> = {
        TABLE_NAME: this.table.table.tableName,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? "INFO",
        [INTERNAL_KEY_ENV]: this.secrets.internalKey.secretValue.unsafeUnwrap(),
      };
      if (spec.apiKey) environment[API_KEY_SECRET_ARN_ENV] = this.secrets.apiKey.secretArn;
      if (spec.providerSecrets) {
        environment[PROVIDER_SECRETS_SECRET_ARN_ENV] = this.secrets.providerSecrets.secretArn;
      }
      if (spec.unsubscribeSecret) {
        environment[UNSUBSCRIBE_SECRET_ARN_ENV] = this.secrets.unsubscribeKeys.secretArn;
        if (props.unsubscribeBaseUrl) environment[UNSUBSCRIBE_BASE_URL_ENV] = props.unsubscribeBaseUrl;
      }
      if (spec.ses) environment[SES_SYNC_TENANTS_ENV] = sesSyncTenants.join(",");
      const fn = new ServiceFunction(this, pascal(name), {
        handler: name,
        description: `suppression-service ${spec.description}`,
        environment,
        timeout: spec.timeout,
        memorySize: spec.memorySize,
        logRetention: props.logRetention,
        policyFile: spec.policy ? props.policyFile : undefined,
      });
      if (spec.table === "read") this.table.grantRead(fn.role, spec.indexes);
      if (spec.table === "read-write") this.table.grantReadWrite(fn.role, spec.indexes);
      if (spec.apiKey) this.secrets.apiKey.grantRead(fn.role);
      if (spec.providerSecrets) this.secrets.providerSecrets.grantRead(fn.role);
      if (spec.unsubscribeSecret) this.secrets.unsubscribeKeys.grantRead(fn.role);
      // The sync-out removes its markers once SES no longer holds the address for the tenant.
      if (spec.ses === "sync") this.table.grantDeleteSesMarkers(fn.role);
      if (spec.files) {
        fn.function.addEnvironment(EXPORT_BUCKET_ENV, this.jobFiles.bucket.bucketName);
        this.jobFiles.grant(fn.role, spec.files);
      }
      Validations.of(fn.function).acknowledge({ id: "AwsSolutions-L1", reason: L1_REASON });
      functions[name] = fn;
    }
    this.functions = functions;

    // The routes that start jobs invoke the runner asynchronously (lambdas/jobs/launcher.ts).
    const jobs = functions[JOBS_FUNCTION];
    if (!jobs) throw new Error(`the ${JOBS_FUNCTION} function is missing`);
    for (const [name, fn] of Object.entries(functions)) {
      if (!FUNCTION_SPECS[name]?.startsJobs) continue;
      fn.function.addEnvironment(JOBS_FUNCTION_ENV, jobs.function.functionName);
      // The function itself, not `grantInvoke`'s `:*` too: the routes invoke its unqualified name.
      iam.Grant.addToPrincipal({
        grantee: fn.role,
        actions: ["lambda:InvokeFunction"],
        resourceArns: [jobs.function.functionArn],
      });
    }
    // A run that fails records it on the job; Lambda's own retries would only repeat a crash.
    jobs.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.hours(1) });

    const sesEvents = functions[SES_EVENTS_FUNCTION];
    if (!sesEvents) throw new Error(`the ${SES_EVENTS_FUNCTION} function is missing`);
    this.ses = new SesIngestion(this, "SesIngestion", {
      consumer: sesEvents.function,
      consumerTimeout: sesEvents.function.timeout ?? Duration.seconds(10),
      topicKey,
      existingTopicArns: props.existingSesTopicArns,
      configurationSet: props.sesConfigurationSet,
    });
    for (const [name, fn] of Object.entries(functions)) {
      if (FUNCTION_SPECS[name]?.snsTopics) {
        fn.function.addEnvironment(SNS_TOPIC_ARNS, Fn.join(",", this.ses.topicArns));
      }
    }

    const routes: Record<string, lambda.IFunction> = {};
    for (const [routeKey, name] of Object.entries(HTTP_ROUTES) as [string, string][]) {
      const fn = functions[name];
      if (!fn) throw new Error(`route ${routeKey}: no function ${name}`);
      routes[routeKey] = fn.function;
    }
    this.httpApi = new HttpApi(this, "Http", {
      routes,
      fallback: functions.health?.function,
      throttle: props.apiThrottle,
      accessLogRetention: props.logRetention,
    });
    this.console =
      props.console === false
        ? undefined
        : new ConsoleSite(this, "Console", { api: this.httpApi.api, logRetention: props.logRetention });

    // Opt-in (issue #14): the functions exist only when their settings are set (deployedFunctions).
    const sesSync = functions[SES_SYNC_FUNCTION];
    const sesImport = functions[SES_IMPORT_FUNCTION];
    this.sesAccountSync =
      sesSync || sesImport
        ? new SesAccountSync(this, "SesAccountSync", {
            table: this.table.table,
            sync: sesSync,
            import:
              sesImport && props.sesImportSchedule !== undefined
                ? { fn: sesImport, schedule: props.sesImportSchedule }
                : undefined,
          })
        : undefined;

    // Opt-in (issue #15): the function exists only with the setting (deployedFunctions).
    const mailboxConsumer = functions[BOUNCE_MAILBOX_FUNCTION];
    this.bounceMailbox =
      mailboxConsumer && props.bounceMailbox
        ? new BounceMailbox(this, "Mailbox", {
            domains: props.bounceMailbox,
            consumer: mailboxConsumer,
            accessLogs: this.jobFiles.logBucket,
          })
        : undefined;

    // The figures' daily rollup (docs/figures.md): 01:30 UTC, once yesterday has settled.
    const statsRollup = functions[STATS_ROLLUP_FUNCTION];
    if (!statsRollup) throw new Error(`the ${STATS_ROLLUP_FUNCTION} function is missing`);
    new events.Rule(this, "StatsRollupSchedule", {
      description: "suppression-service: roll up yesterday's reputation figures of every tenant",
      schedule: events.Schedule.cron({ minute: "30", hour: "1" }),
      targets: [new targets.LambdaFunction(statsRollup.function, { retryAttempts: 2 })],
    });

    this.alarms = new Alarms(this, "Alarms", {
      topicKey,
      email: props.alarmEmail,
      deadLetterQueue: this.ses.deadLetterQueue,
      sesSyncDeadLetterQueue: this.sesAccountSync?.deadLetterQueue,
      bounceMailboxDeadLetterQueue: this.bounceMailbox?.deadLetterQueue,
      functions: Object.fromEntries(Object.entries(functions).map(([n, f]) => [n, f.function])),
      api: this.httpApi.api,
      api5xxThreshold: props.api5xxThreshold,
      reputationTenants: props.reputationTenants,
    });

    new CfnOutput(this, "ApiUrl", { value: this.httpApi.url, description: "Base URL of the HTTP API" });
    if (this.console) {
      new CfnOutput(this, "ConsoleUrl", {
        value: this.console.url,
        description: "The operator console (CloudFront; /v1 on the same origin reaches the API)",
      });
    }
    if (this.ses.topic) {
      new CfnOutput(this, "SesTopicArn", {
        value: this.ses.topic.topicArn,
        description: "Point SES identity notifications or a configuration set's SNS destination here",
      });
    }
    new CfnOutput(this, "SesQueueUrl", { value: this.ses.queue.queueUrl, description: "SES events queue" });
    new CfnOutput(this, "SesQueueArn", { value: this.ses.queue.queueArn });
    new CfnOutput(this, "DeadLetterQueueUrl", {
      value: this.ses.deadLetterQueue.queueUrl,
      description: "Failed SES messages (inspect, then redrive)",
    });
    new CfnOutput(this, "AlarmTopicArn", { value: this.alarms.topic.topicArn });
    new CfnOutput(this, "TableName", { value: this.table.table.tableName });
    new CfnOutput(this, "JobFilesBucket", {
      value: this.jobFiles.bucket.bucketName,
      description: "Exports and list checks' files (each deleted 7 days after it was written)",
    });
    new CfnOutput(this, "ApiKeySecretArn", {
      value: this.secrets.apiKey.secretArn,
      description: "aws secretsmanager get-secret-value --secret-id <this> for the bearer key",
    });
    new CfnOutput(this, "ProviderSecretsArn", {
      value: this.secrets.providerSecrets.secretArn,
      description: "Put the ESP webhook secrets here (JSON)",
    });
    new CfnOutput(this, "UnsubscribeKeysSecretArn", {
      value: this.secrets.unsubscribeKeys.secretArn,
      description: "The unsubscribe links' token keys (JSON kid → secret; put a new kid first to rotate)",
    });
    if (this.sesAccountSync?.deadLetterQueue) {
      new CfnOutput(this, "SesSyncDeadLetterQueueUrl", {
        value: this.sesAccountSync.deadLetterQueue.queueUrl,
        description: "Table stream records ses-sync failed (their shard and sequence numbers)",
      });
    }
    if (this.bounceMailbox) {
      new CfnOutput(this, "BounceMailboxRuleSetName", {
        value: this.bounceMailbox.ruleSet.receiptRuleSetName,
        description:
          "Activate it: aws ses set-active-receipt-rule-set --rule-set-name <this> (docs/bounce-mailbox.md)",
      });
      new CfnOutput(this, "BounceMailboxBucket", {
        value: this.bounceMailbox.bucket.bucketName,
        description: "Received bounce mails (incoming/, 7 days) and poison mails (poison/, 90 days)",
      });
      new CfnOutput(this, "BounceMailboxDeadLetterQueueUrl", {
        value: this.bounceMailbox.deadLetterQueue.queueUrl,
        description: "Mailbox notifications bounce-mailbox failed 5 times (inspect, then redrive)",
      });
    }
    if (this.ses.configurationSet) {
      new CfnOutput(this, "SesConfigurationSetName", {
        value: this.ses.configurationSet.configurationSetName,
      });
    }
  }
}

/** `ses-events` → `SesEvents` (construct ids). */
export const pascal = (name: string): string =>
  name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
