/**
 * Check benchmarks (design.md §6): the real `POST /v1/check` handler on DynamoDB Local against the
 * raw BatchGetItem calls it makes, measured interleaved in the same run; and the calls it makes.
 */
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { canonicalizeAddress } from "../lambdas/core/address.js";
import { createCheckHandler } from "../lambdas/handlers/check.js";
import type { HttpHandler } from "../lambdas/handlers/http/route.js";
import { apiKeysStore } from "../lambdas/store/api-keys.js";
import { CHECK_SCOPED_VS_BOOTSTRAP_RATIO_BUDGET, CHECK_VS_STORE_RATIO_BUDGET } from "./budgets.js";
import {
  BENCH_API_KEY,
  batchRequests,
  benchClient,
  benchDeps,
  countBatchGets,
  makeAddresses,
  populate,
  rawBatchGet,
  startTable,
  storeOn,
  TENANT,
  uniqueCheckKeys,
} from "./dynamo.js";
import { atMost, type Figures } from "./report.js";
import { nowMs, p50, p95, sig } from "./stats.js";

/** One address in this many is suppressed, so reads return items. */
const SUPPRESS_EVERY = 4;

/** How long to warm up and to measure one size, in ms (scaled by `--quick`). */
const PLAN = [
  { n: 1, warmMs: 3_000, measureMs: 8_000 },
  { n: 100, warmMs: 3_000, measureMs: 12_000 },
  { n: 1000, warmMs: 5_000, measureMs: 25_000 },
] as const;

const CONTEXT: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: "suppression-check",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:suppression-check",
  memoryLimitInMB: "1024",
  awsRequestId: "bench",
  logGroupName: "/aws/lambda/suppression-check",
  logStreamName: "bench",
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

