/**
 * Sweeps, not samples, for what random mutation rarely hits: one exact value on one exact field
 * (Mailgun's `reason: "constructor"` is one case in thousands of random mutations).
 *
 * - Object.prototype names in every distinct string field of every provider's fixtures, and as a
 *   key of every object, on `POST /v1/import/{provider}?dryRun=true` (the same `parse` the webhooks
 *   run after their signature checks; the dry run skips the store so the sweep stays fast). Each
 *   name goes to a different fixture that has the field, so one field is tried in several contexts
 *   (the `reason` of a failed and of a delivered event).
 * - 500 KB in every distinct string field, stored: an uncapped value ends in an item over
 *   DynamoDB's 400 KB.
 *
 * Its own file so vitest runs it beside routes.fuzz.test.ts, on the other core.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalServer } from "../../lambdas/local/server.js";
import {
  applyMutations,
  encodeJson,
  Hostile,
  type Json,
  Mutation,
  type Path,
  pathsOf,
  showPath,
} from "./generators.js";
import {
  API_KEY,
  describeFailure,
  type FuzzRequest,
  makeSigners,
  type ServerError,
  send,
  startFuzzServer,
  violation,
} from "./harness.js";

/** The names issue #9 lists: each one a known way for `TABLE[input]` to find something. */
const NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"] as const;

/** A diagnostic-looking 500 KB string (so classifiers and SMTP parsers read all of it). */
const HUGE = `smtp; 550 5.1.1 <jane@example.org>: user unknown ${"x".repeat(500 * 1024)}`;

const PROVIDERS = ["ses", "sendgrid", "mailgun", "postmark", "sparkpost", "sendcloud"] as const;

const FIXTURES = new URL("../fixtures/", import.meta.url);
function fixtures(provider: string): { name: string; doc: Json }[] {
  return readdirSync(new URL(`${provider}/`, FIXTURES))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({
      name: f.slice(0, -5),
      doc: JSON.parse(readFileSync(new URL(`${provider}/${f}`, FIXTURES), "utf8")) as Json,
    }));
}

const valueAt = (doc: Json, path: Path): unknown =>
  path.reduce<unknown>((node, step) => (node as Record<string | number, unknown> | null)?.[step], doc);

type SweepCase = { fixture: string; doc: Json; mutation: Mutation };

/**
 * Every distinct path (array indexes blurred: `items[*].reason` is one field) holding a string,
 * and every object, each × NAMES, the fixture rotating among those that have the path.
 */
function sweep(provider: string, names: readonly string[] = NAMES): SweepCase[] {
  const byField = new Map<
    string,
    { kind: "string" | "object"; at: { fixture: string; doc: Json; path: Path }[] }
  >();
  for (const { name, doc } of fixtures(provider)) {
    for (const path of pathsOf(doc)) {
      const value = valueAt(doc, path);
      const kind =
        typeof value === "string"
          ? "string"
          : value !== null && typeof value === "object" && !Array.isArray(value)
            ? "object"
            : null;
      if (kind === null) continue;
      const field = `${kind} ${showPath(path.map((p) => (typeof p === "number" ? 0 : p)))}`;
      const entry = byField.get(field) ?? { kind, at: [] };
      entry.at.push({ fixture: name, doc, path });
      byField.set(field, entry);
    }
  }
  const cases: SweepCase[] = [];
  let rotation = 0;
  for (const { kind, at } of byField.values()) {
    rotation += 1;
    names.forEach((name, i) => {
      const where = at[(rotation + i) % at.length];
      if (!where) return;
      const label = name.length > 40 ? `${name.length} characters` : JSON.stringify(name);
      const value = new Hostile(label, name);
      const spec =
        kind === "string"
          ? ({ op: "set", path: where.path, value } as const)
          : ({
              op: "add-key",
              path: where.path,
              key: name,
              value: new Hostile(JSON.stringify(name), name),
            } as const);
      cases.push({ fixture: where.fixture, doc: where.doc, mutation: new Mutation(spec) });
    });
  }
  return cases;
}

describe("fuzz: every field of every fixture, swept", () => {
  let server: LocalServer | undefined;
  let errors: ServerError[] = [];
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const started = await startFuzzServer(makeSigners());
    server = started.server;
    errors = started.errors;
    stop = started.stop;
  });
  afterAll(async () => {
    await stop?.();
  });

  /** Sends every case, collecting each failure (not just the first: a fix for one should not hide the next). */
  async function sweepFailures(
    provider: string,
    cases: readonly SweepCase[],
    dryRun: boolean,
  ): Promise<string[]> {
    if (!server) throw new Error("the fuzz server is not started yet");
    const failures: string[] = [];
    for (const c of cases) {
      const request: FuzzRequest = {
        method: "POST",
        path: `/v1/import/${provider}?dryRun=${dryRun}`,
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
        body: encodeJson(applyMutations(c.doc, [c.mutation])),
      };
      errors.length = 0;
      const answer = await send(server.url, request);
      const reason = violation(answer);
      if (reason !== null) {
        failures.push(
          `${c.fixture}: ${fc.stringify(c.mutation)}\n${describeFailure(request, reason, answer, [...errors])}`,
        );
      }
    }
    return failures;
  }

  it.each(PROVIDERS)(
    "POST /v1/import/%s?dryRun=true: each name in each string field, and as a key of each object",
    async (provider) => {
      const cases = sweep(provider);
      expect(cases.length).toBeGreaterThan(NAMES.length);
      expect(await sweepFailures(provider, cases, true)).toEqual([]);
    },
    60_000,
  );

  /**
   * 500 KB in each string field, stored (no dry run): a value nobody caps ends in an item over
   * DynamoDB's 400 KB, which the store must refuse as the caller's fault, not fail on.
   * One fixture per field (its first), since the size, not the context, is what is tried.
   */
  it.each(PROVIDERS)(
    "POST /v1/import/%s: 500 KB in each string field, stored",
    async (provider) => {
      const cases = sweep(provider, [HUGE]).filter((c) => c.mutation.spec.op === "set");
      expect(cases.length).toBeGreaterThan(0);
      expect(await sweepFailures(provider, cases, false)).toEqual([]);
    },
    60_000,
  );
});
