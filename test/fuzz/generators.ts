/**
 * Structure-aware fuzzing generators: hostile values and keys, mutations of a real (valid) document
 * at a chosen path, and a serializer that can put into the bytes what a JavaScript value cannot
 * hold (100 000 levels of nesting, `1e999`, lone surrogate escapes, invalid UTF-8).
 *
 * Why mutate fixtures rather than generate JSON: a random document is refused by the first schema
 * check, so the parsers behind it are never reached. A valid document with one value replaced gets
 * through every check that does not look at that value, and meets the code that does.
 *
 * Every generated thing prints as a short label (fast-check's `toStringMethod`), so a counterexample
 * reads `set $["event-data"].reason = "constructor"` instead of dumping 500 KB.
 *
 * @example
 * const arb = mutatedDocument(sesFixture("bounce-permanent-general"));
 * const { doc, mutations } = fc.sample(arb, 1)[0];
 * const bytes = encodeJson(doc); // a Buffer, ready to POST (and sign)
 */
import fc from "fast-check";

/** What `JSON.parse` can give. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A path into a document: object keys and array indexes, from the root. */
export type Path = readonly (string | number)[];

/**
 * Content that exists only as bytes: written verbatim where the value stands in the serialized
 * document. `wrap` nests a document `depth` levels deep without ever recursing in JavaScript.
 */
export type RawContent =
  | { readonly kind: "json"; readonly text: string }
  | { readonly kind: "string-bytes"; readonly bytes: Buffer }
  | { readonly kind: "wrap"; readonly depth: number; readonly open: "[" | '{"a":'; readonly inner: Doc }
  | { readonly kind: "repeat"; readonly times: number; readonly items: readonly Doc[] };

/** A value to put into the bytes as they are (see `RawContent`), labelled for counterexamples. */
export class Raw {
  constructor(
    readonly label: string,
    readonly content: RawContent,
  ) {}
  [fc.toStringMethod](): string {
    return this.label;
  }
}

/** A document being mutated: JSON, with `Raw` values anywhere a value may stand. */
export type Doc = null | boolean | number | string | Raw | Doc[] | { [key: string]: Doc };

/** A hostile value with the label it prints as (the value itself may be 500 KB). */
export class Hostile {
  constructor(
    readonly label: string,
    readonly value: Doc,
  ) {}
  [fc.toStringMethod](): string {
    return this.label;
  }
}

// ── Hostile values ──────────────────────────────────────────────────────────────────────────────

/**
 * Names every plain object inherits. A lookup table indexed by input (`TABLE[reason]`) finds these
 * even though nobody put them there: the classic source of "x is not a function" 500s.
 */
export const PROTOTYPE_NAMES = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupSetter__",
] as const;

/** Keys the SES/SNS/SQS/EventBridge unwrappers and the ESP parsers branch on: shape confusion. */
export const SHAPE_KEYS = [
  "Records",
  "Message",
  "Type",
  "Sns",
  "body",
  "detail",
  "event-data",
  "items",
  "msys",
  "eventType",
  "notificationType",
] as const;

const KB = 1024;

/** 500 KB that looks like an SMTP diagnostic (so the classifier reads all of it). */
const HUGE_DIAGNOSTIC = `smtp; 550 5.1.1 <jane@example.org>: user unknown ${"x".repeat(500 * KB)}`;
/** 500 KB of SMTP phrases, repeated: what a backtracking regex in the classifier would choke on. */
const HUGE_PHRASES = "550 5.1.1 mailbox full, user unknown; try again later. ".repeat(9_500);
/** 500 KB of two-byte characters (250 000 code points). */
const HUGE_MULTIBYTE = "ü".repeat(250 * KB);
/** 100 000 levels: far past any recursive walker's stack (Node's default gives out near 10 000). */
export const DEEP = 100_000;

