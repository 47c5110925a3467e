/**
 * How many events one ingest request can store before its deadline (issue #9, defect 5).
 *
 * The real `POST /v1/import/{provider}` handler stores SendGrid batches of bounces to new addresses
 * (the full write path: claim, entry read, entry write, mark applied, ×N at the ingest's concurrency
 * `INGEST_WRITE_CONCURRENCY`), interleaved with its baseline in the same run: the same number of the
 * same events recorded by `store.recordEvent` directly, as many at a time, on the same engine. Each engine is measured where
 * the service runs it: dynalite in this process (the embedded store of `npm start`, sharing the CPU
 * with the handler) and DynamoDB Local (a JVM on the same two cores).
 *
 * Figures per engine (`<engine>` = `embedded` | `ddblocal`):
 * - `import_vs_store_<engine>`: handler time ÷ baseline time for the same batch (what parse,
 *   classification, policy and the answer cost on top of the writes);
 * - `import_events_per_s_<engine>`: events stored per second through the handler (p50 of the rounds);
 *   its budget is the throughput the limit needs: `MAX_EVENTS_PER_REQUEST` in half the deadline;
 * - `import_half_deadline_events_<engine>`: that rate × half the function's deadline (lib/functions.ts):
 *   the batch that fits, which must reach `MAX_EVENTS_PER_REQUEST`;
 * - `import_limit_ms_<engine>`: one request of exactly `MAX_EVENTS_PER_REQUEST` events, which must
 *   answer within half the deadline.
 */
import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { NormalizedEvent } from "../lambdas/core/events.js";
import { DEFAULT_POLICY, decide } from "../lambdas/core/policy/index.js";
import type { HttpHandler } from "../lambdas/handlers/http/route.js";
import { createImportHandler } from "../lambdas/handlers/import.js";
import { MAX_EVENTS_PER_REQUEST } from "../lambdas/handlers/webhook-request.js";
import { startEmbeddedDynamoDb } from "../lambdas/local/embedded-dynamodb.js";
import { ADAPTERS } from "../lambdas/providers/registry.js";
import { ensureTable, INGEST_WRITE_CONCURRENCY, type SuppressionStore } from "../lambdas/store/index.js";
import { FUNCTION_SPECS } from "../lib/functions.js";
import { BENCH_API_KEY, benchClient, benchDeps, startTable, storeOn, TENANT } from "./dynamo.js";
import { atLeast, atMost, type Figures } from "./report.js";
import { nowMs, p50, sig } from "./stats.js";

/** `lib/constructs/service-function.ts`: a function without its own timeout gets 10 s. */
const DEFAULT_TIMEOUT_S = 10;
/** The ingest writes this many events at once (lambdas/handlers/ingestion.ts); so does the baseline. */
const WRITE_CONCURRENCY = INGEST_WRITE_CONCURRENCY;
/** Events per measured round, and rounds per engine (each round: one handler run, one baseline run). */
const BATCH = 300;
const ROUNDS = 5;
/** Events written before measuring (each way), so connections, V8 and DynamoDB Local's JIT are warm. */
const WARM_UP = 200;

/** The import function's deadline in ms, from the stack's own spec (the webhook's is the same). */
export function ingestDeadlineMs(): number {
  const seconds = (spec: string) => FUNCTION_SPECS[spec]?.timeout?.toSeconds() ?? DEFAULT_TIMEOUT_S;
  return Math.min(seconds("import"), seconds("webhook")) * 1000;
}

const CONTEXT = {
  functionName: "suppression-import",
  awsRequestId: "bench",
  getRemainingTimeInMillis: () => ingestDeadlineMs(),
} as Context;

/** `n` SendGrid bounces (550 5.1.1: suppressing, so every event takes the whole write path), new addresses. */
function sendgridBounces(n: number): string {
  const run = randomUUID().slice(0, 8);
  const timestamp = Math.floor(Date.now() / 1000) - 60;
  const events = Array.from({ length: n }, (_, i) => ({
    email: `user${i}.${run}@mail${i % 20}.example.com`,
    timestamp,
    "smtp-id": `<${run}.${i}@ismtpd-bench>`,
    event: "bounce",
    sg_event_id: `bench-${run}-${i}`,
    sg_message_id: `${run}.${i}.filter0001`,
    type: "bounce",
    status: "5.1.1",
    bounce_classification: "Invalid Address",
    reason: "550 5.1.1 The email account that you tried to reach does not exist.",
  }));
  return JSON.stringify(events);
}

function importEvent(body: string): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "POST /v1/import/{provider}",
    rawPath: "/v1/import/sendgrid",
    rawQueryString: "",
    headers: {
      authorization: `Bearer ${BENCH_API_KEY}`,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
    },
    pathParameters: { provider: "sendgrid" },
    requestContext: {
      http: {
        method: "POST",
        path: "/v1/import/sendgrid",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "bench",
      },
      requestId: randomUUID(),
      routeKey: "POST /v1/import/{provider}",
      stage: "$default",
    },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

/** The same payload parsed as the handler would, for the baseline (outside the timing). */
function parsedEvents(body: string): NormalizedEvent[] {
  return ADAPTERS.sendgrid.parseImport(
    { rawBody: Buffer.from(body), headers: { "content-type": "application/json" }, query: {} },
    { tenant: TENANT, receivedAt: new Date() },
  ).events;
}

/** The baseline: every event recorded directly, `WRITE_CONCURRENCY` at a time. */
async function recordAll(store: SuppressionStore, events: readonly NormalizedEvent[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const event = events[next++] as NormalizedEvent;
      const result = await store.recordEvent(event, decide(event, DEFAULT_POLICY));
      if (result.duplicate) throw new Error(`baseline: ${event.eventId} was a duplicate`);
    }
  };
  await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, worker));
}

