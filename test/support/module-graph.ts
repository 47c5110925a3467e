import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** The modules one entry point evaluates when imported, as esbuild resolves them. */
export type ModuleGraph = {
  /** The repository's own modules, by path from the repository root (`lambdas/handlers/check.ts`). */
  readonly modules: ReadonlySet<string>;
  /** Packages imported (statically) anywhere in the graph, by import path (`@aws-lambda-powertools/logger`). */
  readonly packages: ReadonlySet<string>;
  /** Who imports `module` (paths from the repository root), for failure messages. */
  importersOf(module: string): string[];
};

/**
 * The static module graph of `entry` (a path from the repository root): esbuild bundles it in
 * memory with packages left external and reports its metafile, so a test can tell which of our
 * modules importing the entry evaluates, and which packages it loads. A package reached only by a
 * dynamic `import()` is not in `packages`: it is not loaded at import time.
 *
 * @example
 * const graph = await moduleGraph("lambdas/handlers/suppressions.ts");
 * graph.modules.has("lambdas/handlers/check.ts"); // false
 */
export async function moduleGraph(entry: string): Promise<ModuleGraph> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: REPO,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const inputs = result.metafile.inputs;
  const packages = new Set<string>();
  for (const input of Object.values(inputs)) {
    for (const i of input.imports) if (i.external && i.kind === "import-statement") packages.add(i.path);
  }
  return {
    modules: new Set(Object.keys(inputs)),
    packages,
    importersOf: (module) =>
      Object.entries(inputs)
        .filter(([, input]) => input.imports.some((i) => i.path === module))
        .map(([path]) => path),
  };
}
