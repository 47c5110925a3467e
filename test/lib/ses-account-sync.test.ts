/**
 * The opt-in SES account-level suppression sync (issue #14, lib/constructs/ses-account-sync.ts) and
 * the unsubscribe links' wiring: what each setting adds to the stack, and that nothing is added
 * without it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { HTTP_ROUTES } from "../../lambdas/handlers/routes.js";
import { SES_SYNC_TENANTS_ENV } from "../../lambdas/ses-account/settings.js";
import { SES_MARKER_PK_PREFIX } from "../../lambdas/store/ses-markers.js";
import { PROJECT_ROOT } from "../../lib/constructs/service-function.js";
import {
  SES_IMPORT_ACTIONS,
  SES_SYNC_ACTIONS,
  STREAM_LIST_ACTIONS,
} from "../../lib/constructs/ses-account-sync.js";
import {
  deployedFunctions,
  FUNCTION_SPECS,
  SES_IMPORT_FUNCTION,
  SES_SYNC_FUNCTION,
  UNSUBSCRIBE_BASE_URL_ENV,
} from "../../lib/functions.js";
import { pascal } from "../../lib/suppression-stack.js";
import {
  ALL_ON,
  functionEnv,
  functionProperties,
  logicalId,
  resourcesOf,
  type Synthesized,
  synth,
} from "./synth.js";

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
};
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const ref = (id: string) => ({ Ref: id });
const arnOf = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });

const fnId = (template: Template, name: string): string =>
  logicalId(template, "AWS::Lambda::Function", `${pascal(name)}Function`);
const roleId = (template: Template, name: string): string =>
  (functionProperties(template, name).Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];

/** The identity policies attached to the role of function `name`, by logical id. */
function rolePolicies(template: Template, name: string): Record<string, Statement[]> {
  const role = JSON.stringify([ref(roleId(template, name))]);
  return Object.fromEntries(
    Object.entries(resourcesOf(template, "AWS::IAM::Policy"))
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === role)
      .map(([id, p]) => [id, (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement]),
  );
}
const statementsOf = (template: Template, name: string): Statement[] =>
  Object.values(rolePolicies(template, name)).flat();

/** The source of a handler module, to compare a name the stack must spell itself (it may not import handlers). */
const handlerSource = (name: string): string =>
  readFileSync(join(PROJECT_ROOT, "lambdas", "handlers", `${name}.ts`), "utf8");

let off: Synthesized;
let sync: Synthesized;
let all: Synthesized;

beforeAll(() => {
  off = synth();
  sync = synth({ sesSyncTenants: ["default", "acme"] });
  all = synth({ ...ALL_ON, policyFile: "package.json" });
});

describe("without the settings", () => {
  it("deploys neither SES sync function, no stream mapping, no sync queue, rule, policy or output", () => {
    const t = off.template;
    expect(deployedFunctions()).not.toContain(SES_SYNC_FUNCTION);
    expect(deployedFunctions()).not.toContain(SES_IMPORT_FUNCTION);
    expect(() => fnId(t, SES_SYNC_FUNCTION)).toThrow(/found none/);
    expect(() => fnId(t, SES_IMPORT_FUNCTION)).toThrow(/found none/);
    // The one mapping is ses-events' SQS queue; the table's stream feeds nothing.
    t.resourceCountIs("AWS::Lambda::EventSourceMapping", 1);
    t.resourcePropertiesCountIs(
      "AWS::Lambda::EventSourceMapping",
      { EventSourceArn: { "Fn::GetAtt": [logicalId(t, "AWS::DynamoDB::Table", "StoreTable"), "StreamArn"] } },
      0,
    );
    expect(
      Object.keys(resourcesOf(t, "AWS::SQS::Queue")).filter((id) => id.startsWith("SesAccountSync")),
    ).toEqual([]);
    // The SES rule and the rollup's schedule only.
    t.resourceCountIs("AWS::Events::Rule", 2);
    expect(JSON.stringify(t.toJSON())).not.toMatch(/ses:[A-Za-z]+SuppressedDestination|dynamodb:ListStreams/);
    expect(Object.keys(t.findOutputs("SesSyncDeadLetterQueueUrl"))).toEqual([]);
    for (const name of deployedFunctions())
      expect(functionEnv(t, name)[SES_SYNC_TENANTS_ENV], name).toBeUndefined();
  });

  it("still deploys the unsubscribe function behind its three routes, links based on the request's domain", () => {
    const t = off.template;
    const routes = Object.entries(HTTP_ROUTES)
      .filter(([, fn]) => fn === "unsubscribe")
      .map(([key]) => key);
    expect(routes.sort()).toEqual(["GET /u/{token}", "POST /u/{token}", "POST /v1/unsubscribe-links"]);
    const integrations = resourcesOf(t, "AWS::ApiGatewayV2::Integration");
    for (const routeKey of routes) {
      const route = Object.values(resourcesOf(t, "AWS::ApiGatewayV2::Route")).find(
        (r) => r.Properties.RouteKey === routeKey,
      );
      const target = JSON.stringify(route?.Properties.Target);
      const integration = Object.entries(integrations).find(([id]) => target.includes(id))?.[1];
      expect(integration?.Properties.IntegrationUri, routeKey).toEqual(arnOf(fnId(t, "unsubscribe")));
    }
    const env = functionEnv(t, "unsubscribe");
    expect(env[UNSUBSCRIBE_BASE_URL_ENV]).toBeUndefined();
    expect(env.UNSUBSCRIBE_SECRET_ARN).toEqual(
      ref(logicalId(t, "AWS::SecretsManager::Secret", "SecretsUnsubscribeKeys")),
    );
    expect(env.SUPPRESSION_API_KEY_SECRET_ARN).toBeDefined();
    expect(FUNCTION_SPECS.unsubscribe).toMatchObject({ table: "read-write", apiKey: true, policy: true });
  });

  it("gives ses-import the timeout its handler budgets for", () => {
    const timeout = /SES_IMPORT_TIMEOUT_SECONDS = (\d+)/.exec(handlerSource("ses-import"))?.[1];
    expect(FUNCTION_SPECS[SES_IMPORT_FUNCTION]?.timeout?.toSeconds()).toBe(Number(timeout));
  });

  it("refuses an import schedule without tenants", () => {
    expect(() => synth({ sesImportSchedule: "rate(6 hours)" })).toThrow(/needs sesSyncTenants/);
  });
});

