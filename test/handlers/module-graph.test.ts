/**
 * Importing one function's handler module builds that function's handler (`export const handler =
 * create…Handler(…)`), so no handler module may import another's: each Lambda would otherwise
 * build, and bundle, a handler it never serves. What two handlers share lives in a module of its
 * own (`verdict-view.ts` for the check and the suppressions lookup).
 */
import { describe, expect, it } from "vitest";
import { deployedFunctions } from "../../lib/functions.js";
import { moduleGraph } from "../support/module-graph.js";

const entryOf = (name: string): string => `lambdas/handlers/${name}.ts`;
const ENTRIES = deployedFunctions().map(entryOf);

describe("handler module graphs", () => {
  it("importing suppressions.ts does not evaluate check.ts", async () => {
    const graph = await moduleGraph(entryOf("suppressions"));
    expect(graph.modules.has(entryOf("suppressions"))).toBe(true);
    expect(graph.modules.has(entryOf("check")), graph.importersOf(entryOf("check")).join(", ")).toBe(false);
    expect(graph.modules.has("lambdas/handlers/verdict-view.ts")).toBe(true);
  });

  it.each(deployedFunctions())("%s's module graph holds no other function's entry module", async (name) => {
    const graph = await moduleGraph(entryOf(name));
    const others = ENTRIES.filter((entry) => entry !== entryOf(name) && graph.modules.has(entry));
    expect(others, others.map((o) => `${o} ← ${graph.importersOf(o).join(", ")}`).join("; ")).toEqual([]);
  });

  it.each(["lists", "status"])("%s loads its own store module and not the other's", async (name) => {
    const graph = await moduleGraph(entryOf(name));
    const other = name === "lists" ? "status" : "lists";
    expect(graph.modules.has(`lambdas/store/${name}.ts`)).toBe(true);
    expect(graph.modules.has("lambdas/store/sharded-query.ts")).toBe(true);
    const module = `lambdas/store/${other}.ts`;
    expect(graph.modules.has(module), `${module} ← ${graph.importersOf(module).join(", ")}`).toBe(false);
  });

  it.each(["check", "suppressions", "health"])(
    "%s loads no provider: not the registry, not an adapter, not a parser",
    async (name) => {
      const graph = await moduleGraph(entryOf(name));
      const providers = [...graph.modules].filter((m) => m.startsWith("lambdas/providers/"));
      expect(providers, providers.map((p) => `${p} ← ${graph.importersOf(p).join(", ")}`).join("; ")).toEqual(
        [],
      );
    },
  );

  // They name providers (the contract's `Provider` enum) from the plain list, never through the
  // registry, whose parsers would bring all of zod's locales with Powertools' schemas (~450 KB).
  it.each(["lists", "status", "history", "admin", "allowlist", "keys"])(
    "%s loads no adapter or parser: of the providers only their names (names.ts)",
    async (name) => {
      const graph = await moduleGraph(entryOf(name));
      // shared/validate.ts is zod's input validation with a path, which the handlers use too.
      const allowed = new Set(["lambdas/providers/names.ts", "lambdas/providers/shared/validate.ts"]);
      const providers = [...graph.modules].filter(
        (m) => m.startsWith("lambdas/providers/") && !allowed.has(m),
      );
      expect(providers, providers.map((p) => `${p} ← ${graph.importersOf(p).join(", ")}`).join("; ")).toEqual(
        [],
      );
    },
  );

  it("check loads none of the operators' code: the admin, history and allowlist functions' store, contract, handler", async () => {
    const graph = await moduleGraph(entryOf("check"));
    for (const module of [
      "lambdas/store/admin.ts",
      "lambdas/contract/admin.ts",
      "lambdas/handlers/admin.ts",
      // The tenant-wide reads: lists and the status view, their sharded reader and contracts.
      "lambdas/store/lists.ts",
      "lambdas/store/status.ts",
      "lambdas/store/sharded-query.ts",
      "lambdas/contract/lists.ts",
      "lambdas/contract/status.ts",
      "lambdas/handlers/lists.ts",
      "lambdas/handlers/status.ts",
    ]) {
      expect(graph.modules.has(module), `${module} ← ${graph.importersOf(module).join(", ")}`).toBe(false);
    }
  });
});