/** Invalid UTF-8: a lone continuation, 0xFF, an overlong `/`, a CESU-8 surrogate, a cut sequence. */
const INVALID_UTF8: readonly (readonly [string, readonly number[]])[] = [
  ["0xFF", [0xff]],
  ["lone continuation 0x80", [0x80]],
  ["overlong '/' (C0 AF)", [0xc0, 0xaf]],
  ["CESU-8 surrogate (ED A0 80)", [0xed, 0xa0, 0x80]],
  ["truncated € (E2 82)", [0xe2, 0x82]],
  ["5-byte form (F8 88 80 80 80)", [0xf8, 0x88, 0x80, 0x80, 0x80]],
];

const h = (label: string, value: Doc) => new Hostile(label, value);
const raw = (label: string, content: RawContent) => new Hostile(label, new Raw(label, content));
const deep = (open: "[" | '{"a":', inner: Doc = null) =>
  raw(`${DEEP} levels of ${open === "[" ? "[" : "{"}`, { kind: "wrap", depth: DEEP, open, inner });

/** An Object.prototype name, bare or dressed as an address / with blanks (canonicalization trims). */
export const prototypeNameValue: fc.Arbitrary<Hostile> = fc
  .tuple(fc.constantFrom(...PROTOTYPE_NAMES), fc.constantFrom("%s", "%s@example.org", " %s ", "%S"))
  .map(([name, form]) => {
    const text = form === "%S" ? name.toUpperCase() : form.replace("%s", name);
    return h(JSON.stringify(text), text);
  });

/** Strings that are there but say nothing. */
const emptyValue: fc.Arbitrary<Hostile> = fc.constantFrom(
  h('""', ""),
  h('" "', " "),
  h('"\\t\\r\\n"', "\t\r\n"),
  h('"\\u0000"', "\u0000"),
  h('"\\u200b" (zero width)', "\u200b"),
);

/** Strings over any sane size: 500 KB (the DynamoDB item limit is 400 KB). */
const hugeString: fc.Arbitrary<Hostile> = fc.constantFrom(
  h("500 KB SMTP diagnostic", HUGE_DIAGNOSTIC),
  h("500 KB of repeated SMTP phrases", HUGE_PHRASES),
  h("500 KB of 'ü'", HUGE_MULTIBYTE),
);

/** Values of the wrong type for almost any field. */
const wrongType: fc.Arbitrary<Hostile> = fc.constantFrom(
  h("null", null),
  h("true", true),
  h("false", false),
  h("0", 0),
  h("-1", -1),
  h("1.5", 1.5),
  h("2**53 + 2", 2 ** 53 + 2),
  h("1e300 (a date 1e300 s away)", 1e300),
  h("-1e300", -1e300),
  h("8.64e15 (one past the last Date in ms)", 8.64e15 + 1),
  h("[]", []),
  h("{}", {}),
  h('["a", 1, null, {}]', ["a", 1, null, {}]),
  h('{"constructor": {"prototype": {}}}', { constructor: { prototype: {} } }),
  h('"12"', "12"),
  h('"true"', "true"),
  h('"not-an-address"', "not-an-address"),
);

/** Numbers and strings only the bytes can say. */
const rawJson: fc.Arbitrary<Hostile> = fc.constantFrom(
  raw("1e999 (parses to Infinity)", { kind: "json", text: "1e999" }),
  raw("-1e999 (parses to -Infinity)", { kind: "json", text: "-1e999" }),
  raw("1e-999 (parses to 0)", { kind: "json", text: "1e-999" }),
  raw("-0", { kind: "json", text: "-0" }),
  raw("a 400-digit integer", { kind: "json", text: "9".repeat(400) }),
  raw('"\\ud800" (lone surrogate)', { kind: "json", text: '"\\ud800"' }),
  raw('"\\udfff@example.org"', { kind: "json", text: '"\\udfff@example.org"' }),
);

/** A string whose bytes are not UTF-8, alone or inside an address. */
const invalidUtf8: fc.Arbitrary<Hostile> = fc
  .tuple(fc.constantFrom(...INVALID_UTF8), fc.constantFrom("", "jane", "550 5.1.1 "))
  .map(([[label, bytes], prefix]) =>
    raw(`"${prefix}" + invalid UTF-8 ${label}${prefix === "jane" ? " + @example.org" : ""}`, {
      kind: "string-bytes",
      bytes: Buffer.concat([
        Buffer.from(prefix),
        Buffer.from(bytes),
        Buffer.from(prefix === "jane" ? "@example.org" : ""),
      ]),
    }),
  );

