/**
 * Fuzzing every route of the local server over real sockets (issue #9): real, valid payloads (the
 * fixtures), validly signed for the webhooks, with one to three structure-aware mutations each
 * (test/fuzz/generators.ts), and hostile paths, queries, headers, content types and methods.
 *
 * Every answer must keep the properties in harness.ts: no 5xx, RFC 9457 problems on 4xx, JSON on
 * 2xx, nothing internal leaked, an answer in time, and a process that keeps serving.
 * field-sweep.fuzz.test.ts adds what sampling rarely hits: each prototype name in each field.
 *
 * `npm test` runs a fixed seed with bounded runs; `npm run fuzz` runs long with a random seed
 * (printed); `FUZZ_SEED=<n> FUZZ_RUNS=<n> npx vitest run test/fuzz` replays a run;
 * `FUZZ_COLLECT=1` reports every distinct failure (each shrunk) instead of stopping at the first.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_CHECK_ADDRESSES } from "../../lambdas/handlers/check-body.js";
import { MAX_EVENTS_PER_REQUEST } from "../../lambdas/handlers/webhook-request.js";
import type { LocalServer } from "../../lambdas/local/server.js";
import { WEBHOOK_FIXTURES } from "../fixtures/mailgun/support.js";
import { FIXTURES as SENDCLOUD_FIXTURES } from "../fixtures/sendcloud/support.js";
import { asSnsConfirmation, TOPIC_ARN } from "../support/ses-fixtures.js";
import { TEST_CERT_URL } from "../support/sns-signing.js";
import {
  type Doc,
  encodeJson,
  hostileString,
  type Json,
  type MutatedDoc,
  mutatedDocument,
  PROTOTYPE_NAMES,
  Raw,
} from "./generators.js";
import {
  type Answer,
  API_KEY,
  basicAuth,
  describeFailure,
  FUZZ_COLLECT,
  FUZZ_SEED,
  FUZZ_VERBOSE,
  type FuzzRequest,
  labelled,
  makeSigners,
  POSTMARK,
  runs,
  type ServerError,
  SIGN,
  type Signers,
  SPARKPOST,
  send,
  signatureOf,
  signedMailgun,
  signedSendCloud,
  signedSendgrid,
  signedSns,
  startFuzzServer,
  violation,
  watchProcess,
  withSignPlaceholders,
} from "./harness.js";

console.info(`fuzz: seed ${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED} npx vitest run test/fuzz)`);

// ── Fixtures ────────────────────────────────────────────────────────────────────────────────────

const FIXTURES = new URL("../fixtures/", import.meta.url);
const fixture = (provider: string, name: string): Json =>
  JSON.parse(readFileSync(new URL(`${provider}/${name}.json`, FIXTURES), "utf8")) as Json;
const allNames = (provider: string): string[] =>
  readdirSync(new URL(`${provider}/`, FIXTURES))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();

/** Each fixture as a named document, so a counterexample says which one was mutated. */
type Named = { readonly name: string; readonly doc: Json };
const named = (provider: string, names: readonly string[]): Named[] =>
  names.map((name) => ({ name, doc: fixture(provider, name) }));

const SES_ALL = named("ses", allNames("ses"));
/** Bare records only: the SNS webhook wraps each in a signed Notification itself. */
const SES_RECORDS = SES_ALL.filter((f) => !f.name.startsWith("wrap-"));
const SENDGRID = named("sendgrid", allNames("sendgrid"));
const MAILGUN_WEBHOOK = named("mailgun", WEBHOOK_FIXTURES);
const MAILGUN_ALL = named("mailgun", allNames("mailgun"));
const POSTMARK_ALL = named("postmark", allNames("postmark"));
const POSTMARK_WEBHOOK = POSTMARK_ALL.filter((f) => f.name !== "bounces-api-page");
const SPARKPOST_ALL = named("sparkpost", allNames("sparkpost"));
const SENDCLOUD = named(
  "sendcloud",
  SENDCLOUD_FIXTURES.map(([name]) => name),
);
const CHECK_BODIES: Named[] = [
  {
    name: "three addresses",
    doc: { addresses: ["Jane.Doe@Example.org", "someone@example.com", "not-an-address"] },
  },
  { name: "scoped", doc: { addresses: ["Jane <JDoe@Bücher.example>"], scope: "newsletter/weekly" } },
];

