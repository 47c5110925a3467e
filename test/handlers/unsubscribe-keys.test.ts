/**
 * Where the unsubscribe links' keys come from: `UNSUBSCRIBE_SECRET` locally, the JSON secret of
 * `UNSUBSCRIBE_SECRET_ARN` in AWS (read through a getter standing in for Powertools: kid → secret,
 * the first member current, re-read so a rotation needs no deploy), and the 503 the routes answer
 * while neither holds usable keys.
 */
import { randomBytes } from "node:crypto";
import type { Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { generateUnsubscribeSecret, UnsubscribeKeyError } from "../../lambdas/core/unsubscribe-token.js";
import { serviceLogger } from "../../lambdas/handlers/log-safety.js";
import type { RuntimeDeps } from "../../lambdas/handlers/runtime.js";
import type { SecretReadOptions } from "../../lambdas/handlers/secret-api-key.js";
import { createUnsubscribeHandler } from "../../lambdas/handlers/unsubscribe.js";
import {
  createUnsubscribeKeySource,
  UNSUBSCRIBE_SECRET_ARN_ENV,
  unsubscribeSecretText,
} from "../../lambdas/handlers/unsubscribe-keys.js";

/** What the stack generates: 64 letters and digits (canonical base64url of 48 bytes). */
const generated = () => randomBytes(48).toString("base64url").replace(/[-_]/g, "A");
const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:unsubscribe";

describe("createUnsubscribeKeySource", () => {
  it("reads UNSUBSCRIBE_SECRET without an ARN", async () => {
    const text = `${generateUnsubscribeSecret("k2")},${generateUnsubscribeSecret("k1")}`;
    const keys = await createUnsubscribeKeySource({ env: { UNSUBSCRIBE_SECRET: text } })();
    expect(keys.current).toBe("k2");
    expect([...keys.keys.keys()]).toEqual(["k2", "k1"]);
  });

  it("refuses a missing or malformed UNSUBSCRIBE_SECRET", async () => {
    await expect(createUnsubscribeKeySource({ env: {} })()).rejects.toBeInstanceOf(UnsubscribeKeyError);
    await expect(createUnsubscribeKeySource({ env: { UNSUBSCRIBE_SECRET: "k1:short" } })()).rejects.toThrow(
      /base64url|bytes/,
    );
  });

  it("reads the stack's JSON secret (the generated shape), and sees a rotation on the next read", async () => {
    const first = { k1: generated() };
    let value: Record<string, string> = first;
    const reads: SecretReadOptions[] = [];
    const source = createUnsubscribeKeySource({
      env: { [UNSUBSCRIBE_SECRET_ARN_ENV]: ARN },
      getSecret: async (id, options) => {
        expect(id).toBe(ARN);
        reads.push(options);
        return value;
      },
    });
    expect((await source()).current).toBe("k1");
    value = { k2: generated(), ...first };
    const rotated = await source();
    expect(rotated.current).toBe("k2");
    expect([...rotated.keys.keys()]).toEqual(["k2", "k1"]);
    expect(reads.every((r) => r.transform === "json" && r.maxAge === 300)).toBe(true);
  });

  it("a bad value throws, and the next read skips the cache", async () => {
    const values: unknown[] = [["not", "an", "object"], { k1: generated() }];
    const forced: boolean[] = [];
    const source = createUnsubscribeKeySource({
      env: { [UNSUBSCRIBE_SECRET_ARN_ENV]: ARN },
      getSecret: async (_, options) => {
        forced.push(options.forceFetch === true);
        return values.shift();
      },
    });
    await expect(source()).rejects.toBeInstanceOf(UnsubscribeKeyError);
    expect((await source()).current).toBe("k1");
    expect(forced).toEqual([false, true]);
  });

  it("unsubscribeSecretText keeps the members' order and refuses empty ones", () => {
    expect(unsubscribeSecretText({ b: "x", a: "y" })).toBe("b:x,a:y");
    expect(() => unsubscribeSecretText({ k1: "" })).toThrow(UnsubscribeKeyError);
    expect(() => unsubscribeSecretText("k1:abc")).toThrow(UnsubscribeKeyError);
  });
});

describe("the routes without usable keys", () => {
  const deps = {
    logger: serviceLogger({ logLevel: "SILENT" }),
    now: () => new Date(),
  } as unknown as RuntimeDeps;
  const handler = createUnsubscribeHandler(deps, {
    keys: async () => {
      throw new UnsubscribeKeyError("UNSUBSCRIBE_SECRET is empty");
    },
  });

  it("GET /u/{token}: 503 problem with Retry-After, naming the setting", async () => {
    const answer = await handler(
      {
        version: "2.0",
        routeKey: "GET /u/{token}",
        rawPath: "/u/v1.k1.abc",
        rawQueryString: "",
        headers: {},
        pathParameters: { token: "v1.k1.abc" },
        isBase64Encoded: false,
        requestContext: {
          accountId: "local",
          apiId: "local",
          domainName: "localhost",
          domainPrefix: "local",
          http: {
            method: "GET",
            path: "/u/v1.k1.abc",
            protocol: "HTTP/1.1",
            sourceIp: "127.0.0.1",
            userAgent: "",
          },
          requestId: "r",
          routeKey: "GET /u/{token}",
          stage: "$default",
          time: "",
          timeEpoch: 0,
        },
      },
      {} as Context,
    );
    expect(answer.statusCode).toBe(503);
    expect(answer.headers["retry-after"]).toBe("60");
    expect(answer.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body).detail).toContain("UNSUBSCRIBE_SECRET");
  });
});
