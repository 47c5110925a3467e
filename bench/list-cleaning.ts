/**
 * List-cleaning benchmark (issue #13): a list of 100 000 distinct addresses (a CSV with a header,
 * streamed in 64 KiB chunks of bytes, as the job reads its upload) through `cleanList` with the
 * checker the list-check job uses — the real store's `checkAddresses` on DynamoDB Local — against
 * its baseline: the raw BatchGetItem calls of those checks (the same keys, chunked per batch as the
 * store chunks them, each batch's calls in parallel, `CONCURRENCY` batches at a time), measured
 * alternately in the same run. Some addresses are suppressed through the real write paths: every
 * `SUPPRESS_EVERY`-th by an ingested event (`populate`, as bench/check.ts seeds), and one of the 20
 * domains by an operator's domain entry, so the pipeline drops rows for both.
 *
 * Figures:
 * - `list_clean_vs_batchget`: the pipeline's addresses per second ÷ the baseline's (p50 of the
 *   rounds), at least `LIST_CLEAN_VS_BATCHGET_BUDGET`: parsing, canonical forms, dedupe and
 *   the two files must cost little next to the reads;
 * - `list_clean_addresses_per_s` and `list_batchget_addresses_per_s`: the two rates; the budget is
 *   what a list of `LIST_CHECK_MAX_ROWS` rows needs to finish within a Lambda's 15 minutes;
 * - `list_clean_rss_peak_mb`: the highest RSS seen, sampled every 20 ms during the timed runs (the
 *   heap's peak, garbage included, sampled every 100 ms, is in the notes: it says more about V8's
 *   GC than about the list);
 * - `list_clean_heap_kept_mb`: the most the heap kept over its size before the run, from one more
 *   (untimed) run that forces a full GC at each tenth of the list: the dedupe set, which grows with
 *   the list, and the rows and answers in flight, which are bounded. Its budget is
 *   `HEAP_FIXED_MB` plus `HEAP_PER_ROW_BYTES` a row (`LIST_CHECK_MAX_ROWS` rows in 128 MB more); the
 *   notes give the slope (least squares over the tenths), what a row costs.
 */

import { Writable } from "node:stream";
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { BatchGetItemCommandInput } from "@aws-sdk/client-dynamodb";
import { LIST_CHECK_MAX_ROWS, type ListVerdict } from "../lambdas/core/list-cleaning.js";
import { type AddressChecker, cleanList, DEFAULT_BATCH_SIZE } from "../lambdas/jobs/list-check/pipeline.js";
import { adminStore } from "../lambdas/store/admin.js";
import type { SuppressionStore } from "../lambdas/store/index.js";
import { LIST_CLEAN_VS_BATCHGET_BUDGET } from "./budgets.js";
import {
  batchRequests,
  benchClient,
  makeAddresses,
  populate,
  rawBatchGet,
  startTable,
  storeOn,
  TENANT,
  uniqueCheckKeys,
} from "./dynamo.js";
import { atLeast, atMost, type Figures } from "./report.js";
import { nowMs, p50, sig } from "./stats.js";

/** Addresses in the list (scaled by `--quick`). */
const ADDRESSES = 100_000;
/** One address in this many is suppressed by an ingested event (2 500 entries in 100 000). */
const SUPPRESS_EVERY = 40;
/** The domain suppressed by an operator's domain entry: one in 20 addresses (makeAddresses). */
const SUPPRESSED_DOMAIN = "mail7.example.com";
/** Check calls in flight, in the pipeline and in the baseline alike. */
const CONCURRENCY = 4;
const BATCH = DEFAULT_BATCH_SIZE;
/** Measured rounds (each: one baseline run, one pipeline run, in alternating order). */
const ROUNDS = 5;
/** Bytes per chunk of the list, as a stream of the upload gives them. */
const CHUNK_BYTES = 64 * 1024;

/** Addresses per second a list of `LIST_CHECK_MAX_ROWS` needs to be checked within 900 s. */
const RATE_BUDGET = Math.ceil(LIST_CHECK_MAX_ROWS / 900);
/** MB of RSS the pipeline may reach: half of a 1024 MB function. */
const RSS_BUDGET_MB = 512;
/** Heap kept: the rows and answers in flight (at most `2 × CONCURRENCY + 1` batches, and the chunks). */
const HEAP_FIXED_MB = 32;
/** …and per row (the dedupe set): a list of `LIST_CHECK_MAX_ROWS` rows in 128 MB. */
const HEAP_PER_ROW_BYTES = Math.floor((128 * 1024 * 1024) / LIST_CHECK_MAX_ROWS);

const MB = 1024 * 1024;

let gc: (() => void) | undefined;

/** A full GC, when V8 lets one be asked for (for the heap baseline); a no-op otherwise. */
function collect(): void {
  if (gc === undefined) {
    try {
      // What `--expose-gc` gives, without restarting the process with it.
      setFlagsFromString("--expose-gc");
      gc = runInNewContext("gc") as () => void;
    } catch {
      gc = () => undefined;
    }
  }
  gc();
}

