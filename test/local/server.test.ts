import { describe, expect, it } from "vitest";
import { call, expectProblem, useLocalServer } from "./http-helpers.js";

const KEY = "test-key-0123456789";

describe("local server: routes, auth and bad input over real sockets", () => {
  const running = useLocalServer(KEY);

  it("answers GET /healthz without a key", async () => {
    const answer = await call(running().url, "GET", "/healthz");
    expect(answer).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it.each([
    ["no key", null],
    ["a wrong key", "nope"],
  ])("refuses %s with 401 problem+json", async (_name, key) => {
    const answer = await call(running().url, "POST", "/v1/check", {
      key,
      body: { addresses: ["a@example.org"] },
    });
    expectProblem(answer, 401);
  });

  it("answers an unknown route 404 and a wrong method 405", async () => {
    expectProblem(await call(running().url, "GET", "/v1/nothing", { key: KEY }), 404);
    expectProblem(await call(running().url, "GET", "/v1/check", { key: KEY }), 405);
  });

  it("checks unknown addresses as not suppressed, canonical, in request order", async () => {
    // Act
    const answer = await call(running().url, "POST", "/v1/check", {
      key: KEY,
      body: { addresses: [" Jane <Jane.Doe@Example.ORG> ", "b@example.net"] },
    });
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      results: [
        {
          address: "jane.doe@example.org",
          suppressed: false,
          cause: null,
          reason: null,
          scope: null,
          since: null,
          expiresAt: null,
          source: null,
        },
        expect.objectContaining({ address: "b@example.net", suppressed: false }),
      ],
      suppressedCount: 0,
    });
  });

  it("answers a malformed address as bad_address_format without storing it", async () => {
    const answer = await call(running().url, "POST", "/v1/check", {
      key: KEY,
      body: { addresses: ["not-an-address"] },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      suppressedCount: 1,
      results: [
        {
          address: "not-an-address",
          suppressed: true,
          reason: { type: "invalid", subtype: "bad_address_format", reason: "bad_address_format" },
        },
      ],
    });
    const single = await call(running().url, "GET", "/v1/suppressions/not-an-address", { key: KEY });
    expect(single.body).toMatchObject({ suppressed: true, entries: [] });
  });

  it.each([
    ["malformed JSON", { raw: "{nope" }],
    ["an empty body", { raw: "" }],
    ["a JSON array", { body: ["a@example.org"] }],
    ["addresses of the wrong type", { body: { addresses: "a@example.org" } }],
    ["a number among addresses", { body: { addresses: ["a@example.org", 7] } }],
    ["no address", { body: { addresses: [] } }],
    ["a bad scope", { body: { addresses: ["a@example.org"], scope: "a//b" } }],
  ])("answers %s with 400 problem+json", async (_name, input) => {
    const answer = await call(running().url, "POST", "/v1/check", { key: KEY, ...input });
    expectProblem(answer, 400);
  });

  it("names the offending field in `errors`", async () => {
    const answer = await call(running().url, "POST", "/v1/check", {
      key: KEY,
      body: { addresses: ["a@x.org", 7] },
    });
    expect(answer.body.errors).toEqual([expect.objectContaining({ path: "addresses.1" })]);
  });

  it("answers 1001 addresses with 413", async () => {
    const addresses = Array.from({ length: 1001 }, (_, i) => `u${i}@example.org`);
    expectProblem(await call(running().url, "POST", "/v1/check", { key: KEY, body: { addresses } }), 413);
  });

  it("answers 1000 addresses", async () => {
    const addresses = Array.from({ length: 1000 }, (_, i) => `u${i}@d${i % 37}.example.org`);
    const answer = await call(running().url, "POST", "/v1/check", { key: KEY, body: { addresses } });
    expect(answer.status).toBe(200);
    expect((answer.body.results as unknown[]).length).toBe(1000);
  });

  it("answers an unknown provider with 404", async () => {
    const answer = await call(running().url, "POST", "/v1/import/carrier-pigeon", { key: KEY, body: {} });
    expectProblem(answer, 404);
  });

  it("answers a bad dryRun flag with 400", async () => {
    const answer = await call(running().url, "POST", "/v1/import/ses?dryRun=maybe", { key: KEY, body: {} });
    expectProblem(answer, 400);
  });

  it("answers a body over the limit with 413", async () => {
    const answer = await call(running().url, "POST", "/v1/check", {
      key: KEY,
      raw: "x".repeat(6 * 1024 * 1024 + 10),
    });
    expectProblem(answer, 413);
  });
});
