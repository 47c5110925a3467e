/**
 * Fuzzing the operators' routes of the local server over real sockets, as routes.fuzz.test.ts does
 * for the check, the imports and the webhooks: the lists (`GET /v1/suppressions`), the status view
 * (`GET /v1/events`) and its counts (`GET /v1/event-counts`), one address's history
 * (`GET /v1/events/{address}`), manual entries and removals (`PUT`/`DELETE
 * /v1/suppressions/{address}`), the allowlist, and the keys (`/v1/keys`),
 * with hostile queries, path segments, bodies, content types, `X-Tenant` and `Authorization`
 * headers, and real paging cursors taken from a first page and then mutated.
 *
 * Every answer keeps the properties of harness.ts (no 5xx, RFC 9457 problems on 4xx, JSON on 2xx,
 * nothing internal leaked, an answer in time, a process that keeps serving), and some more where
 * the route says more: a hostile `Authorization` is refused (400/401/403), a key of tenant
 * `default` never acts for another tenant, a mutated cursor is followed (200) or refused (400), and
 * a key without `pii` never reads a seeded address in full.
 *
 * The keys: the bootstrap key (every scope, any tenant through `X-Tenant`), an `admin`+`keys` key
 * without `pii` made through `POST /v1/keys`, a `check` key (no operator's scope) and a revoked key.
 *
 * `npm test` runs a fixed seed with bounded runs; `FUZZ_RUNS=<n>` runs long with a random seed
 * (printed); `FUZZ_SEED=<n> FUZZ_RUNS=<n> npx vitest run test/fuzz/operator-routes.fuzz.test.ts`
 * replays a run; `FUZZ_COLLECT=1` reports every distinct failure instead of stopping at the first.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_NOTE_CHARS } from "../../lambdas/contract/admin.js";
import { MAX_KEY_NAME_CHARS } from "../../lambdas/contract/keys.js";
import { MAX_CURSOR_CHARS } from "../../lambdas/contract/lists.js";
import { SCOPES } from "../../lambdas/core/access.js";
import { CAUSES } from "../../lambdas/core/ledger/types.js";
import { EVENT_TYPE_IDS, REASON_IDS } from "../../lambdas/core/taxonomy.js";
import type { LocalServer } from "../../lambdas/local/server.js";
import { PROVIDERS } from "../../lambdas/providers/registry.js";
import { sendgridEvents } from "../fixtures/sendgrid/signing.js";
import { DEEP, type Doc, encodeJson, hostileValue, PROTOTYPE_NAMES, Raw } from "./generators.js";
import {
  type Answer,
  API_KEY,
  describeFailure,
  FUZZ_COLLECT,
  FUZZ_SEED,
  FUZZ_VERBOSE,
  type FuzzRequest,
  labelled,
  makeSigners,
  runs,
  type ServerError,
  send,
  signatureOf,
  startFuzzServer,
  violation,
  watchProcess,
} from "./harness.js";

console.info(
  `fuzz: seed ${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED} npx vitest run test/fuzz/operator-routes.fuzz.test.ts)`,
);

const KB = 1024;
const NOW_S = Math.floor(Date.now() / 1000);
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
/** In every seeded name: the same for a replayed seed (the store is new each run anyway). */
const salt = FUZZ_SEED.toString(36);

// ── Seeded data ─────────────────────────────────────────────────────────────────────────────────

/** Addresses with a provider bounce each (imported), newest first. */
const SEEDED = Array.from({ length: 6 }, (_, i) => `seeded-${i}-${salt}@example.org`);
/** The address with a history of several events (a cursor on its second page). */
const HISTORIED = `historied-${salt}@example.org`;
/** Manual entries and an allowlisted address, put by the bootstrap key before the runs. */
const MANUAL = `manual-${salt}@example.org`;
const MANUAL_DOMAIN = `@manual-${salt}.example`;
const ALLOWED = `allowed-${salt}@example.org`;
/** Every address a key without `pii` must never read in full in a 200. */
const HIDDEN = [...SEEDED, HISTORIED, MANUAL, ALLOWED];

type Keys = {
  /** `admin` and `keys`, no `pii`: the operator's key of tenant `default`. */
  readonly operator: string;
  readonly operatorId: string;
  /** `check` only: no operator's route admits it. */
  readonly check: string;
  /** Made, then revoked: refused everywhere. */
  readonly revoked: string;
  readonly revokedId: string;
};

/** Second pages: a cursor each, taken by the bootstrap key from the first page. */
type Cursors = {
  readonly list: string;
  readonly events: string;
  /** The window the status cursor came from: the cursor is for that window. */
  readonly eventsWindow: { readonly from: string; readonly to: string };
  readonly history: string;
};

/** The routes a cursor comes from. */
type Paged = "list" | "events" | "history";

type Context = {
  readonly server: LocalServer;
  readonly errors: ServerError[];
  readonly keys: Keys;
  readonly cursors: Cursors;
};

// ── Wire encoding ───────────────────────────────────────────────────────────────────────────────

/** A piece of a URL as it goes on the wire, with the label it prints as in a counterexample. */
type Wire = { readonly wire: string };

const short = (text: string): string =>
  text.length > 60 ? `${JSON.stringify(text.slice(0, 40))}…(${text.length} chars)` : JSON.stringify(text);

/**
 * Percent-encodes every byte of `text`'s UTF-8 but the unreserved ones (a lone surrogate goes as
 * EF BF BD, as a browser's would: `encodeURIComponent` throws on it).
 */
