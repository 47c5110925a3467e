import { describe, expect, it } from "vitest";
import { DEFAULT_SES_IMPORT_SCHEDULE, DEFAULT_STACK_NAME, SETTINGS, settingsFrom } from "../../lib/config.js";

const none = () => undefined;

describe("settingsFrom", () => {
  it("defaults: the stack name and no options", () => {
    expect(settingsFrom(none, {})).toEqual({
      stackName: DEFAULT_STACK_NAME,
      props: {
        alarmEmail: undefined,
        existingSesTopicArns: undefined,
        sesConfigurationSet: undefined,
        logLevel: undefined,
        logRetention: undefined,
        policyFile: undefined,
        apiThrottle: undefined,
        api5xxThreshold: undefined,
      },
    });
  });

  it("reads context first, then the environment", () => {
    const context = (name: string) => ({ alarmEmail: "ctx@example.org", logLevel: "debug" })[name];
    const env = {
      [SETTINGS.alarmEmail]: "env@example.org",
      [SETTINGS.sesTopicArns]: "arn:aws:sns:eu-west-1:111122223333:a, arn:aws:sns:us-east-1:444455556666:b",
      [SETTINGS.sesConfigurationSet]: "true",
      [SETTINGS.logRetentionDays]: "30",
      [SETTINGS.apiRateLimit]: "50",
      [SETTINGS.stackName]: "Suppressions-Prod",
    };
    const { stackName, props } = settingsFrom(context, env);
    expect(stackName).toBe("Suppressions-Prod");
    expect(props).toMatchObject({
      alarmEmail: "ctx@example.org",
      logLevel: "DEBUG",
      existingSesTopicArns: ["arn:aws:sns:eu-west-1:111122223333:a", "arn:aws:sns:us-east-1:444455556666:b"],
      sesConfigurationSet: {},
      logRetention: 30,
      apiThrottle: { rateLimit: 50, burstLimit: 400 },
    });
  });

  it("a configuration set name, or none", () => {
    expect(
      settingsFrom((n) => (n === "sesConfigurationSet" ? "mail" : undefined), {}).props.sesConfigurationSet,
    ).toEqual({ name: "mail" });
    expect(
      settingsFrom((n) => (n === "sesConfigurationSet" ? "false" : undefined), {}).props.sesConfigurationSet,
    ).toBeUndefined();
  });

  it.each([
    ["sesTopicArns", "arn:aws:sqs:eu-west-1:111122223333:q", /not an SNS topic ARN/],
    ["logLevel", "LOUD", /one of DEBUG/],
    ["logRetentionDays", "45", /CloudWatch Logs accepts/],
    ["apiRateLimit", "-1", /positive integer/],
    ["alarmEmail", "ops", /not an email/],
    ["reputationTenants", "default,Acme", /not a tenant id.*Acme/],
    ["sesSyncTenants", "default, no tenant", /Setting sesSyncTenants .*not a tenant id.*no tenant/],
    ["unsubscribeBaseUrl", "http://mail.example.org", /expected an https URL/],
    ["unsubscribeBaseUrl", "https://mail.example.org/?x=1", /no query or fragment/],
    ["unsubscribeBaseUrl", "https://mail.example.org/#top", /no query or fragment/],
    ["unsubscribeBaseUrl", "https://mail.example.org?", /no query or fragment/],
    ["unsubscribeBaseUrl", "https://user:pw@mail.example.org", /credentials/],
    ["unsubscribeBaseUrl", "mail.example.org", /not a URL/],
  ])("refuses a bad %s (%s)", (name, value, message) => {
    expect(() => settingsFrom((n) => (n === name ? value : undefined), {})).toThrow(message);
  });
});

describe("the SES account sync and unsubscribe settings", () => {
  const from = (values: Record<string, string>, env: Record<string, string> = {}) =>
    settingsFrom((n) => values[n], env).props;

  it("sesSyncTenants: comma-separated tenant ids, trimmed, deduplicated; none when blank", () => {
    expect(from({ sesSyncTenants: " default, acme ,default," }).sesSyncTenants).toEqual(["default", "acme"]);
    expect(from({}, { [SETTINGS.sesSyncTenants]: "acme" }).sesSyncTenants).toEqual(["acme"]);
    expect(from({ sesSyncTenants: " , " }).sesSyncTenants).toBeUndefined();
    expect(SETTINGS.sesSyncTenants).toBe("SUPPRESSION_SES_SYNC_TENANTS");
  });

  it.each([
    ["true", DEFAULT_SES_IMPORT_SCHEDULE],
    ["rate(6 hours)", "rate(6 hours)"],
    ["rate(1 day)", "rate(1 day)"],
    ["rate(30 minutes)", "rate(30 minutes)"],
    ["cron(0 3 * * ? *)", "cron(0 3 * * ? *)"],
    ["false", undefined],
  ])("sesImportSchedule %s → %s", (value, expected) => {
    expect(from({ sesSyncTenants: "default", sesImportSchedule: value }).sesImportSchedule).toBe(expected);
  });

  it("true means every six hours", () => {
    expect(DEFAULT_SES_IMPORT_SCHEDULE).toBe("rate(6 hours)");
    expect(
      from({}, { [SETTINGS.sesSyncTenants]: "default", [SETTINGS.sesImportSchedule]: "true" })
        .sesImportSchedule,
    ).toBe("rate(6 hours)");
  });

  it.each([
    "hourly",
    "rate(1 hours)",
    "rate(2 hour)",
    "rate(0 minutes)",
    "cron(0 3 * * ?)",
    "at(2026-01-01T00:00:00)",
  ])("refuses the schedule %s", (value) => {
    expect(() => from({ sesSyncTenants: "default", sesImportSchedule: value })).toThrow(
      /Setting sesImportSchedule .*EventBridge schedule expression/,
    );
  });

  it("refuses an import without tenants", () => {
    expect(() => from({ sesImportSchedule: "true" })).toThrow(/sesImportSchedule.*needs sesSyncTenants/);
  });

  it("unsubscribeBaseUrl: an https URL (a path allowed), its trailing slash dropped", () => {
    expect(from({ unsubscribeBaseUrl: "https://mail.example.org/" }).unsubscribeBaseUrl).toBe(
      "https://mail.example.org",
    );
    expect(from({}, { [SETTINGS.unsubscribeBaseUrl]: "https://example.org/mail/" }).unsubscribeBaseUrl).toBe(
      "https://example.org/mail",
    );
    expect(from({}).unsubscribeBaseUrl).toBeUndefined();
  });
});
