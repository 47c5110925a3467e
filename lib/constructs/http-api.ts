import { Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { secureLogGroup } from "./secure-defaults.js";

/** Requests per second across the API (the account default is 10,000: far above what we need). */
export const DEFAULT_THROTTLE = { rateLimit: 200, burstLimit: 400 } as const;

export type HttpApiProps = {
  /** API Gateway route keys (`"POST /v1/check"`) and the function that serves each. */
  readonly routes: Readonly<Record<string, lambda.IFunction>>;
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  readonly accessLogRetention?: logs.RetentionDays;
  /** Serves API Gateway's catch-all `$default` route, so unmatched requests get our problem answers. */
  readonly fallback?: lambda.IFunction;
};

/** `"GET /v1/suppressions/{address}"` → method and path; throws on anything else. */
export function parseRouteKey(routeKey: string): { method: apigw.HttpMethod; path: string } {
  const match = /^([A-Z]+) (\/\S*)$/.exec(routeKey);
  const method = match?.[1] as apigw.HttpMethod | undefined;
  if (!match?.[2] || !method || !Object.values(apigw.HttpMethod).includes(method)) {
    throw new Error(`Not an API Gateway route key: ${JSON.stringify(routeKey)}`);
  }
  return { method, path: match[2] };
}

/** JSON access log line: who, what, how it ended, and how long it took. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    routeKey: "$context.routeKey",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    latencyMs: "$context.responseLatency",
    integrationLatencyMs: "$context.integrationLatency",
    integrationError: "$context.integrationErrorMessage",
    userAgent: "$context.identity.userAgent",
  }),
);

/**
 * The HTTP API (API Gateway v2) of design.md §5.3: one Lambda integration per route, a `$default`
 * stage with throttling and JSON access logs. Authentication is in the functions (bearer key for
 * /v1, the provider's signature for /webhooks, none for /healthz), so routes carry no authorizer.
 */
export class HttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, "Api", {
      description: "suppression-service: webhooks, pre-send checks, imports",
      createDefaultStage: false,
    });
    this.accessLogs = secureLogGroup(this, "AccessLogs", props.accessLogRetention);
    const throttle = props.throttle ?? DEFAULT_THROTTLE;
    this.stage = this.api.addStage("DefaultStage", {
      stageName: "$default",
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });

    const integrations = new Map<lambda.IFunction, HttpLambdaIntegration>();
    const integrationOf = (fn: lambda.IFunction): HttpLambdaIntegration => {
      let integration = integrations.get(fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${fn.node.scope?.node.id ?? fn.node.id}Integration`, fn);
        integrations.set(fn, integration);
      }
      return integration;
    };
    for (const [routeKey, fn] of Object.entries(props.routes)) {
      const { method, path } = parseRouteKey(routeKey);
      const integration = integrationOf(fn);
      const [route] = this.api.addRoutes({ path, methods: [method], integration });
      if (route) {
        Validations.of(route).acknowledge({
          id: "AwsSolutions-APIG4",
          reason:
            `${routeKey}: authentication is done by the function, not API Gateway: the bearer API key ` +
            "(Secrets Manager, constant-time compare) on /v1, the provider's own signature on /webhooks " +
            "(which API Gateway authorizers cannot verify), none on /healthz (liveness only, no data).",
        });
      }
    }
    if (props.fallback) {
      const fallback = new apigw.HttpRoute(this, "FallbackRoute", {
        httpApi: this.api,
        routeKey: apigw.HttpRouteKey.DEFAULT,
        integration: integrationOf(props.fallback),
      });
      Validations.of(fallback).acknowledge({
        id: "AwsSolutions-APIG4",
        reason:
          "$default: the catch-all route only answers 404/405 problem documents for requests that match " +
          "no route; it reads no data and needs no authentication.",
      });
    }
  }

  /** The base URL of the `$default` stage (no trailing stage name). */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
