import { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createHealthHandler } from "../../lambdas/handlers/health.js";

const handler = createHealthHandler({ logger: new Logger({ logLevel: "SILENT" }) });
const context = { functionName: "health", awsRequestId: "r" } as Context;

function event(routeKey: string, method: string, path: string): APIGatewayProxyEventV2 {
  return {
    routeKey,
    rawPath: path,
    headers: {},
    requestContext: { http: { method, path } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

describe("health function (also API Gateway's $default route when deployed)", () => {
  it("answers GET /healthz", async () => {
    const answer = await handler(event("GET /healthz", "GET", "/healthz"), context);
    expect(answer).toMatchObject({ statusCode: 200, body: '{"status":"ok"}' });
  });

  it.each([
    ["an unknown path", "GET", "/v2/nothing", 404],
    ["a known path with another method", "GET", "/v1/check", 405],
  ])("answers %s on $default as a problem", async (_name, method, path, status) => {
    const answer = await handler(event("$default", method, path), context);
    expect(answer.statusCode).toBe(status);
    expect(answer.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ status, detail: expect.stringContaining(path) });
  });
});