/** Nesting no recursive code survives (arrays, objects, and `null` at the bottom). */
const deepNesting: fc.Arbitrary<Hostile> = fc.constantFrom(deep("["), deep('{"a":'));

/** A large array standing where a scalar or a small list was expected. */
const hugeArray: fc.Arbitrary<Hostile> = fc.constantFrom(
  raw("an array of 100 000 zeros", { kind: "json", text: `[${Array(100_000).fill("0").join(",")}]` }),
  h("an array of 2 000 'constructor'", Array(2_000).fill("constructor")),
);

/**
 * Any hostile value, weighted so the cheap ones dominate: huge and deep values cost a few hundred
 * kilobytes a request, and a bounded run still wants hundreds of cases.
 */
export const hostileValue: fc.Arbitrary<Hostile> = fc.oneof(
  { arbitrary: prototypeNameValue, weight: 6 },
  { arbitrary: wrongType, weight: 6 },
  { arbitrary: emptyValue, weight: 3 },
  { arbitrary: rawJson, weight: 3 },
  { arbitrary: invalidUtf8, weight: 3 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
  { arbitrary: hugeArray, weight: 1 },
);

/** Hostile strings only (form fields, headers after encoding, path segments). */
export const hostileString: fc.Arbitrary<Hostile> = fc.oneof(
  { arbitrary: prototypeNameValue, weight: 6 },
  { arbitrary: emptyValue, weight: 3 },
  { arbitrary: invalidUtf8, weight: 2 },
  { arbitrary: hugeString, weight: 1 },
  {
    arbitrary: fc.constantFrom(
      h('"12"', "12"),
      h('"-1"', "-1"),
      h('"1e300"', "1e300"),
      h('"99999999999999999999"', "99999999999999999999"),
      h('"NaN"', "NaN"),
      h('"[]"', "[]"),
      h('"{}"', "{}"),
      h('"[\\"constructor\\"]"', '["constructor"]'),
      h(`"${"[".repeat(20)}…" (${DEEP} '[' as text)`, "[".repeat(DEEP)),
    ),
    weight: 3,
  },
);

/** Keys to add: prototype names, envelope keys, nothing, and 64 KB of key. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...PROTOTYPE_NAMES), weight: 4 },
  { arbitrary: fc.constantFrom(...SHAPE_KEYS), weight: 2 },
  { arbitrary: fc.constantFrom("", " ", "k".repeat(64 * KB)), weight: 1 },
);

// ── Paths and mutations ─────────────────────────────────────────────────────────────────────────

const isObject = (v: unknown): v is { [key: string]: Doc } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Raw);

/** `$["event-data"].reason[0]`: how a path prints. */
export function showPath(path: Path): string {
  return `$${path.map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_]\w*$/.test(p) ? `.${p}` : `[${JSON.stringify(p.length > 40 ? `${p.slice(0, 40)}…` : p)}]`)).join("")}`;
}

/** Every path in `doc`, root first (so shrinking a path choice walks towards the root). */
export function pathsOf(doc: Json, within: Path = []): Path[] {
  const out: Path[] = [];
  const walk = (value: Json, path: Path) => {
    out.push(path);
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(item, [...path, i]);
    } else if (isObject(value))
      for (const [key, item] of Object.entries(value)) walk(item as Json, [...path, key]);
  };
  const start = getAt(doc, within);
  if (start.found) walk(start.value as Json, within);
  return out;
}

function getAt(doc: Doc, path: Path): { found: true; value: Doc } | { found: false } {
  let node: Doc = doc;
  for (const step of path) {
    if (Array.isArray(node) && typeof step === "number" && step < node.length) node = node[step] as Doc;
    else if (isObject(node) && typeof step === "string" && Object.hasOwn(node, step))
      node = node[step] as Doc;
    else return { found: false };
  }
  return { found: true, value: node };
}

