/**
 * Every row of every provider's mapping (lambdas/providers/<provider>/mapping.ts, rendered into its
 * docs page) holds: its example payload, read by the provider's adapter as an import, gives what the
 * row says. A mapping table that says what the code does not do fails here.
 */
import { describe, expect, it } from "vitest";
import { loadMapping } from "../../lambdas/local/provider-docs.js";
import { ADAPTERS, PROVIDERS } from "../../lambdas/providers/registry.js";

const context = { tenant: "default", receivedAt: new Date("2026-11-20T10:00:00Z") };

describe.each(PROVIDERS)("%s: the mapping table", async (provider) => {
  const mapping = await loadMapping(provider);

  it("has rows, each with a distinct description", () => {
    expect(mapping.rows.length).toBeGreaterThan(0);
    const whens = mapping.rows.map((r) => r.when);
    expect(new Set(whens).size).toBe(whens.length);
  });

  it.each(mapping.rows.map((row) => [row.when, row] as const))(
    "%s: the example gives the row",
    async (_, row) => {
      // A string payload is a raw body as it is (a raw email); anything else is sent as JSON.
      const raw = typeof row.example.payload === "string";
      const request = {
        rawBody: Buffer.from(raw ? String(row.example.payload) : JSON.stringify(row.example.payload)),
        headers: { "content-type": raw ? "message/rfc822" : "application/json" },
        query: {},
      };
      const parsed = await ADAPTERS[provider].parseImport(request, context);
      if (row.example.gives === "ignored") {
        expect(parsed.events).toEqual([]);
        expect(parsed.ignored).toBeGreaterThan(0);
      } else {
        expect(parsed.events[0]).toMatchObject(row.example.gives);
      }
    },
  );
});