/** The API Gateway HTTP API (v2) event for `POST /v1/check`, as lambdas/local/api-gateway-event.ts builds it. */
function checkEvent(body: string, key: string = BENCH_API_KEY): APIGatewayProxyEventV2 {
  const now = new Date();
  return {
    version: "2.0",
    routeKey: "POST /v1/check",
    rawPath: "/v1/check",
    rawQueryString: "",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      host: "127.0.0.1:3000",
      "content-length": String(Buffer.byteLength(body)),
    },
    requestContext: {
      accountId: "local",
      apiId: "local",
      domainName: "127.0.0.1:3000",
      domainPrefix: "local",
      http: {
        method: "POST",
        path: "/v1/check",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "bench",
      },
      requestId: randomUUID(),
      routeKey: "POST /v1/check",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
}

/** Invokes the handler (the timed part): only the status is looked at. */
async function invoke(handler: HttpHandler, event: APIGatewayProxyEventV2): Promise<string> {
  const response = await handler(event, CONTEXT);
  if (response.statusCode !== 200) throw new Error(`check answered ${response.statusCode}: ${response.body}`);
  return response.body;
}

/** Invokes the handler and checks its answer: one result per address; returns how many are suppressed. */
async function invokeChecked(
  handler: HttpHandler,
  event: APIGatewayProxyEventV2,
  n: number,
): Promise<number> {
  const parsed = JSON.parse(await invoke(handler, event)) as { results: unknown[]; suppressedCount: number };
  if (parsed.results.length !== n)
    throw new Error(`check answered ${parsed.results.length} results, not ${n}`);
  return parsed.suppressedCount;
}

/** Freezes the event (and its parts), so a middleware that mutated it would fail the bench. */
function frozen(event: APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
  Object.freeze(event.headers);
  Object.freeze(event.requestContext.http);
  Object.freeze(event.requestContext);
  return Object.freeze(event);
}

type Subject = { readonly name: string; readonly run: () => Promise<unknown> };

/**
 * Runs the subjects in turn (A, B, A, B…): a warm-up, then rounds until the time is up. Each round
 * starts one subject later (A B C, B C A, …) so that no subject always follows the same one.
 */
async function interleaved(subjects: readonly Subject[], warmMs: number, measureMs: number, minRounds = 30) {
  const samples = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
  for (const phase of ["warm", "measure"] as const) {
    const until = nowMs() + (phase === "warm" ? warmMs : measureMs);
    let rounds = 0;
    while (nowMs() < until || (phase === "measure" && rounds < minRounds)) {
      for (let i = 0; i < subjects.length; i++) {
        const subject = subjects[(i + rounds) % subjects.length] as Subject;
        const start = nowMs();
        await subject.run();
        if (phase === "measure") samples.get(subject.name)?.push(nowMs() - start);
      }
      rounds++;
    }
  }
  return samples;
}

/** p50 ms of a synchronous function, after a few warm-up calls. */
function cpuTime(fn: () => unknown, reps = 51): number {
  for (let i = 0; i < 5; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = nowMs();
    fn();
    times.push(nowMs() - start);
  }
  return p50(times);
}

const ms = (v: number) => `${sig(v, 3)} ms`;

export type CheckBenchResult = { figures: Figures; notes: string[]; engine: string };

/** Runs every check benchmark on a fresh DynamoDB Local; `scale` shortens the timings. */
export async function benchCheck(scale: number, log: (line: string) => void): Promise<CheckBenchResult> {
  const figures: Figures = {};
  const notes: string[] = [];
  log("check: starting DynamoDB Local…");
  const { engine, tableName } = await startTable();
  const handlerClient = benchClient(engine.endpoint);
  const rawClient = benchClient(engine.endpoint);
  const countedClient = benchClient(engine.endpoint);
  try {
    const store = storeOn(handlerClient, tableName);
    const addresses = makeAddresses(1000);
    const suppressed = await populate(store, addresses, SUPPRESS_EVERY);
    log(`check: ${suppressed} of ${addresses.length} addresses suppressed; measuring…`);
    const handler = createCheckHandler(benchDeps(store));
    // A scoped key (what callers other than the operator hold): read from the store once, then
    // from the container's key cache, so it should cost what the bootstrap key costs.
    const scoped = await apiKeysStore(store).create(
      { tenant: TENANT, name: "bench", scopes: ["check"], createdBy: { keyId: "bench", name: "bench" } },
      Math.floor(Date.now() / 1000),
    );
    let single100: number[] = [];
    let handler1000: number[] = [];
    for (const { n, warmMs, measureMs } of PLAN) {
      const subset = addresses.slice(0, n);
      // Built once: API Gateway's work, not the handler's. Reusable because nothing may mutate it.
      const event = frozen(checkEvent(JSON.stringify({ addresses: subset })));
      const keys = uniqueCheckKeys(subset);
      const requests = batchRequests(tableName, keys);
      const one100 = batchRequests(tableName, uniqueCheckKeys(addresses).slice(0, 100));
      const expected = subset.filter((_, i) => i % SUPPRESS_EVERY === 0).length;
      const got = await invokeChecked(handler, event, n);
      if (got !== expected) throw new Error(`n=${n}: ${got} suppressed, expected ${expected}`);
      const items = await rawBatchGet(rawClient, tableName, requests);
      const subjects: Subject[] = [
        { name: "handler", run: () => invoke(handler, event) },
        { name: "store", run: () => store.checkAddresses(TENANT, subset) },
        { name: "raw", run: () => rawBatchGet(rawClient, tableName, requests) },
      ];
      if (n === 1000) subjects.push({ name: "raw100", run: () => rawBatchGet(rawClient, tableName, one100) });
      const scopedEvent = frozen(checkEvent(JSON.stringify({ addresses: subset }), scoped.key));
      if (n === 1) {
        if ((await invokeChecked(handler, scopedEvent, n)) !== expected)
          throw new Error("the scoped key's check differs");
        subjects.push({ name: "scoped", run: () => invoke(handler, scopedEvent) });
      }
      const samples = await interleaved(subjects, warmMs * scale, measureMs * scale);
      const a = samples.get("handler") ?? [];
      const b = samples.get("raw") ?? [];
      const direct = samples.get("store") ?? [];
      figures[`check_vs_store_n${n}`] = atMost(p50(a) / p50(b), "ratio", CHECK_VS_STORE_RATIO_BUDGET);
      const withScoped = samples.get("scoped");
      if (withScoped !== undefined) {
        figures.check_scoped_vs_bootstrap_n1 = atMost(
          p50(withScoped) / p50(a),
          "ratio",
          CHECK_SCOPED_VS_BOOTSTRAP_RATIO_BUDGET,
        );
        notes.push(
          `n=1 with a scoped key (cached): handler p50 ${ms(p50(withScoped))} p95 ${ms(p95(withScoped))}`,
        );
      }
      notes.push(
        `n=${n}: ${keys.length} keys, ${requests.length} BatchGetItem, ${items} items, ${got} suppressed; ` +
          `handler p50 ${ms(p50(a))} p95 ${ms(p95(a))}; store.checkAddresses alone p50 ${ms(p50(direct))}; ` +
          `raw p50 ${ms(p50(b))} p95 ${ms(p95(b))}; ${a.length} rounds; ` +
          `canonicalizeAddress ×${n} alone p50 ${ms(cpuTime(() => subset.map(canonicalizeAddress)))}`,
      );
      if (n === 1000) {
        handler1000 = a;
        single100 = samples.get("raw100") ?? [];
        notes.push(`one raw BatchGetItem of 100 keys: p50 ${ms(p50(single100))} p95 ${ms(p95(single100))}`);
      }
      log(`check: n=${n} done`);
    }
    figures.batch1000_vs_batchget100 = atMost(p50(handler1000) / p50(single100), "ratio", 8);

    const counter = countBatchGets(countedClient);
    const counted = createCheckHandler(benchDeps(storeOn(countedClient, tableName)));
    const event1000 = frozen(checkEvent(JSON.stringify({ addresses })));
    await invokeChecked(counted, event1000, addresses.length);
    counter.reset();
    await invokeChecked(counted, event1000, addresses.length);
    const keys1000 = uniqueCheckKeys(addresses).length;
    figures.check_store_calls_n1000 = atMost(counter.calls, "calls", Math.ceil(keys1000 / 100));
    notes.push(
      `n=1000 check: ${counter.calls} BatchGetItem calls for ${keys1000} keys, at most ${counter.peakInFlight} in flight at once`,
    );
    return { figures, notes, engine: engine.name };
  } finally {
    for (const client of [handlerClient, rawClient, countedClient]) client.destroy();
    await engine.stop();
  }
}
