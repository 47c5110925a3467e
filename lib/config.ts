import * as logs from "aws-cdk-lib/aws-logs";
import { isTenant, TENANT_PATTERN } from "../lambdas/core/access.js";
import type { LogLevel, SuppressionStackProps } from "./suppression-stack.js";

/**
 * Deploy-time settings: `npx cdk deploy -c alarmEmail=ops@example.org`, or the environment variable
 * beside each (`SUPPRESSION_ALARM_EMAIL=ops@example.org npx cdk deploy`); context wins.
 */
export const SETTINGS = {
  stackName: "SUPPRESSION_STACK_NAME",
  alarmEmail: "SUPPRESSION_ALARM_EMAIL",
  sesTopicArns: "SUPPRESSION_SES_TOPIC_ARNS",
  sesConfigurationSet: "SUPPRESSION_SES_CONFIGURATION_SET",
  logLevel: "SUPPRESSION_LOG_LEVEL",
  logRetentionDays: "SUPPRESSION_LOG_RETENTION_DAYS",
  policyFile: "SUPPRESSION_POLICY_FILE",
  apiRateLimit: "SUPPRESSION_API_RATE_LIMIT",
  apiBurstLimit: "SUPPRESSION_API_BURST_LIMIT",
  api5xxThreshold: "SUPPRESSION_API_5XX_THRESHOLD",
  reputationTenants: "SUPPRESSION_REPUTATION_TENANTS",
} as const;

export type SettingName = keyof typeof SETTINGS;
/** Reads a context value (`-c name=value`), `undefined` when absent. */
export type ContextReader = (name: string) => unknown;

export const DEFAULT_STACK_NAME = "SuppressionService";
const LOG_LEVELS: readonly LogLevel[] = ["DEBUG", "INFO", "WARN", "ERROR"];
const ARN_PATTERN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/;

export type AppSettings = { readonly stackName: string; readonly props: SuppressionStackProps };

/**
 * The stack's name and props from context and environment.
 *
 * @throws Error naming the setting when a value is invalid (a typo must not deploy a default).
 */
export function settingsFrom(
  context: ContextReader,
  env: Readonly<Record<string, string | undefined>> = process.env,
): AppSettings {
  const read = (name: SettingName): string | undefined => {
    const value = context(name) ?? env[SETTINGS[name]];
    if (value === undefined || value === null) return undefined;
    const text = String(value).trim();
    return text === "" ? undefined : text;
  };
  const fail = (name: SettingName, why: string): never => {
    throw new Error(`Setting ${name} (-c ${name}=… or ${SETTINGS[name]}): ${why}`);
  };
  const positiveInt = (name: SettingName): number | undefined => {
    const text = read(name);
    if (text === undefined) return undefined;
    const n = Number(text);
    return Number.isInteger(n) && n > 0 ? n : fail(name, `expected a positive integer, got ${text}`);
  };

  const topicArns = (read("sesTopicArns") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const arn of topicArns)
    if (!ARN_PATTERN.test(arn)) fail("sesTopicArns", `not an SNS topic ARN: ${arn}`);

  const configurationSet = read("sesConfigurationSet");
  const sesConfigurationSet =
    configurationSet === undefined || configurationSet === "false"
      ? undefined
      : configurationSet === "true"
        ? {}
        : { name: configurationSet };

  const logLevel = read("logLevel")?.toUpperCase();
  if (logLevel !== undefined && !LOG_LEVELS.includes(logLevel as LogLevel)) {
    fail("logLevel", `expected one of ${LOG_LEVELS.join(", ")}, got ${logLevel}`);
  }
  const retentionDays = positiveInt("logRetentionDays");
  if (retentionDays !== undefined && !Object.values(logs.RetentionDays).includes(retentionDays)) {
    fail(
      "logRetentionDays",
      `CloudWatch Logs accepts only 1, 3, 5, 7, 14, 30, 60, 90, … days, got ${retentionDays}`,
    );
  }
  const rateLimit = positiveInt("apiRateLimit");
  const burstLimit = positiveInt("apiBurstLimit");
  const alarmEmail = read("alarmEmail");
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(alarmEmail)) {
    fail("alarmEmail", `not an email address: ${alarmEmail}`);
  }

  const reputationTenants = read("reputationTenants")
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const tenant of reputationTenants ?? []) {
    if (!isTenant(tenant)) fail("reputationTenants", `not a tenant id (${TENANT_PATTERN}): ${tenant}`);
  }

  return {
    stackName: read("stackName") ?? DEFAULT_STACK_NAME,
    props: {
      alarmEmail,
      existingSesTopicArns: topicArns.length > 0 ? topicArns : undefined,
      sesConfigurationSet,
      logLevel: logLevel as LogLevel | undefined,
      logRetention: retentionDays as logs.RetentionDays | undefined,
      policyFile: read("policyFile"),
      apiThrottle:
        rateLimit !== undefined || burstLimit !== undefined
          ? { rateLimit: rateLimit ?? 200, burstLimit: burstLimit ?? Math.max(400, rateLimit ?? 0) }
          : undefined,
      api5xxThreshold: positiveInt("api5xxThreshold"),
      reputationTenants: reputationTenants?.length ? [...new Set(reputationTenants)] : undefined,
    },
  };
}