/** One structural change to a document. */
export type MutationSpec =
  | { readonly op: "set"; readonly path: Path; readonly value: Hostile }
  | { readonly op: "delete"; readonly path: Path }
  | { readonly op: "add-key"; readonly path: Path; readonly key: string; readonly value: Hostile }
  | { readonly op: "repeat"; readonly path: Path; readonly times: number };

/** A `MutationSpec` that prints as one line. */
export class Mutation {
  constructor(readonly spec: MutationSpec) {}
  [fc.toStringMethod](): string {
    const s = this.spec;
    const at = showPath(s.path);
    switch (s.op) {
      case "set":
        return `set ${at} = ${s.value.label}`;
      case "delete":
        return `delete ${at}`;
      case "add-key":
        return `add ${at}[${JSON.stringify(s.key.length > 40 ? `${s.key.slice(0, 40)}…(${s.key.length})` : s.key)}] = ${s.value.label}`;
      case "repeat":
        return `repeat ${at} ×${s.times}`;
    }
  }
}

/** A prototype name as is: what a lookup table keyed by the field's value meets. */
const barePrototypeName: fc.Arbitrary<Hostile> = fc
  .constantFrom(...PROTOTYPE_NAMES)
  .map((name) => h(JSON.stringify(name), name));

/**
 * Values for a string field: mostly prototype names (every string field is someone's lookup key),
 * then everything else a string field must survive.
 */
