/**
 * The deployed console (lib/constructs/console-site.ts): a private bucket read only by the
 * distribution (OAC), `/v1/*` routed to the HTTP API uncached, the headers of
 * console/security-headers.ts on every response, and the viewer-request function run for real.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import type { Template } from "aws-cdk-lib/assertions";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CONSOLE_PATH,
  HASHED_CACHE_CONTROL,
  PAGE_CACHE_CONTROL,
  UNHASHED_FILES,
} from "../../console/build.js";
import { CONSOLE_ROUTER_CODE } from "../../console/router-function.js";
import {
  contentSecurityPolicy,
  HSTS_MAX_AGE_SECONDS,
  REFERRER_POLICY,
  securityHeaders,
} from "../../console/security-headers.js";
import { API_PATH_PATTERN } from "../../lib/constructs/console-site.js";
import { logicalId, resourcesOf, type Synthesized, synth } from "./synth.js";

let s: Synthesized;
let t: Template;

beforeAll(() => {
  s = synth();
  t = s.template;
});

const ref = (id: string) => ({ Ref: id });
const getAtt = (id: string, attribute: string) => ({ "Fn::GetAtt": [id, attribute] });

type Statement = {
  Effect: string;
  Action: string | string[];
  Principal?: unknown;
  Resource?: unknown;
  Condition?: unknown;
};

type Behavior = Record<string, unknown> & { TargetOriginId: string };
type Origin = { Id: string; DomainName: unknown } & Record<string, unknown>;
type DistributionConfig = {
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: (Behavior & { PathPattern: string })[];
  Origins: Origin[];
  Logging?: { Bucket: unknown; Prefix: string };
};

const bucketId = () => logicalId(t, "AWS::S3::Bucket", "ConsoleFiles");
const logBucketId = () => logicalId(t, "AWS::S3::Bucket", "ConsoleAccessLogs");
const distributionId = () => logicalId(t, "AWS::CloudFront::Distribution", "ConsoleDistribution");
const headersPolicyId = () => logicalId(t, "AWS::CloudFront::ResponseHeadersPolicy", "ConsoleHeaders");

function distribution(): DistributionConfig {
  const d = resourcesOf(t, "AWS::CloudFront::Distribution")[distributionId()];
  return d?.Properties.DistributionConfig as DistributionConfig;
}

function originOf(behavior: Behavior): Origin {
  const origin = distribution().Origins.find((o) => o.Id === behavior.TargetOriginId);
  if (!origin) throw new Error(`no origin ${behavior.TargetOriginId}`);
  return origin;
}

function apiBehavior(): Behavior {
  const behaviors = distribution().CacheBehaviors.filter((b) => b.PathPattern === API_PATH_PATTERN);
  expect(behaviors).toHaveLength(1);
  return behaviors[0] as Behavior;
}

const ALL_PUBLIC_ACCESS_BLOCKED = {
  BlockPublicAcls: true,
  BlockPublicPolicy: true,
  IgnorePublicAcls: true,
  RestrictPublicBuckets: true,
};
const SSE_S3 = {
  ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
};

describe("console bucket", () => {
  it("is private (all four public-access blocks), SSE-S3 encrypted, access-logged", () => {
    const bucket = resourcesOf(t, "AWS::S3::Bucket")[bucketId()]?.Properties;
    expect(bucket?.PublicAccessBlockConfiguration).toEqual(ALL_PUBLIC_ACCESS_BLOCKED);
    expect(bucket?.BucketEncryption).toEqual(SSE_S3);
    expect(bucket?.LoggingConfiguration).toMatchObject({ DestinationBucketName: ref(logBucketId()) });
  });

  it("its policy lets only CloudFront read, for this distribution only (OAC), and refuses non-TLS", () => {
    const policy = Object.values(resourcesOf(t, "AWS::S3::BucketPolicy")).find(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify(ref(bucketId())),
    );
    if (!policy) throw new Error("the console bucket has no policy");
    const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    const allows = statements.filter((st) => st.Effect === "Allow");
    expect(allows).toEqual([
      {
        Effect: "Allow",
        Action: "s3:GetObject",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Resource: { "Fn::Join": ["", [getAtt(bucketId(), "Arn"), "/*"]] },
        Condition: {
          StringEquals: {
            "AWS:SourceArn": {
              "Fn::Join": [
                "",
                [
                  "arn:",
                  ref("AWS::Partition"),
                  ":cloudfront::",
                  ref("AWS::AccountId"),
                  ":distribution/",
                  ref(distributionId()),
                ],
              ],
            },
          },
        },
      },
    ]);
    const denies = statements.filter((st) => st.Effect === "Deny");
    expect(denies).toEqual([
      expect.objectContaining({
        Action: "s3:*",
        Principal: { AWS: "*" },
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    ]);
  });

  it("the distribution's S3 origin uses Origin Access Control, not an OAI", () => {
    const origin = originOf(distribution().DefaultCacheBehavior);
    expect(origin.DomainName).toEqual(getAtt(bucketId(), "RegionalDomainName"));
    expect(origin.OriginAccessControlId).toEqual(
      getAtt(logicalId(t, "AWS::CloudFront::OriginAccessControl", "ConsoleDistribution"), "Id"),
    );
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: "" });
    t.hasResourceProperties("AWS::CloudFront::OriginAccessControl", {
      OriginAccessControlConfig: { OriginAccessControlOriginType: "s3", SigningBehavior: "always" },
    });
  });
});

describe("deployment of the built files", () => {
  type Deployment = {
    Include: string[];
    Exclude: string[];
    Prune: boolean;
    DestinationBucketName: unknown;
    DestinationBucketKeyPrefix: string;
    SystemMetadata: Record<string, string>;
    SourceObjectKeys: string[];
  };
  const deployments = () =>
    Object.entries(resourcesOf(t, "Custom::CDKBucketDeployment")) as unknown as [
      string,
      { Properties: Deployment; DependsOn?: string[] },
    ][];

  it("index.html is no-cache, the hashed files immutable, all under console/, nothing pruned", () => {
    const all = deployments();
    expect(all).toHaveLength(2);
    const [pageId, page] = all.find(([, d]) => d.Properties.Include.includes("index.html")) ?? [];
    const [hashedId, hashed] = all.find(([id]) => id !== pageId) ?? [];
    expect(page?.Properties).toMatchObject({
      Include: [...UNHASHED_FILES],
      SystemMetadata: { "cache-control": PAGE_CACHE_CONTROL, "content-type": "text/html; charset=utf-8" },
    });
    expect(hashed?.Properties.SystemMetadata).toEqual({ "cache-control": HASHED_CACHE_CONTROL });
    expect(HASHED_CACHE_CONTROL).toMatch(/max-age=31536000.*immutable/);
    // Ordered by extension, not by name: the hashes decide the names' order.
    const byExtension = [...(hashed?.Properties.Include ?? [])].sort((a: string, b: string) =>
      a.slice(a.lastIndexOf(".")).localeCompare(b.slice(b.lastIndexOf("."))),
    );
    expect(byExtension).toEqual([
      expect.stringMatching(/^main-[A-Z0-9]+\.css$/),
      expect.stringMatching(/^main-[A-Z0-9]+\.js$/),
    ]);
    for (const [, d] of all) {
      // Only the named files: neither deployment can touch the other's (nor prune anything).
      expect(d.Properties).toMatchObject({
        DestinationBucketName: ref(bucketId()),
        DestinationBucketKeyPrefix: CONSOLE_PATH.slice(1),
        Exclude: ["*"],
        Prune: false,
      });
    }
    // The page is copied after the files it names.
    expect(page?.DependsOn).toContain(hashedId);
  });

  it("the asset holds exactly the console build", () => {
    const keys = new Set(deployments().flatMap(([, d]) => d.Properties.SourceObjectKeys));
    expect(keys.size).toBe(1);
    const [key] = [...keys];
    const dir = join(s.outdir, `asset.${String(key).replace(/\.zip$/, "")}`);
    const included = deployments().flatMap(([, d]) => d.Properties.Include);
    expect(readdirSync(dir).sort()).toEqual(included.sort());
  });

  it("the handler's role holds no managed policy and no wildcard action: read the zip, write console/", () => {
    const handler = Object.entries(resourcesOf(t, "AWS::Lambda::Function")).find(([id]) =>
      id.startsWith("CustomCDKBucketDeployment"),
    );
    if (!handler) throw new Error("no BucketDeployment handler");
    const roleId = (handler[1].Properties.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
    expect(resourcesOf(t, "AWS::IAM::Role")[roleId]?.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = Object.values(resourcesOf(t, "AWS::IAM::Policy"))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([ref(roleId)]))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const actions = statements.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
    expect(actions.sort()).toEqual(
      [
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "s3:AbortMultipartUpload",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
      ].sort(),
    );
    const put = statements.find((st) => JSON.stringify(st.Action).includes("s3:PutObject"));
    expect(put?.Resource).toEqual({ "Fn::Join": ["", [getAtt(bucketId(), "Arn"), `${CONSOLE_PATH}*`]] });
  });
});

describe("distribution", () => {
  it("routes /v1/* to the HTTP API's execute-api domain over HTTPS, uncached, with every method", () => {
    const behavior = apiBehavior();
    const origin = originOf(behavior);
    expect(origin.DomainName).toEqual({
      "Fn::Join": [
        "",
        [
          ref(logicalId(t, "AWS::ApiGatewayV2::Api", "HttpApi")),
          ".execute-api.",
          ref("AWS::Region"),
          ".",
          ref("AWS::URLSuffix"),
        ],
      ],
    });
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: "https-only",
      OriginSSLProtocols: ["TLSv1.2"],
    });
    expect(behavior).toMatchObject({
      ViewerProtocolPolicy: "https-only",
      CachePolicyId: cloudfront.CachePolicy.CACHING_DISABLED.cachePolicyId,
      OriginRequestPolicyId:
        cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
    });
    // The managed policies' ids, as CloudFront documents them.
    expect(behavior.CachePolicyId).toBe("4135ea2d-6df8-44a3-9df3-4b5a84be39ad");
    expect(behavior.OriginRequestPolicyId).toBe("b689b0a8-53d0-40ab-baf2-68738e2966ac");
    expect(behavior.AllowedMethods).toEqual(expect.arrayContaining(["GET", "POST", "PUT", "DELETE"]));
    expect(behavior.FunctionAssociations).toBeUndefined();
  });

  it("serves the bucket by default over HTTPS, through the viewer-request router", () => {
    const behavior = distribution().DefaultCacheBehavior;
    expect(behavior).toMatchObject({
      ViewerProtocolPolicy: "redirect-to-https",
      AllowedMethods: ["GET", "HEAD"],
      FunctionAssociations: [
        {
          EventType: "viewer-request",
          FunctionARN: getAtt(logicalId(t, "AWS::CloudFront::Function", "ConsoleRouter"), "FunctionARN"),
        },
      ],
    });
  });

  it("both behaviours carry the security-headers policy", () => {
    expect(distribution().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual(ref(headersPolicyId()));
    expect(apiBehavior().ResponseHeadersPolicyId).toEqual(ref(headersPolicyId()));
  });

  it("writes standard logs to a private log bucket that allows the ACLs CloudFront logging needs", () => {
    expect(distribution().Logging).toEqual({
      Bucket: getAtt(logBucketId(), "RegionalDomainName"),
      Prefix: "cloudfront/",
    });
    const logs = resourcesOf(t, "AWS::S3::Bucket")[logBucketId()]?.Properties;
    expect(logs?.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: "BucketOwnerPreferred" }] });
    expect(logs?.PublicAccessBlockConfiguration).toEqual(ALL_PUBLIC_ACCESS_BLOCKED);
    expect(logs?.BucketEncryption).toEqual(SSE_S3);
  });
});

describe("response headers policy", () => {
  type SecurityHeadersConfig = {
    ContentSecurityPolicy: { ContentSecurityPolicy: string; Override: boolean };
    StrictTransportSecurity: {
      AccessControlMaxAgeSec: number;
      IncludeSubdomains: boolean;
      Preload: boolean;
      Override: boolean;
    };
    ContentTypeOptions: { Override: boolean };
    FrameOptions: { FrameOption: string; Override: boolean };
    ReferrerPolicy: { ReferrerPolicy: string; Override: boolean };
  };
  type Config = {
    SecurityHeadersConfig: SecurityHeadersConfig;
    CustomHeadersConfig: { Items: { Header: string; Value: string; Override: boolean }[] };
  };
  const config = () =>
    resourcesOf(t, "AWS::CloudFront::ResponseHeadersPolicy")[headersPolicyId()]?.Properties
      .ResponseHeadersPolicyConfig as Config;

  it("is built from console/security-headers.ts: CSP, HSTS, DENY, nosniff, referrer, all overriding", () => {
    const sec = config().SecurityHeadersConfig;
    expect(sec.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: contentSecurityPolicy(),
      Override: true,
    });
    expect(sec.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS,
      IncludeSubdomains: true,
      Override: true,
    });
    expect(sec.FrameOptions).toEqual({ FrameOption: "DENY", Override: true });
    expect(sec.ContentTypeOptions).toEqual({ Override: true });
    expect(sec.ReferrerPolicy).toEqual({ ReferrerPolicy: REFERRER_POLICY, Override: true });
  });

  it("sends exactly the headers the local server sends (structured fields plus custom headers)", () => {
    const { SecurityHeadersConfig: sec, CustomHeadersConfig: custom } = config();
    const hsts = sec.StrictTransportSecurity;
    const sent: Record<string, string> = {
      "content-security-policy": sec.ContentSecurityPolicy.ContentSecurityPolicy,
      "strict-transport-security": `max-age=${hsts.AccessControlMaxAgeSec}${hsts.IncludeSubdomains ? "; includeSubDomains" : ""}${hsts.Preload ? "; preload" : ""}`,
      "x-content-type-options": "nosniff",
      "x-frame-options": sec.FrameOptions.FrameOption,
      "referrer-policy": sec.ReferrerPolicy.ReferrerPolicy,
    };
    for (const item of custom.Items) {
      expect(item.Override, item.Header).toBe(true);
      sent[item.Header] = item.Value;
    }
    expect(sent).toEqual(securityHeaders());
    expect(custom.Items.map((i) => i.Header).sort()).toEqual(
      ["cross-origin-opener-policy", "permissions-policy"].sort(),
    );
  });
});

describe("viewer-request router", () => {
  type Response = { statusCode: number; headers: { location: { value: string } } };
  type Request = { uri: string; method: string; querystring: object; headers: object; cookies: object };

  /** Runs the function's code as CloudFront would: `handler(event)` in a fresh global scope. */
  function route(uri: string): Request | Response {
    const event = {
      version: "1.0",
      context: { eventType: "viewer-request" },
      viewer: { ip: "192.0.2.1" },
      request: { method: "GET", uri, querystring: {}, headers: {}, cookies: {} },
    };
    return runInNewContext(`${CONSOLE_ROUTER_CODE}\nhandler(event);`, { event }) as Request | Response;
  }
  const uriOf = (uri: string) => (route(uri) as Request).uri;
  const redirectOf = (uri: string) => {
    const r = route(uri) as Response;
    return r.statusCode === 302 ? r.headers.location.value : undefined;
  };

  it("is the template's function, on the cloudfront-js-2.0 runtime", () => {
    t.hasResourceProperties("AWS::CloudFront::Function", {
      FunctionCode: CONSOLE_ROUTER_CODE,
      FunctionConfig: { Runtime: "cloudfront-js-2.0" },
      AutoPublish: true,
    });
  });

  it("serves index.html for /console/ and /console/<page>", () => {
    expect(uriOf("/console/")).toBe("/console/index.html");
    expect(uriOf("/console/address")).toBe("/console/index.html");
    expect(uriOf("/console/imports")).toBe("/console/index.html");
  });

  it("redirects / and /console to /console/ (index.html names its files relative to /console/)", () => {
    expect(redirectOf("/")).toBe(CONSOLE_PATH);
    expect(redirectOf("/console")).toBe(CONSOLE_PATH);
    expect(redirectOf("/console/a/b")).toBe(CONSOLE_PATH);
  });

  it("passes files, and everything outside the console, through unchanged", () => {
    for (const uri of [
      "/console/main-ABC.js",
      "/console/main-ABC.css",
      "/console/index.html",
      "/favicon.ico",
      "/v1/check",
    ]) {
      expect(uriOf(uri)).toBe(uri);
    }
  });

  it("keeps the rest of the request as it came", () => {
    const request = route("/console/address") as Request;
    expect(request).toMatchObject({ method: "GET", querystring: {}, headers: {}, cookies: {} });
  });
});

describe("stack", () => {
  it("outputs ConsoleUrl: https://<distribution domain>/console/", () => {
    t.hasOutput("ConsoleUrl", {
      Value: { "Fn::Join": ["", ["https://", getAtt(distributionId(), "DomainName"), CONSOLE_PATH]] },
    });
  });

  it("console: false leaves the console out", () => {
    const without = synth({ console: false }).template;
    without.resourceCountIs("AWS::CloudFront::Distribution", 0);
    without.resourceCountIs("Custom::CDKBucketDeployment", 0);
    expect(Object.keys(without.findOutputs("ConsoleUrl"))).toEqual([]);
  });
});
