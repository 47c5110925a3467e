/**
 * The CDK app reads a few facts from the runtime code (the routes table, the store's time budget,
 * names) and must import only those data modules: a handler module builds its handler, and its
 * Logger, when it is imported, so synthesizing the stack would run Lambda code.
 */
import { describe, expect, it } from "vitest";
import { moduleGraph } from "../support/module-graph.js";

/** The runtime modules lib/ may read: constants and tables, nothing built at load. */
const DATA_MODULES_LIB_MAY_IMPORT = new Set([
  "lambdas/handlers/routes.ts",
  "lambdas/handlers/names.ts",
  "lambdas/handlers/secret-api-key.ts",
  "lambdas/handlers/unsubscribe-keys.ts",
]);

describe.each(["lib/app.ts", "lib/functions.ts", "lib/suppression-stack.ts"])(
  "%s's module graph",
  (entry) => {
    it("does not load the Powertools Logger (nor Metrics)", async () => {
      const graph = await moduleGraph(entry);
      for (const pkg of ["@aws-lambda-powertools/logger", "@aws-lambda-powertools/metrics"]) {
        expect(graph.packages.has(pkg), `${pkg} ← ${graph.importersOf(pkg).join(", ")}`).toBe(false);
      }
    });

    it("holds no handler module, only the data modules it reads", async () => {
      const graph = await moduleGraph(entry);
      const handlers = [...graph.modules].filter(
        (m) => m.startsWith("lambdas/handlers/") && !DATA_MODULES_LIB_MAY_IMPORT.has(m),
      );
      expect(handlers, handlers.map((m) => `${m} ← ${graph.importersOf(m).join(", ")}`).join("; ")).toEqual(
        [],
      );
    });
  },
);

describe("SERVICE_NAME", () => {
  it("is the same in names.ts (what the stack reads) and runtime.ts (what the handlers log with)", async () => {
    const names = await import("../../lambdas/handlers/names.js");
    const runtime = await import("../../lambdas/handlers/runtime.js");
    expect(runtime.SERVICE_NAME).toBe(names.SERVICE_NAME);
  });
});
