/** The generated parts of docs/ (`npm run docs`) are what the generator writes from the code. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generatedDocs } from "../../lambdas/local/provider-docs.js";

describe("generated docs", async () => {
  const files = [...(await generatedDocs())];
  it.each(files)("%s is current", (path, text) => {
    expect(readFileSync(path, "utf8") === text, `${path} is stale: run npm run docs`).toBe(true);
  });
});
