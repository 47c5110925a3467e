import { join } from "node:path";
import { Duration, RemovalPolicy, Stack, Stage, Validations } from "aws-cdk-lib";
import type * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3assets from "aws-cdk-lib/aws-s3-assets";
import * as s3deploy from "aws-cdk-lib/aws-s3-deployment";
import { Construct, type IConstruct } from "constructs";
import {
  buildConsoleSync,
  CONSOLE_PATH,
  contentTypeOf,
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
import { DEFAULT_LOG_RETENTION, secureLogGroup } from "./secure-defaults.js";

/** The API paths the distribution routes to the HTTP API (the console calls only `/v1/…`). */
export const API_PATH_PATTERN = "/v1/*";

/**
 * The headers of `securityHeaders()` that CloudFront sets through a structured field of the
 * response-headers policy; every other entry becomes a custom header.
 */
const STRUCTURED_HEADERS: ReadonlySet<string> = new Set([
  "content-security-policy",
  "strict-transport-security",
  "x-content-type-options",
  "x-frame-options",
  "referrer-policy",
]);

/** The enum member whose value is `value` (case-insensitive); throws when there is none. */
function member<T extends string>(values: Record<string, T>, value: string, what: string): T {
  const found = Object.values(values).find((v) => v.toLowerCase() === value.toLowerCase());
  if (found === undefined) throw new Error(`CloudFront has no ${what} ${JSON.stringify(value)}`);
  return found;
}

/**
 * The response-headers policy's behaviours, derived from console/security-headers.ts (the local
 * server sends the same headers), so the two cannot drift.
 */
export function responseHeadersBehaviours(): {
  securityHeadersBehavior: cloudfront.ResponseSecurityHeadersBehavior;
  customHeadersBehavior: cloudfront.ResponseCustomHeadersBehavior;
} {
  const headers = securityHeaders();
  const hsts = headers["strict-transport-security"] ?? "";
  if (headers["x-content-type-options"] !== "nosniff") {
    throw new Error("x-content-type-options: CloudFront can only send nosniff");
  }
  return {
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(), override: true },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.seconds(HSTS_MAX_AGE_SECONDS),
        includeSubdomains: /;\s*includeSubDomains\b/i.test(hsts),
        preload: /;\s*preload\b/i.test(hsts),
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: {
        frameOption: member(cloudfront.HeadersFrameOption, headers["x-frame-options"] ?? "", "frame option"),
        override: true,
      },
      referrerPolicy: {
        referrerPolicy: member(cloudfront.HeadersReferrerPolicy, REFERRER_POLICY, "referrer policy"),
        override: true,
      },
    },
    customHeadersBehavior: {
      customHeaders: Object.entries(headers)
        .filter(([name]) => !STRUCTURED_HEADERS.has(name))
        .map(([header, value]) => ({ header, value, override: true })),
    },
  };
}

export type ConsoleSiteProps = {
  /** The HTTP API that `/v1/*` is routed to (its `$default` stage). */
  readonly api: apigw.IHttpApi;
  /** Retention of the access logs (CloudFront, S3) and of the deployment function's log group. */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The directory the console is built into (emptied first), then deployed from.
   * @default `console-build/<construct address>` in the cloud assembly's directory
   */
  readonly buildDir?: string;
};

/**
 * The operator console, deployed: the built files (console/build.ts) in a private S3 bucket behind
 * CloudFront (Origin Access Control), with `/v1/*` routed by the same distribution to the HTTP API,
 * so the browser talks to one origin (no CORS) and every response carries the headers of
 * console/security-headers.ts (strict CSP, HSTS, no inline script).
 *
 * @example
 * const site = new ConsoleSite(this, "Console", { api: httpApi.api });
 * new CfnOutput(this, "ConsoleUrl", { value: site.url });
 */
