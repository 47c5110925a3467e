import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Token } from "aws-cdk-lib";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { FALLBACK_ROUTE, HTTP_ROUTES } from "../../lambdas/handlers/routes.js";
import { PROVIDER_SECRET_NAMES, PROVIDER_SETTING_NAMES } from "../../lambdas/providers/registry.js";
import { tableDefinition } from "../../lambdas/store/schema.js";
import { parseRouteKey } from "../../lib/constructs/http-api.js";
import { assertNoReservedEnv } from "../../lib/constructs/secure-defaults.js";
import { PROJECT_ROOT } from "../../lib/constructs/service-function.js";
import {
  SES_MARKER_DELETE_ACTIONS,
  TABLE_READ_ACTIONS,
  TABLE_WRITE_ACTIONS,
} from "../../lib/constructs/suppression-table.js";
import { deployedFunctions, FUNCTION_SPECS } from "../../lib/functions.js";
import { pascal } from "../../lib/suppression-stack.js";
import { functionEnv, functionProperties, logicalId, resourcesOf, type Synthesized, synth } from "./synth.js";

/** design.md §5.3, copied by hand on purpose: the routes table must not drift from the contract. */
/** The routes design.md §5.3's table lists (its first column), read from the document itself. */
const DESIGN_ROUTES: readonly string[] = (() => {
  const design = readFileSync(join(PROJECT_ROOT, "docs", "design.md"), "utf8");
  const section = design.slice(design.indexOf("### 5.3"), design.indexOf("### 5.4"));
  return [...section.matchAll(/^\| `((?:GET|PUT|POST|DELETE) [^`]+)` /gm)].map((m) => m[1] as string);
})();

const EXISTING_TOPICS = [
  "arn:aws:sns:eu-west-1:111122223333:ses-notifications",
  "arn:aws:sns:us-east-1:444455556666:ses-other-account",
];

let main: Synthesized;
let existing: Synthesized;
let t: Template;

beforeAll(() => {
  main = synth({ alarmEmail: "ops@example.org", sesConfigurationSet: { name: "suppression-service" } });
  existing = synth({ existingSesTopicArns: EXISTING_TOPICS, sesConfigurationSet: {} });
  t = main.template;
});

const fnId = (name: string): string => logicalId(t, "AWS::Lambda::Function", `${pascal(name)}Function`);
const ref = (id: string) => ({ Ref: id });
const arnOf = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });

type Statement = { Effect: string; Action: string | string[]; Resource?: unknown; Principal?: unknown };
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** The statements of the role's inline policies (AWS::IAM::Policy attached to it). */
function roleStatements(template: Template, roleId: string): Statement[] {
  return Object.values(resourcesOf(template, "AWS::IAM::Policy"))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([ref(roleId)]))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

function functionRoleId(template: Template, name: string): string {
  return (functionProperties(template, name).Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
}

describe("routes", () => {
  it("HTTP_ROUTES is exactly the route list of design §5.3", () => {
    expect(Object.keys(HTTP_ROUTES).sort()).toEqual([...DESIGN_ROUTES].sort());
  });

  it("the API has exactly those routes, each integrated with its function", () => {
    const all = Object.values(resourcesOf(t, "AWS::ApiGatewayV2::Route"));
    const routes = all.filter((r) => r.Properties.RouteKey !== FALLBACK_ROUTE);
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual([...DESIGN_ROUTES].sort());
    // Unmatched requests reach the health function, which answers 404/405 problems as locally.
    const fallback = all.find((r) => r.Properties.RouteKey === FALLBACK_ROUTE);
    const fallbackIntegration = Object.entries(resourcesOf(t, "AWS::ApiGatewayV2::Integration")).find(
      ([id]) => JSON.stringify(fallback?.Properties.Target).includes(id),
    );
    expect(fallbackIntegration?.[1].Properties).toMatchObject({ IntegrationUri: arnOf(fnId("health")) });
    const integrations = resourcesOf(t, "AWS::ApiGatewayV2::Integration");
    for (const route of routes) {
      const routeKey = route.Properties.RouteKey as keyof typeof HTTP_ROUTES;
      const target = JSON.stringify(route.Properties.Target);
      const integrationId = Object.keys(integrations).find((id) => target.includes(id));
      expect(integrationId, routeKey).toBeDefined();
      const integration = integrations[integrationId as string];
      expect(integration?.Properties).toMatchObject({
        IntegrationType: "AWS_PROXY",
        PayloadFormatVersion: "2.0",
        IntegrationUri: arnOf(fnId(HTTP_ROUTES[routeKey])),
      });
      expect(route.Properties.AuthorizationType ?? "NONE").toBe("NONE");
    }
  });

  it("parses route keys and refuses anything else", () => {
    expect(parseRouteKey("GET /v1/suppressions/{address}")).toEqual({
      method: "GET",
      path: "/v1/suppressions/{address}",
    });
    expect(() => parseRouteKey("FETCH /x")).toThrow(/route key/);
    expect(() => parseRouteKey("/healthz")).toThrow(/route key/);
  });

  it("every function a route names has a spec, and the SES consumer is deployed too", () => {
    expect(deployedFunctions().sort()).toEqual(
      [...new Set([...Object.values(HTTP_ROUTES), "ses-events", "stats-rollup", "jobs"])].sort(),
    );
    // Plus the one aws-cdk-lib creates for the console's BucketDeployments (lib/constructs/console-site.ts).
    t.resourceCountIs("AWS::Lambda::Function", deployedFunctions().length + 1);
  });
});

describe("job files", () => {
  const bucketId = () => logicalId(t, "AWS::S3::Bucket", "JobFilesBucket");
  it("a private, S3-encrypted, logged bucket whose objects go after 7 days (and stale multipart uploads after 1)", () => {
    t.hasResourceProperties("AWS::S3::Bucket", {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [
          {
            ExpirationInDays: 7,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: "Enabled",
          },
        ],
      },
      LoggingConfiguration: { LogFilePrefix: "s3/job-files/" },
    });
    const policies = Object.values(resourcesOf(t, "AWS::S3::BucketPolicy")).filter(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify(ref(bucketId())),
    );
    expect(JSON.stringify(policies)).toContain('"aws:SecureTransport":"false"');
    // No CORS: browsers only follow its links (the console sends lists in the request body).
    expect(resourcesOf(t, "AWS::S3::Bucket")[bucketId()]?.Properties).not.toHaveProperty("CorsConfiguration");
  });

  it("only exports, list-checks and jobs reach it, with exactly the actions they use, under jobs/", () => {
    const access = Object.fromEntries(
      deployedFunctions().flatMap((name) => {
        const s3 = roleStatements(t, functionRoleId(t, name)).filter((s) =>
          actionsOf(s).some((a) => a.startsWith("s3:")),
        );
        if (s3.length === 0) return [];
        expect(JSON.stringify(s3.map((s) => s.Resource))).toContain('"/jobs/*"');
        return [[name, s3.flatMap(actionsOf).sort()]];
      }),
    );
    expect(access).toEqual({
      exports: ["s3:GetObject"],
      "list-checks": ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
      jobs: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
    });
    for (const name of ["exports", "list-checks", "jobs"]) {
      const env = (functionProperties(t, name).Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(env.EXPORT_BUCKET).toEqual(ref(bucketId()));
    }
  });

  it("the job routes invoke the jobs function asynchronously; it runs 15 minutes and is never retried by Lambda", () => {
    for (const name of ["exports", "list-checks"]) {
      const env = (functionProperties(t, name).Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(env.JOBS_FUNCTION_NAME).toEqual(ref(fnId("jobs")));
      const invoke = roleStatements(t, functionRoleId(t, name)).filter((s) =>
        actionsOf(s).includes("lambda:InvokeFunction"),
      );
      expect(JSON.stringify(invoke)).toContain(fnId("jobs"));
    }
    expect(functionProperties(t, "jobs")).toMatchObject({ Timeout: 900, MemorySize: 1024 });
    t.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: ref(fnId("jobs")),
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
    });
  });
});

describe("HTTP API", () => {
  it("has a $default stage with throttling and JSON access logs to a retained log group", () => {
    t.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
    t.hasResourceProperties("AWS::ApiGatewayV2::Api", { ProtocolType: "HTTP" });
    const logsId = logicalId(t, "AWS::Logs::LogGroup", "HttpAccessLogs");
    t.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      AccessLogSettings: {
        DestinationArn: arnOf(logsId),
        Format: Match.serializedJson(
          Match.objectLike({ requestId: "$context.requestId", status: "$context.status" }),
        ),
      },
    });
    t.hasResource("AWS::Logs::LogGroup", {
      Properties: { RetentionInDays: 90 },
      DeletionPolicy: "Retain",
    });
  });

  it("takes throttling limits from props", () => {
    const s = synth({ apiThrottle: { rateLimit: 50, burstLimit: 75 } });
    s.template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 75 },
    });
  });
});

describe("table", () => {
  it("is built from tableDefinition(): keys, TTL, on-demand, PITR, AWS-managed SSE, stream, retained", () => {
    const def = tableDefinition();
    t.resourceCountIs("AWS::DynamoDB::Table", 1);
    t.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: {
        KeySchema: [
          { AttributeName: def.partitionKey.name, KeyType: "HASH" },
          { AttributeName: def.sortKey.name, KeyType: "RANGE" },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: def.partitionKey.name, AttributeType: "S" },
          { AttributeName: def.sortKey.name, AttributeType: "S" },
          // Each index key attribute once (the status index sorts by the history index's `hsk`).
          ...[...new Set(def.globalSecondaryIndexes.flatMap((i) => [i.partitionKey.name, i.sortKey.name]))]
            .filter((name) => name !== def.partitionKey.name)
            .map((name) => ({ AttributeName: name, AttributeType: "S" })),
        ]),
        GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey.name, KeyType: "HASH" },
            { AttributeName: i.sortKey.name, KeyType: "RANGE" },
          ],
          Projection:
            i.projection === undefined
              ? { ProjectionType: "ALL" }
              : { ProjectionType: "INCLUDE", NonKeyAttributes: [...i.projection.attributes] },
        })),
        TimeToLiveSpecification: { AttributeName: def.timeToLiveAttribute, Enabled: true },
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        // SSEEnabled without a key id = the AWS-managed aws/dynamodb key.
        SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
        StreamSpecification: { StreamViewType: "NEW_AND_OLD_IMAGES" },
        DeletionProtectionEnabled: true,
        TableName: Match.absent(),
      },
    });
  });
});

describe("functions", () => {
  it.each(deployedFunctions())(
    "%s: Node 22 on arm64, its own log group with retention, reserved env",
    (name) => {
      const id = fnId(name);
      const fn = resourcesOf(t, "AWS::Lambda::Function")[id]?.Properties ?? {};
      const logGroupId = logicalId(t, "AWS::Logs::LogGroup", `${pascal(name)}LogGroup`);
      expect(fn).toMatchObject({
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        Handler: "index.handler",
        LoggingConfig: { LogGroup: ref(logGroupId) },
        Timeout: FUNCTION_SPECS[name]?.timeout?.toSeconds() ?? 10,
      });
      t.hasResource("AWS::Logs::LogGroup", {
        Properties: { RetentionInDays: 90 },
        DeletionPolicy: "Retain",
      });
      const env = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env).toMatchObject({
        TABLE_NAME: ref(logicalId(t, "AWS::DynamoDB::Table", "StoreTable")),
        POWERTOOLS_SERVICE_NAME: "suppression-service",
        POWERTOOLS_LOG_LEVEL: "INFO",
        NODE_OPTIONS: "--enable-source-maps",
      });
      expect(() => assertNoReservedEnv(env as Record<string, string>)).not.toThrow();
      const spec = FUNCTION_SPECS[name];
      const apiKeyId = logicalId(t, "AWS::SecretsManager::Secret", "SecretsApiKey");
      const providerId = logicalId(t, "AWS::SecretsManager::Secret", "SecretsProviderSecrets");
      expect(env.SUPPRESSION_API_KEY_SECRET_ARN).toEqual(spec?.apiKey ? ref(apiKeyId) : undefined);
      expect(env.PROVIDER_SECRETS_SECRET_ARN).toEqual(spec?.providerSecrets ? ref(providerId) : undefined);
      expect(env.SNS_TOPIC_ARNS).toEqual(
        spec?.snsTopics ? ref(logicalId(t, "AWS::SNS::Topic", "SesIngestionTopic")) : undefined,
      );
      // Every setting an adapter reads from its environment is set on the webhook function.
      if (name === "webhook")
        for (const setting of PROVIDER_SETTING_NAMES) expect(env[setting]).toBeDefined();
      expect(env.SUPPRESSION_API_KEY).toBeUndefined(); // never a plain env var in AWS
      expect(env.POLICY_FILE).toBeUndefined(); // no policyFile prop here
    },
  );

  it("refuses environment variables Lambda reserves", () => {
    expect(() => assertNoReservedEnv({ AWS_REGION: "x", TABLE_NAME: "t" })).toThrow(/AWS_REGION/);
  });

  it("bundles a policy file into the ingesting functions only when given one", () => {
    const s = synth({ policyFile: "package.json", logLevel: "DEBUG" });
    for (const name of deployedFunctions()) {
      const env = functionEnv(s.template, name);
      expect(env.POLICY_FILE, name).toBe(FUNCTION_SPECS[name]?.policy ? "/var/task/policy.json" : undefined);
      expect(env.POWERTOOLS_LOG_LEVEL).toBe("DEBUG");
    }
  });

  it("roles carry no AWS managed policies, only the function's own log group and what it uses", () => {
    for (const name of deployedFunctions()) {
      const roleId = functionRoleId(t, name);
      const role = resourcesOf(t, "AWS::IAM::Role")[roleId]?.Properties ?? {};
      expect(role.ManagedPolicyArns, name).toBeUndefined();
      const statements = roleStatements(t, roleId);
      expect(statements, name).toContainEqual({
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: arnOf(logicalId(t, "AWS::Logs::LogGroup", `${pascal(name)}LogGroup`)),
      });
      const tableArn = arnOf(logicalId(t, "AWS::DynamoDB::Table", "StoreTable"));
      // The table and, by name (no wildcard), only the indexes the function queries.
      const tableResources = [
        tableArn,
        ...(FUNCTION_SPECS[name]?.indexes ?? []).map((index) => ({
          "Fn::Join": ["", [tableArn, `/index/${index}`]],
        })),
      ];
      const tableActions = statements
        .filter((s) => JSON.stringify([s.Resource].flat()) === JSON.stringify(tableResources))
        .flatMap(actionsOf)
        .sort();
      const access = FUNCTION_SPECS[name]?.table;
      const expected =
        access === "read"
          ? [...TABLE_READ_ACTIONS]
          : access === "read-write"
            ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS]
            : [];
      expect(tableActions, name).toEqual(expected.sort());
      // Nothing on the table's stream or indexes, no Scan, no deletes.
      expect(JSON.stringify(statements), name).not.toMatch(/dynamodb:(Scan|DeleteItem|BatchWriteItem)/);
    }
  });

  it("the granted actions cover every DynamoDB command the runtime sends (schema.ts is local-only)", () => {
    // lambdas/store is the only code that talks to DynamoDB (design §4).
    const dir = join(PROJECT_ROOT, "lambdas", "store");
    const sources = readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && f !== "schema.ts")
      .map((f) => readFileSync(join(dir, f), "utf8"));
    const commands = new Set(
      sources.flatMap((src) => [...src.matchAll(/\b([A-Z][A-Za-z]+)Command\b/g)].map((m) => m[1])),
    );
    // DeleteItem: only the SES sync-out's markers (ses-markers.ts), granted on their partitions alone.
    const granted: string[] = [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS, ...SES_MARKER_DELETE_ACTIONS];
    for (const command of commands) {
      const action = `dynamodb:${command?.replace(/^(BatchGet|Get|Put|Update|Delete)$/, "$1Item")}`;
      expect(granted, `${command}Command needs ${action}`).toContain(action);
    }
  });

  it("only the functions that query an index may query it: history, lists, status and the figures'", () => {
    const granted = Object.fromEntries(
      deployedFunctions().flatMap((name) => {
        const arns = roleStatements(t, functionRoleId(t, name))
          .flatMap((s) => [s.Resource].flat())
          .map((r) => JSON.stringify(r))
          .filter((r) => r.includes("/index/"));
        return arns.length === 0 ? [] : [[name, arns.map((r) => /\/index\/([a-z]+)/.exec(r)?.[1])]];
      }),
    );
    expect(granted).toEqual({
      history: ["history"],
      lists: ["lists"],
      status: ["status"],
      stats: ["stats"],
      "stats-rollup": ["stats"],
      jobs: ["lists", "status"],
    });
    expect(
      tableDefinition()
        .globalSecondaryIndexes.map((i) => i.name)
        .sort(),
    ).toEqual(["history", "lists", "stats", "status"]);
  });

  it("check and suppressions only read; import, webhook and ses-events read and write", () => {
    expect(TABLE_READ_ACTIONS).toEqual(["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"]);
    expect(FUNCTION_SPECS.check?.table).toBe("read");
    expect(FUNCTION_SPECS.suppressions?.table).toBe("read");
    expect(FUNCTION_SPECS.lists?.table).toBe("read");
    expect(FUNCTION_SPECS.status?.table).toBe("read");
    for (const name of ["import", "webhook", "ses-events"])
      expect(FUNCTION_SPECS[name]?.table).toBe("read-write");
  });
});

/** Every Allow statement in the template: role policies, queue, topic and key policies. */
function allowStatements(template: Template): { where: string; statement: Statement }[] {
  const out: { where: string; statement: Statement }[] = [];
  const docs: [string, string][] = [
    ["AWS::IAM::Policy", "PolicyDocument"],
    ["AWS::SQS::QueuePolicy", "PolicyDocument"],
    ["AWS::SNS::TopicPolicy", "PolicyDocument"],
    ["AWS::KMS::Key", "KeyPolicy"],
    ["AWS::IAM::Role", "AssumeRolePolicyDocument"],
  ];
  for (const [type, key] of docs) {
    for (const [id, r] of Object.entries(resourcesOf(template, type))) {
      const doc = r.Properties[key] as { Statement: Statement[] } | undefined;
      for (const statement of doc?.Statement ?? []) {
        if (statement.Effect === "Allow") out.push({ where: `${type} ${id}`, statement });
      }
    }
  }
  return out;
}

/** The account-root statement of a KMS key policy: delegation to IAM (AWS's default key policy). */
const isKeyRootDelegation = (where: string, s: Statement): boolean =>
  where.startsWith("AWS::KMS::Key") &&
  JSON.stringify(s.Principal).includes(":root") &&
  JSON.stringify(s.Action) === JSON.stringify("kms:*");

describe("least privilege", () => {
  it.each([
    ["main", () => main.template],
    ["existing topics", () => existing.template],
  ])("%s: no Allow statement has a wildcard action", (_name, template) => {
    const offending = allowStatements(template())
      .filter(({ where, statement }) => !isKeyRootDelegation(where, statement))
      .filter(({ statement }) => actionsOf(statement).some((a) => a.includes("*")));
    expect(offending).toEqual([]);
    // The only `kms:*` is the key's own account-root statement (without it the key is unmanageable).
    const root = allowStatements(template()).filter(({ where, statement }) =>
      isKeyRootDelegation(where, statement),
    );
    expect(root).toHaveLength(1);
  });

  it("no identity policy has a wildcard resource", () => {
    const wild = allowStatements(t).filter(
      ({ where, statement }) =>
        where.startsWith("AWS::IAM::Policy") && JSON.stringify(statement.Resource).includes('"*"'),
    );
    expect(wild).toEqual([]);
  });
});

describe("SES ingestion", () => {
  it("queue: SQS-managed SSE, 14 days, visibility 6× the consumer timeout, DLQ after 5 receives", () => {
    const dlq = logicalId(t, "AWS::SQS::Queue", "SesIngestionDeadLetterQueue");
    t.resourceCountIs("AWS::SQS::Queue", 2);
    t.hasResourceProperties("AWS::SQS::Queue", {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: arnOf(dlq), maxReceiveCount: 5 },
    });
    t.hasResourceProperties("AWS::SQS::Queue", {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
      RedrivePolicy: Match.absent(),
    });
  });

  it("both queues refuse non-TLS access", () => {
    for (const id of Object.keys(resourcesOf(t, "AWS::SQS::Queue"))) {
      t.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [ref(id)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      });
    }
  });

  it("topic: KMS-encrypted (rotated CMK), TLS only, SES of this account may publish, queue subscribed (not raw)", () => {
    const topic = logicalId(t, "AWS::SNS::Topic", "SesIngestionTopic");
    const key = logicalId(t, "AWS::KMS::Key", "TopicKey");
    t.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    t.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: arnOf(key) });
    t.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [ref(topic)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          Match.objectLike({
            Effect: "Allow",
            Principal: { Service: "ses.amazonaws.com" },
            Action: "sns:Publish",
            Condition: { StringEquals: { "AWS:SourceAccount": { Ref: "AWS::AccountId" } } },
          }),
        ]),
      },
    });
    t.hasResourceProperties("AWS::KMS::Key", {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: ["cloudwatch.amazonaws.com", "ses.amazonaws.com"] },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          }),
        ]),
      },
    });
    t.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "sqs",
      TopicArn: ref(topic),
      Endpoint: arnOf(logicalId(t, "AWS::SQS::Queue", "SesIngestionQueue")),
      RawMessageDelivery: false,
      RedrivePolicy: {
        deadLetterTargetArn: arnOf(logicalId(t, "AWS::SQS::Queue", "SesIngestionDeadLetterQueue")),
      },
    });
  });

  it("EventBridge: aws.ses events of this account into the same queue, DLQ for failed deliveries", () => {
    t.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["aws.ses"],
        account: [{ Ref: "AWS::AccountId" }],
        "detail-type": ["Email Bounced", "Email Complaint Received", "Email Subscribed"],
      },
      Targets: [
        Match.objectLike({
          Arn: arnOf(logicalId(t, "AWS::SQS::Queue", "SesIngestionQueue")),
          DeadLetterConfig: { Arn: arnOf(logicalId(t, "AWS::SQS::Queue", "SesIngestionDeadLetterQueue")) },
        }),
      ],
    });
  });

  it("ses-events consumes the queue with partial batch failures", () => {
    t.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: arnOf(logicalId(t, "AWS::SQS::Queue", "SesIngestionQueue")),
      FunctionName: ref(fnId("ses-events")),
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it("optional configuration set: bounce, complaint and subscription to the topic and to EventBridge", () => {
    t.hasResourceProperties("AWS::SES::ConfigurationSet", {
      Name: "suppression-service",
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    const events = ["bounce", "complaint", "subscription"];
    t.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
      EventDestination: {
        MatchingEventTypes: events,
        SnsDestination: { TopicARN: ref(logicalId(t, "AWS::SNS::Topic", "SesIngestionTopic")) },
      },
    });
    t.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
      EventDestination: {
        MatchingEventTypes: events,
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      },
    });
    synth().template.resourceCountIs("AWS::SES::ConfigurationSet", 0);
  });

  it("existing topics: subscribed instead of a topic of our own (cross-region aware), and allowlisted", () => {
    const e = existing.template;
    expect(Object.keys(e.findResources("AWS::SNS::Topic"))).toEqual([
      logicalId(e, "AWS::SNS::Topic", "AlarmsTopic"),
    ]);
    for (const arn of EXISTING_TOPICS) {
      e.hasResourceProperties("AWS::SNS::Subscription", {
        Protocol: "sqs",
        TopicArn: arn,
        Region: arn.split(":")[3],
        RawMessageDelivery: false,
      });
      e.hasResourceProperties("AWS::SQS::QueuePolicy", {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Allow",
              Principal: { Service: "sns.amazonaws.com" },
              Action: "sqs:SendMessage",
              Condition: { ArnEquals: { "aws:SourceArn": arn } },
            }),
          ]),
        },
      });
    }
    const webhook = Object.entries(resourcesOf(e, "AWS::Lambda::Function")).find(([id]) =>
      id.startsWith("WebhookFunction"),
    )?.[1];
    expect(webhook?.Properties.Environment).toMatchObject({
      Variables: { SNS_TOPIC_ARNS: EXISTING_TOPICS.join(",") },
    });
    // The configuration set can only publish to EventBridge then (SNS destinations must be ours).
    e.resourceCountIs("AWS::SES::ConfigurationSetEventDestination", 1);
    // The SES rule, and the daily schedule of the figures' rollup.
    e.resourceCountIs("AWS::Events::Rule", 2);
  });
});

describe("secrets", () => {
  it("a generated API key and a JSON provider-secrets document, retained, readable only by their users", () => {
    t.resourceCountIs("AWS::SecretsManager::Secret", 4);
    t.hasResource("AWS::SecretsManager::Secret", {
      DeletionPolicy: "Retain",
      Properties: {
        GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true, IncludeSpace: false },
      },
    });
    t.hasResource("AWS::SecretsManager::Secret", {
      DeletionPolicy: "Retain",
      Properties: {
        SecretString: Match.serializedJson(Object.fromEntries(PROVIDER_SECRET_NAMES.map((n) => [n, ""]))),
      },
    });
    const apiKey = ref(logicalId(t, "AWS::SecretsManager::Secret", "SecretsApiKey"));
    const providers = ref(logicalId(t, "AWS::SecretsManager::Secret", "SecretsProviderSecrets"));
    for (const name of deployedFunctions()) {
      // Each resource on its own (a statement may name several secrets with the same actions).
      const resources = roleStatements(t, functionRoleId(t, name))
        .flatMap((s) => [s.Resource].flat())
        .map((r) => JSON.stringify(r));
      expect(resources.includes(JSON.stringify(apiKey)), name).toBe(Boolean(FUNCTION_SPECS[name]?.apiKey));
      expect(resources.includes(JSON.stringify(providers)), name).toBe(
        Boolean(FUNCTION_SPECS[name]?.providerSecrets),
      );
    }
  });

  it('the unsubscribe token keys: generated {"k1": 64 letters and digits}, retained, read by the unsubscribe function alone', () => {
    const id = logicalId(t, "AWS::SecretsManager::Secret", "SecretsUnsubscribeKeys");
    t.hasResource("AWS::SecretsManager::Secret", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: {
        GenerateSecretString: {
          SecretStringTemplate: "{}",
          GenerateStringKey: "k1",
          PasswordLength: 64,
          ExcludePunctuation: true,
          IncludeSpace: false,
        },
      },
    });
    expect(resourcesOf(t, "AWS::SecretsManager::Secret")[id]?.Properties.GenerateSecretString).toBeDefined();
    // No rotation Lambda: rotation is an operator putting a new kid first (docs/deploy.md).
    t.resourceCountIs("AWS::SecretsManager::RotationSchedule", 0);
    for (const name of deployedFunctions()) {
      const env = functionEnv(t, name);
      const reads = roleStatements(t, functionRoleId(t, name)).some(
        (s) =>
          [s.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(ref(id))) &&
          actionsOf(s).includes("secretsmanager:GetSecretValue"),
      );
      const expected = name === "unsubscribe";
      expect(FUNCTION_SPECS[name]?.unsubscribeSecret === true, name).toBe(expected);
      expect(reads, name).toBe(expected);
      expect(env.UNSUBSCRIBE_SECRET_ARN, name).toEqual(expected ? ref(id) : undefined);
    }
  });

  it("a generated internal key, given to every function as INTERNAL_KEY by a dynamic reference (no role reads it)", () => {
    const id = logicalId(t, "AWS::SecretsManager::Secret", "SecretsInternalKey");
    for (const name of deployedFunctions()) {
      const env = functionEnv(t, name);
      expect(JSON.stringify(env.INTERNAL_KEY), name).toMatch(/\{\{resolve:secretsmanager:/);
      expect(JSON.stringify(env.INTERNAL_KEY), name).toContain(id);
      const resources = roleStatements(t, functionRoleId(t, name)).map((s) => JSON.stringify(s.Resource));
      expect(
        resources.some((r) => r.includes(id)),
        name,
      ).toBe(false);
    }
  });
});

describe("alarms", () => {
  const alarmTopic = () => ref(logicalId(t, "AWS::SNS::Topic", "AlarmsTopic"));

  it("all go to one encrypted alarm topic (ALARM and OK), with an email subscriber by prop", () => {
    const alarms = Object.values(resourcesOf(t, "AWS::CloudWatch::Alarm"));
    expect(alarms).toHaveLength(1 + 2 * deployedFunctions().length + 1 + 2 + 2); // + the default tenant's two rates
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([alarmTopic()]);
      expect(alarm.Properties.OKActions).toEqual([alarmTopic()]);
      expect(alarm.Properties.TreatMissingData).toBe("notBreaching");
    }
    t.hasResourceProperties("AWS::SNS::Topic", {
      KmsMasterKeyId: arnOf(logicalId(t, "AWS::KMS::Key", "TopicKey")),
      DisplayName: "suppression-service alarms",
    });
    t.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.org",
      TopicArn: alarmTopic(),
    });
    existing.template.resourcePropertiesCountIs("AWS::SNS::Subscription", { Protocol: "email" }, 0);
  });

  it("DLQ not empty", () => {
    t.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [
        {
          Name: "QueueName",
          Value: {
            "Fn::GetAtt": [logicalId(t, "AWS::SQS::Queue", "SesIngestionDeadLetterQueue"), "QueueName"],
          },
        },
      ],
      Statistic: "Maximum",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
  });

  it.each(deployedFunctions())("%s: errors and throttles", (name) => {
    for (const metric of ["Errors", "Throttles"]) {
      t.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/Lambda",
        MetricName: metric,
        Dimensions: [{ Name: "FunctionName", Value: ref(fnId(name)) }],
        Statistic: "Sum",
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
    }
  });

  it("API 5xx", () => {
    t.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/ApiGateway",
      MetricName: "5xx",
      Dimensions: [{ Name: "ApiId", Value: ref(logicalId(t, "AWS::ApiGatewayV2::Api", "HttpApi")) }],
      Statistic: "Sum",
      Threshold: 5,
    });
  });

  it("SES reputation: bounce rate > 2%, complaint rate > 0.1%", () => {
    t.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/SES",
      MetricName: "Reputation.BounceRate",
      Threshold: 0.02,
      ComparisonOperator: "GreaterThanThreshold",
      Dimensions: Match.absent(),
    });
    t.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/SES",
      MetricName: "Reputation.ComplaintRate",
      Threshold: 0.001,
      ComparisonOperator: "GreaterThanThreshold",
      Dimensions: Match.absent(),
    });
  });
});

describe("outputs", () => {
  it("API URL, SES topic, queues, alarm topic, table, secrets, configuration set", () => {
    const outputs = Object.keys(t.findOutputs("*")).sort();
    expect(outputs).toEqual(
      [
        "AlarmTopicArn",
        "ApiKeySecretArn",
        "ApiUrl",
        "ConsoleUrl",
        "DeadLetterQueueUrl",
        "JobFilesBucket",
        "ProviderSecretsArn",
        "SesConfigurationSetName",
        "SesQueueArn",
        "SesQueueUrl",
        "SesTopicArn",
        "TableName",
        "UnsubscribeKeysSecretArn",
      ].sort(),
    );
    t.hasOutput("ApiUrl", {
      Value: { "Fn::GetAtt": [logicalId(t, "AWS::ApiGatewayV2::Api", "HttpApi"), "ApiEndpoint"] },
    });
    expect(Object.keys(existing.template.findOutputs("SesTopicArn"))).toEqual([]);
  });

  it("is environment-agnostic (no account or region baked in, no lookups)", () => {
    expect(Token.isUnresolved(main.stack.account) && Token.isUnresolved(main.stack.region)).toBe(true);
    expect(main.stack.environment).toBe("aws://unknown-account/unknown-region");
  });
});