describe("unsubscribeBaseUrl", () => {
  it("is the unsubscribe function's UNSUBSCRIBE_BASE_URL, and nobody else's", () => {
    for (const name of deployedFunctions(ALL_ON)) {
      expect(functionEnv(all.template, name)[UNSUBSCRIBE_BASE_URL_ENV], name).toBe(
        name === "unsubscribe" ? "https://mail.example.org" : undefined,
      );
    }
  });
});

describe("sesSyncTenants: the sync-out", () => {
  it("deploys ses-sync with the tenants, no policy document and no import", () => {
    const t = sync.template;
    expect(deployedFunctions({ sesSyncTenants: ["default"] })).toContain(SES_SYNC_FUNCTION);
    const env = functionEnv(t, SES_SYNC_FUNCTION);
    expect(env[SES_SYNC_TENANTS_ENV]).toBe("default,acme");
    expect(functionProperties(t, SES_SYNC_FUNCTION)).toMatchObject({ Timeout: 300, Runtime: "nodejs22.x" });
    expect(() => fnId(t, SES_IMPORT_FUNCTION)).toThrow(/found none/);
    t.resourceCountIs("AWS::Events::Rule", 2);
  });

  it("consumes the table's stream: entries only, in order, bisecting, partial batch responses, DLQ on failure", () => {
    const t = sync.template;
    const tableId = logicalId(t, "AWS::DynamoDB::Table", "StoreTable");
    const dlq = logicalId(t, "AWS::SQS::Queue", "SesAccountSyncDeadLetterQueue");
    t.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [tableId, "StreamArn"] },
      FunctionName: ref(fnId(t, SES_SYNC_FUNCTION)),
      StartingPosition: "LATEST",
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 86400,
      ParallelizationFactor: 1,
      DestinationConfig: { OnFailure: { Destination: arnOf(dlq) } },
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ dynamodb: { NewImage: { kind: { S: ["entry"] } } } }) },
          { Pattern: JSON.stringify({ dynamodb: { OldImage: { kind: { S: ["entry"] } } } }) },
        ],
      },
    });
  });

  it("DLQ: SQS-managed SSE, 14 days, TLS only; an alarm to the alarm topic when it holds a message; its URL is an output", () => {
    const t = sync.template;
    const dlq = logicalId(t, "AWS::SQS::Queue", "SesAccountSyncDeadLetterQueue");
    expect(resourcesOf(t, "AWS::SQS::Queue")[dlq]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    t.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [ref(dlq)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
    const topic = ref(logicalId(t, "AWS::SNS::Topic", "AlarmsTopic"));
    t.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [dlq, "QueueName"] } }],
      Statistic: "Maximum",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      AlarmActions: [topic],
      OKActions: [topic],
    });
    t.hasOutput("SesSyncDeadLetterQueueUrl", { Value: ref(dlq) });
    // The usual errors and throttles alarms of every function, ses-sync's included, plus that one.
    const alarms = Object.keys(resourcesOf(t, "AWS::CloudWatch::Alarm")).length;
    const fns = deployedFunctions({ sesSyncTenants: ["default"] }).length;
    expect(alarms).toBe(1 + 1 + 2 * fns + 1 + 2 + 2);
  });

  it("IAM: the SES actions and ListStreams on * in a policy of their own; stream reads on the stream; deletes of markers only", () => {
    const t = sync.template;
    const policies = rolePolicies(t, SES_SYNC_FUNCTION);
    const anyResource = Object.entries(policies).filter(([, statements]) =>
      statements.some((s) => JSON.stringify(s.Resource) === '"*"'),
    );
    expect(anyResource).toHaveLength(1);
    const [id, statements] = anyResource[0] as [string, Statement[]];
    expect(id).toMatch(/^SesAccountSyncSyncSesPolicy/);
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements[0] as Statement).sort()).toEqual(
      [...SES_SYNC_ACTIONS, ...STREAM_LIST_ACTIONS].sort(),
    );
    const tableId = logicalId(t, "AWS::DynamoDB::Table", "StoreTable");
    const all = statementsOf(t, SES_SYNC_FUNCTION);
    expect(all).toContainEqual({
      Effect: "Allow",
      Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
      Resource: { "Fn::GetAtt": [tableId, "StreamArn"] },
    });
    expect(all).toContainEqual({
      Effect: "Allow",
      Action: "dynamodb:DeleteItem",
      Resource: arnOf(tableId),
      Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${SES_MARKER_PK_PREFIX}*`] } },
    });
    // Every other delete-capable statement: none.
    const deletes = all.filter((s) => actionsOf(s).includes("dynamodb:DeleteItem"));
    expect(deletes).toHaveLength(1);
    expect(JSON.stringify(all)).not.toMatch(/dynamodb:(Scan|BatchWriteItem)/);
    // It writes to its DLQ on failure, and reads no secret but the internal key's dynamic reference.
    expect(all.some((s) => actionsOf(s).includes("sqs:SendMessage"))).toBe(true);
    expect(JSON.stringify(all)).not.toContain("secretsmanager:");
  });
});

describe("sesImportSchedule: the import", () => {
  it("a rule on the schedule invokes ses-import (15 minutes, the tenants, the policy), never retried by Lambda", () => {
    const t = all.template;
    const fn = fnId(t, SES_IMPORT_FUNCTION);
    t.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(6 hours)",
      State: "ENABLED",
      Targets: [Match.objectLike({ Arn: arnOf(fn), RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    t.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      FunctionName: arnOf(fn),
      Principal: "events.amazonaws.com",
    });
    t.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: ref(fn),
      MaximumRetryAttempts: 0,
    });
    expect(functionProperties(t, SES_IMPORT_FUNCTION)).toMatchObject({ Timeout: 900 });
    const env = functionEnv(t, SES_IMPORT_FUNCTION);
    expect(env[SES_SYNC_TENANTS_ENV]).toBe("default,acme");
    expect(env.POLICY_FILE).toBe("/var/task/policy.json");
    // The SES and rollup rules, the bounce mailbox's (ALL_ON has one), and this one.
    t.resourceCountIs("AWS::Events::Rule", 4);
  });

  it("IAM: ListSuppressedDestinations on * in a policy of its own; the table; no stream, no deletes", () => {
    const t = all.template;
    const policies = rolePolicies(t, SES_IMPORT_FUNCTION);
    const anyResource = Object.entries(policies).filter(([, statements]) =>
      statements.some((s) => JSON.stringify(s.Resource) === '"*"'),
    );
    expect(anyResource.map(([id]) => id)).toEqual([expect.stringMatching(/^SesAccountSyncImportSesPolicy/)]);
    expect(anyResource[0]?.[1]).toEqual([{ Effect: "Allow", Action: SES_IMPORT_ACTIONS[0], Resource: "*" }]);
    const statements = JSON.stringify(statementsOf(t, SES_IMPORT_FUNCTION));
    expect(statements).toContain("dynamodb:PutItem");
    expect(statements).not.toMatch(/dynamodb:(DeleteItem|Scan|BatchWriteItem|GetRecords|ListStreams)/);
  });
});

describe("least privilege with every part on", () => {
  it("the only Resource * in identity policies: the SES actions and ListStreams, in the sync's own policies", () => {
    const t = all.template;
    const wild = Object.entries(resourcesOf(t, "AWS::IAM::Policy")).flatMap(([id, p]) =>
      (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.filter(
        (s) => s.Effect === "Allow" && JSON.stringify(s.Resource).includes('"*"'),
      ).map((s) => ({ id, actions: actionsOf(s).sort() })),
    );
    expect(wild).toEqual([
      {
        id: expect.stringMatching(/^SesAccountSyncSyncSesPolicy/),
        actions: [...SES_SYNC_ACTIONS, ...STREAM_LIST_ACTIONS].sort(),
      },
      { id: expect.stringMatching(/^SesAccountSyncImportSesPolicy/), actions: [...SES_IMPORT_ACTIONS] },
    ]);
    // No wildcard action anywhere in them.
    expect(wild.flatMap((w) => w.actions).filter((a) => a.includes("*"))).toEqual([]);
  });

  it("every function has its errors and throttles alarms", () => {
    const t = all.template;
    for (const name of deployedFunctions(ALL_ON)) {
      t.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/Lambda",
        MetricName: "Errors",
        Dimensions: [{ Name: "FunctionName", Value: ref(fnId(t, name)) }],
        Threshold: 1,
      });
    }
    expect(deployedFunctions(ALL_ON)).toEqual(
      expect.arrayContaining([SES_SYNC_FUNCTION, SES_IMPORT_FUNCTION]),
    );
  });
});