/** The list as bytes, a header then one row per address, in chunks of `CHUNK_BYTES`. */
async function* listBytes(addresses: readonly string[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let chunk = "email,name\r\n";
  for (let i = 0; i < addresses.length; i++) {
    chunk += `${addresses[i]},User ${i}\r\n`;
    if (chunk.length >= CHUNK_BYTES) {
      yield encoder.encode(chunk);
      chunk = "";
    }
  }
  if (chunk !== "") yield encoder.encode(chunk);
}

/** A file that counts what it is given (an upload that keeps up, with the default buffer). */
function countingSink(): { stream: Writable; bytes: () => number } {
  let bytes = 0;
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback();
    },
  });
  return { stream, bytes: () => bytes };
}

/** The job's checker: the store's verdicts by address. */
function storeChecker(store: SuppressionStore, now: number): AddressChecker {
  return async (addresses) => {
    const verdicts = await store.checkAddresses(TENANT, addresses, undefined, now);
    return new Map<string, ListVerdict>(verdicts.map((v) => [v.address, v]));
  };
}

type Peak = { heapMb: number; rssMb: number };

/** One pipeline run: its time, its summary, and the memory peaks seen while it ran (RSS, heap used). */
async function runPipeline(addresses: readonly string[], check: AddressChecker) {
  // Cheap samples (no full GC, no heap walk), so that measuring does not slow the run down.
  const peak: Peak = { heapMb: 0, rssMb: 0 };
  const sample = () => {
    peak.rssMb = Math.max(peak.rssMb, process.memoryUsage.rss() / MB);
  };
  const sampleHeap = () => {
    peak.heapMb = Math.max(peak.heapMb, getHeapStatistics().used_heap_size / MB);
  };
  const timer = setInterval(sample, 20);
  const heapTimer = setInterval(sampleHeap, 100);
  const keep = countingSink();
  const drop = countingSink();
  const start = nowMs();
  try {
    const summary = await cleanList(listBytes(addresses), {
      check,
      keep: keep.stream,
      drop: drop.stream,
      batchSize: BATCH,
      concurrency: CONCURRENCY,
    });
    const ms = nowMs() - start;
    sample();
    sampleHeap();
    return { ms, summary, peak, keepBytes: keep.bytes(), dropBytes: drop.bytes() };
  } finally {
    clearInterval(timer);
    clearInterval(heapTimer);
  }
}

/**
 * An untimed pipeline run that forces a full GC at each tenth of the list (from `onProgress`) and
 * reads the heap: the most it kept, and what it keeps per row (the least-squares slope).
 */
async function runForHeap(addresses: readonly string[], check: AddressChecker) {
  collect();
  const before = process.memoryUsage().heapUsed;
  const points: { done: number; heap: number }[] = [];
  await cleanList(listBytes(addresses), {
    check,
    keep: countingSink().stream,
    drop: countingSink().stream,
    batchSize: BATCH,
    concurrency: CONCURRENCY,
    progressRows: Math.ceil(addresses.length / 10),
    onProgress: (done) => {
      // Twice: what the first frees may hold more that only the second can.
      collect();
      collect();
      points.push({ done, heap: process.memoryUsage().heapUsed - before });
    },
  });
  const mean = (f: (p: (typeof points)[number]) => number) =>
    points.reduce((a, p) => a + f(p), 0) / points.length;
  const [x, y] = [mean((p) => p.done), mean((p) => p.heap)];
  const perRow = mean((p) => (p.done - x) * (p.heap - y)) / mean((p) => (p.done - x) ** 2);
  return { perRow, keptMb: Math.max(...points.map((p) => p.heap)) / MB };
}

/** The baseline: each batch's BatchGetItem calls in parallel, `CONCURRENCY` batches at a time. */
async function runRaw(
  send: (requests: BatchGetItemCommandInput[]) => Promise<number>,
  batches: BatchGetItemCommandInput[][],
) {
  const start = nowMs();
  let next = 0;
  let items = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let b = next++; b < batches.length; b = next++) items += await send(batches[b] ?? []);
    }),
  );
  return { ms: nowMs() - start, items };
}

export type ListCleaningBenchResult = { figures: Figures; notes: string[] };

