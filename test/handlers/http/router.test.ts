import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRouter } from "../../../lambdas/handlers/http/router.js";

const router = createRouter({
  "GET /healthz": "health",
  "GET /v1/suppressions/{address}": "suppressions",
  "POST /v1/import/{provider}": "import",
});

describe("createRouter", () => {
  it("matches a route and decodes its parameters", () => {
    expect(router.match("GET", "/v1/suppressions/jane%40example.org")).toEqual({
      target: "suppressions",
      routeKey: "GET /v1/suppressions/{address}",
      pathParameters: { address: "jane@example.org" },
    });
  });

  it.each([
    ["GET", "/v1/import/ses", "method"],
    ["GET", "/v1/suppressions/", undefined],
    ["GET", "/v1/suppressions/a/b", undefined],
    ["GET", "/nothing", undefined],
    ["GET", "/v1/suppressions/%E0%A4%A", undefined],
  ])("answers %s %s with %s", (method, path, expected) => {
    expect(router.match(method, path)).toBe(expected);
  });

  it("never throws on arbitrary paths", () => {
    fc.assert(
      fc.property(fc.constantFrom("GET", "POST", "PUT"), fc.string(), (method, path) => {
        router.match(method, `/${path}`);
      }),
      { numRuns: 2000 },
    );
  });
});