function percent(text: string): string {
  let out = "";
  for (const b of Buffer.from(text, "utf8")) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** `text`, percent-encoded. */
const encoded = (text: string): Wire => labelled({ wire: percent(text) }, short(text));
/** Bytes sent as they are: broken escapes, `+`, lone `%`. */
const verbatim = (wire: string): Wire => labelled({ wire }, `raw ${short(wire)}`);

/**
 * Node refuses request heads over 16 KB with a bare 431 before any route runs (API Gateway has its
 * own limits): a URL is kept under this, the query pairs past it dropped. One hostile value (10 KB
 * on the wire at most) always fits after any path.
 */
const MAX_URL = 13 * KB;

/** The query pairs of a request, as they go on the wire (a repeated parameter is several pairs). */
type Query = { readonly pairs: readonly string[] };

/**
 * `path` with `query`, its cursor slot filled with `cursor`, and as many of its pairs as fit in
 * `MAX_URL` (in order, skipping those that do not).
 */
function urlOf(path: string, query: Query, cursor = ""): string {
  const kept: string[] = [];
  let length = path.length;
  for (const pair of query.pairs) {
    const filled = pair.replaceAll(percent(CURSOR), percent(cursor));
    if (length + filled.length + 1 > MAX_URL) continue;
    kept.push(filled);
    length += filled.length + 1;
  }
  return kept.length === 0 ? path : `${path}?${kept.join("&")}`;
}

/**
 * A header value fetch can send and Node's parser takes (UTF-8 bytes read as Latin-1, as they travel;
 * no CR, LF, NUL or other control characters: Node answers those with a bare 400 of its own).
 */
const headerValue = (text: string): string =>
  Buffer.from(text, "utf8")
    .toString("latin1")
    .split("")
    .filter((c) => c === "\t" || (c >= " " && c !== "\u007f"))
    .join("");

// ── Hostile text ────────────────────────────────────────────────────────────────────────────────

const PERCENT_GARBAGE = [
  "%",
  "%%",
  "%zz",
  "%2",
  "a%",
  "%E0%A4%A",
  "%FF",
  "%C0%AF",
  "%ED%A0%80",
  "%F0%9F%92",
  "%00",
  "%0D%0A",
  "%u0041",
  "%25%",
  "+",
  "%2B",
  "%26",
  "%3D",
  "=",
  "==",
] as const;

const ODD_TEXT = [
  ...PROTOTYPE_NAMES,
  "",
  " ",
  "\t",
  "\u0000",
  "\u200b",
  "\ud800",
  "\udfff@example.org",
  "ü",
  "\u{1F4A9}",
  "null",
  "undefined",
  "[]",
  "{}",
  "true",
  "0",
  "-1",
  "1.5",
  "1e300",
  "NaN",
  "Infinity",
  "9007199254740993",
  "a,b",
  ",",
  "*",
  "@",
  "@@",
  "%",
  "../..",
] as const;

/** Text a client may send anywhere: random strings, unicode, odd constants, 10 KB. */
const hostileText: fc.Arbitrary<Wire> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }).map(encoded), weight: 4 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 20 }).map(encoded), weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }).map(encoded), weight: 2 },
  { arbitrary: fc.constantFrom(...ODD_TEXT).map(encoded), weight: 3 },
  { arbitrary: fc.constantFrom(...PERCENT_GARBAGE).map(verbatim), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      encoded("x".repeat(10 * KB)),
      encoded("ü".repeat(1_600)),
      encoded(`${"a".repeat(10 * KB - 12)}@example.org`),
      verbatim("%FF".repeat(3_400)),
      verbatim("%".repeat(10 * KB)),
      verbatim("[".repeat(10 * KB)),
    ),
    weight: 1,
  },
);

/** The values each parameter takes when it is valid, so the others are what gets refused. */
const TIMES = [
  iso(NOW_S - 86_400),
  iso(NOW_S - 3_600),
  iso(NOW_S + 3_600),
  "2026-01-01T00:00:00Z",
  "2026-01-01T00:00:00+14:00",
  "1970-01-01T00:00:00Z",
  "9999-12-31T23:59:59.999Z",
  "+275760-09-13T00:00:00.000Z",
  "2026-02-30T00:00:00Z",
  "2026-01-01",
  "2026-01-01T24:00:00Z",
];
const LIMITS = ["1", "2", "50", "100", "101", "0", "-1", "1.5", "1e2", "0x10", " 5", "05", "Infinity"];
const SCOPE_VALUES = ["*", "newsletter", "newsletter/weekly", "news letter", "news/*", "/", "a//b"];
/** A cursor slot: filled at send time with the real cursor of the route (or a wrong one). */
const CURSOR = "\u{E002}cursor";
const CURSOR_VALUES = [CURSOR, "", "x", "A".repeat(MAX_CURSOR_CHARS + 1)];

const LIST_PARAMS: Readonly<Record<string, readonly string[]>> = {
  cause: CAUSES,
  reason: REASON_IDS,
  source: [...PROVIDERS, "admin", "manual"],
  scope: SCOPE_VALUES,
  since: TIMES,
  until: TIMES,
  q: ["seeded", "SEEDED-1", SEEDED[1] as string, "@example.org", MANUAL_DOMAIN, "@", "@[127.0.0.1]", "a b"],
  cursor: CURSOR_VALUES,
  limit: LIMITS,
};
const STATUS_PARAMS: Readonly<Record<string, readonly string[]>> = {
  type: EVENT_TYPE_IDS,
  provider: PROVIDERS,
  tag: ["newsletter", "weekly", "t".repeat(256), "t".repeat(257)],
  from: TIMES,
  to: TIMES,
  cursor: CURSOR_VALUES,
  limit: LIMITS,
};
/** The counts take the status view's window and filters; `type`, `cursor` and `limit` are refused. */
const COUNT_PARAMS: Readonly<Record<string, readonly string[]>> = {
  provider: PROVIDERS,
  tag: ["newsletter", "weekly", "t".repeat(256), "t".repeat(257)],
  from: TIMES,
  to: TIMES,
  type: EVENT_TYPE_IDS,
  cursor: CURSOR_VALUES,
  limit: LIMITS,
};
const HISTORY_PARAMS: Readonly<Record<string, readonly string[]>> = {
  type: [...EVENT_TYPE_IDS, "admin"],
  from: TIMES,
  to: TIMES,
  cursor: CURSOR_VALUES,
  limit: LIMITS,
};
const REMOVAL_PARAMS: Readonly<Record<string, readonly string[]>> = {
  scope: SCOPE_VALUES,
  cause: CAUSES,
  reason: ["fixed by the customer", "x".repeat(MAX_NOTE_CHARS), "x".repeat(MAX_NOTE_CHARS + 1), "  "],
};

const ODD_NAMES = [...PROTOTYPE_NAMES, "", "unknown", "LIMIT", "limit[]", "cursor ", "dryRun"] as const;

/** A query string for a route taking `params`: valid and hostile values, repeats, odd names. */
function hostileQuery(params: Readonly<Record<string, readonly string[]>>): fc.Arbitrary<Query> {
  const names = Object.keys(params);
  const pair: fc.Arbitrary<readonly string[]> = fc.oneof(
    {
      arbitrary: fc
        .constantFrom(...names)
        .chain((name) =>
          fc
            .tuple(
              fc.oneof(
                { arbitrary: fc.constantFrom(...(params[name] ?? [""])).map(encoded), weight: 3 },
                { arbitrary: hostileText, weight: 4 },
              ),
              fc.oneof(
                { arbitrary: fc.constant(1), weight: 4 },
                { arbitrary: fc.integer({ min: 2, max: 3 }), weight: 1 },
              ),
            )
            .map(([value, times]) => Array<string>(times).fill(`${name}=${value.wire}`)),
        ),
      weight: 8,
    },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...ODD_NAMES), hostileText)
        .map(([name, value]) => [`${percent(name)}=${value.wire}`]),
      weight: 1,
    },
    // Pairs without a value, or without a name, or nothing between two `&`.
    {
      arbitrary: fc.constantFrom("", "=", "&", "limit", "cursor=", "=x", "a=b=c", "q").map((p) => [p]),
      weight: 1,
    },
  );
  return fc.array(pair, { maxLength: 6 }).map((groups) => {
    const pairs = groups.flat();
    const wire = pairs.join("&");
    return labelled(
      { pairs },
      wire.length > 300 ? `?${wire.slice(0, 300)}…(${wire.length} chars)` : `?${wire}`,
    );
  });
}

