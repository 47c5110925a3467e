/**
 * The provider registry is the one list (lambdas/providers/registry.ts): every other list that names
 * providers or their settings derives from it. These tests hold each derived list, and each
 * adapter, to it: a provider added or renamed in one place and not the others fails.
 */
import { describe, expect, it } from "vitest";
import { Provider, Source } from "../../lambdas/contract/taxonomy.js";
import { PROVIDER_NAME } from "../../lambdas/core/taxonomy.js";
import { OWN_SOURCE_TITLES } from "../../lambdas/providers/names.js";
import {
  ADAPTERS,
  adapterOf,
  isProvider,
  PROVIDER_SECRET_NAMES,
  PROVIDER_SETTING_NAMES,
  PROVIDERS,
} from "../../lambdas/providers/registry.js";

describe("the provider registry", () => {
  it("names each adapter by its own name, in a shape the domain accepts", () => {
    for (const provider of PROVIDERS) {
      expect(ADAPTERS[provider].provider).toBe(provider);
      expect(provider).toMatch(PROVIDER_NAME);
    }
    expect(new Set(PROVIDERS).size).toBe(PROVIDERS.length);
  });

  it("is the contract's Provider and Source enums (and so docs/openapi.json's)", () => {
    expect(Provider.options).toEqual(PROVIDERS);
    // Sources are the providers, then the service's own (names.ts), then operators.
    expect(Source.options).toEqual([...PROVIDERS, ...Object.keys(OWN_SOURCE_TITLES), "admin"]);
  });

  it("derives the secrets the stack creates from what each adapter declares, once each", () => {
    const declared = PROVIDERS.flatMap((p) => ADAPTERS[p].secretNames);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...PROVIDER_SECRET_NAMES]).toEqual(declared);
    expect(PROVIDER_SETTING_NAMES).toEqual(["SNS_TOPIC_ARNS"]);
  });

  it("has no adapter for a name that is not a provider, Object.prototype names included", () => {
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "SendGrid", "SES", ""]) {
      expect(isProvider(name)).toBe(false);
      expect(adapterOf(name)).toBeUndefined();
    }
    expect(adapterOf("ses")).toBe(ADAPTERS.ses);
  });
});
