/**
 * The hand-written docs that list providers, held to the registry (lambdas/providers/registry.ts):
 * a provider added there and not linked from docs/providers.md, or a secret an adapter reads that
 * the configuration and deployment docs do not name, fails here.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ADAPTERS,
  PROVIDER_SECRET_NAMES,
  PROVIDER_SETTING_NAMES,
  PROVIDERS,
} from "../../lambdas/providers/registry.js";

const read = (path: string): string => readFileSync(path, "utf8");

describe("docs naming the providers", () => {
  const index = read("docs/providers.md");

  it.each(PROVIDERS)("docs/providers.md links %s's page and names its webhook route", (provider) => {
    expect(index).toContain(`(providers/${provider}.md)`);
    expect(index).toContain(`POST /webhooks/${provider}`);
    for (const name of ADAPTERS[provider].secretNames) expect(index).toContain(name);
  });

  it.each(["docs/operations.md", "docs/deploy.md"])("%s names every provider secret", (path) => {
    const text = read(path);
    expect(PROVIDER_SECRET_NAMES.filter((name) => !text.includes(`\`${name}\``))).toEqual([]);
  });

  it("docs/operations.md names every provider setting", () => {
    const text = read("docs/operations.md");
    expect(PROVIDER_SETTING_NAMES.filter((name) => !text.includes(`\`${name}\``))).toEqual([]);
  });
});