// ── Path segments ───────────────────────────────────────────────────────────────────────────────

/** Percent-encoded `{address}` segments: broken escapes, encoded slashes, NULs, 4 KB, odd subjects. */
const HOSTILE_SEGMENTS = [
  ...PROTOTYPE_NAMES,
  "%",
  "%zz",
  "%E0%A4%A",
  "%FF",
  "%C0%AF",
  "%ED%A0%80",
  "%00",
  "..",
  "%2e%2e",
  "a%2Fb",
  "jane%40example.org%2F..",
  "%40",
  "%40%40",
  "%40example",
  "%40localhost",
  "%40example.org.",
  "%40-example.org",
  "%40%5B127.0.0.1%5D",
  "jane%40%5B127.0.0.1%5D",
  "jane%40%5BIPv6%3A%3A%3A1%5D",
  "%22jane+doe%22%40example.org",
  "jane%40example.org%00",
  "%20jane%40example.org%20",
  "Jane%20%3Cjane%40example.org%3E",
  "jane%2Btag%40example.org",
  "jane%40b%C3%BCcher.example",
  "jane%40xn--bcher-kva.example",
  "%E2%80%AEgro.elpmaxe%40enaj",
  `${"x".repeat(4_000)}%40example.org`,
  `jane%40${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.example`,
  "%F0%9F%92%A9".repeat(300),
] as const;

const addressSegment: fc.Arbitrary<Wire> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS).map(verbatim), weight: 4 },
  { arbitrary: fc.constantFrom(...HIDDEN, MANUAL_DOMAIN, "jdoe@example.org").map(encoded), weight: 3 },
  { arbitrary: hostileText.filter((w) => w.wire.length <= 4_000), weight: 3 },
  {
    arbitrary: fc
      .tuple(fc.string({ unit: "binary", maxLength: 12 }), fc.constantFrom("example.org", "@example.org", ""))
      .map(([local, domain]) => encoded(`${local}@${domain}`)),
    weight: 2,
  },
);

// ── Bodies ──────────────────────────────────────────────────────────────────────────────────────

/** A body as bytes (or none), with the label it prints as. */
type Body = { readonly bytes: Buffer | undefined };
const body = (bytes: Buffer | undefined, label: string): Body => labelled({ bytes }, label);
const jsonText = (text: string): Body => body(Buffer.from(text, "utf8"), `bytes ${short(text)}`);

/** `fc.anything()` as JSON text (what has no JSON form, `undefined` say, goes as `null`). */
const anythingJson: fc.Arbitrary<Body> = fc
  .anything({ maxDepth: 3 })
  .map((value) => jsonText(JSON.stringify(value) ?? "null"));

const NON_JSON = [
  "{not json",
  "{",
  '{"note":"x"',
  "[]",
  "null",
  '"a string"',
  "1",
  "\u0000",
  "{}garbage",
  '{"note":"x"}{"note":"y"}',
  '{"__proto__":{"note":"x"}}',
  '{"note":"x","note":"y"}',
  '{"note":"\\ud800"}',
] as const;

/** A body for `PUT /v1/suppressions|allowlist/{address}`: valid, random, deep, non-JSON, huge notes. */
function putBody(fields: "manual" | "allow"): fc.Arbitrary<Body> {
  const future = iso(NOW_S + 7 * 86_400);
  const valid =
    fields === "manual"
      ? [{}, { note: "asked by the customer" }, { scope: "newsletter", note: "n", expiresAt: future }]
      : [{}, { note: "seed list" }];
  const record = fc
    .record(
      {
        scope: hostileValue,
        note: hostileValue,
        expiresAt: hostileValue,
        [PROTOTYPE_NAMES[1]]: hostileValue,
      },
      { requiredKeys: [] },
    )
    .map((fieldsOf) => {
      const doc: { [key: string]: Doc } = {};
      const labels: string[] = [];
      for (const [key, h] of Object.entries(fieldsOf)) {
        doc[key] = h.value;
        labels.push(`${key}: ${h.label}`);
      }
      return body(encodeJson(doc), `{${labels.join(", ")}}`);
    });
  return fc.oneof(
    { arbitrary: fc.constant(body(undefined, "no body")), weight: 1 },
    { arbitrary: fc.constantFrom(...valid).map((v) => jsonText(JSON.stringify(v))), weight: 2 },
    { arbitrary: record, weight: 4 },
    { arbitrary: fc.json({ maxDepth: 3 }).map(jsonText), weight: 2 },
    { arbitrary: anythingJson, weight: 2 },
    { arbitrary: fc.constantFrom(...NON_JSON).map(jsonText), weight: 2 },
    {
      arbitrary: fc.constantFrom(
        body(
          encodeJson(new Raw(`${DEEP} levels of [`, { kind: "wrap", depth: DEEP, open: "[", inner: null })),
          `${DEEP} levels of [`,
        ),
        body(
          encodeJson(
            new Raw(`${DEEP} levels of {`, { kind: "wrap", depth: DEEP, open: '{"a":', inner: null }),
          ),
          `${DEEP} levels of {`,
        ),
        body(
          encodeJson({
            note: new Raw("note of 100 000 levels", { kind: "wrap", depth: DEEP, open: "[", inner: "x" }),
          }),
          "note of 100 000 levels",
        ),
        jsonText(JSON.stringify({ note: "x".repeat(MAX_NOTE_CHARS) })),
        jsonText(JSON.stringify({ note: "x".repeat(MAX_NOTE_CHARS + 1) })),
        jsonText(JSON.stringify({ note: "\u{1F4A9}".repeat(MAX_NOTE_CHARS) })),
        jsonText(JSON.stringify({ note: `${" ".repeat(MAX_NOTE_CHARS * 2)}x` })),
        jsonText(JSON.stringify({ note: "n".repeat(100 * KB) })),
        jsonText(JSON.stringify({ note: "ü".repeat(1_000 * KB) })),
      ),
      weight: 2,
    },
    {
      arbitrary: fc
        .uint8Array({ maxLength: 64 })
        .map((bytes) => body(Buffer.from(bytes), `bytes ${Buffer.from(bytes).toString("hex")}`)),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom(
        body(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("{}")]), "BOM + {}"),
        body(Buffer.from('{"note":"x"}', "utf16le"), 'UTF-16 {"note":"x"}'),
        body(Buffer.from(Buffer.from('{"note":"x"}').toString("base64")), 'base64 of {"note":"x"}'),
        body(
          Buffer.from([0x7b, 0x22, 0x6e, 0x6f, 0x74, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
          '{"note":"\\xFF"}',
        ),
      ),
      weight: 1,
    },
  );
}