export const stringFieldValue: fc.Arbitrary<Hostile> = fc.oneof(
  { arbitrary: barePrototypeName, weight: 8 },
  { arbitrary: prototypeNameValue, weight: 2 },
  { arbitrary: wrongType, weight: 3 },
  { arbitrary: emptyValue, weight: 2 },
  { arbitrary: invalidUtf8, weight: 2 },
  { arbitrary: rawJson, weight: 1 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
);

/** Values for a number field: out-of-range numbers first (timestamps become dates). */
export const numberFieldValue: fc.Arbitrary<Hostile> = fc.oneof(
  { arbitrary: wrongType, weight: 5 },
  { arbitrary: rawJson, weight: 3 },
  { arbitrary: barePrototypeName, weight: 2 },
  { arbitrary: emptyValue, weight: 1 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
);

/** The hostile values that fit what stands at a path now (a string field, a number, a container). */
function valuesFor(
  current: Doc | undefined,
  override: fc.Arbitrary<Hostile> | undefined,
): fc.Arbitrary<Hostile> {
  if (override) return override;
  if (typeof current === "string") return stringFieldValue;
  if (typeof current === "number") return numberFieldValue;
  return hostileValue;
}

/**
 * One mutation of `doc` at one of its paths (under `within`): mostly a leaf replaced by a value
 * chosen for its type, sometimes a container replaced, a member deleted, a hostile key added or an
 * array blown up. `repeatTimes` are the lengths an array is blown up to (just over a limit is what
 * finds missing limits); `values` replaces the value generator (form fields take strings only).
 */
export function mutationOf(
  doc: Json,
  options: { within?: Path; repeatTimes?: readonly number[]; values?: fc.Arbitrary<Hostile> } = {},
): fc.Arbitrary<Mutation> {
  const paths = pathsOf(doc, options.within);
  if (paths.length === 0) throw new Error(`no path under ${showPath(options.within ?? [])}`);
  const at = (path: Path): Doc | undefined => {
    const found = getAt(doc, path);
    return found.found ? found.value : undefined;
  };
  const isContainer = (path: Path) => {
    const value = at(path);
    return typeof value === "object" && value !== null;
  };
  const leaves = paths.filter((p) => !isContainer(p));
  const containers = paths.filter(isContainer);
  const objects = containers.filter((p) => isObject(at(p)));
  const arrays = containers.filter((p) => Array.isArray(at(p)));
  const members = paths.filter((p) => p.length > 0);
  const set = (from: Path[]) =>
    fc
      .constantFrom(...from)
      .chain((path) =>
        valuesFor(at(path), options.values).map((value): MutationSpec => ({ op: "set", path, value })),
      );
  const ops: { arbitrary: fc.Arbitrary<MutationSpec>; weight: number }[] = [];
  if (leaves.length > 0) ops.push({ arbitrary: set(leaves), weight: 8 });
  if (containers.length > 0) ops.push({ arbitrary: set(containers), weight: 2 });
  if (members.length > 0) {
    const del = fc.constantFrom(...members).map((path): MutationSpec => ({ op: "delete", path }));
    ops.push({ arbitrary: del, weight: 2 });
  }
  if (objects.length > 0) {
    const add = fc
      .record({ path: fc.constantFrom(...objects), key: hostileKey, value: options.values ?? hostileValue })
      .map(({ path, key, value }): MutationSpec => ({ op: "add-key", path, key, value }));
    ops.push({ arbitrary: add, weight: 2 });
  }
  if (options.repeatTimes && options.repeatTimes.length > 0) {
    const times = fc.constantFrom(...options.repeatTimes);
    const from = arrays.length > 0 ? arrays : paths;
    const repeat = fc
      .record({ path: fc.constantFrom(...from), times })
      .map(({ path, times: n }): MutationSpec => ({ op: "repeat", path, times: n }));
    ops.push({ arbitrary: repeat, weight: 1 });
  }
  return fc.oneof(...ops).map((spec) => new Mutation(spec));
}

/**
 * Applies mutations in order to a copy of `doc`. A mutation whose path an earlier one removed does
 * nothing (shrinking then drops it).
 */
export function applyMutations(doc: Json, mutations: readonly Mutation[]): Doc {
  let root: Doc = structuredClone(doc);
  for (const { spec } of mutations) {
    if (spec.path.length === 0 && spec.op !== "add-key") {
      root = spec.op === "set" ? spec.value.value : spec.op === "repeat" ? repeated(root, spec.times) : root;
      continue;
    }
    const parentPath = spec.op === "add-key" ? spec.path : spec.path.slice(0, -1);
    const parent = getAt(root, parentPath);
    if (!parent.found) continue;
    const container = parent.value;
    if (spec.op === "add-key") {
      // defineProperty, not assignment: `o["__proto__"] = v` would set the prototype, not a key.
      if (isObject(container)) {
        Object.defineProperty(container, spec.key, {
          value: spec.value.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      continue;
    }
    const last = spec.path[spec.path.length - 1] as string | number;
    const current = getAt(root, spec.path);
    if (!current.found) continue;
    if (Array.isArray(container) && typeof last === "number") {
      if (spec.op === "delete") container.splice(last, 1);
      else container[last] = spec.op === "set" ? spec.value.value : repeated(current.value, spec.times);
    } else if (isObject(container) && typeof last === "string") {
      if (spec.op === "delete") delete container[last];
      else {
        const value = spec.op === "set" ? spec.value.value : repeated(current.value, spec.times);
        Object.defineProperty(container, last, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
  }
  return root;
}

/**
 * An array repeated to `times` items (its items cycled), or the value as `times` copies. Kept as
 * `Raw` and written by repeating the items' bytes: building 10 001 events as objects costs seconds.
 */
function repeated(value: Doc, times: number): Doc {
  const items = Array.isArray(value) && value.length > 0 ? value : [value];
  return new Raw(`×${times}`, { kind: "repeat", times, items });
}

/** A fixture with 1–3 mutations, kept with the mutations so the counterexample shows them. */
export type MutatedDoc = { readonly doc: Doc; readonly mutations: readonly Mutation[] };

export function mutatedDocument(
  doc: Json,
  options: Parameters<typeof mutationOf>[1] = {},
): fc.Arbitrary<MutatedDoc> {
  return fc
    .array(mutationOf(doc, options), { minLength: 1, maxLength: 3 })
    .map((mutations) => ({ doc: applyMutations(doc, mutations), mutations }));
}

// ── Serialization ───────────────────────────────────────────────────────────────────────────────

/** A marker JSON.stringify leaves alone and no fixture contains. */
const MARK = "\u{E000}fuzz-raw-";
const MARKED = new RegExp(`"${MARK}(\\d+)\u{E000}"`, "gu");

/**
 * `doc` as JSON bytes, `Raw` values written verbatim. Also escapes keys and values JSON.stringify
 * would not refuse but could not nest: a `wrap` is written as `depth` openers, the inner document,
 * then `depth` closers, so no recursion happens on our side.
 */
export function encodeJson(doc: Doc): Buffer {
  const raws: Raw[] = [];
  const text = JSON.stringify(doc, (_key, value: unknown) => {
    if (value instanceof Raw) {
      raws.push(value);
      return `${MARK}${raws.length - 1}\u{E000}`;
    }
    return value;
  });
  if (raws.length === 0) return Buffer.from(text ?? "null", "utf8");
  const parts: Buffer[] = [];
  let at = 0;
  for (const match of text.matchAll(MARKED)) {
    parts.push(Buffer.from(text.slice(at, match.index), "utf8"));
    parts.push(rawBytes(raws[Number(match[1])] as Raw));
    at = match.index + match[0].length;
  }
  parts.push(Buffer.from(text.slice(at), "utf8"));
  return Buffer.concat(parts);
}

/** A repeated array is cut off beyond this: the API refuses bodies over 6 MB anyway. */
const MAX_REPEAT_BYTES = 6.5 * 1024 * 1024;

function joinBuffers(parts: readonly Buffer[], separator: Buffer): Buffer {
  const out: Buffer[] = [];
  for (const [i, part] of parts.entries()) {
    if (i > 0) out.push(separator);
    out.push(part);
  }
  return Buffer.concat(out);
}

function rawBytes(value: Raw): Buffer {
  const c = value.content;
  switch (c.kind) {
    case "json":
      return Buffer.from(c.text, "utf8");
    case "string-bytes":
      return Buffer.concat([Buffer.from('"'), c.bytes, Buffer.from('"')]);
    case "repeat": {
      const items = c.items.map(encodeJson);
      // Past the 6 MB body limit nothing more is learnt; stop just over it.
      const itemBytes = items.reduce((n, b) => n + b.length + 1, 0) / items.length;
      const times = Math.min(c.times, Math.ceil(MAX_REPEAT_BYTES / itemBytes));
      const parts = Array.from({ length: times }, (_, i) => items[i % items.length] as Buffer);
      return Buffer.concat([Buffer.from("["), joinBuffers(parts, Buffer.from(",")), Buffer.from("]")]);
    }
    case "wrap": {
      const close = c.open === "[" ? "]" : "}";
      return Buffer.concat([
        Buffer.from(c.open.repeat(c.depth)),
        encodeJson(c.inner),
        Buffer.from(close.repeat(c.depth)),
      ]);
    }
  }
}

/**
 * A form value's bytes before percent-encoding: strings as UTF-8, `Raw` content as its JSON bytes
 * (a form field can hold JSON text: SendCloud's `recipientArray`), anything else as its JSON.
 */
export function formValueBytes(value: Doc): Buffer {
  if (typeof value === "string") return Buffer.from(value, "utf8");
  if (value instanceof Raw && value.content.kind === "string-bytes") return value.content.bytes;
  return encodeJson(value);
}

/**
 * `application/x-www-form-urlencoded` bytes for fields (a field given an array is repeated, as a
 * form can): every byte percent-encoded, so invalid UTF-8 arrives as `%FF`.
 */
export function encodeForm(fields: Doc): Buffer {
  const pairs: string[] = [];
  const encode = (bytes: Buffer) =>
    [...bytes]
      .map((b) =>
        /[A-Za-z0-9*\-._]/.test(String.fromCharCode(b))
          ? String.fromCharCode(b)
          : `%${b.toString(16).padStart(2, "0").toUpperCase()}`,
      )
      .join("");
  if (!isObject(fields)) return formValueBytes(fields);
  for (const [name, value] of Object.entries(fields)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) pairs.push(`${encode(Buffer.from(name, "utf8"))}=${encode(formValueBytes(v))}`);
  }
  return Buffer.from(pairs.join("&"), "ascii");
}
