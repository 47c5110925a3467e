/**
 * docs/openapi.json against the code: the routes, the enums, and real answers of the local server
 * validated against the documented response schemas (so a field added, removed or renamed in the
 * code without the document fails here). The type-level checks below fail `tsc` for the same drift,
 * including optional fields a run may not exercise.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import openapi from "../../docs/openapi.json" with { type: "json" };
import type { InputIssue } from "../../lambdas/core/errors.js";
import type { Smtp } from "../../lambdas/core/events.js";
import { CAUSES, type Decision, type Outcome, type VerdictReason } from "../../lambdas/core/ledger/types.js";
import {
  EVENT_TYPE_IDS,
  FEEDBACK_TYPES,
  PROVIDERS,
  REASON_IDS,
  SUBTYPE_IDS,
  UNSUBSCRIBE_REASON_IDS,
} from "../../lambdas/core/taxonomy.js";
import type { ProblemDocument, ProblemStatus } from "../../lambdas/handlers/http/problem.js";
import type { DecisionView, EventView, IngestSummary } from "../../lambdas/handlers/ingestion.js";
import { HTTP_ROUTES } from "../../lambdas/handlers/routes.js";
import type { BadAddressVerdict } from "../../lambdas/handlers/verdict-view.js";
import { type SnsControlAnswer, WEBHOOK_PROVIDERS } from "../../lambdas/handlers/webhook.js";
import { startLocalServer } from "../../lambdas/local/server.js";
import { SUPPORTED_PROVIDERS } from "../../lambdas/providers/index.js";
import type { SubjectKind } from "../../lambdas/store/keys.js";
import type { LiveEntry, Verdict } from "../../lambdas/store/lookup.js";
import { useLocalServer } from "../local/http-helpers.js";
import { resolveRef, type Schema, validate } from "../support/json-schema.js";
import { asSnsConfirmation, asSnsHttp, TOPIC_ARN } from "../support/ses-fixtures.js";
import { certificateFetcher, makeSigningIdentity, signSns, TEST_CERT_URL } from "../support/sns-signing.js";

// ---- compile-time: documented property names and type-only unions equal the code's ----

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Schemas = typeof openapi.components.schemas;
type Props<N extends keyof Schemas> = Schemas[N] extends { properties: infer P } ? keyof P : never;
type Suppressed = Extract<Verdict, { suppressed: true }>;
type Unsuppressed = Extract<Verdict, { suppressed: false }>;

const ACTIONS = ["suppress", "count_soft", "reset_soft", "lift", "none"] as const;
const OUTCOMES = [
  "suppressed",
  "extended",
  "unchanged",
  "counted",
  "escalated",
  "reset",
  "lifted",
  "none",
] as const;
const SUBJECT_KINDS = ["address", "domain"] as const;
const PROBLEM_STATUSES = [400, 401, 403, 404, 405, 406, 413, 500, 503] as const;

const TYPE_CHECKS = {
  eventView: true satisfies Same<Props<"EventView">, keyof EventView>,
  decisionView: true satisfies Same<Props<"DecisionView">, keyof DecisionView>,
  ingestSummary: true satisfies Same<Props<"IngestSummary">, keyof IngestSummary>,
  liveEntry: true satisfies Same<Props<"LiveEntry">, keyof LiveEntry>,
  smtp: true satisfies Same<Props<"Smtp">, keyof Smtp>,
  verdictReason: true satisfies Same<Props<"VerdictReason">, keyof VerdictReason>,
  problem: true satisfies Same<Props<"ProblemDocument">, keyof ProblemDocument>,
  inputIssue: true satisfies Same<Props<"InputIssue">, keyof InputIssue>,
  suppressed: true satisfies Same<Props<"SuppressedVerdict">, keyof Suppressed>,
  unsuppressed: true satisfies Same<Props<"UnsuppressedVerdict">, keyof Unsuppressed>,
  bad: true satisfies Same<Props<"BadAddressVerdict">, keyof BadAddressVerdict>,
  suppressedView: true satisfies Same<Props<"SuppressedAddressView">, keyof Suppressed | "entries">,
  unsuppressedView: true satisfies Same<Props<"UnsuppressedAddressView">, keyof Unsuppressed | "entries">,
  badView: true satisfies Same<Props<"BadAddressView">, keyof BadAddressVerdict | "entries">,
  actions: true satisfies Same<(typeof ACTIONS)[number], Decision["action"]>,
  outcomes: true satisfies Same<(typeof OUTCOMES)[number], Outcome>,
  subjectKinds: true satisfies Same<(typeof SUBJECT_KINDS)[number], SubjectKind>,
  statuses: true satisfies Same<(typeof PROBLEM_STATUSES)[number], ProblemStatus>,
  snsControlAnswer: true satisfies Same<Props<"SnsControlAnswer">, keyof SnsControlAnswer>,
};

// ---- the document, loosely typed for walking ----

type MediaType = { schema: Schema; examples?: Record<string, { value: unknown }> };
type Response = { $ref?: string; content?: Record<string, MediaType> };
type Parameter = { name: string; in: string; schema: Schema; example?: unknown };
type Operation = {
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, Response>;
};
type Doc = {
  security: unknown[];
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, Response> };
};
const doc = openapi as unknown as Doc;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function operations(): { key: string; path: string; method: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => m in item).map((method) => ({
      key: `${method.toUpperCase()} ${path}`,
      path,
      method,
      op: item[method] as Operation,
    })),
  );
}

function operation(method: string, path: string): Operation {
  const found = operations().find((o) => o.key === `${method} ${path}`);
  if (!found) throw new Error(`${method} ${path} is not documented`);
  return found.op;
}

const deref = (r: Response): Response => (r.$ref ? (resolveRef(doc, r.$ref) as Response) : r);
const enumOf = (name: string): unknown => doc.components.schemas[name]?.enum;
const propEnum = (schema: string, prop: string): unknown =>
  ((doc.components.schemas[schema]?.properties ?? {}) as Record<string, Schema>)[prop]?.enum;

describe("docs/openapi.json: structure", () => {
  it("documents exactly the routes of HTTP_ROUTES", () => {
    expect(
      operations()
        .map((o) => o.key)
        .sort(),
    ).toEqual(Object.keys(HTTP_ROUTES).sort());
  });

  it("requires the bearer key everywhere but GET /healthz and the webhooks, and documents 401s", () => {
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    for (const { key, op } of operations()) {
      if (key === "POST /webhooks/{provider}") {
        expect(op.security).toEqual([]); // the provider's own signature instead
        expect(op.responses["401"], key).toBeDefined();
      } else if (key === "GET /healthz") {
        expect(op.security).toEqual([]);
      } else {
        expect(op.security, key).toBeUndefined();
        expect(op.responses["401"], key).toBeDefined();
      }
    }
  });

  it("takes its enums from the code's lists", () => {
    expect(Object.values(TYPE_CHECKS).every(Boolean)).toBe(true); // the real check is tsc's
    expect(enumOf("EventType")).toEqual(EVENT_TYPE_IDS);
    expect(enumOf("Subtype")).toEqual(SUBTYPE_IDS);
    expect(enumOf("Reason")).toEqual(REASON_IDS);
    expect(enumOf("Cause")).toEqual(CAUSES);
    expect(enumOf("Provider")).toEqual(PROVIDERS);
    expect(enumOf("Source")).toEqual([...PROVIDERS, "admin"]);
    expect(enumOf("FeedbackType")).toEqual(FEEDBACK_TYPES);
    expect(enumOf("UnsubscribeReason")).toEqual(UNSUBSCRIBE_REASON_IDS);
    expect(propEnum("DecisionView", "action")).toEqual(ACTIONS);
    expect(propEnum("DecisionView", "outcome")).toEqual([...OUTCOMES, "duplicate"]);
    expect(propEnum("LiveEntry", "subjectKind")).toEqual(SUBJECT_KINDS);
    expect(propEnum("ProblemDocument", "status")).toEqual(PROBLEM_STATUSES);
    const provider = operation("POST", "/v1/import/{provider}").parameters?.find(
      (p) => p.name === "provider",
    );
    expect(provider?.schema.enum).toEqual(SUPPORTED_PROVIDERS);
    const webhook = operation("POST", "/webhooks/{provider}").parameters ?? [];
    expect(webhook.find((p) => p.name === "provider")?.schema.enum).toEqual(WEBHOOK_PROVIDERS);
    expect(webhook.find((p) => p.name === "x-amz-sns-message-type")?.schema.enum).toEqual([
      "Notification",
      "SubscriptionConfirmation",
      "UnsubscribeConfirmation",
    ]);
    expect(propEnum("SnsControlAnswer", "sns")).toEqual([
      "SubscriptionConfirmation",
      "UnsubscribeConfirmation",
    ]);
  });

  it("has examples that conform to their schemas, and imports docs/examples/ses-bounce.json", () => {
    const media: [string, MediaType][] = [];
    for (const { key, op } of operations()) {
      for (const m of Object.values(op.requestBody?.content ?? {})) media.push([`${key} request`, m]);
      for (const [status, r] of Object.entries(op.responses)) {
        for (const m of Object.values(deref(r).content ?? {})) media.push([`${key} ${status}`, m]);
      }
      for (const p of op.parameters ?? []) expect(validate(p.schema, p.example, doc), p.name).toEqual([]);
    }
    for (const [name, r] of Object.entries(doc.components.responses)) {
      for (const m of Object.values(r.content ?? {})) media.push([name, m]);
    }
    let count = 0;
    for (const [where, m] of media) {
      expect(Object.keys(m.examples ?? {}).length, `${where} has an example`).toBeGreaterThan(0);
      for (const [name, example] of Object.entries(m.examples ?? {})) {
        expect(validate(m.schema, example.value, doc), `${where} example ${name}`).toEqual([]);
        count++;
      }
    }
    expect(count).toBeGreaterThan(20);
    const importBody = operation("POST", "/v1/import/{provider}").requestBody?.content["application/json"];
    expect(importBody?.examples?.sesBounce?.value).toEqual(
      JSON.parse(readFileSync("docs/examples/ses-bounce.json", "utf8")),
    );
  });
});

// ---- runtime: real answers against the documented schemas ----

type Answer = { status: number; type: string; body: unknown };
const KEY = "k";

describe("docs/openapi.json: real answers of the local server conform", () => {
  const running = useLocalServer(KEY);

  async function call(
    method: string,
    url: string,
    options: { key?: string | null; body?: unknown } = {},
  ): Promise<Answer> {
    const key = options.key === undefined ? KEY : options.key;
    const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
    const body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    const res = await fetch(`${running().url}${url}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body } : {}),
    });
    return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.json() };
  }

  /** Asserts the answer's status is documented for the route and its body matches that schema. */
  function conforms(method: string, route: string, answer: Answer, response?: Response): void {
    const documented = response ?? operation(method, route).responses[String(answer.status)];
    expect(documented, `${method} ${route} documents ${answer.status}`).toBeDefined();
    const content = deref(documented as Response).content ?? {};
    const mediaType = answer.type.split(";")[0] ?? "";
    expect(Object.keys(content)).toEqual([mediaType]);
    const schema = content[mediaType]?.schema as Schema;
    expect(validate(schema, answer.body, doc), JSON.stringify(answer.body)).toEqual([]);
  }

  const sesBounce = readFileSync("docs/examples/ses-bounce.json", "utf8");
  const fixture = (name: string) => readFileSync(`test/fixtures/ses/${name}.json`, "utf8");
  const IMPORT = "/v1/import/{provider}";

  it("GET /healthz", async () => {
    const answer = await call("GET", "/healthz", { key: null });
    expect(answer.status).toBe(200);
    conforms("GET", "/healthz", answer);
  });

  it("POST /v1/import/ses: dry run, store, replay, a `none` decision, scoped (un)subscriptions", async () => {
    const dry = await call("POST", "/v1/import/ses?dryRun=true", { body: sesBounce });
    expect(dry.body).toMatchObject({ dryRun: true, events: [{ type: "invalid" }] });
    conforms("POST", IMPORT, dry);
    const stored = await call("POST", "/v1/import/ses", { body: sesBounce });
    expect(stored.body).toMatchObject({ accepted: 1, decisions: [{ outcome: "suppressed" }] });
    conforms("POST", IMPORT, stored);
    const replay = await call("POST", "/v1/import/ses", { body: sesBounce });
    expect(replay.body).toMatchObject({ duplicates: 1, decisions: [{ outcome: "duplicate" }] });
    conforms("POST", IMPORT, replay);
    const notSpam = await call("POST", "/v1/import/ses", { body: fixture("complaint-not-spam") });
    expect(notSpam.body).toMatchObject({ decisions: [{ action: "none", why: expect.any(String) }] });
    conforms("POST", IMPORT, notSpam);
    const topics = await call("POST", "/v1/import/ses", { body: fixture("ep-subscription-topic") });
    expect(topics.status).toBe(200);
    conforms("POST", IMPORT, topics);
  });

  it("POST /v1/check: suppressed, unsuppressed and malformed addresses", async () => {
    const answer = await call("POST", "/v1/check", {
      body: { addresses: ["Jane.Doe@example.org", "b@example.net", "not an address"], scope: "newsletter" },
    });
    expect(answer.body).toMatchObject({
      results: [
        { suppressed: true, since: expect.any(String) },
        { suppressed: false },
        { problem: expect.any(String) },
      ],
      suppressedCount: 2,
    });
    conforms("POST", "/v1/check", answer);
  });

  it("GET /v1/suppressions/{address}: every verdict variant", async () => {
    const route = "/v1/suppressions/{address}";
    const suppressed = await call("GET", "/v1/suppressions/jane.doe%40example.org");
    expect(suppressed.body).toMatchObject({ suppressed: true, entries: [{ subjectKind: "address" }] });
    conforms("GET", route, suppressed);
    const scopedOnly = await call("GET", "/v1/suppressions/recipient%40example.com");
    expect(scopedOnly.body).toMatchObject({ suppressed: false, entries: [{ cause: "unsubscribe" }] });
    conforms("GET", route, scopedOnly);
    const clear = await call("GET", "/v1/suppressions/x%40example.net");
    expect(clear.body).toMatchObject({ suppressed: false, entries: [] });
    conforms("GET", route, clear);
    const bad = await call("GET", "/v1/suppressions/nope");
    expect(bad.body).toMatchObject({ suppressed: true, problem: expect.any(String), entries: [] });
    conforms("GET", route, bad);
  });

  it("answers 400, 401, 404, 405 and 413 as documented problem documents", async () => {
    const invalid = await call("POST", "/v1/check", { body: { addresses: [1], scope: "a*" } });
    expect(invalid.status).toBe(400);
    expect((invalid.body as { errors?: unknown[] }).errors).toHaveLength(2);
    conforms("POST", "/v1/check", invalid);
    const badFlag = await call("POST", "/v1/import/ses?dryRun=maybe", { body: sesBounce });
    expect(badFlag.status).toBe(400);
    conforms("POST", IMPORT, badFlag);
    for (const key of [null, "wrong"]) {
      const refused = await call("POST", "/v1/check", { key, body: { addresses: ["a@example.org"] } });
      expect(refused.status).toBe(401);
      conforms("POST", "/v1/check", refused);
    }
    const unknownProvider = await call("POST", "/v1/import/nope", { body: sesBounce });
    expect(unknownProvider.status).toBe(404);
    conforms("POST", IMPORT, unknownProvider);
    const tooMany = await call("POST", "/v1/check", {
      body: { addresses: Array(1001).fill("a@example.org") },
    });
    expect(tooMany.status).toBe(413);
    conforms("POST", "/v1/check", tooMany);
    const method = await call("GET", "/v1/check");
    expect(method.status).toBe(405);
    conforms("GET", "/v1/check", method, doc.components.responses.MethodNotAllowed);
    const route = await call("GET", "/v1/nothing");
    expect(route.status).toBe(404);
    conforms("GET", "/v1/nothing", route, doc.components.responses.NotFound);
  });
});