const ODD_TYPES = [
  "text/plain",
  "text/plain; charset=utf-16",
  "application/octet-stream",
  "multipart/form-data; boundary=----fuzz",
  "application/x-www-form-urlencoded",
  "application/xml",
  "image/png",
  "application/problem+json",
  "APPLICATION/JSON",
  'application/json;;;charset="',
  "application/json, text/plain",
  "application/json; charset=latin1",
  "",
] as const;

/** A content type: mostly JSON, sometimes none, sometimes one no route expects. */
const contentType: fc.Arbitrary<string | null> = fc.oneof(
  { arbitrary: fc.constant("application/json"), weight: 3 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.constantFrom(...ODD_TYPES), weight: 2 },
);

/** Values of a wrong type, or of the right type and wrong, for any field of a key request. */
const wrongTypes: readonly unknown[] = [
  null,
  true,
  0,
  -1,
  1e300,
  "",
  " ",
  [],
  {},
  ["check"],
  { name: "x" },
  "constructor",
  "__proto__",
];

/** A body for `POST /v1/keys`: random JSON, wrong types, huge names, scopes it may not grant. */
const keyBody: fc.Arbitrary<Body> = fc.oneof(
  // Valid requests too: a key made, or (the operator's key) one it may not grant.
  {
    arbitrary: fc
      .record({
        name: fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }).filter((n) => n.trim() !== ""),
        scopes: fc.shuffledSubarray([...SCOPES], { minLength: 1 }),
        tenant: fc.constantFrom(undefined, "default", `fuzz-${salt}`),
      })
      .map((doc) => jsonText(JSON.stringify(doc))),
    weight: 2,
  },
  { arbitrary: fc.json({ maxDepth: 3 }).map(jsonText), weight: 2 },
  { arbitrary: anythingJson, weight: 2 },
  { arbitrary: fc.constantFrom(...NON_JSON).map(jsonText), weight: 1 },
  {
    arbitrary: fc
      .record(
        {
          name: fc.oneof(
            fc.constantFrom(
              "fuzz key",
              " padded ",
              "n".repeat(MAX_KEY_NAME_CHARS),
              "n".repeat(MAX_KEY_NAME_CHARS + 1),
              "n".repeat(10 * KB),
              "\u{1F4A9}".repeat(MAX_KEY_NAME_CHARS),
              "\u0000",
              "\ud800",
            ),
            fc.string({ unit: "binary", maxLength: 30 }),
            fc.constantFrom(...wrongTypes),
          ),
          scopes: fc.oneof(
            fc.subarray([...SCOPES]),
            fc.array(fc.constantFrom(...SCOPES, "ADMIN", "constructor", "*", ""), { maxLength: 6 }),
            fc.constantFrom(...wrongTypes, "admin", Array(1_000).fill("check"), [...SCOPES, ...SCOPES]),
          ),
          tenant: fc.oneof(
            fc.constantFrom(
              "default",
              `fuzz-${salt}`,
              "a".repeat(64),
              "a".repeat(65),
              "-a",
              "_a",
              "A",
              "a b",
              "ü",
              ...PROTOTYPE_NAMES,
            ),
            fc.string({ maxLength: 20 }),
            fc.constantFrom(...wrongTypes),
          ),
          [PROTOTYPE_NAMES[1]]: fc.constantFrom(...wrongTypes),
          key: fc.constantFrom("ssk_000000000000_x", API_KEY),
        },
        { requiredKeys: [] },
      )
      .map((doc) => jsonText(JSON.stringify(doc))),
    weight: 6,
  },
  {
    arbitrary: fc.constantFrom(
      body(
        encodeJson(new Raw(`${DEEP} levels of {`, { kind: "wrap", depth: DEEP, open: '{"a":', inner: null })),
        `${DEEP} levels of {`,
      ),
      body(
        encodeJson({
          name: "deep",
          scopes: new Raw("scopes 100 000 deep", { kind: "wrap", depth: DEEP, open: "[", inner: "check" }),
        }),
        "scopes 100 000 deep",
      ),
      jsonText(JSON.stringify({ name: "n".repeat(1_000 * KB), scopes: ["check"] })),
    ),
    weight: 1,
  },
);

// ── Cursors ─────────────────────────────────────────────────────────────────────────────────────

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** What is done to a real cursor before it is sent back. */
type CursorTwist =
  | { kind: "as-is" }
  | { kind: "flip"; at: number; by: number }
  | { kind: "truncate"; keep: number }
  | { kind: "append"; text: string }
  | { kind: "prepend"; text: string }
  | { kind: "base64url-json"; json: string }
  | { kind: "random-bytes"; hex: string }
  | { kind: "standard-base64" }
  | { kind: "upper-case" }
  | { kind: "twice" }
  | { kind: "raw"; value: Wire };

const cursorTwist: fc.Arbitrary<CursorTwist> = fc.oneof(
  { arbitrary: fc.constant({ kind: "as-is" as const }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("flip" as const),
      at: fc.nat({ max: 1_000 }),
      by: fc.integer({ min: 1, max: 63 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant("truncate" as const), keep: fc.nat({ max: 200 }) }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant("append" as const),
      text: fc.oneof(
        fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 1, maxLength: 8 }),
        fc.constantFrom("=", "==", "%", "%00", " ", ",x", "A".repeat(MAX_CURSOR_CHARS)),
      ),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("prepend" as const),
      text: fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 1, maxLength: 4 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("base64url-json" as const),
      json: fc.oneof(
        fc.json({ maxDepth: 3 }),
        fc.constantFrom(
          JSON.stringify({ v: 1, g: "all", d: 0 }),
          JSON.stringify({ v: 1, g: "all", d: 2 ** 40, p: { s: 99, k: "~", pk: "T#other" } }),
          JSON.stringify(["T#default#A#x@example.org", "E#x", "2026#E#x"]),
          JSON.stringify({ __proto__: { v: 1 } }),
        ),
      ),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("random-bytes" as const),
      hex: fc.uint8Array({ minLength: 0, maxLength: 120 }).map((b) => Buffer.from(b).toString("hex")),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.constantFrom<CursorTwist>(
      { kind: "standard-base64" },
      { kind: "upper-case" },
      { kind: "twice" },
    ),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("raw" as const), value: hostileText }),
    weight: 1,
  },
);

/** `cursor` twisted, as the query pair(s) that carry it. */
function twistedCursor(cursor: string, twist: CursorTwist): string {
  const pair = (text: string) => `cursor=${percent(text)}`;
  switch (twist.kind) {
    case "as-is":
      return pair(cursor);
    case "flip": {
      const at = twist.at % cursor.length;
      const next = BASE64URL[(BASE64URL.indexOf(cursor[at] ?? "A") + twist.by) % BASE64URL.length];
      return pair(`${cursor.slice(0, at)}${next}${cursor.slice(at + 1)}`);
    }
    case "truncate":
      return pair(cursor.slice(0, Math.min(twist.keep, cursor.length - 1)));
    case "append":
      return pair(`${cursor}${twist.text}`);
    case "prepend":
      return pair(`${twist.text}${cursor}`);
    case "base64url-json":
      return pair(Buffer.from(twist.json, "utf8").toString("base64url"));
    case "random-bytes":
      return pair(Buffer.from(twist.hex, "hex").toString("base64url"));
    case "standard-base64":
      return pair(Buffer.from(cursor, "base64url").toString("base64"));
    case "upper-case":
      return pair(cursor.toUpperCase());
    case "twice":
      return `${pair(cursor)}&${pair(cursor)}`;
    case "raw":
      return `cursor=${twist.value.wire}`;
  }
}

