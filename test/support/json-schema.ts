/**
 * A small JSON Schema (2020-12) validator for the subset docs/openapi.json uses: `type` (a name or a
 * list, incl. `null` and `integer`), `const`, `enum`, `properties`, `required`,
 * `additionalProperties: false`, `items`, `oneOf`, `anyOf`, `$ref` to `#/...` in the root document,
 * `minItems`/`maxItems`, `minLength`/`maxLength`, `minimum`, `pattern` and `format` (`date-time`, `uri`).
 * Any other keyword throws, so the document cannot lean on something this does not check.
 *
 * @example
 * validate({ $ref: "#/components/schemas/Verdict" }, body, openapi); // [] when valid, else messages
 */
export type Schema = { readonly [keyword: string]: unknown };

const ANNOTATIONS = new Set(["description", "title", "examples", "example", "summary"]);
const KEYWORDS = new Set([
  ...["$ref", "type", "const", "enum", "properties", "required", "additionalProperties", "items"],
  ...["oneOf", "anyOf", "minItems", "maxItems", "minLength", "maxLength", "minimum", "pattern", "format"],
]);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The schema a `$ref` such as `#/components/schemas/Verdict` points at in `root`. */
export function resolveRef(root: unknown, ref: string): Schema {
  if (!ref.startsWith("#/")) throw new Error(`unsupported $ref ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) {
    node = (node as Record<string, unknown> | undefined)?.[part.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  if (typeof node !== "object" || node === null) throw new Error(`unresolved $ref ${ref}`);
  return node as Schema;
}

/** Every way `value` breaks `schema` (an empty list when it conforms), each prefixed with its path. */
export function validate(schema: Schema, value: unknown, root: unknown, path = "$"): string[] {
  const errors: string[] = [];
  const fail = (message: string) => errors.push(`${path}: ${message}`);
  for (const key of Object.keys(schema)) {
    if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key)) throw new Error(`${path}: unsupported keyword ${key}`);
  }
  if (typeof schema.$ref === "string")
    errors.push(...validate(resolveRef(root, schema.$ref), value, root, path));
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = types.includes(actual) || (actual === "integer" && types.includes("number"));
    if (!ok) return [...errors, `${path}: expected ${types.join("|")}, got ${actual}`];
  }
  if ("const" in schema && !sameJson(schema.const, value)) fail(`expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => sameJson(e, value))) {
    fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  for (const [keyword, pick] of [
    ["anyOf", (n: number) => n >= 1],
    ["oneOf", (n: number) => n === 1],
  ] as const) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    const results = branches.map((b: Schema) => validate(b, value, root, path));
    const matched = results.filter((r) => r.length === 0).length;
    if (!pick(matched)) {
      fail(`${keyword}: ${matched} branches match`);
      if (matched === 0) errors.push(...results.flat().map((e) => `  (${keyword}) ${e}`));
    }
  }
  if (actual === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) fail(`missing ${key}`);
    for (const [key, item] of Object.entries(object)) {
      const sub = properties[key];
      if (sub) errors.push(...validate(sub, item, root, `${path}.${key}`));
      else if (schema.additionalProperties === false) fail(`unexpected property ${key}`);
    }
  }
  if (actual === "array") {
    const array = value as unknown[];
    if (typeof schema.minItems === "number" && array.length < schema.minItems) fail("too few items");
    if (typeof schema.maxItems === "number" && array.length > schema.maxItems) fail("too many items");
    if (schema.items) {
      array.forEach((item, i) => {
        errors.push(...validate(schema.items as Schema, item, root, `${path}[${i}]`));
      });
    }
  }
  if (actual === "string") {
    const text = value as string;
    if (typeof schema.minLength === "number" && text.length < schema.minLength) fail("too short");
    if (typeof schema.maxLength === "number" && text.length > schema.maxLength) fail("too long");
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(text)) {
      fail(`does not match ${schema.pattern}`);
    }
    if (
      schema.format === "date-time" &&
      !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(text)
    ) {
      fail("not an RFC 3339 date-time");
    }
    if (schema.format === "uri" && !URL.canParse(text)) fail("not a URI");
  }
  if (typeof schema.minimum === "number" && typeof value === "number" && value < schema.minimum) {
    fail(`below ${schema.minimum}`);
  }
  return errors;
}