describe("docs/openapi.json: real answers of POST /webhooks/ses conform", () => {
  const WEBHOOK = "/webhooks/{provider}";
  const identity = makeSigningIdentity();
  const fresh = { Timestamp: new Date().toISOString() };

  /** Delivers `body` as SNS does (text/plain, message-type header) to a server with `topics` allowed. */
  async function deliver(url: string, body: unknown, type: string, provider = "ses"): Promise<Answer> {
    const res = await fetch(`${url}/webhooks/${provider}`, {
      method: "POST",
      headers: { "content-type": "text/plain; charset=UTF-8", "x-amz-sns-message-type": type },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.json() };
  }

  function conforms(answer: Answer): void {
    const documented = operation("POST", WEBHOOK).responses[String(answer.status)];
    expect(documented, `POST ${WEBHOOK} documents ${answer.status}`).toBeDefined();
    const content = deref(documented as Response).content ?? {};
    const mediaType = answer.type.split(";")[0] ?? "";
    expect(Object.keys(content)).toEqual([mediaType]);
    expect(
      validate(content[mediaType]?.schema as Schema, answer.body, doc),
      JSON.stringify(answer.body),
    ).toEqual([]);
  }

  it("200 (stored, confirmed, unsubscribed), 400, 401 and 404", async () => {
    let topics: string[] = [TOPIC_ARN];
    const server = await startLocalServer({
      port: 0,
      dataDir: ":memory:",
      apiKey: KEY,
      logLevel: "SILENT",
      webhookOptions: {
        allowedTopicArns: () => topics,
        fetchCertificate: certificateFetcher({ [TEST_CERT_URL]: identity.certificatePem }),
        confirmSubscription: async () => undefined,
      },
    });
    try {
      const record = JSON.parse(readFileSync("docs/examples/ses-bounce.json", "utf8"));
      const signed = signSns({ ...asSnsHttp(record), ...fresh }, identity, "2");
      const stored = await deliver(server.url, signed, "Notification");
      expect(stored.body).toMatchObject({ accepted: 1 });
      conforms(stored);
      for (const type of ["SubscriptionConfirmation", "UnsubscribeConfirmation"] as const) {
        const answer = await deliver(
          server.url,
          signSns({ ...asSnsConfirmation(type), ...fresh }, identity),
          type,
        );
        expect(answer.body).toMatchObject({ sns: type, confirmed: type === "SubscriptionConfirmation" });
        conforms(answer);
      }
      const mismatch = await deliver(server.url, signed, "SubscriptionConfirmation");
      expect(mismatch.status).toBe(400);
      conforms(mismatch);
      const notJson = await deliver(server.url, "nojson", "Notification");
      expect(notJson.status).toBe(400);
      conforms(notJson);
      const s3 = signSns(
        { ...asSnsHttp(record), ...fresh },
        identity,
        "1",
        "https://s3.amazonaws.com/b/x.pem",
      );
      const badCert = await deliver(server.url, s3, "Notification");
      expect(badCert.status).toBe(401);
      conforms(badCert);
      const unknown = await deliver(server.url, signed, "Notification", "nope");
      expect(unknown.status).toBe(404);
      conforms(unknown);
      topics = [];
      const notConfigured = await deliver(server.url, signed, "Notification");
      expect(notConfigured.status).toBe(401);
      conforms(notConfigured);
    } finally {
      await server.close();
    }
  });
});
