import type { Request } from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { sameSecret } from "../../../lambdas/core/secret-compare.js";
import { bearerApiKey } from "../../../lambdas/handlers/http/api-key.js";
import { HttpProblem } from "../../../lambdas/handlers/http/problem.js";

async function run(expected: string | undefined, authorization?: string): Promise<unknown> {
  const event = { headers: authorization === undefined ? {} : { authorization } } as APIGatewayProxyEventV2;
  try {
    await bearerApiKey(() => expected).before?.({ event } as Request<APIGatewayProxyEventV2>);
    return "allowed";
  } catch (error) {
    return error instanceof HttpProblem ? `${error.status} ${error.slug}` : error;
  }
}

describe("bearerApiKey", () => {
  it.each([
    ["the right key", "k1", "Bearer k1", "allowed"],
    ["any case of the scheme", "k1", "bearer k1", "allowed"],
    ["no header", "k1", undefined, "401 missing-api-key"],
    ["another scheme", "k1", "Basic k1", "401 missing-api-key"],
    ["a wrong key", "k1", "Bearer k2", "401 invalid-api-key"],
    ["a prefix of the key", "k1-long", "Bearer k1", "401 invalid-api-key"],
    ["no configured key", undefined, "Bearer k1", "401 api-key-not-configured"],
  ])("answers %s", async (_name, expected, header, outcome) => {
    expect(await run(expected, header)).toBe(outcome);
  });

  it("awaits a key read from a secret store", async () => {
    const event = { headers: { authorization: "Bearer k1" } } as unknown as APIGatewayProxyEventV2;
    const check = bearerApiKey(async () => "k1").before?.({ event } as Request<APIGatewayProxyEventV2>);
    await expect(check).resolves.toBeUndefined();
  });

  it("compares secrets of any length", () => {
    expect(sameSecret("a", "a")).toBe(true);
    expect(sameSecret("a", "ab")).toBe(false);
    expect(sameSecret("", "x")).toBe(false);
  });
});
