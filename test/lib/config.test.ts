import { describe, expect, it } from "vitest";
import { DEFAULT_STACK_NAME, SETTINGS, settingsFrom } from "../../lib/config.js";

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
  ])("refuses a bad %s", (name, value, message) => {
    expect(() => settingsFrom((n) => (n === name ? value : undefined), {})).toThrow(message);
  });
});
