/** docs/openapi.json is generated (`npm run openapi`) from lambdas/contract; the committed file must be it. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPENAPI_PATH, renderOpenApi } from "../../lambdas/local/openapi.js";

describe("docs/openapi.json", () => {
  it("is what the generator writes from the contract", () => {
    const committed = readFileSync(OPENAPI_PATH, "utf8");
    expect(committed === renderOpenApi(), `${OPENAPI_PATH} is stale: run npm run openapi`).toBe(true);
  });
});
