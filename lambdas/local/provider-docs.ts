/**
 * `npm run docs`: writes what docs/ holds that is generated from code: docs/openapi.json (from the
 * contract, see openapi.ts) and the event → taxonomy table of each provider's page
 * docs/providers/<provider>.md (from `lambdas/providers/<provider>/mapping.ts`, between the markers
 * of `mappingBegin`). `--check` writes nothing and exits 1 when a file is stale (the tests do the
 * same: test/docs/provider-docs.test.ts, test/docs/openapi-drift.test.ts). Local only.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { MAPPING_END, mappingBegin, type ProviderMapping, renderMappingTable } from "../providers/mapping.js";
import { isProvider, PROVIDERS, type Provider } from "../providers/registry.js";
import { OPENAPI_PATH, renderOpenApi } from "./openapi.js";

const ROOT = join(import.meta.dirname, "..", "..");

export const HELP = `Usage: npm run docs [-- --check] [--provider <name>]

Writes the generated parts of docs/: docs/openapi.json (from lambdas/contract) and the mapping table
of every docs/providers/<provider>.md (from lambdas/providers/<provider>/mapping.ts).

Options:
  --check            write nothing; exit 1 naming each stale file
  --provider <name>  only that provider's page (${PROVIDERS.join(", ")})
  -h, --help         this text

Exit codes:
  0  written (or, with --check, all current)
  1  --check found a stale file
  2  bad usage
`;

/** The docs page of a provider. */
export const providerDocPath = (provider: Provider): string => `docs/providers/${provider}.md`;

const isMapping = (value: unknown): value is ProviderMapping =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as ProviderMapping).eventColumn === "string" &&
  Array.isArray((value as ProviderMapping).rows);

/**
 * The `MAPPING` of `lambdas/providers/<provider>/mapping.ts`: every provider folder has one (the
 * folder is the unit of extension, so no list of these modules exists besides the registry).
 *
 * @throws Error when the folder has no mapping module or it exports no `MAPPING`.
 */
export async function loadMapping(provider: Provider): Promise<ProviderMapping> {
  // The path is built from the registry, so no bundler can list the modules ahead: Vite is told to
  // leave the import to the runtime (tsx, vitest), which resolves each one like a static import.
  const module: Record<string, unknown> = await import(
    /* @vite-ignore */ `../providers/${provider}/mapping.js`
  );
  const mapping = module.MAPPING;
  if (!isMapping(mapping)) throw new Error(`lambdas/providers/${provider}/mapping.ts exports no MAPPING`);
  return mapping;
}

/**
 * `markdown` with the text between the provider's markers replaced by `table`.
 *
 * @throws Error when the page lacks either marker.
 */
export function spliceMapping(markdown: string, provider: Provider, table: string): string {
  const begin = mappingBegin(provider);
  const start = markdown.indexOf(begin);
  const end = markdown.indexOf(MAPPING_END, start);
  if (start < 0 || end < 0) {
    throw new Error(`${providerDocPath(provider)} lacks the markers "${begin}" … "${MAPPING_END}"`);
  }
  return `${markdown.slice(0, start + begin.length)}\n${table}\n${markdown.slice(end)}`;
}

/** `text` as Biome (the repository's formatter, Markdown tables included) formats the file at `path`. */
function formatted(path: string, text: string): string {
  return execFileSync(join(ROOT, "node_modules", ".bin", "biome"), ["format", `--stdin-file-path=${path}`], {
    cwd: ROOT,
    input: text,
    encoding: "utf8",
  });
}

/** Each generated file as it should be: path → text (`only`: that provider's page alone). */
export async function generatedDocs(only?: Provider): Promise<Map<string, string>> {
  const files = new Map<string, string>(only ? [] : [[OPENAPI_PATH, renderOpenApi()]]);
  for (const provider of only ? [only] : PROVIDERS) {
    const path = providerDocPath(provider);
    const page = readFileSync(join(ROOT, path), "utf8");
    const table = renderMappingTable(await loadMapping(provider));
    files.set(path, formatted(path, spliceMapping(page, provider, table)));
  }
  return files;
}

async function main(argv: readonly string[]): Promise<number> {
  let check: boolean;
  let only: Provider | undefined;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        check: { type: "boolean" },
        provider: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    check = values.check === true;
    if (values.provider !== undefined) {
      if (!isProvider(values.provider)) throw new Error(`--provider is one of ${PROVIDERS.join(", ")}`);
      only = values.provider;
    }
  } catch (error) {
    process.stderr.write(`docs: ${(error as Error).message}; see --help\n`);
    return 2;
  }
  let stale = 0;
  for (const [path, text] of await generatedDocs(only)) {
    if (readFileSync(join(ROOT, path), "utf8") === text) continue;
    stale += 1;
    if (check) console.error(`${path} is stale: run npm run docs`);
    else {
      writeFileSync(join(ROOT, path), text);
      console.log(`wrote ${path}`);
    }
  }
  return check && stale > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv.slice(2));
}
