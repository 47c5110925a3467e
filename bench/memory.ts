/**
 * Memory of the local server under steady ingestion (issue #9, defect 7c). Run by hand, not by
 * `npm test` nor `npm run bench` (it takes minutes):
 *
 *   npx tsx bench/memory.ts [--minutes 3] [--rate 30] [--data :memory:|<dir>] [--snapshots]
 *
 * The parent forks the server (`startLocalServer` on 127.0.0.1, port 0, run with `--expose-gc`) as
 * a child, POSTs distinct SES bounce records (one new recipient and feedbackId each) to
 * `POST /v1/import/ses` at `--rate` per second for `--minutes`, at most 64 in flight, and every
 * 15 s asks the child for `process.memoryUsage()` before and after a forced full GC. Heap plus
 * external memory retained after GC, divided by the events stored, is what one event costs; RSS
 * also counts V8's spare heap, code and native allocations. `--snapshots` also writes a heap snapshot at the first and last
 * sample (compare them in Chrome DevTools, "Comparison" view, to see what the growth is made of).
 *
 * What to expect (2 vCPUs, 30 events/s, 3 min): in memory, heap + external grow by the data itself,
 * ~3.2 KB an event (each event stores a history item of ~1.4 KB and an entry of ~1 KB of JSON, plus
 * the tree and the keys), and no longer ~15 KB (see embedded-dynamodb.ts); with `--data <dir>`
 * (LevelDB on disk) both stay flat after the warm-up.
 */
import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { writeHeapSnapshot } from "node:v8";

type Usage = { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
type Sample = { before: Usage; after: Usage };
type ToChild = { kind: "sample"; snapshot: boolean } | { kind: "stop" };
type FromChild = { kind: "ready"; url: string } | { kind: "sample"; sample: Sample; snapshot: string | null };

const KEY = "bench-memory-key";
const MB = 1024 * 1024;
const mb = (bytes: number) => (bytes / MB).toFixed(1);

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** Child: the local server, answering samples over IPC. */
async function serve(): Promise<void> {
  const { startLocalServer } = await import("../lambdas/local/server.js");
  const dataDir = option("data", ":memory:");
  const server = await startLocalServer({ port: 0, dataDir, apiKey: KEY, logLevel: "SILENT" });
  const gc = (globalThis as { gc?: () => void }).gc;
  const send = (message: FromChild) => process.send?.(message);
  process.on("message", async (message: ToChild) => {
    if (message.kind === "stop") {
      await server.close();
      process.exit(0);
    }
    const before = process.memoryUsage();
    gc?.();
    gc?.();
    const after = process.memoryUsage();
    const snapshot = message.snapshot ? writeHeapSnapshot() : null;
    send({ kind: "sample", sample: { before, after }, snapshot });
  });
  send({ kind: "ready", url: server.url });
}

const FIXTURE = readFileSync(
  fileURLToPath(new URL("../test/fixtures/ses/bounce-permanent-general.json", import.meta.url)),
  "utf8",
);

/** A distinct SES hard bounce: new feedbackId, messageId and recipient, timestamps now. */
function bounce(i: number, run: string): string {
  const now = new Date().toISOString();
  const recipient = `u${i}.${run}@mail${i % 20}.example.com`;
  return FIXTURE.replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"/g, `"${now}"`)
    .replaceAll("-000000", `-${run}${i}`)
    .replaceAll("jane@example.com", recipient);
}

/** Parent: drives the load and prints the samples. */
async function drive(): Promise<void> {
  const minutes = Number(option("minutes", "3"));
  const rate = Number(option("rate", "30"));
  const snapshots = process.argv.includes("--snapshots");
  const maxInFlight = 64;
  const child = fork(fileURLToPath(import.meta.url), ["--child", ...process.argv.slice(2)], {
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const inbox: FromChild[] = [];
  let wake: (() => void) | undefined;
  child.on("message", (m: FromChild) => {
    inbox.push(m);
    wake?.();
  });
  const next = async (): Promise<FromChild> => {
    while (inbox.length === 0) await new Promise<void>((r) => (wake = r));
    return inbox.shift() as FromChild;
  };
  const ready = await next();
  if (ready.kind !== "ready") throw new Error("the child did not start");
  const sample = async (snapshot: boolean) => {
    child.send({ kind: "sample", snapshot } satisfies ToChild);
    const m = await next();
    if (m.kind !== "sample") throw new Error("unexpected message");
    return m;
  };

  const run = randomUUID().slice(0, 6);
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let inFlight = 0;
  const total = Math.round(rate * minutes * 60);
  const post = async (i: number) => {
    inFlight++;
    try {
      const res = await fetch(`${ready.url}/v1/import/ses`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body: bounce(i, run),
      });
      await res.arrayBuffer();
      if (res.status === 200) ok++;
      else failed++;
    } catch {
      failed++;
    } finally {
      inFlight--;
    }
  };

  console.log(
    `load: ${rate}/s for ${minutes} min (≤ ${total} events), data ${option("data", ":memory:")}, ` +
      "; memory sampled after forced full GCs",
  );
  console.log(
    "t(s)  events  rss(MB)  after a full GC (MB): rss  heapTotal  heapUsed  external  B/event since 15 s",
  );
  const first = await sample(snapshots);
  const retainedOf = (s: Sample) => s.after.heapUsed + s.after.external;
  // The first 15 s warm up (compiled code, module caches); the slope is measured after them.
  let warm: { retained: number; events: number } | undefined;
  const print = (t: number, s: Sample) => {
    if (warm === undefined && t >= 15) warm = { retained: retainedOf(s), events: ok };
    const events = warm === undefined ? 0 : ok - warm.events;
    const perEvent =
      warm !== undefined && events > 0 ? Math.round((retainedOf(s) - warm.retained) / events) : 0;
    const cells = [s.after.rss, s.after.heapTotal, s.after.heapUsed, s.after.external].map((v) =>
      mb(v).padStart(9),
    );
    console.log(
      `${String(t).padStart(4)}  ${String(ok).padStart(6)}  ${mb(s.before.rss).padStart(7)}  ${cells.join(" ")}  ${String(perEvent).padStart(8)}`,
    );
  };
  print(0, first.sample);
  const started = Date.now();
  const tickMs = 100;
  let nextSample = 15_000;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
    while (sent < due && inFlight < maxInFlight) void post(sent++);
    await new Promise((r) => setTimeout(r, tickMs));
    if (Date.now() - started >= nextSample) {
      nextSample += 15_000;
      print(Math.round((Date.now() - started) / 1000), (await sample(false)).sample);
    }
  }
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 50));
  const last = await sample(snapshots);
  print(Math.round((Date.now() - started) / 1000), last.sample);
  console.log(`sent ${sent}, ok ${ok}, failed ${failed}`);
  if (first.snapshot) console.log(`heap snapshots: ${first.snapshot} → ${last.snapshot}`);
  child.send({ kind: "stop" } satisfies ToChild);
}

if (process.argv.includes("--child")) await serve();
else await drive();
