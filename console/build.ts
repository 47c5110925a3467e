/**
 * The console's build (esbuild, no other bundler): `src/main.tsx` and the stylesheet it imports
 * become one content-hashed script and one stylesheet, and `index.html` names them. The local
 * server builds into memory at start-up (lambdas/local/console-files.ts); the stack builds into a
 * directory that becomes the bucket's contents (lib/constructs/console-site.ts). Same options both
 * ways, so what is tested locally is what is deployed.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, type BuildResult, build, buildSync } from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));

/** The console's files by name (`index.html`, `main-<hash>.js`, `main-<hash>.css`). */
export type ConsoleFiles = ReadonlyMap<string, Uint8Array>;

/** The path prefix the console is served under, locally and deployed. */
export const CONSOLE_PATH = "/console/";

/** The file names that never change and so must never be cached; the rest are content-hashed. */
export const UNHASHED_FILES = ["index.html"] as const;

/** index.html names the current script and stylesheet, so it is revalidated on every load. */
export const PAGE_CACHE_CONTROL = "no-cache";
/** The other files are content-hashed (`main-<hash>.js`): a name never changes its contents. */
export const HASHED_CACHE_CONTROL = "public, max-age=31536000, immutable";

/** Browsers the console supports: the evergreen ones of the last three years. */
const TARGET = ["chrome110", "firefox115", "safari16", "edge110"];

function options(): BuildOptions & { write: false; metafile: true } {
  return {
    absWorkingDir: HERE,
    entryPoints: [join(HERE, "src/main.tsx")],
    bundle: true,
    minify: true,
    format: "esm",
    target: TARGET,
    jsx: "automatic",
    jsxImportSource: "preact",
    entryNames: "[name]-[hash]",
    outdir: join(HERE, "out"),
    write: false,
    metafile: true,
    legalComments: "none",
    // Addresses and keys are never in the bundle, but source maps would ship every source comment.
    sourcemap: false,
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
  };
}

/** The built files: the page plus what esbuild wrote for it. */
function assemble(result: BuildResult<{ write: false; metafile: true }>): ConsoleFiles {
  const files = new Map<string, Uint8Array>();
  let script: string | undefined;
  let style: string | undefined;
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    files.set(name, file.contents);
    if (name.endsWith(".js")) script = name;
    if (name.endsWith(".css")) style = name;
  }
  if (script === undefined || style === undefined) {
    throw new Error(`the console build wrote no ${script === undefined ? "script" : "stylesheet"}`);
  }
  const page = readFileSync(join(HERE, "index.html"), "utf8")
    .replace("{{script}}", `./${script}`)
    .replace("{{style}}", `./${style}`);
  files.set("index.html", new TextEncoder().encode(page));
  return files;
}

/**
 * Builds the console into memory.
 *
 * @example
 * const files = await buildConsole();
 * files.get("index.html"); // the page, naming ./main-<hash>.js and ./main-<hash>.css
 */
export async function buildConsole(): Promise<ConsoleFiles> {
  return assemble(await build(options()));
}

/**
 * Builds the console into `outDir` (emptied first), synchronously: CDK constructs are built
 * synchronously, and the stack deploys the directory.
 *
 * @example
 * buildConsoleSync("cdk.out/console");
 */
export function buildConsoleSync(outDir: string): ConsoleFiles {
  const files = assemble(buildSync(options()));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const [name, contents] of files) writeFileSync(join(outDir, name), contents);
  return files;
}

/** The content type of a console file, by its extension. */
export function contentTypeOf(name: string): string {
  if (name.endsWith(".html")) return "text/html; charset=utf-8";
  if (name.endsWith(".js")) return "text/javascript; charset=utf-8";
  if (name.endsWith(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}