/**
 * One mutated fixture out of `fixtures`. Shrinking moves towards the first fixture and the root
 * path, i.e. towards the smallest change that still fails.
 */
function mutatedFixture(
  fixtures: readonly Named[],
  options: Parameters<typeof mutatedDocument>[1] = {},
  prepare: (doc: Json) => Json = (doc) => doc,
): fc.Arbitrary<{ fixture: string } & MutatedDoc> {
  return fc.oneof(
    ...fixtures.map((f) =>
      mutatedDocument(prepare(f.doc), options).map((m) =>
        labelled(
          { fixture: f.name, ...m },
          `${f.name}: ${m.mutations.map((x) => fc.stringify(x)).join("; ")}`,
        ),
      ),
    ),
  );
}

// ── Requests ────────────────────────────────────────────────────────────────────────────────────

/** Just over the per-request event limit: the limit must be there, and answered 413. */
const OVER_EVENT_LIMIT = [MAX_EVENTS_PER_REQUEST + 1];

const bearer = { authorization: `Bearer ${API_KEY}` };
const JSON_TYPE = { "content-type": "application/json" };

/** `?dryRun=` as callers send it, plus values it must refuse politely. */
const dryRun = fc.constantFrom<string | null>(null, "true", "false", "1", "0", "yes", "constructor", "");
const query = (value: string | null) => (value === null ? "" : `?dryRun=${encodeURIComponent(value)}`);