export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  readonly router: cloudfront.Function;
  readonly deployments: readonly s3deploy.BucketDeployment[];

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const retention = props.logRetention ?? DEFAULT_LOG_RETENTION;

    // Built into the cloud assembly being synthesized (cdk.out for `cdk synth`, a temporary
    // directory for in-process tests), so concurrent synths never share, or empty, one directory.
    const stage = Stage.of(this);
    if (!stage) throw new Error("ConsoleSite must be inside a CDK app (it builds into the app's outdir)");
    const buildDir = props.buildDir ?? join(stage.outdir, "console-build", this.node.addr);
    const files = buildConsoleSync(buildDir);

    // CloudFront's standard logs are written with an ACL (they need ACLs enabled on the bucket), and
    // S3 server access logs through the bucket policy; both land here, under their own prefixes.
    // Kept when the stack is deleted, like the log groups (audit trail), and expired like them.
    // (cdk-nag's S1 does not ask a log destination to log its own accesses.)
    this.logBucket = new s3.Bucket(this, "AccessLogs", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(retention) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Only build output, public by design once served, rebuilt from the repository on every deploy.
    // RETAIN rather than DESTROY + autoDeleteObjects: emptying it on stack deletion would take a
    // second custom-resource Lambda (with an AWS managed policy) for a few hundred KB that cost
    // nothing to keep; delete it by hand after `cdk destroy` if wanted.
    this.bucket = new s3.Bucket(this, "Files", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: "s3/console/",
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.router = new cloudfront.Function(this, "Router", {
      comment: "suppression-service console: serves index.html for the console's page URLs",
      code: cloudfront.FunctionCode.fromInline(CONSOLE_ROUTER_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, "Headers", {
      comment: "suppression-service console: the headers of console/security-headers.ts",
      ...responseHeadersBehaviours(),
    });

    const stack = Stack.of(this);
    const apiDomain = `${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    this.distribution = new cloudfront.Distribution(this, "Distribution", {
      comment: "suppression-service operator console and /v1 API",
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        functionAssociations: [
          { function: this.router, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        [API_PATH_PATTERN]: {
          origin: new origins.HttpOrigin(apiDomain, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          }),
          // A request carrying a bearer key over plain HTTP is refused, not redirected (a redirect
          // would only come after the key had crossed the network in the clear).
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Nothing is cached at the edge. With caching disabled, AllViewerExceptHostHeader forwards
          // every viewer header (Authorization included), cookie and the query string, but not Host:
          // API Gateway finds its API by the Host header, which must stay the execute-api domain.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.responseHeadersPolicy,
        },
      },
      // No errorResponses: they apply to every behaviour and would rewrite the API's own error answers.
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: "cloudfront/",
    });
    Validations.of(this.distribution).acknowledge({
      id: "AwsSolutions-CFR1",
      reason:
        "No geo restriction: the console is an operator tool used from wherever the operators are, and " +
        "every /v1 request needs the bearer API key; blocking countries would add no protection.",
    });
    Validations.of(this.distribution).acknowledge({
      id: "AwsSolutions-CFR2",
      reason:
        "No WAF web ACL (optional, and billed per ACL and request): the static files are public by design " +
        "and the API behind /v1 has its own stage throttling and bearer keys checked in constant time.",
    });
    Validations.of(this.distribution).acknowledge({
      id: "AwsSolutions-CFR4",
      reason:
        "The distribution uses the default *.cloudfront.net certificate (the stack has no domain), for " +
        "which CloudFront fixes the viewer security policy; a custom domain would set TLSv1.2_2021.",
    });

    // Two deployments: the hashed files (immutable) first, then index.html (no-cache), so the page
    // never names a script or stylesheet that is not there yet. Each names its files (exclude "*",
    // include the names), which also scopes any pruning to them; prune is off anyway: a page loaded
    // before a deploy still fetches its old main-<hash>.js, so old hashed files must outlive it.
    // (One deployment per content type would cost one more AWS CLI layer each: BucketDeployment
    // creates its own; where a group has several types, the deploying AWS CLI sets them by extension.)
    const build = new s3assets.Asset(this, "Build", { path: buildDir });
    const source = s3deploy.Source.bucket(build.bucket, build.s3ObjectKey);
    const prefix = CONSOLE_PATH.slice(1);
    const deploymentLogs = secureLogGroup(this, "DeploymentLogs", retention);
    // The deployment handler's role, instead of the one aws-cdk-lib would make (AWS managed policy,
    // s3:GetObject*/List*/DeleteObject* on both buckets): exactly what `aws s3 cp` of the build's zip
    // and `aws s3 sync` into console/ without pruning need. Passed immutable, so aws-cdk-lib's own
    // grants to it are dropped.
    const deploymentRole = new iam.Role(this, "DeploymentRole", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: "suppression-service console: copies the built console into its bucket on deploy",
    });
    deploymentRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [deploymentLogs.logGroupArn],
      }),
    );
    deploymentRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ["s3:GetObject"],
        resources: [build.bucket.arnForObjects(build.s3ObjectKey)],
      }),
    );
    deploymentRole.addToPolicy(
      new iam.PolicyStatement({ actions: ["s3:ListBucket"], resources: [this.bucket.bucketArn] }),
    );
    deploymentRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ["s3:PutObject", "s3:AbortMultipartUpload"],
        resources: [this.bucket.arnForObjects(`${prefix}*`)],
      }),
    );
    const handlerRole = deploymentRole.withoutPolicyUpdates();
    const names = [...files.keys()].sort();
    const unhashed = (name: string) => (UNHASHED_FILES as readonly string[]).includes(name);
    const deploy = (id: string, group: string[], cacheControl: string): s3deploy.BucketDeployment => {
      const contentTypes = new Set(group.map(contentTypeOf));
      return new s3deploy.BucketDeployment(this, id, {
        sources: [source],
        destinationBucket: this.bucket,
        destinationKeyPrefix: prefix,
        exclude: ["*"],
        include: group,
        prune: false,
        contentType: contentTypes.size === 1 ? [...contentTypes][0] : undefined,
        cacheControl: [s3deploy.CacheControl.fromString(cacheControl)],
        outputObjectKeys: false,
        logGroup: deploymentLogs,
        role: handlerRole,
      });
    };
    const hashed = deploy(
      "DeployHashedFiles",
      names.filter((n) => !unhashed(n)),
      HASHED_CACHE_CONTROL,
    );
    const page = deploy("DeployPage", names.filter(unhashed), PAGE_CACHE_CONTROL);
    page.node.addDependency(hashed);
    this.deployments = [hashed, page];
    Validations.of(deploymentRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${prefix}*]`,
      reason:
        "The deployment handler writes the console's files under console/ in their own bucket; their " +
        "names carry content hashes known only at build time, so the grant is on that prefix.",
    });
    // It lives at the stack's root (a singleton), not in this construct.
    Validations.of(deploymentHandler(stack)).acknowledge({
      id: "AwsSolutions-L1",
      reason:
        "The BucketDeployment handler is aws-cdk-lib's own (Python with the AWS CLI layer): aws-cdk-lib " +
        "picks and upgrades its runtime, not this stack, and it runs only while a deploy copies files.",
    });
  }

  /** The console's address: `https://<distribution domain>/console/`. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}${CONSOLE_PATH}`;
  }
}

/** The Lambda function aws-cdk-lib creates once per stack for every BucketDeployment. */
function deploymentHandler(stack: Stack): IConstruct {
  const handler = stack.node.children.find((c) => c.node.id.startsWith("Custom::CDKBucketDeployment"));
  if (!handler) throw new Error("no BucketDeployment handler in the stack");
  return handler;
}
