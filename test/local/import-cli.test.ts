import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_EVENTS_PER_REQUEST } from "../../lambdas/handlers/webhook-request.js";
import { parseImportArgs, runImport } from "../../lambdas/local/import-cli.js";
import { retryAfterMs } from "../../lambdas/local/import-client.js";
import {
  ChunkBuilder,
  chunkBody,
  InputFileError,
  itemsOf,
  JsonSplitter,
  readPayloads,
  splitChunk,
} from "../../lambdas/local/import-payloads.js";
import { startFaultyProxy } from "../support/faulty-proxy.js";
import { runTsx } from "../support/run-tsx.js";
import { call, useLocalServer } from "./http-helpers.js";

const _CLI = fileURLToPath(new URL("../../lambdas/local/import-cli.ts", import.meta.url));
const _REPO = fileURLToPath(new URL("../../", import.meta.url));
const KEY = "test-key-import-cli";
const dir = mkdtempSync(join(tmpdir(), "import-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a file in the test's directory and returns its path. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** `n` SendGrid bounces to new addresses of one run. */
function bounces(n: number, tag: string): Record<string, unknown>[] {
  const run = randomBytes(3).toString("hex");
  const timestamp = Math.floor(Date.now() / 1000) - 60;
  return Array.from({ length: n }, (_, i) => ({
    email: `${tag}${i}.${run}@cli.example.org`,
    timestamp,
    event: "bounce",
    sg_event_id: `cli-${run}-${i}`,
    type: "bounce",
    status: "5.1.1",
    reason: "550 5.1.1 The email account that you tried to reach does not exist.",
  }));
}

const jsonl = (values: readonly unknown[]) => `${values.map((v) => JSON.stringify(v)).join("\n")}\n`;

/** Runs the CLI as `npm run import` does (tsx on the pinned node). */
const runCli = (args: readonly string[], env: Record<string, string> = {}) =>
  runTsx("lambdas/local/import-cli.ts", args, { env });

async function readAll(path: string) {
  const out: { value: unknown; where: string }[] = [];
  for await (const payload of readPayloads(path)) out.push(payload);
  return out;
}

describe("readPayloads", () => {
  it("reads JSON Lines, a JSON array, a pretty document and concatenated documents alike", async () => {
    // Prepare
    const lines = file("a.jsonl", '{"n":1}\n\n{"n":2}\r\n');
    const array = file("b.json", '[ {"n":1},\n  {"n":2} ]');
    const pretty = file("c.json", '{\n  "n": 1,\n  "s": "a } ] \\" {"\n}\n');
    const arrays = file("d.jsonl", '[{"n":1}]\n[{"n":2},{"n":3}]\n');
    // Act / Assess
    expect(await readAll(lines)).toEqual([
      { value: { n: 1 }, where: `${lines}:1` },
      { value: { n: 2 }, where: `${lines}:3` },
    ]);
    expect((await readAll(array)).map((p) => p.where)).toEqual([`${array}:1`, `${array}:2`]);
    expect((await readAll(pretty)).map((p) => p.value)).toEqual([{ n: 1, s: 'a } ] " {' }]);
    expect((await readAll(arrays)).map((p) => p.value)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it("keeps every digit of a number a double would round (Postmark's int64 IDs)", async () => {
    // Prepare
    const path = file("ids.jsonl", '{"RecordType":"Bounce","ID":4323372036854775807,"Score":1.50}\n');
    // Act
    const [payload] = await readAll(path);
    const [item] = itemsOf("postmark", payload?.value, "x");
    // Assess
    expect(item?.json).toBe('{"RecordType":"Bounce","ID":4323372036854775807,"Score":1.50}');
  });

  it.each([
    ["a line that is not JSON", '{"n":1}\n{"n": nope}\n', ":2: not valid JSON"],
    ["a top-level scalar", '{"n":1}\n42\n', ":2: expected a JSON object or array"],
    ["a missing comma between elements", '[{"n":1} {"n":2}]', ":1: expected an object or array element"],
    ["a value left open", '{"n":1}\n{"n":', ":2: the text ends inside a value"],
  ])("names the file and line of %s", async (_what, text, message) => {
    const path = file(`bad-${randomBytes(2).toString("hex")}.json`, text);
    await expect(readAll(path)).rejects.toThrow(InputFileError);
    await expect(readAll(path)).rejects.toThrow(message);
  });

  it("splits values across chunk boundaries anywhere", () => {
    // Prepare
    const text = '[{"a":"x\\"]"},{"b":[1,{"c":2}]}]\n{"d":3}';
    const splitter = new JsonSplitter();
    // Act
    const values = [...text].flatMap((ch) => splitter.push(ch)).map((v) => v.text);
    splitter.end();
    // Assess
    expect(values).toEqual(['{"a":"x\\"]"}', '{"b":[1,{"c":2}]}', '{"d":3}']);
  });
});

describe("items and chunks", () => {
  it("opens pages and arrays, wraps SES shapes as SQS records, counts fan-out", () => {
    // Prepare
    const ses = { notificationType: "Bounce", bounce: { bouncedRecipients: [{}, {}, {}] } };
    // Act
    const sesItems = itemsOf("ses", [ses, { Records: [{ eventSource: "aws:sqs", body: "{}" }] }], "f:1");
    const mailgun = itemsOf("mailgun", { items: [{ id: 1 }, { id: 2 }] }, "f:2");
    const postmark = itemsOf("postmark", { TotalCount: 2, Bounces: [{ ID: 1 }, { ID: 2 }] }, "f:3");
    const sendcloud = itemsOf(
      "sendcloud",
      { event: "request", recipientArray: '["a@x.example","b@x.example"]' },
      "f:4",
    );
    // Assess
    expect(sesItems.map((i) => [i.envelope, i.events])).toEqual([
      ["Records", 3],
      ["Records", 1],
    ]);
    expect(JSON.parse(sesItems[0]?.json ?? "")).toEqual({
      eventSource: "aws:sqs",
      body: JSON.stringify(ses),
    });
    expect(mailgun).toHaveLength(2);
    expect(postmark.map((i) => i.envelope)).toEqual(["Bounces", "Bounces"]);
    expect(sendcloud[0]?.events).toBe(2);
  });

  it("puts at most the limit's events in a chunk: limit + 1 events make two requests", () => {
    // Prepare
    const chunks = new ChunkBuilder(MAX_EVENTS_PER_REQUEST);
    const items = bounces(MAX_EVENTS_PER_REQUEST + 1, "chunk").flatMap((e) => itemsOf("sendgrid", e, "f:1"));
    // Act
    const closed = items.map((i) => chunks.add(i)).filter((c) => c !== undefined);
    const last = chunks.flush();
    // Assess
    expect(closed.map((c) => c.events)).toEqual([MAX_EVENTS_PER_REQUEST]);
    expect(last?.events).toBe(1);
    expect(
      JSON.parse(chunkBody(closed[0] ?? { envelope: null, items: [], events: 0, bytes: 0 })),
    ).toHaveLength(MAX_EVENTS_PER_REQUEST);
  });

  it("closes a chunk at the byte budget and when the wrapper changes; splits in halves", () => {
    // Prepare
    const chunks = new ChunkBuilder(100, 30);
    const a = itemsOf("postmark", [{ n: "aaaaaaaa" }, { n: "bbbbbbbb" }], "f:1");
    const page = itemsOf("postmark", { Bounces: [{ n: 1 }] }, "f:2");
    // Act
    const closed = [...a, ...page].map((i) => chunks.add(i)).filter((c) => c !== undefined);
    const last = chunks.flush();
    // Assess
    expect(closed.map((c) => c.items.length)).toEqual([1, 1]);
    expect(last && chunkBody(last)).toBe('{"Bounces":[{"n":1}]}');
    const [left, right] = splitChunk({ envelope: null, items: a, events: 2, bytes: 0 });
    expect([left.items.length, right.items.length]).toEqual([1, 1]);
  });

  it("reads Retry-After as seconds or a date", () => {
    expect(retryAfterMs("3", 0)).toBe(3000);
    expect(retryAfterMs("Wed, 21 Oct 2026 07:28:00 GMT", Date.parse("Wed, 21 Oct 2026 07:27:58 GMT"))).toBe(
      2000,
    );
    expect(retryAfterMs(null, 0)).toBeUndefined();
    expect(retryAfterMs("soon", 0)).toBeUndefined();
  });

  it("refuses bad usage", () => {
    const env = { SUPPRESSION_API_KEY: "k" };
    expect(() => parseImportArgs(["f"], env)).toThrow("--provider is required");
    expect(() => parseImportArgs(["-p", "x", "f"], env)).toThrow("--provider is one of");
    expect(() => parseImportArgs(["-p", "ses", "f"], {})).toThrow("no API key");
    expect(() =>
      parseImportArgs(["-p", "ses", "--chunk-size", String(MAX_EVENTS_PER_REQUEST + 1), "f"], env),
    ).toThrow("--chunk-size");
    expect(parseImportArgs(["-p", "ses", "f"], env)).toMatchObject({
      chunkSize: MAX_EVENTS_PER_REQUEST,
      apiKey: "k",
    });
  });
});

describe("npm run import against a local server", () => {
  const running = useLocalServer(KEY);

  const CHUNK = 100;

  it("imports a JSON Lines file larger than one chunk with exact totals; a re-run is all duplicates", async () => {
    // Prepare
    // Chunks of 100 (the limit itself is 3 000: storing that twice would make a slow test).
    const events = bounces(2 * CHUNK + 20, "big");
    const path = file("big.jsonl", jsonl(events));
    const args = [
      "--provider",
      "sendgrid",
      "--url",
      running().url,
      "--chunk-size",
      String(CHUNK),
      "--json",
      path,
    ];
    const env = { SUPPRESSION_API_KEY: KEY };
    // Act
    const first = await runCli(args, env);
    const again = await runCli(args, env);
    const verdict = await call(running().url, "POST", "/v1/check", {
      key: KEY,
      body: { addresses: [events[0]?.email, events.at(-1)?.email] },
    });
    // Assess
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      totals: {
        files: 1,
        payloads: events.length,
        requests: 3,
        splits: 0,
        events: events.length,
        accepted: events.length,
        duplicates: 0,
        ignored: 0,
        failedChunks: 0,
        failedPayloads: 0,
        retries: 0,
      },
      exitCode: 0,
    });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).totals).toMatchObject({
      accepted: 0,
      duplicates: events.length,
      requests: 3,
    });
    expect(verdict.body.results).toEqual([
      expect.objectContaining({ suppressed: true, cause: "bounce" }),
      expect.objectContaining({ suppressed: true, cause: "bounce" }),
    ]);
  }, 120_000);

  it("retries a chunk answered 503 once, after its Retry-After, then stores it", async () => {
    // Prepare
    const proxy = await startFaultyProxy(running().url);
    proxy.fail({ answer503: 1 });
    const events = bounces(30, "flaky");
    const path = file("flaky.json", JSON.stringify(events));
    try {
      // Act
      const outcome = await runImport({
        provider: "sendgrid",
        url: proxy.endpoint,
        apiKey: KEY,
        files: [path],
        dryRun: false,
        chunkSize: 20,
        retries: 2,
        maxWaitMs: 1000,
        json: true,
      });
      // Assess
      expect(proxy.refused).toBe(1);
      expect(outcome.exitCode).toBe(0);
      expect(outcome.totals).toMatchObject({
        requests: 2,
        retries: 1,
        accepted: 30,
        duplicates: 0,
        failedChunks: 0,
      });
    } finally {
      await proxy.stop();
    }
  });

  it("counts a chunk that keeps failing as failed (exit 1) and stops on a refusal (exit 3)", async () => {
    // Prepare
    const proxy = await startFaultyProxy(running().url);
    proxy.fail({ answer503: 100 });
    const path = file("refused.jsonl", jsonl(bounces(3, "refused")));
    const base = {
      provider: "sendgrid",
      files: [path],
      dryRun: false,
      chunkSize: 2,
      maxWaitMs: 0,
      json: true,
    } as const;
    try {
      // Act
      const failing = await runImport({ ...base, url: proxy.endpoint, apiKey: KEY, retries: 1 });
      const refused = await runImport({ ...base, url: running().url, apiKey: "wrong-key", retries: 1 });
      // Assess
      expect(failing.exitCode).toBe(1);
      expect(failing.totals).toMatchObject({ requests: 0, failedChunks: 2, failedPayloads: 3, retries: 2 });
      expect(refused.exitCode).toBe(3);
      expect(refused.error).toContain("401");
      expect(refused.error).toContain(`${path}:1 … ${path}:2`);
    } finally {
      await proxy.stop();
    }
  });

  it("a dry run stores nothing but counts the events; a malformed file is exit 2 with file:line", async () => {
    // Prepare
    const events = bounces(5, "dry");
    const good = file("dry.jsonl", jsonl(events));
    const bad = file("bad.jsonl", `${jsonl(events.slice(0, 2))}{"oops"\n`);
    const base = {
      provider: "sendgrid",
      url: running().url,
      apiKey: KEY,
      chunkSize: 500,
      retries: 0,
      maxWaitMs: 0,
      json: true,
    } as const;
    // Act
    const dry = await runImport({ ...base, files: [good], dryRun: true });
    const broken = await runImport({ ...base, files: [bad], dryRun: true });
    const verdict = await call(running().url, "POST", "/v1/check", {
      key: KEY,
      body: { addresses: [events[0]?.email] },
    });
    // Assess
    expect(dry.exitCode).toBe(0);
    expect(dry.totals).toMatchObject({ events: 5, accepted: 0, duplicates: 0, requests: 1 });
    expect(broken.exitCode).toBe(2);
    expect(broken.error).toContain(`${bad}:3`);
    expect(verdict.body.results).toEqual([expect.objectContaining({ suppressed: false })]);
  });

  it("--provider email sends each .eml file whole, as one raw message, and stores its events", async () => {
    // Prepare: the fixtures, and one file that is no report
    const fixtures = fileURLToPath(new URL("../fixtures/email/", import.meta.url));
    const dsn = join(fixtures, "dsn-user-unknown.eml");
    const arf = join(fixtures, "arf-abuse.eml");
    const note = file("note.eml", "From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n");
    const base = {
      provider: "email",
      url: running().url,
      apiKey: KEY,
      chunkSize: 500,
      retries: 0,
      maxWaitMs: 0,
      json: true,
    } as const;
    // Act
    const dry = await runImport({ ...base, files: [dsn, arf, note], dryRun: true });
    const stored = await runImport({ ...base, files: [dsn, arf], dryRun: false });
    const again = await runImport({ ...base, files: [dsn], dryRun: false });
    const refused = await runImport({ ...base, files: [file("empty.eml", "")], dryRun: true });
    // Assess
    expect(dry.exitCode).toBe(0);
    expect(dry.totals).toMatchObject({
      files: 3,
      payloads: 3,
      requests: 3,
      events: 2,
      accepted: 0,
      ignored: 1,
    });
    expect(stored.totals).toMatchObject({ requests: 2, events: 2, accepted: 2, duplicates: 0 });
    expect(again.totals).toMatchObject({ requests: 1, accepted: 0, duplicates: 1 });
    expect(refused.exitCode).toBe(3);
    expect(refused.error).toContain("400");
  });
});
