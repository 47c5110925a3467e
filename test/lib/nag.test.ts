import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { SuppressionStack, type SuppressionStackProps } from "../../lib/suppression-stack.js";
import { ALL_ON, CDK_JSON, nagPlugins, type Synthesized, synth } from "./synth.js";

/** Every variant the props can produce, so no finding hides behind a non-default prop. */
const VARIANTS: [string, SuppressionStackProps][] = [
  ["defaults", {}],
  [
    "every option",
    {
      alarmEmail: "ops@example.org",
      sesConfigurationSet: { name: "suppression-service" },
      policyFile: "package.json",
      apiThrottle: { rateLimit: 10, burstLimit: 20 },
    },
  ],
  ["every opt-in part (SES account sync and import, unsubscribe base URL, bounce mailbox)", ALL_ON],
  [
    "existing topics",
    { existingSesTopicArns: ["arn:aws:sns:eu-west-1:111122223333:ses"], sesConfigurationSet: {} },
  ],
];

type Acknowledgement = { path: string; id: string; reason: string };

/** The acknowledgements recorded in the construct tree (`Validations.of(x).acknowledge`). */
function acknowledgements(root: IConstruct): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  for (const node of root.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        out.push({ path: node.node.path, id: id.replace(/^annotation::/i, ""), reason: String(reason) });
      }
    }
  }
  return out;
}

/** What AwsSolutions reports when nothing is acknowledged: rule id and construct path. */
function rawFindings(props: SuppressionStackProps): { rule: string; path: string }[] {
  const app = new App({ context: { ...CDK_JSON.context, "aws:cdk:bundling-stacks": [] } });
  new SuppressionStack(app, "Test", props);
  const pack = new AwsSolutionsChecks(app);
  (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  return pack
    .validateScope(app)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? "" })),
    );
}

describe.each(VARIANTS)("cdk-nag AwsSolutions (%s)", (_name, props) => {
  let s: Synthesized;
  beforeAll(() => {
    // Synthesis throws when a validation plugin reports an unacknowledged finding.
    s = synth(props, { plugins: nagPlugins });
  });

  it("reports no unacknowledged finding", () => {
    const report = JSON.parse(readFileSync(join(s.outdir, "validation-report.json"), "utf8")) as {
      pluginReports: { pluginName: string; violations: unknown[] }[];
    };
    const violations = report.pluginReports.flatMap((r) => r.violations);
    expect(violations).toEqual([]);
  });

  it("every acknowledgement carries a written reason", () => {
    const acks = acknowledgements(s.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z0-9]+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(60);
    }
  });

  it("every acknowledgement answers a real finding (none is stale)", () => {
    const findings = rawFindings(props);
    for (const ack of acknowledgements(s.app)) {
      const covered = findings.some(
        (f) => f.rule === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`)),
      );
      expect(covered, `${ack.path} ${ack.id}`).toBe(true);
    }
  });
});

describe("acknowledged rules", () => {
  it("are only these, each for the reason given in the stack", () => {
    const findings = rawFindings({ ...ALL_ON, sesConfigurationSet: {} });
    const rules = [...new Set(findings.map((f) => f.rule))].sort();
    // L1: Node 22 pinned (design §7). APIG4: auth in the functions. SMG4: keys shared outside AWS.
    // CFR1/2/4 and IAM5 on console/*: the console's distribution and deployment (console-site.ts).
    // IAM5 on jobs/*: the job files, named per tenant, job and run (job-files.ts).
    // IAM5 on incoming/* and poison/*: the bounce mails SES names by message id (bounce-mailbox.ts).
    // IAM5 on *: the SES suppression-list actions and ListStreams, which support no resource-level
    // permission, each in a policy of its own (ses-account-sync.ts). SQS3: the sync-out's DLQ is one.
    expect(rules).toEqual([
      "AwsSolutions-APIG4",
      "AwsSolutions-CFR1",
      "AwsSolutions-CFR2",
      "AwsSolutions-CFR4",
      "AwsSolutions-IAM5[Resource::*]",
      "AwsSolutions-IAM5[Resource::<ConsoleFiles2D43986C.Arn>/console/*]",
      "AwsSolutions-IAM5[Resource::<JobFilesBucket194C219C.Arn>/jobs/*]",
      "AwsSolutions-IAM5[Resource::<MailboxBucket2641422E.Arn>/incoming/*]",
      "AwsSolutions-IAM5[Resource::<MailboxBucket2641422E.Arn>/poison/*]",
      "AwsSolutions-L1",
      "AwsSolutions-SMG4",
      "AwsSolutions-SQS3",
    ]);
  });

  it("IAM5 on * is acknowledged only on the SES sync's own policies", () => {
    const findings = rawFindings(ALL_ON).filter((f) => f.rule === "AwsSolutions-IAM5[Resource::*]");
    expect(findings.map((f) => f.path).sort()).toEqual([
      "Test/SesAccountSync/ImportSesPolicy/Resource",
      "Test/SesAccountSync/SyncSesPolicy/Resource",
    ]);
  });
});
