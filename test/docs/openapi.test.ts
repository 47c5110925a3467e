/**
 * docs/openapi.json (generated from lambdas/contract, see openapi-drift.test.ts) against the code:
 * the routes, the enums, the examples, and real answers of the local server parsed with the
 * contract's zod schemas. Every answer schema is a strict object, so a field added, removed or
 * renamed in the code without the contract fails here. The type-level checks below hold the
 * hand-written types of core and the store to the contract (they fail `tsc`).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import openapi from "../../docs/openapi.json" with { type: "json" };
import {
  ACTIONS,
  Cause,
  COMPONENTS,
  type ComponentName,
  type InputIssue as ContractInputIssue,
  type VerdictReason as ContractVerdictReason,
  DecisionView,
  EventSource,
  EventType,
  FeedbackType,
  LiveEntry,
  OUTCOMES,
  PROBLEM_STATUSES,
  ProblemDocument,
  Provider,
  Reason,
  SNS_CONTROL_TYPES,
  SnsControlAnswer,
  Source,
  SUBJECT_KINDS,
  Subtype,
  UnsubscribeReason,
} from "../../lambdas/contract/index.js";
import type { InputIssue } from "../../lambdas/core/errors.js";
import type { NormalizedEvent, Smtp } from "../../lambdas/core/events.js";
import { CAUSES, type Decision, type Outcome, type VerdictReason } from "../../lambdas/core/ledger/types.js";
import {
  EVENT_TYPE_IDS,
  FEEDBACK_TYPES,
  REASON_IDS,
  SUBTYPE_IDS,
  UNSUBSCRIBE_REASON_IDS,
} from "../../lambdas/core/taxonomy.js";
import type { EventView } from "../../lambdas/handlers/ingestion.js";
import { ROUTE_SCOPES, scopesFor } from "../../lambdas/handlers/route-scopes.js";
import { HTTP_ROUTES, LOCAL_ROUTES } from "../../lambdas/handlers/routes.js";
import { startLocalServer } from "../../lambdas/local/server.js";
import { EVENT_SOURCES, OWN_SOURCE_TITLES } from "../../lambdas/providers/names.js";
import { PROVIDERS } from "../../lambdas/providers/registry.js";
import { createSesAdapter } from "../../lambdas/providers/ses/index.js";
import type { SubjectKind } from "../../lambdas/store/keys.js";
import { useLocalServer } from "../local/http-helpers.js";
import { asSnsConfirmation, asSnsHttp, TOPIC_ARN } from "../support/ses-fixtures.js";
import { certificateFetcher, makeSigningIdentity, signSns, TEST_CERT_URL } from "../support/sns-signing.js";

// ---- compile-time: the types core and the store still write by hand equal the contract's ----

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Out<S extends z.ZodType> = z.output<S>;

const TYPE_CHECKS = {
  eventView: true satisfies Same<EventView, Omit<NormalizedEvent, "tenant">>,
  smtp: true satisfies Same<Out<typeof COMPONENTS.Smtp>, Smtp>,
  verdictReason: true satisfies Same<Out<typeof ContractVerdictReason>, VerdictReason>,
  inputIssue: true satisfies Same<Out<typeof ContractInputIssue>, InputIssue>,
  actions: true satisfies Same<(typeof ACTIONS)[number], Decision["action"]>,
  outcomes: true satisfies Same<(typeof OUTCOMES)[number], Outcome>,
  subjectKinds: true satisfies Same<(typeof SUBJECT_KINDS)[number], SubjectKind>,
  liveEntryKind: true satisfies Same<Out<typeof LiveEntry>["subjectKind"], SubjectKind>,
};

// ---- the document, loosely typed for walking ----

type Schema = { readonly $ref?: string; readonly oneOf?: Schema[]; readonly enum?: unknown[] };
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
const REF = "#/components/schemas/";

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

const RESPONSE_REF = "#/components/responses/";
const deref = (r: Response): Response =>
  r.$ref ? (doc.components.responses[r.$ref.slice(RESPONSE_REF.length)] as Response) : r;

/** The contract schema a documented schema names (a `$ref`, or a `oneOf` of them); `undefined` otherwise. */
function contractSchema(schema: Schema): z.ZodType | undefined {
  if (schema.$ref?.startsWith(REF)) {
    const found = COMPONENTS[schema.$ref.slice(REF.length) as ComponentName];
    if (!found) throw new Error(`${schema.$ref} is no contract component`);
    return found;
  }
  if (schema.oneOf) {
    const options = schema.oneOf.map(contractSchema);
    if (options.every((o) => o !== undefined)) return z.union(options as [z.ZodType, ...z.ZodType[]]);
  }
  return undefined;
}

/** Parses `value` with `schema`; the issues (an empty list when it conforms). */
function issues(schema: z.ZodType, value: unknown): unknown[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues;
}