// ── Requests and expectations ───────────────────────────────────────────────────────────────────

/** A request and what its answer must be beyond the harness's properties. */
type Planned = {
  readonly request: FuzzRequest;
  /** The only statuses the answer may have. */
  readonly statuses?: readonly number[];
  /** A 409 problem is documented here (a removal that meets newer evidence). */
  readonly conflict?: boolean;
  /** Addresses a 200 must not show in full (the caller has no `pii`). */
  readonly hidden?: readonly string[];
};

type Who = "bootstrap" | "operator";
const keyOf = (ctx: Context, who: Who): string => (who === "bootstrap" ? API_KEY : ctx.keys.operator);
const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const hiddenFor = (who: Who) => (who === "operator" ? HIDDEN : undefined);

/** The 409 of a removal: the same problem document the harness holds every 4xx to. */
function conflictViolation(answer: Answer): string | null {
  if (!/^application\/problem\+json\b/i.test(answer.contentType))
    return `409 with content-type "${answer.contentType}"`;
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return "409 answer is not JSON";
  }
  for (const member of ["type", "title", "detail"] as const) {
    if (typeof doc[member] !== "string" || doc[member] === "") return `409 problem has no \`${member}\``;
  }
  if (!/^https:\/\//.test(String(doc.type))) return "409 problem type is not a URI";
  if (doc.status !== 409) return `409 problem says status ${JSON.stringify(doc.status)}`;
  return null;
}

/** Why `answer` breaks the harness's properties or `planned`'s own, or null. */
function judge(planned: Planned, answer: Answer): string | null {
  const base = answer.status === 409 && planned.conflict ? conflictViolation(answer) : violation(answer);
  if (base !== null) return base;
  if (planned.statuses && !planned.statuses.includes(answer.status)) {
    return `status ${answer.status}, expected ${planned.statuses.join(" or ")}`;
  }
  if (planned.hidden && answer.status === 200) {
    const shown = planned.hidden.find((address) => answer.text.includes(address));
    if (shown !== undefined) return `a key without \`pii\` reads ${shown} in full`;
  }
  return null;
}

// ── The property runner ─────────────────────────────────────────────────────────────────────────

/**
 * Checks `cases` against the properties: `build` makes each request at send time (so the cursors
 * and keys of the context are there). With `FUZZ_COLLECT=1`, every distinct failure is reported,
 * each shrunk (as in routes.fuzz.test.ts).
 */
async function fuzz<T>(
  ctx: () => Context,
  route: string,
  cases: fc.Arbitrary<T>,
  build: (c: T, context: Context) => Planned,
  numRuns: number,
): Promise<void> {
  const known = new Map<string, string>();
  const property = fc.asyncProperty(cases, async (c) => {
    const context = ctx();
    const planned = build(c, context);
    context.errors.length = 0;
    const answer = await send(context.server.url, planned.request);
    const reason = judge(planned, answer);
    if (FUZZ_VERBOSE) {
      console.info(`${route} ${answer.status} ${Math.round(answer.ms)} ms ${fc.stringify(c).slice(0, 300)}`);
    }
    if (reason === null) return;
    const seen = [...context.errors];
    const signature = signatureOf(route, reason, answer, seen);
    if (known.has(signature)) return;
    const failure = new Error(describeFailure(planned.request, reason, answer, seen));
    Object.assign(failure, { signature });
    throw failure;
  });
  const settings = { seed: FUZZ_SEED, numRuns, endOnFailure: false } as const;
  if (!FUZZ_COLLECT) {
    await fc.assert(property, settings);
    return;
  }
  for (let round = 0; round < 25; round++) {
    const result = await fc.check(property, settings);
    if (!result.failed) break;
    const error = result.errorInstance as (Error & { signature?: string }) | undefined;
    const signature = error?.signature ?? `${route} → ${String(error?.message ?? result.failures)}`;
    known.set(signature, `${fc.stringify(result.counterexample)}\n${error?.message ?? ""}`);
  }
  if (known.size > 0) {
    const report = [...known].map(([sig, detail], i) => `#${i + 1} ${sig}\n  counterexample: ${detail}`);
    throw new Error(`${known.size} distinct failure(s) on ${route}:\n\n${report.join("\n\n")}`);
  }
}

/** A test's time budget: what its runs need at worst, more when `FUZZ_RUNS` asks for more. */
const budget = (numRuns: number) => 30_000 + numRuns * 250;

// ── Seeding ─────────────────────────────────────────────────────────────────────────────────────

/** A request of the bootstrap key before the runs; its answer must be `status`. */
async function prepare(
  server: LocalServer,
  method: string,
  path: string,
  status: number,
  doc?: unknown,
): Promise<Record<string, unknown>> {
  const answer = await send(server.url, {
    method,
    path,
    headers: { ...auth(API_KEY), ...(doc === undefined ? {} : { "content-type": "application/json" }) },
    ...(doc === undefined ? {} : { body: Buffer.from(JSON.stringify(doc)) }),
  });
  expect(answer.status, `${method} ${path}: ${answer.text.slice(0, 300)}`).toBe(status);
  return JSON.parse(answer.text) as Record<string, unknown>;
}

/** A SendGrid hard bounce (550 5.1.1) for `email` at `timestamp` (epoch seconds). */
function hardBounce(email: string, eventId: string, timestamp: number): Record<string, unknown> {
  const [event] = sendgridEvents("bounce-invalid-address");
  return { ...event, email, sg_event_id: eventId, timestamp };
}

/** The cursor of a first page of one item; there must be a second page. */
async function secondPage(
  server: LocalServer,
  path: string,
): Promise<{ cursor: string; page: Record<string, unknown> }> {
  const page = await prepare(server, "GET", path, 200);
  const cursor = page.cursor;
  if (typeof cursor !== "string") throw new Error(`${path} has no second page: ${JSON.stringify(page)}`);
  return { cursor, page };
}

