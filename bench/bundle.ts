/**
 * Cold-start figures of the check function: its esbuild bundle (SDK included: Lambda's built-in
 * SDK version is not pinned) and the time a fresh Node process takes to import it.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build, type Metafile } from "esbuild";
import { CHECK_BUNDLE_BUDGET_KB } from "./budgets.js";
import { atMost, type Figures } from "./report.js";
import { p50, sig } from "./stats.js";

const run = promisify(execFile);
const ENTRY = "lambdas/handlers/check.ts";
/** Not from the design (it only asks for the figure); a guard against gross regressions. */
const MODULE_LOAD_BUDGET_MS = 200;

/** CommonJS dependencies inside an ESM bundle still call `require` for Node built-ins. */
const REQUIRE_SHIM = 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);';

/** The package an input path belongs to, e.g. "@aws-sdk/client-dynamodb", or "(service)". */
function packageOf(path: string): string {
  const at = path.lastIndexOf("node_modules/");
  if (at < 0) return "(service code)";
  const parts = path.slice(at + "node_modules/".length).split("/");
  return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
}

/** The classic zod API (`import … from "zod"`), as opposed to `zod/mini`. */
const isZodClassic = (path: string): boolean =>
  /node_modules\/zod\/(index\.js|v4\/index\.js|v4\/classic\/)/.test(path);

/** KB of the output that comes from zod (core, classic, mini, locales). */
const zodKb = (inputs: Record<string, { bytesInOutput: number }>): number =>
  Object.entries(inputs)
    .filter(([path]) => path.includes("node_modules/zod/"))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0) / 1024;

/** The bundled modules that import `path` directly. */
const importersOf = (meta: Metafile, path: string): string[] =>
  Object.entries(meta.inputs)
    .filter(([, input]) => input.imports.some((i) => i.path === path))
    .map(([importer]) => importer);

/** The import chain from `entry` to the first input matching `target`, or null when none is bundled. */
export function importChain(
  meta: Metafile,
  entry: string,
  target: (path: string) => boolean,
): string[] | null {
  const previous = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    if (target(path)) {
      const chain: string[] = [];
      for (let p: string | null | undefined = path; p; p = previous.get(p)) chain.unshift(p);
      return chain;
    }
    for (const imported of meta.inputs[path]?.imports ?? []) {
      if (!previous.has(imported.path) && imported.path in meta.inputs) {
        previous.set(imported.path, path);
        queue.push(imported.path);
      }
    }
  }
  return null;
}

/** ms to `import()` the bundle in a fresh Node process, measured inside that process. */
async function importMs(file: string): Promise<number> {
  const script =
    "const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t));";
  const env = { PATH: process.env.PATH ?? "", AWS_REGION: "us-east-1", AWS_LAMBDA_FUNCTION_NAME: "check" };
  const args = ["--input-type=module", "-e", script, pathToFileURL(file).href];
  const { stdout } = await run(process.execPath, args, { env });
  return Number(stdout.trim());
}

export type BundleBenchResult = { figures: Figures; notes: string[] };

export async function benchBundle(): Promise<BundleBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), "suppression-bench-"));
  try {
    const outfile = join(dir, "check.mjs");
    const result = await build({
      entryPoints: [ENTRY],
      outfile,
      bundle: true,
      platform: "node",
      target: "node22",
      format: "esm",
      minify: true,
      mainFields: ["module", "main"],
      banner: { js: REQUIRE_SHIM },
      metafile: true,
      logLevel: "silent",
    });
    const bytes = (await stat(outfile)).size;
    const loads: number[] = [];
    for (let i = 0; i < 5; i++) loads.push(await importMs(outfile));

    const output = Object.values(result.metafile.outputs)[0];
    const perPackage = new Map<string, number>();
    for (const [path, { bytesInOutput }] of Object.entries(output?.inputs ?? {}))
      perPackage.set(packageOf(path), (perPackage.get(packageOf(path)) ?? 0) + bytesInOutput);
    const heaviest = [...perPackage].sort((a, b) => b[1] - a[1]).slice(0, 6);
    const classicImporters = Object.entries(result.metafile.inputs)
      .filter(
        ([path, input]) => !path.includes("node_modules/") && input.imports.some((i) => isZodClassic(i.path)),
      )
      .map(([path]) => path);
    const zodClassic = classicImporters.map((importer) =>
      importChain(result.metafile, ENTRY, (p) => p === importer),
    );
    const notes = [
      `check bundle by package (KB): ${heaviest.map(([name, b]) => `${name} ${sig(b / 1024, 3)}`).join(", ")}`,
      zodClassic.length > 0
        ? `classic zod (${sig(zodKb(output?.inputs ?? {}), 3)} KB of zod in all, locales included) is imported by: ` +
          zodClassic.map((chain) => (chain ?? []).join(" → ")).join("; ") +
          ` (${classicImporters.map((x) => `${x} is imported by ${importersOf(result.metafile, x).join(", ")}`).join("; ")})`
        : "classic zod is not in the check bundle (zod/mini only)",
      `module load samples (ms): ${loads.map((v) => sig(v, 3)).join(", ")}`,
    ];
    return {
      figures: {
        check_bundle_kb: atMost(Math.round((bytes / 1024) * 10) / 10, "KB", CHECK_BUNDLE_BUDGET_KB),
        // design.md §6 sets no limit on load time, only that it is reported: this budget is a placeholder.
        check_module_load_ms: atMost(p50(loads), "ms", MODULE_LOAD_BUDGET_MS),
      },
      notes,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