/** Runs the list-cleaning benchmark on a fresh DynamoDB Local; `scale` shortens the list. */
export async function benchListCleaning(
  scale: number,
  log: (line: string) => void,
): Promise<ListCleaningBenchResult> {
  log("list cleaning: starting DynamoDB Local…");
  const { engine, tableName } = await startTable();
  const storeClient = benchClient(engine.endpoint);
  const rawClient = benchClient(engine.endpoint);
  try {
    const store = storeOn(storeClient, tableName);
    const n = Math.round(ADDRESSES * scale);
    const addresses = makeAddresses(n);
    const seedStart = nowMs();
    const entries = await populate(store, addresses, SUPPRESS_EVERY);
    await adminStore(store).suppressManually({
      tenant: TENANT,
      subject: { kind: "domain", value: SUPPRESSED_DOMAIN },
      scope: "*",
      expiresAt: null,
      note: "list-cleaning bench",
      actor: { keyId: "bench", name: "bench" },
    });
    // Suppressed: every SUPPRESS_EVERY-th (all at mail0) and every address at the domain.
    const expected = addresses.filter(
      (a, i) => i % SUPPRESS_EVERY === 0 || a.endsWith(`@${SUPPRESSED_DOMAIN}`),
    ).length;
    log(
      `list cleaning: ${entries} address entries and 1 domain entry seeded in ${sig((nowMs() - seedStart) / 1000)} s; measuring ${n} addresses…`,
    );

    const check = storeChecker(store, Math.floor(Date.now() / 1000));
    const batches: BatchGetItemCommandInput[][] = [];
    for (let i = 0; i < n; i += BATCH)
      batches.push(batchRequests(tableName, uniqueCheckKeys(addresses.slice(i, i + BATCH))));
    const calls = batches.reduce((c, b) => c + b.length, 0);
    const send = (requests: BatchGetItemCommandInput[]) => rawBatchGet(rawClient, tableName, requests);

    // Warm-up (connections, JIT, DynamoDB Local's caches): a tenth of the list each way.
    const warm = addresses.slice(0, Math.ceil(n / 10));
    await runRaw(send, batches.slice(0, Math.ceil(batches.length / 10)));
    await runPipeline(warm, check);

    const pipeline: number[] = [];
    const raw: number[] = [];
    const peak: Peak = { heapMb: 0, rssMb: 0 };
    let last: Awaited<ReturnType<typeof runPipeline>> | undefined;
    let items = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (["raw", "pipeline"] as const) : (["pipeline", "raw"] as const);
      for (const subject of order) {
        if (subject === "raw") {
          const r = await runRaw(send, batches);
          raw.push(r.ms);
          items = r.items;
        } else {
          last = await runPipeline(addresses, check);
          if (last.summary.rows !== n || last.summary.suppressed !== expected) {
            throw new Error(
              `the pipeline read ${last.summary.rows} rows and dropped ${last.summary.suppressed} as suppressed; expected ${n} and ${expected}`,
            );
          }
          pipeline.push(last.ms);
          peak.heapMb = Math.max(peak.heapMb, last.peak.heapMb);
          peak.rssMb = Math.max(peak.rssMb, last.peak.rssMb);
        }
      }
      log(`list cleaning: round ${round + 1} of ${ROUNDS} done`);
    }

    log("list cleaning: one more run for the heap…");
    const heap = await runForHeap(addresses, check);

    const rate = (ms: number) => n / (ms / 1000);
    const pipelineRate = rate(p50(pipeline));
    const rawRate = rate(p50(raw));
    const figures: Figures = {
      list_clean_vs_batchget: atLeast(sig(pipelineRate / rawRate), "ratio", LIST_CLEAN_VS_BATCHGET_BUDGET),
      list_clean_addresses_per_s: atLeast(Math.round(pipelineRate), "addr/s", RATE_BUDGET),
      list_batchget_addresses_per_s: atLeast(Math.round(rawRate), "addr/s", RATE_BUDGET),
      list_clean_rss_peak_mb: atMost(sig(peak.rssMb), "MB", RSS_BUDGET_MB),
      list_clean_heap_kept_mb: atMost(
        sig(heap.keptMb),
        "MB",
        sig(HEAP_FIXED_MB + (n * HEAP_PER_ROW_BYTES) / MB),
      ),
    };
    const seconds = (list: number[]) => list.map((ms) => sig(ms / 1000)).join(", ");
    const notes = [
      `list cleaning: ${n} addresses (CSV, ${CHUNK_BYTES / 1024} KiB chunks), ${expected} suppressed (${entries} address entries, 1 domain entry); ` +
        `batches of ${BATCH}, ${CONCURRENCY} in flight = ${calls} BatchGetItem calls, ${items} items; ` +
        `pipeline ${seconds(pipeline)} s, raw BatchGetItem ${seconds(raw)} s (p50 of ${ROUNDS} rounds each); ` +
        `keep file ${sig((last?.keepBytes ?? 0) / MB)} MB, drop file ${sig((last?.dropBytes ?? 0) / MB)} MB; ` +
        `memory: RSS ${sig(peak.rssMb)} MB at most, heap used at most ${sig(peak.heapMb)} MB (garbage included); ` +
        `after full GCs the heap kept at most +${sig(heap.keptMb)} MB, ${sig(heap.perRow)} B a row (slope)`,
    ];
    return { figures, notes };
  } finally {
    storeClient.destroy();
    rawClient.destroy();
    await engine.stop();
  }
}