/** One timed import of `n` new events: its time, and the status unless all `n` were accepted. */
async function importOnce(handler: HttpHandler, n: number): Promise<{ ms: number; failed?: string }> {
  const event = importEvent(sendgridBounces(n));
  const start = nowMs();
  const answer = await handler(event, CONTEXT);
  const ms = nowMs() - start;
  if (answer.statusCode === 200 && answer.body.startsWith(`{"accepted":${n},`)) return { ms };
  return { ms, failed: `${answer.statusCode}: ${answer.body.slice(0, 160)}` };
}

/** One timed import of `n` new events; throws unless all `n` were accepted. */
async function timedImport(handler: HttpHandler, n: number): Promise<number> {
  const { ms, failed } = await importOnce(handler, n);
  if (failed !== undefined) throw new Error(`import of ${n} answered ${failed}`);
  return ms;
}

type Engine = {
  readonly key: string;
  readonly name: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
};

async function embeddedEngine(): Promise<Engine & { tableName: string }> {
  const db = await startEmbeddedDynamoDb();
  const client = benchClient(db.endpoint);
  const tableName = `bench-${randomUUID().slice(0, 8)}`;
  await ensureTable(client, tableName);
  return {
    key: "embedded",
    name: "dynalite (embedded, in process)",
    client,
    tableName,
    stop: async () => {
      client.destroy();
      await db.stop();
    },
  };
}

async function dynamoDbLocalEngine(): Promise<Engine & { tableName: string }> {
  const { engine, tableName } = await startTable();
  const client = benchClient(engine.endpoint);
  return {
    key: "ddblocal",
    name: "DynamoDB Local",
    client,
    tableName,
    stop: async () => {
      client.destroy();
      await engine.stop();
    },
  };
}

/** Measures one engine; `scale` < 1 (`--quick`) runs fewer rounds. */
async function measure(
  engine: Engine & { tableName: string },
  scale: number,
  log: (line: string) => void,
): Promise<{ figures: Figures; notes: string[] }> {
  const store = storeOn(engine.client, engine.tableName);
  const handler = createImportHandler(benchDeps(store));
  const half = ingestDeadlineMs() / 2;
  await timedImport(handler, WARM_UP);
  await recordAll(store, parsedEvents(sendgridBounces(WARM_UP)));
  const rounds = Math.max(2, Math.round(ROUNDS * scale));
  const handlerMs: number[] = [];
  const storeMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first, so neither always follows the other.
    const runs = [
      async () => handlerMs.push(await timedImport(handler, BATCH)),
      async () => {
        const events = parsedEvents(sendgridBounces(BATCH));
        const start = nowMs();
        await recordAll(store, events);
        storeMs.push(nowMs() - start);
      },
    ];
    if (r % 2 === 1) runs.reverse();
    for (const run of runs) await run();
  }
  const perS = (BATCH * 1000) / p50(handlerMs);
  const fits = Math.floor((perS * half) / 1000);
  log(`ingest: ${engine.key}: ${sig(perS, 3)} events/s; one request of ${MAX_EVENTS_PER_REQUEST}…`);
  // Middy answers 500 just before the deadline that CONTEXT reports: a batch too large fails here.
  const atLimit = await importOnce(handler, MAX_EVENTS_PER_REQUEST);
  const limitMs = atLimit.failed === undefined ? atLimit.ms : Number.POSITIVE_INFINITY;
  const k = engine.key;
  return {
    figures: {
      [`import_vs_store_${k}`]: atMost(p50(handlerMs) / p50(storeMs), "ratio", 1.25),
      [`import_events_per_s_${k}`]: atLeast(
        Math.round(perS),
        "events/s",
        (MAX_EVENTS_PER_REQUEST * 1000) / half,
      ),
      [`import_half_deadline_events_${k}`]: atLeast(fits, "events", MAX_EVENTS_PER_REQUEST),
      [`import_limit_ms_${k}`]: atMost(Math.round(limitMs), "ms", half),
    },
    notes: [
      `import on ${engine.name}: ${rounds} rounds of ${BATCH} new SendGrid bounces; handler p50 ${sig(p50(handlerMs), 3)} ms ` +
        `(${sig(perS, 3)} events/s), store.recordEvent ×${BATCH} at concurrency ${WRITE_CONCURRENCY} p50 ${sig(p50(storeMs), 3)} ms ` +
        `(${sig((BATCH * 1000) / p50(storeMs), 3)} events/s); half the ${ingestDeadlineMs() / 1000} s deadline holds ${fits} events; ` +
        `one request at the limit (${MAX_EVENTS_PER_REQUEST}) ${atLimit.failed === undefined ? `took ${Math.round(atLimit.ms)} ms` : `failed after ${Math.round(atLimit.ms)} ms (${atLimit.failed})`}`,
    ],
  };
}

/**
 * Runs the ingest benchmark on the embedded store and on DynamoDB Local.
 *
 * @example
 * const { figures } = await benchIngest(1, console.error);
 * figures.import_half_deadline_events_embedded; // { value: 1230, unit: "events", budget: 1000, ok: true }
 */
export async function benchIngest(
  scale: number,
  log: (line: string) => void,
): Promise<{ figures: Figures; notes: string[] }> {
  const figures: Figures = {};
  const notes: string[] = [];
  for (const start of [embeddedEngine, dynamoDbLocalEngine]) {
    log("ingest: starting the engine…");
    const engine = await start();
    try {
      const part = await measure(engine, scale, log);
      Object.assign(figures, part.figures);
      notes.push(...part.notes);
    } finally {
      await engine.stop();
    }
  }
  return { figures, notes };
}
