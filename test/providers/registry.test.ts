/**
 * The provider registry against the other lists that name providers or their settings. Until the
 * registry is data the stack can read without loading every adapter (the check Lambda's bundle must
 * not carry the parsers), the other lists are held to it here: a provider or a secret added in one
 * place and not the others fails.
 */
import { describe, expect, it } from "vitest";
import { PROVIDERS } from "../../lambdas/core/taxonomy.js";
import { PROVIDER_SECRET_NAMES } from "../../lambdas/handlers/secret-api-key.js";
import { WEBHOOK_PROVIDERS } from "../../lambdas/handlers/webhook.js";
import { SUPPORTED_PROVIDERS } from "../../lambdas/providers/index.js";
import { ADAPTER_PROVIDERS, webhookAdapter } from "../../lambdas/providers/registry.js";

describe("the provider registry", () => {
  const adapters = ADAPTER_PROVIDERS.map((provider) => {
    const adapter = webhookAdapter(provider);
    if (!adapter) throw new Error(`the registry lists ${provider} without an adapter`);
    return adapter;
  });

  it("names every provider of the taxonomy once, SES beside it (SNS, not an adapter yet)", () => {
    expect(["ses", ...ADAPTER_PROVIDERS].sort()).toEqual([...PROVIDERS].sort());
    expect(new Set(ADAPTER_PROVIDERS).size).toBe(ADAPTER_PROVIDERS.length);
    expect(adapters.map((a) => a.provider)).toEqual(ADAPTER_PROVIDERS);
  });

  it("is what the webhook and import routes serve", () => {
    expect([...WEBHOOK_PROVIDERS].sort()).toEqual([...PROVIDERS].sort());
    expect([...SUPPORTED_PROVIDERS].sort()).toEqual([...PROVIDERS].sort());
  });

  it("declares exactly the secrets the stack creates and the functions read", () => {
    const declared = adapters.flatMap((a) => a.secretNames);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...declared].sort()).toEqual([...PROVIDER_SECRET_NAMES].sort());
  });

  it("has no adapter for a name that is not a provider, Object.prototype names included", () => {
    for (const name of ["constructor", "__proto__", "toString", "SendGrid", "ses", ""]) {
      expect(webhookAdapter(name)).toBeUndefined();
    }
  });
});
