/**
 * The opt-in bounce mailbox in the synthesized stack: nothing of it without the setting; with it,
 * one receipt rule per tenant writing under incoming/<tenant>/ of an encrypted, private, TLS-only
 * bucket that only SES may put into, expiring incoming/ and poison/; EventBridge → queue (+ DLQ,
 * alarmed) → bounce-mailbox, least privilege; and cdk-nag finds nothing unacknowledged.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { BOUNCE_MAILBOX_BUCKET_ENV } from "../../lambdas/bounce-mailbox/keys.js";
import { BOUNCE_MAILBOX_METRICS } from "../../lambdas/bounce-mailbox/names.js";
import { MAILBOX_INCOMING_DAYS, MAILBOX_POISON_DAYS } from "../../lib/constructs/bounce-mailbox.js";
import { BOUNCE_MAILBOX_FUNCTION, deployedFunctions } from "../../lib/functions.js";
import type { SuppressionStackProps } from "../../lib/suppression-stack.js";
import { functionEnv, nagPlugins, resourcesOf, type Synthesized, synth } from "./synth.js";

const MAILBOX: SuppressionStackProps = {
  bounceMailbox: [
    { domain: "bounces.example.com", tenant: "acme" },
    { domain: "bounces.example.net", tenant: "acme" },
    { domain: "bounces.other.org", tenant: "default" },
  ],
};

describe("bounce mailbox (opt-in)", () => {
  let off: Synthesized;
  let on: Synthesized;
  beforeAll(() => {
    off = synth({});
    on = synth(MAILBOX, { plugins: nagPlugins });
  }, 120_000);

  it("is absent without the setting", () => {
    expect(deployedFunctions()).not.toContain(BOUNCE_MAILBOX_FUNCTION);
    off.template.resourceCountIs("AWS::SES::ReceiptRuleSet", 0);
    off.template.resourceCountIs("AWS::SES::ReceiptRule", 0);
    expect(off.stack.bounceMailbox).toBeUndefined();
    expect(deployedFunctions(MAILBOX)).toContain(BOUNCE_MAILBOX_FUNCTION);
  });

  it("has one receipt rule per tenant, writing under incoming/<tenant>/, in one rule set", () => {
    on.template.resourceCountIs("AWS::SES::ReceiptRuleSet", 1);
    const rules = Object.values(resourcesOf(on.template, "AWS::SES::ReceiptRule")).map(
      (r) =>
        r.Properties.Rule as { Recipients: string[]; Actions: { S3Action: { ObjectKeyPrefix: string } }[] },
    );
    const byPrefix = Object.fromEntries(
      rules.map((r) => [r.Actions[0]?.S3Action.ObjectKeyPrefix, r.Recipients]),
    );
    expect(byPrefix).toEqual({
      "incoming/acme/": ["bounces.example.com", "bounces.example.net"],
      "incoming/default/": ["bounces.other.org"],
    });
  });

  it("keeps mails in an encrypted private bucket that expires incoming/ and poison/", () => {
    on.template.hasResourceProperties("AWS::S3::Bucket", {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { LogFilePrefix: "s3/bounce-mailbox/" },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: "incoming/",
            ExpirationInDays: MAILBOX_INCOMING_DAYS,
            Status: "Enabled",
          }),
          Match.objectLike({ Prefix: "poison/", ExpirationInDays: MAILBOX_POISON_DAYS, Status: "Enabled" }),
        ]),
      },
    });
  });

  it("lets only SES of this account put objects, under incoming/, and refuses plain HTTP", () => {
    const bucketId = on.stack.getLogicalId(on.stack.bounceMailbox?.bucket.node.defaultChild as never);
    const policies = Object.values(resourcesOf(on.template, "AWS::S3::BucketPolicy")).filter(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    );
    expect(policies).toHaveLength(1);
    const document = policies[0]?.Properties.PolicyDocument as
      | { Statement: Record<string, unknown>[] }
      | undefined;
    const statements = document?.Statement ?? [];
    const allows = statements.filter((s) => s.Effect === "Allow");
    expect(allows.length).toBeGreaterThan(0);
    for (const s of allows) {
      expect(s.Principal).toEqual({ Service: "ses.amazonaws.com" });
      expect(s.Action).toBe("s3:PutObject");
      expect(s.Condition).toEqual({ StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } });
      expect(JSON.stringify(s.Resource)).toMatch(/\/incoming\/(acme|default)\/\*/);
    }
    expect(
      statements.some(
        (s) => s.Effect === "Deny" && JSON.stringify(s.Condition).includes("aws:SecureTransport"),
      ),
    ).toBe(true);
  });

  it("feeds the function from a queue with a DLQ, both alarmed, the bucket in its environment", () => {
    expect(functionEnv(on.template, BOUNCE_MAILBOX_FUNCTION)[BOUNCE_MAILBOX_BUCKET_ENV]).toBeDefined();
    const queues = on.stack.bounceMailbox;
    expect(queues).toBeDefined();
    on.template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      EventSourceArn: {
        "Fn::GetAtt": [on.stack.getLogicalId(queues?.queue.node.defaultChild as never), "Arn"],
      },
    });
    on.template.hasResourceProperties("AWS::SQS::Queue", {
      RedrivePolicy: {
        deadLetterTargetArn: {
          "Fn::GetAtt": [on.stack.getLogicalId(queues?.deadLetterQueue.node.defaultChild as never), "Arn"],
        },
        maxReceiveCount: 5,
      },
    });
    on.template.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: Match.objectLike({ source: ["aws.s3"], "detail-type": ["Object Created"] }),
    });
    on.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: BOUNCE_MAILBOX_METRICS.poison,
    });
    const dlqAlarms = on.stack.alarms.alarms.filter(
      (a) => a.node.id === "BounceMailboxDeadLetterQueueNotEmpty",
    );
    expect(dlqAlarms).toHaveLength(1);
  });

  it("grants the function only GetObject on incoming/ and PutObject on poison/", () => {
    const text = JSON.stringify(resourcesOf(on.template, "AWS::IAM::Policy"));
    expect(text).toContain("/incoming/*");
    expect(text).toContain("/poison/*");
    expect(text).not.toMatch(/"s3:DeleteObject"/);
  });

  it("leaves cdk-nag nothing unacknowledged", () => {
    const report = JSON.parse(readFileSync(join(on.outdir, "validation-report.json"), "utf8")) as {
      pluginReports: { violations: unknown[] }[];
    };
    expect(report.pluginReports.flatMap((r) => r.violations)).toEqual([]);
  });
});
