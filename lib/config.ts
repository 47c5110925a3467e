import * as logs from "aws-cdk-lib/aws-logs";
import { BounceMailboxSettingError, parseBounceMailbox } from "../lambdas/bounce-mailbox/settings.js";
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
  unsubscribeBaseUrl: "SUPPRESSION_UNSUBSCRIBE_BASE_URL",
  sesSyncTenants: "SUPPRESSION_SES_SYNC_TENANTS",
  sesImportSchedule: "SUPPRESSION_SES_IMPORT_SCHEDULE",
  bounceMailbox: "SUPPRESSION_BOUNCE_MAILBOX",
} as const;

export type SettingName = keyof typeof SETTINGS;
/** Reads a context value (`-c name=value`), `undefined` when absent. */
export type ContextReader = (name: string) => unknown;

export const DEFAULT_STACK_NAME = "SuppressionService";
const LOG_LEVELS: readonly LogLevel[] = ["DEBUG", "INFO", "WARN", "ERROR"];
const ARN_PATTERN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/;
/** What `sesImportSchedule=true` means: four imports a day (each well inside its 15 minutes). */
export const DEFAULT_SES_IMPORT_SCHEDULE = "rate(6 hours)";
/** EventBridge's `rate(value unit)`: a positive integer, singular unit for 1 and plural otherwise. */
const RATE_PATTERN = /^rate\((?:1 (?:minute|hour|day)|(?:[2-9]|[1-9]\d+) (?:minutes|hours|days))\)$/;
/** EventBridge's `cron(…)`: six fields (minutes hours day-of-month month day-of-week year). */
const CRON_PATTERN = /^cron\(\S+(?: \S+){5}\)$/;

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

  const reputationTenants = tenantList(read("reputationTenants"), (tenant) =>
    fail("reputationTenants", `not a tenant id (${TENANT_PATTERN}): ${tenant}`),
  );

  const unsubscribeBaseUrl = baseUrl(read("unsubscribeBaseUrl"), (why) => fail("unsubscribeBaseUrl", why));

  const sesSyncTenants = tenantList(read("sesSyncTenants"), (tenant) =>
    fail("sesSyncTenants", `not a tenant id (${TENANT_PATTERN}): ${tenant}`),
  );
  const importSchedule = read("sesImportSchedule");
  const sesImportSchedule =
    importSchedule === undefined || importSchedule === "false"
      ? undefined
      : importSchedule === "true"
        ? DEFAULT_SES_IMPORT_SCHEDULE
        : RATE_PATTERN.test(importSchedule) || CRON_PATTERN.test(importSchedule)
          ? importSchedule
          : fail(
              "sesImportSchedule",
              `expected true or an EventBridge schedule expression (rate(6 hours), cron(0 3 * * ? *)), got ${importSchedule}`,
            );
  // The import only records the SES list for the tenants that opted in: without any it has nobody to import for.
  if (sesImportSchedule !== undefined && sesSyncTenants === undefined) {
    fail("sesImportSchedule", "needs sesSyncTenants (the tenants the SES list is imported for)");
  }

  let bounceMailbox: ReturnType<typeof parseBounceMailbox>;
  try {
    bounceMailbox = parseBounceMailbox(read("bounceMailbox"));
  } catch (err) {
    if (!(err instanceof BounceMailboxSettingError)) throw err;
    fail("bounceMailbox", `${err.message} (expected domain[=tenant],…, e.g. bounces.example.com=acme)`);
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
      reputationTenants,
      unsubscribeBaseUrl,
      sesSyncTenants,
      sesImportSchedule,
      bounceMailbox,
    },
  };
}

/**
 * A comma-separated list of tenant ids, deduplicated in order; `undefined` when it holds none.
 * `refuse` is called with the first entry that is not a tenant id (and throws).
 */
function tenantList(text: string | undefined, refuse: (tenant: string) => never): string[] | undefined {
  const tenants = (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const tenant of tenants) if (!isTenant(tenant)) refuse(tenant);
  return tenants.length > 0 ? [...new Set(tenants)] : undefined;
}

/**
 * The unsubscribe links' base: an https URL without credentials, query or fragment (the token path
 * `/u/{token}` is appended to it), its trailing slashes dropped. `refuse` throws.
 *
 * @example baseUrl("https://mail.example.org/", fail); // "https://mail.example.org"
 */
function baseUrl(text: string | undefined, refuse: (why: string) => never): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(`not a URL: ${text}`);
  }
  if (url.protocol !== "https:") refuse(`expected an https URL, got ${text}`);
  if (url.username !== "" || url.password !== "") refuse(`credentials in the URL: ${text}`);
  // `new URL` drops an empty `?` or `#`, so look at the text too.
  if (url.search !== "" || url.hash !== "" || /[?#]/.test(text)) {
    refuse(`expected no query or fragment (links append /u/{token}), got ${text}`);
  }
  return url.href.replace(/\/+$/, "");
}