async function seed(server: LocalServer): Promise<{ keys: Keys; cursors: Cursors }> {
  const events = [
    ...SEEDED.map((email, i) => hardBounce(email, `fz-${salt}-s${i}`, NOW_S - 3_600 * (i + 1))),
    ...Array.from({ length: 4 }, (_, i) => hardBounce(HISTORIED, `fz-${salt}-h${i}`, NOW_S - 600 * (i + 1))),
  ];
  await prepare(server, "POST", "/v1/import/sendgrid", 200, events);
  await prepare(server, "PUT", `/v1/suppressions/${percent(MANUAL)}`, 200, { note: "seeded manual entry" });
  await prepare(server, "PUT", `/v1/suppressions/${percent(MANUAL_DOMAIN)}`, 200, { scope: "newsletter" });
  await prepare(server, "PUT", `/v1/suppressions/${percent(HISTORIED)}`, 200, {
    note: "history has an admin action",
  });
  await prepare(server, "PUT", `/v1/allowlist/${percent(ALLOWED)}`, 200, { note: "seed list" });

  const operator = await prepare(server, "POST", "/v1/keys", 201, {
    name: "fuzz operator",
    scopes: ["admin", "keys"],
  });
  const check = await prepare(server, "POST", "/v1/keys", 201, { name: "fuzz check", scopes: ["check"] });
  const revoked = await prepare(server, "POST", "/v1/keys", 201, { name: "fuzz revoked", scopes: ["admin"] });
  await prepare(server, "DELETE", `/v1/keys/${String(revoked.id)}`, 200);

  const list = await secondPage(server, "/v1/suppressions?limit=1");
  const status = await secondPage(server, "/v1/events?limit=1");
  const history = await secondPage(server, `/v1/events/${percent(HISTORIED)}?limit=1`);
  return {
    keys: {
      operator: String(operator.key),
      operatorId: String(operator.id),
      check: String(check.key),
      revoked: String(revoked.key),
      revokedId: String(revoked.id),
    },
    cursors: {
      list: list.cursor,
      events: status.cursor,
      eventsWindow: { from: String(status.page.from), to: String(status.page.to) },
      history: history.cursor,
    },
  };
}

// ── The operators' routes, as valid requests (for the header and cursor properties) ───────────

const PROBE = `probe-${salt}@example.org`;
const OPERATOR_ROUTES: Readonly<Record<string, () => Omit<FuzzRequest, "headers"> & { json?: unknown }>> = {
  "GET /v1/suppressions": () => ({ method: "GET", path: "/v1/suppressions?limit=5" }),
  "GET /v1/events": () => ({ method: "GET", path: "/v1/events?limit=5" }),
  "GET /v1/event-counts": () => ({ method: "GET", path: "/v1/event-counts" }),
  "GET /v1/events/{address}": () => ({ method: "GET", path: `/v1/events/${percent(HISTORIED)}?limit=5` }),
  "PUT /v1/suppressions/{address}": () => ({
    method: "PUT",
    path: `/v1/suppressions/${percent(PROBE)}`,
    json: { note: "probe" },
  }),
  "DELETE /v1/suppressions/{address}": () => ({
    method: "DELETE",
    path: `/v1/suppressions/${percent(PROBE)}?reason=probe`,
  }),
  "GET /v1/allowlist": () => ({ method: "GET", path: "/v1/allowlist" }),
  "PUT /v1/allowlist/{address}": () => ({ method: "PUT", path: `/v1/allowlist/${percent(PROBE)}`, json: {} }),
  "DELETE /v1/allowlist/{address}": () => ({ method: "DELETE", path: `/v1/allowlist/${percent(PROBE)}` }),
  "POST /v1/keys": () => ({ method: "POST", path: "/v1/keys", json: { name: "probe", scopes: ["admin"] } }),
  "GET /v1/keys": () => ({ method: "GET", path: "/v1/keys" }),
  "DELETE /v1/keys/{id}": () => ({ method: "DELETE", path: "/v1/keys/000000000000" }),
};
const ROUTE_NAMES = Object.keys(OPERATOR_ROUTES);

/** Route `name`'s valid request with `headers` (and its JSON body, typed). */
function operatorRequest(name: string, headers: Record<string, string>): FuzzRequest {
  const make = OPERATOR_ROUTES[name];
  if (make === undefined) throw new Error(`no route ${name}`);
  const { json, ...request } = make();
  return json === undefined
    ? { ...request, headers }
    : {
        ...request,
        headers: { ...headers, "content-type": "application/json" },
        body: Buffer.from(JSON.stringify(json)),
      };
}

/** Hostile `Authorization` values: random bearers, `ssk_` shapes, near misses of real keys, 8 KB. */
type AuthCase = { readonly label: string; readonly value: (ctx: Context) => string | null };
const authCase = (label: string, value: (ctx: Context) => string | null): AuthCase =>
  labelled({ label, value }, label);