describe("docs/openapi.json: structure", () => {
  it("documents exactly the routes of HTTP_ROUTES", () => {
    expect(
      operations()
        .map((o) => o.key)
        .sort(),
    ).toEqual(Object.keys(HTTP_ROUTES).sort());
  });

  it("requires a key with the route's scope everywhere but GET /healthz, the webhooks and /u/{token}, and documents 401s and 403s", () => {
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    for (const { key, op } of operations()) {
      if (key.startsWith("POST /webhooks/{provider}")) {
        expect(op.security).toEqual([]); // the provider's own signature instead
        expect(op.responses["401"], key).toBeDefined();
      } else if (key === "GET /healthz" || key.endsWith(" /u/{token}")) {
        expect(op.security).toEqual([]);
      } else if (scopesFor(key) === null) {
        expect(op.security, key).toEqual([{ bearerAuth: [] }]); // any valid key, no scope
        expect(op.responses["401"], key).toBeDefined();
      } else {
        expect(op.security, key).toEqual(scopesFor(key)?.map((scope) => ({ bearerAuth: [scope] })));
        expect(ROUTE_SCOPES[key], key).toBeDefined();
        expect(op.responses["401"], key).toBeDefined();
        expect(op.responses["403"], key).toBeDefined();
      }
    }
  });

  it("takes its enums from the code's lists", () => {
    expect(Object.values(TYPE_CHECKS).every(Boolean)).toBe(true); // the real check is tsc's
    expect(EventType.options).toEqual(EVENT_TYPE_IDS);
    expect(Subtype.options).toEqual(SUBTYPE_IDS);
    expect(Reason.options).toEqual(REASON_IDS);
    expect(Cause.options).toEqual(CAUSES);
    expect(Provider.options).toEqual(PROVIDERS);
    expect(EventSource.options).toEqual([...PROVIDERS, ...Object.keys(OWN_SOURCE_TITLES)]);
    expect(Source.options).toEqual([...EVENT_SOURCES, "admin"]);
    expect(FeedbackType.options).toEqual(FEEDBACK_TYPES);
    expect(UnsubscribeReason.options).toEqual(UNSUBSCRIBE_REASON_IDS);
    expect(DecisionView.shape.action.options).toEqual(ACTIONS);
    expect(DecisionView.shape.outcome.unwrap().options).toEqual([...OUTCOMES, "duplicate"]);
    expect(LiveEntry.shape.subjectKind.options).toEqual(SUBJECT_KINDS);
    expect([...ProblemDocument.shape.status.values]).toEqual(PROBLEM_STATUSES);
    const provider = operation("POST", "/v1/import/{provider}").parameters?.find(
      (p) => p.name === "provider",
    );
    expect(provider?.schema.enum).toEqual(PROVIDERS);
    const webhook = operation("POST", "/webhooks/{provider}").parameters ?? [];
    expect(webhook.find((p) => p.name === "provider")?.schema.enum).toEqual(PROVIDERS);
    expect(webhook.find((p) => p.name === "x-amz-sns-message-type")?.schema.enum).toEqual([
      "Notification",
      "SubscriptionConfirmation",
      "UnsubscribeConfirmation",
    ]);
    expect(SnsControlAnswer.shape.sns.options).toEqual([
      "SubscriptionConfirmation",
      "UnsubscribeConfirmation",
    ]);
    expect(SNS_CONTROL_TYPES).toEqual(SnsControlAnswer.shape.sns.options);
    // The document's enums are the contract's.
    for (const [name, schema] of Object.entries(COMPONENTS)) {
      if (schema instanceof z.ZodEnum)
        expect(doc.components.schemas[name]?.enum, name).toEqual(schema.options);
    }
  });

  it("has examples that conform to their schemas, and imports docs/examples/ses-bounce.json", () => {
    const media: [string, MediaType][] = [];
    for (const { key, op } of operations()) {
      for (const m of Object.values(op.requestBody?.content ?? {})) media.push([`${key} request`, m]);
      for (const [status, r] of Object.entries(op.responses)) {
        for (const m of Object.values(deref(r).content ?? {})) media.push([`${key} ${status}`, m]);
      }
      for (const p of op.parameters ?? []) {
        if (p.schema.enum) expect(p.schema.enum, p.name).toContain(p.example);
      }
    }
    for (const [name, r] of Object.entries(doc.components.responses)) {
      for (const m of Object.values(r.content ?? {})) media.push([name, m]);
    }
    let count = 0;
    for (const [where, m] of media) {
      expect(Object.keys(m.examples ?? {}).length, `${where} has an example`).toBeGreaterThan(0);
      const schema = contractSchema(m.schema);
      for (const [name, example] of Object.entries(m.examples ?? {})) {
        if (schema === undefined) continue; // a provider's payload: the import and webhook tests parse those
        expect(issues(schema, example.value), `${where} example ${name}`).toEqual([]);
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
    const schema = contractSchema(content[mediaType]?.schema ?? {});
    expect(schema, `${method} ${route} ${answer.status} names a contract schema`).toBeDefined();
    expect(issues(schema as z.ZodType, answer.body), JSON.stringify(answer.body)).toEqual([]);
  }

  const sesBounce = readFileSync("docs/examples/ses-bounce.json", "utf8");
  const fixture = (name: string) => readFileSync(`test/fixtures/ses/${name}.json`, "utf8");
  const IMPORT = "/v1/import/{provider}";

  it("GET /openapi.json (local only): the committed document", async () => {
    expect(Object.keys(LOCAL_ROUTES)).toEqual(["GET /openapi.json"]);
    const answer = await call("GET", "/openapi.json", { key: null });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(openapi);
  });

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
    const schema = contractSchema(content[mediaType]?.schema ?? {});
    expect(schema, `POST ${WEBHOOK} ${answer.status} names a contract schema`).toBeDefined();
    expect(issues(schema as z.ZodType, answer.body), JSON.stringify(answer.body)).toEqual([]);
  }

  it("200 (stored, confirmed, unsubscribed), 400, 401 and 404", async () => {
    let topics: string[] = [TOPIC_ARN];
    const server = await startLocalServer({
      port: 0,
      dataDir: ":memory:",
      apiKey: KEY,
      logLevel: "SILENT",
      webhookOptions: {
        adapters: {
          ses: createSesAdapter({
            allowedTopicArns: () => topics,
            fetchCertificate: certificateFetcher({ [TEST_CERT_URL]: identity.certificatePem }),
            confirmSubscription: async () => undefined,
          }),
        },
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