/** A SNS Notification carrying `record` (mutations reach into it, and into the envelope). */
const snsNotification = (record: Json): Json => ({
  Type: "Notification",
  MessageId: "1b0b0a1e-0000-4000-8000-00000000f022",
  TopicArn: TOPIC_ARN,
  Message: record,
  Timestamp: SIGN.timestamp,
  SignatureVersion: "2",
  Signature: SIGN.signature,
  SigningCertURL: TEST_CERT_URL,
  UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC_ARN}:x`,
});

const snsConfirmations: Named[] = (["SubscriptionConfirmation", "UnsubscribeConfirmation"] as const).map(
  (type) => ({
    name: type,
    doc: {
      ...asSnsConfirmation(type),
      Timestamp: SIGN.timestamp,
      SignatureVersion: "2",
      Signature: SIGN.signature,
      SigningCertURL: TEST_CERT_URL,
    },
  }),
);

function snsRequest(signers: Signers, doc: Doc): FuzzRequest {
  const { body, type } = signedSns(signers.sns, structuredCloneDoc(doc));
  return {
    method: "POST",
    path: "/webhooks/ses",
    headers: { "content-type": "text/plain; charset=UTF-8", "x-amz-sns-message-type": type },
    body,
  };
}

/** Signing fills placeholders in place; a case may be sent again while shrinking, so sign a copy. */
function structuredCloneDoc(doc: Doc): Doc {
  if (doc instanceof Raw || doc === null || typeof doc !== "object") return doc;
  if (Array.isArray(doc)) return doc.map(structuredCloneDoc);
  const out: { [key: string]: Doc } = {};
  for (const [key, value] of Object.entries(doc)) {
    Object.defineProperty(out, key, {
      value: structuredCloneDoc(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

const webhook = {
  sendgrid: (signers: Signers, doc: Doc): FuzzRequest => {
    const { body, headers } = signedSendgrid(signers.sendgrid, doc);
    return { method: "POST", path: "/webhooks/sendgrid", headers: { ...JSON_TYPE, ...headers }, body };
  },
  mailgun: (doc: Doc): FuzzRequest => ({
    method: "POST",
    path: "/webhooks/mailgun",
    headers: JSON_TYPE,
    body: signedMailgun(structuredCloneDoc(doc)),
  }),
  postmark: (doc: Doc): FuzzRequest => ({
    method: "POST",
    path: "/webhooks/postmark",
    headers: { ...JSON_TYPE, authorization: basicAuth(POSTMARK.user, POSTMARK.password) },
    body: encodeJson(doc),
  }),
  sparkpost: (doc: Doc): FuzzRequest => ({
    method: "POST",
    path: "/webhooks/sparkpost",
    headers: {
      ...JSON_TYPE,
      authorization: basicAuth(SPARKPOST.user, SPARKPOST.password),
      "x-messagesystems-batch-id": "77c5a1d0-0000-4000-8000-000000000001",
    },
    body: encodeJson(doc),
  }),
  sendcloud: (doc: Doc, asJson: boolean): FuzzRequest => ({
    method: "POST",
    path: "/webhooks/sendcloud",
    headers: { "content-type": asJson ? "application/json" : "application/x-www-form-urlencoded" },
    body: signedSendCloud(structuredCloneDoc(doc), asJson),
  }),
};

// ── The property runner ─────────────────────────────────────────────────────────────────────────

type Context = { server: LocalServer; errors: ServerError[]; signers: Signers };

/**
 * Checks `cases` against the answer properties: `build` makes each request (signing happens
 * here, at send time, so timestamps are fresh and tokens new even while shrinking).
 *
 * With `FUZZ_COLLECT=1`, a failure's signature is remembered and the property run again, passing
 * cases that fail the same way, until no new failure appears: every distinct failure, each with
 * its own shrunk counterexample.
 */
async function fuzz<T>(
  ctx: () => Context,
  route: string,
  cases: fc.Arbitrary<T>,
  build: (c: T) => FuzzRequest,
  numRuns: number,
): Promise<void> {
  const known = new Map<string, string>();
  const property = fc.asyncProperty(cases, async (c) => {
    const { server, errors } = ctx();
    const built = performance.now();
    const request = build(c);
    const buildMs = performance.now() - built;
    errors.length = 0;
    const answer: Answer = await send(server.url, request);
    const reason = violation(answer);
    if (FUZZ_VERBOSE) {
      console.info(
        `${route} ${answer.status} ${Math.round(answer.ms)} ms (built in ${Math.round(buildMs)} ms) ${fc.stringify(c).slice(0, 300)}`,
      );
    }
    if (reason === null) return;
    const seen = [...errors];
    const signature = signatureOf(route, reason, answer, seen);
    if (known.has(signature)) return;
    const failure = new Error(describeFailure(request, reason, answer, seen));
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

// ── The suite ───────────────────────────────────────────────────────────────────────────────────

describe("fuzz: every route answers hostile input with a 4xx problem or a 2xx, never a 5xx", () => {
  let context: Context | undefined;
  let stop: (() => Promise<void>) | undefined;
  const watch = watchProcess();
  const ctx = (): Context => {
    if (!context) throw new Error("the fuzz server is not started yet");
    return context;
  };

  beforeAll(async () => {
    const signers = makeSigners();
    const started = await startFuzzServer(signers);
    context = { server: started.server, errors: started.errors, signers };
    stop = started.stop;
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

  describe("bodies: mutated fixtures", () => {
    const checkRuns = runs(150);
    it(
      "POST /v1/check",
      () =>
        fuzz(
          ctx,
          "POST /v1/check",
          mutatedFixture(CHECK_BODIES, { repeatTimes: [MAX_CHECK_ADDRESSES + 1] }),
          (c) => ({
            method: "POST",
            path: "/v1/check",
            headers: { ...bearer, ...JSON_TYPE },
            body: encodeJson(c.doc),
          }),
          checkRuns,
        ),
      budget(checkRuns),
    );

    const importCases: [provider: string, fixtures: Named[], contentType: string, numRuns: number][] = [
      ["ses", SES_ALL, "application/json", runs(200)],
      ["sendgrid", SENDGRID, "application/json", runs(120)],
      ["mailgun", MAILGUN_ALL, "application/json", runs(120)],
      ["postmark", POSTMARK_ALL, "application/json", runs(120)],
      ["sparkpost", SPARKPOST_ALL, "application/json", runs(120)],
      ["sendcloud", SENDCLOUD, "application/json", runs(120)],
    ];
    it.each(importCases)(
      "POST /v1/import/%s",
      (provider, fixtures, contentType, numRuns) =>
        fuzz(
          ctx,
          `POST /v1/import/${provider}`,
          fc.tuple(mutatedFixture(fixtures, { repeatTimes: OVER_EVENT_LIMIT }), dryRun),
          ([c, flag]) => ({
            method: "POST",
            path: `/v1/import/${provider}${query(flag)}`,
            headers: { ...bearer, "content-type": contentType },
            body: encodeJson(c.doc),
          }),
          numRuns,
        ),
      budget(runs(250)),
    );

    const sesRuns = runs(250);
    it(
      "POST /webhooks/ses (signed SNS notifications and confirmations)",
      () =>
        fuzz(
          ctx,
          "POST /webhooks/ses",
          fc.oneof(
            {
              arbitrary: mutatedFixture(SES_RECORDS, { repeatTimes: OVER_EVENT_LIMIT }, snsNotification),
              weight: 5,
            },
            { arbitrary: mutatedFixture(snsConfirmations), weight: 1 },
          ),
          (c) => snsRequest(ctx().signers, c.doc),
          sesRuns,
        ),
      budget(sesRuns),
    );

    const webhookCases: [provider: keyof typeof webhook, numRuns: number][] = [
      ["sendgrid", runs(150)],
      ["mailgun", runs(150)],
      ["postmark", runs(120)],
      ["sparkpost", runs(120)],
      ["sendcloud", runs(150)],
    ];
    it.each(webhookCases)(
      "POST /webhooks/%s (validly signed)",
      (provider, numRuns) => {
        const route = `POST /webhooks/${provider}`;
        switch (provider) {
          case "sendgrid":
            return fuzz(
              ctx,
              route,
              mutatedFixture(SENDGRID, { repeatTimes: OVER_EVENT_LIMIT }),
              (c) => webhook.sendgrid(ctx().signers, c.doc),
              numRuns,
            );
          case "mailgun":
            return fuzz(
              ctx,
              route,
              mutatedFixture(MAILGUN_WEBHOOK, {}, (doc) => withSignPlaceholders(doc, "signature")),
              (c) => webhook.mailgun(c.doc),
              numRuns,
            );
          case "postmark":
            return fuzz(
              ctx,
              route,
              mutatedFixture(POSTMARK_WEBHOOK),
              (c) => webhook.postmark(c.doc),
              numRuns,
            );
          case "sparkpost":
            return fuzz(
              ctx,
              route,
              mutatedFixture(SPARKPOST_ALL, { repeatTimes: OVER_EVENT_LIMIT }),
              (c) => webhook.sparkpost(c.doc),
              numRuns,
            );
          case "sendcloud":
            return fuzz(
              ctx,
              route,
              fc.tuple(
                // Form fields are strings: hostile strings there, any value in the JSON variant.
                mutatedFixture(SENDCLOUD, { values: hostileString }, (doc) =>
                  withSignPlaceholders(doc, "root"),
                ),
                fc.boolean(),
              ),
              ([c, asJson]) => webhook.sendcloud(c.doc, asJson),
              numRuns,
            );
        }
      },
      budget(runs(250)),
    );
  });

  describe("requests: hostile paths, queries, headers, content types and methods", () => {
    /** A valid request per route, built at send time (fresh signatures). */
    const VALID: Record<string, (signers: Signers) => FuzzRequest> = {
      healthz: () => ({ method: "GET", path: "/healthz", headers: {} }),
      check: () => ({
        method: "POST",
        path: "/v1/check",
        headers: { ...bearer, ...JSON_TYPE },
        body: encodeJson({ addresses: ["jane@example.org"] }),
      }),
      suppressions: () => ({ method: "GET", path: "/v1/suppressions/jane%40example.org", headers: bearer }),
      "import/ses": () => ({
        method: "POST",
        path: "/v1/import/ses?dryRun=true",
        headers: { ...bearer, ...JSON_TYPE },
        body: encodeJson(fixture("ses", "bounce-permanent-general")),
      }),
      "import/sendcloud": () => ({
        method: "POST",
        path: "/v1/import/sendcloud?dryRun=true",
        headers: { ...bearer, "content-type": "application/x-www-form-urlencoded" },
        body: signedSendCloud(withSignPlaceholders(fixture("sendcloud", "invalid-406"), "root"), false),
      }),
      "webhooks/ses": (s) => snsRequest(s, snsNotification(fixture("ses", "bounce-permanent-general"))),
      "webhooks/sendgrid": (s) => webhook.sendgrid(s, fixture("sendgrid", "batch-mixed")),
      "webhooks/mailgun": () =>
        webhook.mailgun(withSignPlaceholders(fixture("mailgun", "failed-permanent-bounce"), "signature")),
      "webhooks/postmark": () => webhook.postmark(fixture("postmark", "bounce-hard")),
      "webhooks/sparkpost": () => webhook.sparkpost(fixture("sparkpost", "bounce-invalid-recipient")),
      "webhooks/sendcloud": () =>
        webhook.sendcloud(withSignPlaceholders(fixture("sendcloud", "soft_bounce-503"), "root"), false),
    };

    /** Header values fetch can send (Latin-1, no CR/LF/NUL) that no route expects. */
    const hostileHeaderValue = fc.constantFrom(
      ...PROTOTYPE_NAMES,
      "",
      " ",
      "\u00ff\u00fe",
      "x".repeat(8_000),
      `Bearer ${API_KEY} extra`,
      "Bearer constructor",
      "Bearer",
      `Basic ${Buffer.from("constructor:__proto__").toString("base64")}`,
      "Basic :",
      "Basic ====",
      "Basic \u00ff",
      "1e300",
      "-1",
      "99999999999999999999999",
    );
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
      "application/vnd.api+json; charset=latin1",
      "",
    ] as const;
    /** Percent-encoded path segments: prototype names, broken escapes, encoded slashes, NULs. */
    const hostileSegment = fc.constantFrom(
      ...PROTOTYPE_NAMES,
      "SES",
      "ses%20",
      "%73es",
      "ses%00",
      "%",
      "%zz",
      "%E0%A4%A",
      "%FF",
      "%C0%AF",
      "..",
      "a%2Fb",
      "%ED%A0%80",
      "x".repeat(2_000),
      `${"%F0%9F%92%A9".repeat(200)}`,
    );
    const QUERY_NAMES = [...PROTOTYPE_NAMES, "dryRun", "DRYRUN", ""] as const;

    type Twist =
      | { kind: "content-type"; value: string | null }
      | { kind: "header"; name: string; value: string }
      | { kind: "query"; name: string; value: string }
      | { kind: "segment"; value: string }
      | { kind: "method"; value: string }
      | { kind: "body"; value: "base64" | "empty" | "truncated" | "bom" | "trailing" | "utf16" };

    const twist: fc.Arbitrary<Twist> = fc.oneof(
      fc.record({
        kind: fc.constant("content-type" as const),
        value: fc.option(fc.constantFrom(...ODD_TYPES)),
      }),
      fc.record({
        kind: fc.constant("header" as const),
        name: fc.constantFrom(
          "authorization",
          "x-amz-sns-message-type",
          "x-twilio-email-event-webhook-signature",
          "x-twilio-email-event-webhook-timestamp",
          "x-messagesystems-batch-id",
          ...PROTOTYPE_NAMES.filter((n) => n !== "__proto__"),
        ),
        value: hostileHeaderValue,
      }),
      fc.record({
        kind: fc.constant("query" as const),
        name: fc.constantFrom(...QUERY_NAMES),
        value: fc.constantFrom(...PROTOTYPE_NAMES, "true", "", "%", "x".repeat(3_000)),
      }),
      fc.record({ kind: fc.constant("segment" as const), value: hostileSegment }),
      fc.record({
        kind: fc.constant("method" as const),
        value: fc.constantFrom("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "POST"),
      }),
      fc.record({
        kind: fc.constant("body" as const),
        value: fc.constantFrom(
          "base64" as const,
          "empty" as const,
          "truncated" as const,
          "bom" as const,
          "trailing" as const,
          "utf16" as const,
        ),
      }),
    );

    /** Applies twists to a valid request: each one thing a client, proxy or attacker may change. */
    function twisted(request: FuzzRequest, twists: readonly Twist[]): FuzzRequest {
      let { method, path, body } = request;
      const headers: Record<string, string> = { ...request.headers };
      for (const t of twists) {
        switch (t.kind) {
          case "content-type":
            if (t.value === null) delete headers["content-type"];
            else headers["content-type"] = t.value;
            break;
          case "header":
            headers[t.name] = t.value;
            break;
          case "query": {
            const pair = `${encodeURIComponent(t.name)}=${t.value === "%" ? "%" : encodeURIComponent(t.value)}`;
            path += path.includes("?") ? `&${pair}` : `?${pair}`;
            break;
          }
          case "segment": {
            // The last path segment is the route's parameter (address or provider) where it has one.
            const [p = "", q] = path.split("?");
            path = `${p.slice(0, p.lastIndexOf("/") + 1)}${t.value}${q === undefined ? "" : `?${q}`}`;
            break;
          }
          case "method":
            method = t.value;
            break;
          case "body": {
            const bytes = body ?? Buffer.alloc(0);
            if (t.value === "base64") body = Buffer.from(bytes.toString("base64"));
            else if (t.value === "empty") body = Buffer.alloc(0);
            else if (t.value === "truncated") body = bytes.subarray(0, Math.floor(bytes.length / 2));
            else if (t.value === "bom") body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
            else if (t.value === "trailing") body = Buffer.concat([bytes, Buffer.from("\u0000}]garbage")]);
            else body = Buffer.from(bytes.toString("utf8"), "utf16le");
            break;
          }
        }
      }
      // GET and HEAD carry no body in fetch; the twist that made one a GET drops it.
      if (method === "GET") body = undefined;
      return { method, path, headers, ...(body !== undefined ? { body } : {}) };
    }

    const requestRuns = runs(500);
    it(
      "every route, with valid bodies, hostile everything else",
      () =>
        fuzz(
          ctx,
          "request twists",
          fc
            .tuple(fc.constantFrom(...Object.keys(VALID)), fc.array(twist, { minLength: 1, maxLength: 3 }))
            .map(([route, twists]) =>
              labelled({ route, twists }, `${route} with ${JSON.stringify(twists).slice(0, 400)}`),
            ),
          ({ route, twists }) =>
            twisted((VALID[route] as (s: Signers) => FuzzRequest)(ctx().signers), twists),
          requestRuns,
        ),
      budget(requestRuns),
    );

    const addressRuns = runs(150);
    it(
      "GET /v1/suppressions/{address} with hostile addresses",
      () =>
        fuzz(
          ctx,
          "GET /v1/suppressions/{address}",
          fc.oneof(
            hostileString.map((h) => labelled({ segment: percentEncode(h.value) }, `address ${h.label}`)),
            hostileSegment.map((segment) => labelled({ segment }, `segment ${segment.slice(0, 60)}`)),
          ),
          ({ segment }) => ({ method: "GET", path: `/v1/suppressions/${segment}`, headers: bearer }),
          addressRuns,
        ),
      budget(addressRuns),
    );
  });
});

/** A hostile value as one percent-encoded path segment (its UTF-8 or raw bytes), capped for URL limits. */
function percentEncode(value: Doc): string {
  const bytes =
    value instanceof Raw && value.content.kind === "string-bytes"
      ? value.content.bytes
      : Buffer.from(typeof value === "string" ? value : (JSON.stringify(value) ?? ""), "utf8");
  // Node refuses request lines over 16 KB before any route runs; stay under it.
  return [...bytes.subarray(0, 4_000)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
}