const flipLast = (key: string) => `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;

const hostileAuthorization: fc.Arbitrary<AuthCase> = fc.oneof(
  {
    arbitrary: fc
      .string({ maxLength: 60 })
      .map((s) => authCase(`Bearer ${short(s)}`, () => headerValue(`Bearer ${s}`))),
    weight: 3,
  },
  {
    arbitrary: fc
      .string({ unit: "binary", maxLength: 30 })
      .map((s) => authCase(`Bearer ${short(s)} (UTF-8 as Latin-1)`, () => headerValue(`Bearer ${s}`))),
    weight: 2,
  },
  {
    arbitrary: fc
      .string({ maxLength: 70 })
      .map((s) => authCase(`Bearer ssk_${short(s)}`, () => headerValue(`Bearer ssk_${s}`))),
    weight: 3,
  },
  {
    arbitrary: fc
      .tuple(
        fc.stringMatching(/^[0-9a-f]{12}$/),
        fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 43, maxLength: 43 }),
      )
      .map(([id, secret]) => authCase(`well-shaped ssk_${id}_…`, () => `Bearer ssk_${id}_${secret}`)),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom(
      authCase("no Authorization", () => null),
      authCase("empty", () => ""),
      authCase("Bearer", () => "Bearer"),
      authCase("Bearer and spaces", () => "Bearer    "),
      authCase("Basic of the bootstrap key", () => `Basic ${Buffer.from(`x:${API_KEY}`).toString("base64")}`),
      authCase("the bootstrap key without Bearer", () => API_KEY),
      authCase("Token <bootstrap key>", () => `Token ${API_KEY}`),
      authCase("Bearer <bootstrap key> extra", () => `Bearer ${API_KEY} extra`),
      authCase("Bearer <bootstrap key>x", () => `Bearer ${API_KEY}x`),
      authCase("Bearer <bootstrap key minus one>", () => `Bearer ${API_KEY.slice(0, -1)}`),
      authCase("Bearer <BOOTSTRAP KEY>", () => `Bearer ${API_KEY.toUpperCase()}`),
      authCase("Bearer Bearer <bootstrap key>", () => `Bearer Bearer ${API_KEY}`),
      authCase("Bearer <operator key, last char flipped>", (c) => `Bearer ${flipLast(c.keys.operator)}`),
      authCase("Bearer <operator key, truncated>", (c) => `Bearer ${c.keys.operator.slice(0, -1)}`),
      authCase("Bearer <operator key>x", (c) => `Bearer ${c.keys.operator}x`),
      authCase("Bearer <OPERATOR KEY>", (c) => `Bearer ${c.keys.operator.toUpperCase()}`),
      authCase(
        "Bearer <operator id, secret of the revoked key>",
        (c) => `Bearer ${c.keys.revoked.replace(c.keys.revokedId, c.keys.operatorId)}`,
      ),
      authCase("Bearer <revoked key>", (c) => `Bearer ${c.keys.revoked}`),
      authCase("Bearer <check key> (no operator's scope)", (c) => `Bearer ${c.keys.check}`),
      authCase("Bearer ssk_", () => "Bearer ssk_"),
      authCase("Bearer ssk__", () => "Bearer ssk__"),
      authCase("Bearer ssk_000000000000_", () => "Bearer ssk_000000000000_"),
      authCase("Bearer 8 KB", () => `Bearer ${"x".repeat(8 * KB)}`),
      authCase("Bearer ssk_ + 8 KB", () => `Bearer ssk_${"a".repeat(8 * KB)}`),
      authCase("8 KB of Bearer", () => "Bearer ".repeat(1_170)),
      authCase("Bearer ÿþ", () => "Bearer \u00ff\u00fe"),
      authCase("Bearer constructor", () => "Bearer constructor"),
      authCase("Bearer __proto__", () => "Bearer __proto__"),
      authCase("__proto__", () => "__proto__"),
    ),
    weight: 3,
  },
);

/** Hostile `X-Tenant` values: random strings, unicode, 1 KB, near misses of tenant ids. */
const hostileTenant: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 30 }), weight: 3 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 20 }), weight: 2 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 10 }), weight: 1 },
  { arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      ...PROTOTYPE_NAMES,
      "default",
      " default ",
      "DEFAULT",
      "default, acme",
      "default,acme",
      "acme",
      `fuzz-${salt}`,
      "a".repeat(64),
      "a".repeat(65),
      "t".repeat(KB),
      "ü".repeat(KB / 2),
      "-a",
      "_a",
      "a b",
      "a/b",
      "..",
      "*",
      "\u00ff\u00fe",
      "",
      " ",
    ),
    weight: 3,
  },
);

// ── The suite ───────────────────────────────────────────────────────────────────────────────────

describe("fuzz: the operators' routes answer hostile input with a 4xx problem or a 2xx, never a 5xx", () => {
  let context: Context | undefined;
  let stop: (() => Promise<void>) | undefined;
  const watch = watchProcess();
  const ctx = (): Context => {
    if (!context) throw new Error("the fuzz server is not started yet");
    return context;
  };

  beforeAll(async () => {
    const started = await startFuzzServer(makeSigners());
    stop = started.stop;
    const { keys, cursors } = await seed(started.server);
    context = { server: started.server, errors: started.errors, keys, cursors };
  });

  afterAll(async () => {
    // The process kept serving through all of it: no crash, no stray exception, /healthz still up.
    const health = context
      ? await send(context.server.url, { method: "GET", path: "/healthz", headers: {} })
      : null;
    watch.stop();
    await stop?.();
    expect(watch.seen).toEqual([]);
    expect(health?.status).toBe(200);
  });

  const who = fc.constantFrom<Who>("bootstrap", "operator");

  describe("queries", () => {
    const listRuns = runs(150);
    it(
      "GET /v1/suppressions with hostile queries",
      () =>
        fuzz(
          ctx,
          "GET /v1/suppressions",
          fc.tuple(hostileQuery(LIST_PARAMS), who),
          ([query, as], c) => ({
            request: {
              method: "GET",
              path: urlOf("/v1/suppressions", query, c.cursors.list),
              headers: auth(keyOf(c, as)),
            },
            ...(hiddenFor(as) ? { hidden: HIDDEN } : {}),
          }),
          listRuns,
        ),
      budget(listRuns),
    );

    const statusRuns = runs(120);
    it(
      "GET /v1/events with hostile queries",
      () =>
        fuzz(
          ctx,
          "GET /v1/events",
          fc.tuple(hostileQuery(STATUS_PARAMS), who),
          ([query, as], c) => ({
            request: {
              method: "GET",
              path: urlOf("/v1/events", query, c.cursors.events),
              headers: auth(keyOf(c, as)),
            },
            ...(hiddenFor(as) ? { hidden: HIDDEN } : {}),
          }),
          statusRuns,
        ),
      budget(statusRuns),
    );

    const countRuns = runs(80);
    it(
      "GET /v1/event-counts with hostile queries",
      () =>
        fuzz(
          ctx,
          "GET /v1/event-counts",
          fc.tuple(hostileQuery(COUNT_PARAMS), who),
          ([query, as], c) => ({
            request: {
              method: "GET",
              path: urlOf("/v1/event-counts", query, c.cursors.events),
              headers: auth(keyOf(c, as)),
            },
            ...(hiddenFor(as) ? { hidden: HIDDEN } : {}),
          }),
          countRuns,
        ),
      budget(countRuns),
    );

    const historyRuns = runs(150);
    it(
      "GET /v1/events/{address} with hostile segments and queries",
      () =>
        fuzz(
          ctx,
          "GET /v1/events/{address}",
          fc.tuple(addressSegment, hostileQuery(HISTORY_PARAMS), who),
          ([segment, query, as], c) => ({
            request: {
              method: "GET",
              path: urlOf(`/v1/events/${segment.wire}`, query, c.cursors.history),
              headers: auth(keyOf(c, as)),
            },
            ...(hiddenFor(as) ? { hidden: HIDDEN } : {}),
          }),
          historyRuns,
        ),
      budget(historyRuns),
    );
  });

  describe("changes: manual entries, removals, the allowlist", () => {
    const putRuns = runs(150);
    it(
      "PUT /v1/suppressions/{address} and PUT /v1/allowlist/{address} with hostile segments, bodies and content types",
      () =>
        fuzz(
          ctx,
          "PUT operator entry",
          fc
            .constantFrom("suppressions" as const, "allowlist" as const)
            .chain((list) =>
              fc.tuple(
                fc.constant(list),
                addressSegment,
                putBody(list === "suppressions" ? "manual" : "allow"),
                contentType,
                who,
              ),
            ),
          ([list, segment, b, type, as], c) => ({
            request: {
              method: "PUT",
              path: `/v1/${list}/${segment.wire}`,
              headers: { ...auth(keyOf(c, as)), ...(type === null ? {} : { "content-type": type }) },
              ...(b.bytes === undefined ? {} : { body: b.bytes }),
            },
          }),
          putRuns,
        ),
      budget(putRuns),
    );

    const deleteRuns = runs(120);
    it(
      "DELETE /v1/suppressions/{address} and DELETE /v1/allowlist/{address} with hostile segments and queries",
      () =>
        fuzz(
          ctx,
          "DELETE operator entry",
          fc.tuple(
            fc.constantFrom("suppressions" as const, "allowlist" as const),
            addressSegment,
            hostileQuery(REMOVAL_PARAMS),
            who,
          ),
          ([list, segment, query, as], c) => ({
            request: {
              method: "DELETE",
              path: urlOf(`/v1/${list}/${segment.wire}`, query),
              headers: auth(keyOf(c, as)),
            },
            conflict: list === "suppressions",
          }),
          deleteRuns,
        ),
      budget(deleteRuns),
    );
  });

  describe("keys", () => {
    const keyer = fc.constantFrom<"bootstrap" | "operator" | "check">("bootstrap", "operator", "check");
    const keyString = (c: Context, k: "bootstrap" | "operator" | "check") =>
      k === "check" ? c.keys.check : keyOf(c, k);

    const createRuns = runs(120);
    it(
      "POST /v1/keys with random and hostile bodies",
      () =>
        fuzz(
          ctx,
          "POST /v1/keys",
          fc.tuple(keyBody, contentType, keyer),
          ([b, type, k], c) => ({
            request: {
              method: "POST",
              path: "/v1/keys",
              headers: { ...auth(keyString(c, k)), ...(type === null ? {} : { "content-type": type }) },
              ...(b.bytes === undefined ? {} : { body: b.bytes }),
            },
            // The check key holds no `keys`: refused whatever it sends.
            ...(k === "check" ? { statuses: [403] } : {}),
          }),
          createRuns,
        ),
      budget(createRuns),
    );

    const revokeRuns = runs(80);
    it(
      "DELETE /v1/keys/{id} with hostile ids, GET /v1/keys with hostile queries",
      () =>
        fuzz(
          ctx,
          "DELETE or GET /v1/keys",
          fc.tuple(
            fc.oneof(
              { arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS).map(verbatim), weight: 3 },
              { arbitrary: hostileText.filter((w) => w.wire.length <= 4_000), weight: 3 },
              { arbitrary: fc.stringMatching(/^[0-9a-f]{12}$/).map(encoded), weight: 2 },
              {
                arbitrary: fc.constantFrom(
                  encoded("000000000000"),
                  encoded("ABCDEF012345"),
                  encoded("0123456789abc"),
                  encoded("0123456789a"),
                  encoded("bootstrap"),
                  encoded(`ssk_000000000000_${"A".repeat(43)}`),
                  verbatim("0123456789ab%00"),
                  verbatim("%30123456789ab"),
                ),
                weight: 2,
              },
              // The revoked key's own id: revoking it again answers the first revocation.
              {
                arbitrary: fc.constant(labelled({ wire: "\u{E002}revoked" }, "the revoked key's id")),
                weight: 1,
              },
              { arbitrary: fc.constant(labelled({ wire: "\u{E002}list" }, "GET /v1/keys")), weight: 2 },
            ),
            hostileQuery({ limit: LIMITS, cursor: CURSOR_VALUES }),
            keyer,
          ),
          ([id, query, k], c) => {
            const list = id.wire === "\u{E002}list";
            const wire = id.wire === "\u{E002}revoked" ? c.keys.revokedId : id.wire;
            return {
              request: {
                method: list ? "GET" : "DELETE",
                path: list ? urlOf("/v1/keys", query, c.cursors.list) : urlOf(`/v1/keys/${wire}`, query),
                headers: auth(keyString(c, k)),
              },
              ...(k === "check" ? { statuses: [403, 404] } : {}),
            };
          },
          revokeRuns,
        ),
      budget(revokeRuns),
    );
  });

  describe("headers", () => {
    const tenantRuns = runs(120);
    it(
      "hostile X-Tenant on every operator's route: the operator's key never acts for another tenant",
      () =>
        fuzz(
          ctx,
          "X-Tenant",
          fc.tuple(fc.constantFrom(...ROUTE_NAMES), hostileTenant, who),
          ([route, tenant, as], c) => {
            const value = headerValue(tenant);
            // What the server compares (HTTP trims blanks, the route trims the rest).
            const named = value.trim();
            const other = named !== "" && named !== "default";
            return {
              request: operatorRequest(route, { ...auth(keyOf(c, as)), "x-tenant": value }),
              ...(as === "operator" && other ? { statuses: [400, 403] } : {}),
              conflict: route === "DELETE /v1/suppressions/{address}",
            };
          },
          tenantRuns,
        ),
      budget(tenantRuns),
    );

    const authRuns = runs(150);
    it(
      "hostile Authorization on every operator's route: 400, 401 or 403, never an answer",
      () =>
        fuzz(
          ctx,
          "Authorization",
          fc.tuple(fc.constantFrom(...ROUTE_NAMES), hostileAuthorization),
          ([route, authorization], c) => {
            const value = authorization.value(c);
            return {
              request: operatorRequest(route, value === null ? {} : { authorization: value }),
              statuses: [400, 401, 403],
            };
          },
          authRuns,
        ),
      budget(authRuns),
    );
  });

  describe("cursors: real ones, mutated", () => {
    type Where = "list" | "events" | "history" | "history of another address" | "list as another tenant";
    const wheres: readonly Where[] = [
      "list",
      "events",
      "history",
      "history of another address",
      "list as another tenant",
    ];
    const source = fc.constantFrom<Paged>("list", "events", "history");
    const cursorRuns = runs(150);
    it(
      "a cursor flipped, cut, lengthened, forged or used elsewhere is followed (200) or refused (400)",
      () =>
        fuzz(
          ctx,
          "cursors",
          fc.tuple(
            fc.constantFrom(...wheres),
            fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: source, weight: 1 }),
            cursorTwist,
            fc.constantFrom("same window", "no window", "another window"),
            who,
          ),
          ([where, from, twist, window, as], c) => {
            // The cursor of the route itself, or (sometimes) one another route handed out.
            const own: Paged =
              where === "list" || where === "list as another tenant"
                ? "list"
                : where === "events"
                  ? "events"
                  : "history";
            const cursor = c.cursors[from ?? own];
            const pair = twistedCursor(cursor, twist);
            const { from: start, to: end } = c.cursors.eventsWindow;
            const windowQuery =
              window === "same window"
                ? `&from=${percent(start)}&to=${percent(end)}`
                : window === "another window"
                  ? `&from=${percent(iso(NOW_S - 2 * 86_400))}&to=${percent(iso(NOW_S - 86_400))}`
                  : "";
            const path =
              where === "events"
                ? `/v1/events?limit=1&${pair}${windowQuery}`
                : where === "history"
                  ? `/v1/events/${percent(HISTORIED)}?limit=1&${pair}`
                  : where === "history of another address"
                    ? `/v1/events/${percent(SEEDED[0] as string)}?limit=1&${pair}`
                    : `/v1/suppressions?limit=1&${pair}`;
            const tenant: Record<string, string> =
              where === "list as another tenant" && as === "bootstrap" ? { "x-tenant": `fuzz-${salt}` } : {};
            return {
              request: { method: "GET", path, headers: { ...auth(keyOf(c, as)), ...tenant } },
              statuses: [200, 400],
              ...(hiddenFor(as) ? { hidden: HIDDEN } : {}),
            };
          },
          cursorRuns,
        ),
      budget(cursorRuns),
    );
  });
});
