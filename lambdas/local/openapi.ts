/**
 * `npm run openapi`: writes docs/openapi.json (OpenAPI 3.1) from the HTTP contract. The schemas are
 * lambdas/contract's zod schemas through zod's `z.toJSONSchema`, under `components/schemas` and
 * referenced by `$ref`; the paths, parameters, security scheme, shared responses and examples are
 * openapi-paths.ts. The output is formatted as Biome formats JSON, so the committed file is exactly
 * what this writes (test/docs/openapi-drift.test.ts fails otherwise). Local only: no Lambda imports it.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as z from "zod";
import { COMPONENTS, type ComponentName } from "../contract/index.js";
import { scopesFor } from "../handlers/route-scopes.js";
import { DOCUMENT_HEAD, PATHS, RESPONSES, SECURITY_SCHEMES } from "./openapi-paths.js";

const ROOT = join(import.meta.dirname, "..", "..");
export const OPENAPI_PATH = "docs/openapi.json";
const REF_PREFIX = "#/components/schemas/";

type JsonSchema = Record<string, unknown>;

/** The contract's components as JSON Schema 2020-12 (what OpenAPI 3.1 uses), in `COMPONENTS` order. */
export function componentSchemas(): Record<ComponentName, JsonSchema> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    uri: (id) => `${REF_PREFIX}${id}`,
    // Requests as a client may send them (the check ignores unknown properties); every answer is a
    // strict object, so `additionalProperties: false` stays on those.
    io: "input",
    override: ({ jsonSchema: s }) => {
      // zod spells out its ISO regex next to `format: date-time`; the format says it.
      if (s.format === "date-time") delete s.pattern;
      // `z.int()` bounds itself to safe integers; a count says nothing that large.
      if (s.maximum === Number.MAX_SAFE_INTEGER) delete s.maximum;
      if (s.minimum === Number.MIN_SAFE_INTEGER) delete s.minimum;
      // `.readonly()` only makes the TypeScript type readonly (no client sends these answers back).
      delete s.readOnly;
      if (s.type === "number" && s.enum?.every((v) => Number.isInteger(v))) s.type = "integer";
    },
  });
  const names = Object.keys(COMPONENTS) as ComponentName[];
  const stray = Object.keys(schemas).filter((id) => !(id in COMPONENTS));
  if (stray.length > 0) throw new Error(`schemas with an id outside COMPONENTS: ${stray.join(", ")}`);
  return Object.fromEntries(
    names.map((name) => {
      const schema = schemas[name];
      if (schema === undefined) throw new Error(`${name} has no id (.meta({ id: "${name}" }))`);
      const { $schema: _s, $id: _i, ...rest } = schema as JsonSchema;
      return [name, rest];
    }),
  ) as Record<ComponentName, JsonSchema>;
}

/** Every `$ref` in `node` to a schema component, so that none can name a schema the contract lacks. */
function schemaRefs(node: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) for (const item of node) schemaRefs(item, found);
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith(REF_PREFIX)) {
        found.add(value.slice(REF_PREFIX.length));
      } else schemaRefs(value, found);
    }
  }
  return found;
}

const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/**
 * The paths with each keyed operation's scope (route-scopes.ts, the table the middleware reads) as
 * its security requirement, and the 403 of a key without it. OpenAPI 3.1 lets a requirement of a
 * non-OAuth scheme list the roles it needs.
 */
function withScopes(paths: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => {
      const scoped: Record<string, unknown> = { ...item };
      for (const method of METHODS) {
        const op = item[method] as { responses?: Record<string, unknown> } | undefined;
        const scopes = scopesFor(`${method.toUpperCase()} ${path}`);
        if (op === undefined || scopes === undefined) continue;
        if (scopes === null) {
          scoped[method] = { ...op, security: [{ bearerAuth: [] }] };
          continue;
        }
        // Integer-like keys keep ascending order in any object: the 403 falls into its place.
        scoped[method] = {
          ...op,
          // One requirement per scope: OpenAPI reads the list as "any of these".
          security: scopes.map((scope) => ({ bearerAuth: [scope] })),
          responses: { ...op.responses, "403": { $ref: "#/components/responses/Forbidden" } },
        };
      }
      return [path, scoped];
    }),
  );
}

/** The whole document, as an object. */
export function openApiDocument(): JsonSchema {
  const document = {
    openapi: "3.1.0",
    ...DOCUMENT_HEAD,
    paths: withScopes(PATHS),
    components: { securitySchemes: SECURITY_SCHEMES, responses: RESPONSES, schemas: componentSchemas() },
  };
  const missing = [...schemaRefs(document)].filter((name) => !(name in COMPONENTS));
  if (missing.length > 0) throw new Error(`$ref to schemas the contract lacks: ${missing.join(", ")}`);
  return document;
}

/** The document as docs/openapi.json holds it: JSON formatted by Biome (the repository's formatter). */
export function renderOpenApi(): string {
  return execFileSync(
    join(ROOT, "node_modules", ".bin", "biome"),
    ["format", `--stdin-file-path=${OPENAPI_PATH}`],
    { cwd: ROOT, input: `${JSON.stringify(openApiDocument(), null, 2)}\n`, encoding: "utf8" },
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  writeFileSync(join(ROOT, OPENAPI_PATH), renderOpenApi());
  console.log(`wrote ${OPENAPI_PATH}`);
}
