/**
 * Lists and status-view benchmark: one page of 100 entries of `GET /v1/suppressions` (and one page
 * of 100 events of `GET /v1/events`) through the real handlers on DynamoDB Local, against the raw
 * Query calls that page makes, replayed with the same inputs and in the same rounds (the shards of a
 * round in parallel), measured interleaved in the same run. The calls are recorded from one
 * handler call by a middleware on the client, so the baseline is exactly what the handler sends.
 *
 * `GET /v1/event-counts` over the same events is measured the same way against its raw
 * `Select: "COUNT"` Queries, replayed `STATUS_COUNT_CONCURRENCY` at a time in two waves: the probes,
 * then the per-type counts (which a probe's answer starts).
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { NormalizedEvent } from "../lambdas/core/events.js";
import { DEFAULT_POLICY, decide } from "../lambdas/core/policy/index.js";
import type { HttpHandler } from "../lambdas/handlers/http/route.js";
import { createListsHandler } from "../lambdas/handlers/lists.js";
import { createStatusHandler } from "../lambdas/handlers/status.js";
import { toDocumentClient } from "../lambdas/store/index.js";
import { STATUS_COUNT_CONCURRENCY } from "../lambdas/store/status-counts.js";
import { LISTS_VS_QUERIES_RATIO_BUDGET, STATUS_VS_QUERIES_RATIO_BUDGET } from "./budgets.js";
import { BENCH_API_KEY, benchClient, benchDeps, startTable, storeOn, TENANT } from "./dynamo.js";
import { atMost, type Figures } from "./report.js";
import { nowMs, p50, p95, sig } from "./stats.js";

/**
 * Event-counts handler p50 ÷ p50 of its raw count Queries (see the module notes): the handler
 * schedules the Queries, sums the counts and writes JSON. Kept here, not in budgets.ts: design.md §6
 * does not state it yet.
 */
const EVENT_COUNTS_VS_QUERIES_RATIO_BUDGET = 1.5;

/** Entries in the tenant's list: several pages, spread over every shard. */
const ENTRIES = 400;
const PAGE = 100;

const CONTEXT: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: "suppression-lists",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:suppression-lists",
  memoryLimitInMB: "1024",
  awsRequestId: "bench",
  logGroupName: "/aws/lambda/suppression-lists",
  logStreamName: "bench",
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

function getEvent(routeKey: string, path: string, query: Record<string, string>): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { authorization: `Bearer ${BENCH_API_KEY}` },
    queryStringParameters: query,
    requestContext: { http: { method: "GET", path }, requestId: "bench" },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

function event(i: number, at: number): NormalizedEvent {
  const complaint = i % 3 === 0;
  return {
    tenant: TENANT,
    provider: complaint ? "ses" : "sendgrid",
    eventId: `lists-bench-${i}`,
    recipient: `lists-bench-${i}@mail${i % 20}.example.com`,
    type: complaint ? "complaint" : "invalid",
    subtype: complaint ? null : "mailbox_not_found",
    reason: complaint ? null : "user_unknown",
    rule: complaint ? null : "text-user-unknown",
    occurredAt: new Date((at - (ENTRIES - i) * 60) * 1000).toISOString(),
    scope: "*",
    smtp: complaint ? null : { code: "550", enhanced: "5.1.1", diagnostic: "550 5.1.1 user unknown" },
    feedbackType: complaint ? "abuse" : null,
    unsubscribeReason: null,
    resubscribe: false,
    tags: ["newsletter"],
  };
}

/** One recorded Query: its input and the round it was sent in (calls answered before it was sent). */
type Recorded = { readonly input: QueryCommandInput; readonly round: number };

/** Records the Query inputs sent through `client` while `recording` is on. */
function recorder(client: DynamoDBClient) {
  const state = { recording: false, calls: [] as Recorded[], answered: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!state.recording || context.commandName !== "QueryCommand") return next(args);
      state.calls.push({ input: structuredClone(args.input) as QueryCommandInput, round: state.answered });
      try {
        return await next(args);
      } finally {
        state.answered++;
      }
    },
    { step: "initialize", name: "benchQueryRecorder" },
  );
  return {
    async record(run: () => Promise<void>): Promise<Recorded[][]> {
      state.calls = [];
      state.answered = 0;
      state.recording = true;
      try {
        await run();
      } finally {
        state.recording = false;
      }
      const rounds = new Map<number, Recorded[]>();
      for (const call of state.calls) rounds.set(call.round, [...(rounds.get(call.round) ?? []), call]);
      return [...rounds.keys()].sort((a, b) => a - b).map((r) => rounds.get(r) ?? []);
    },
  };
}

/** p50 of the handler against p50 of the raw rounds, interleaved. */
async function measure(
  scale: number,
  viaHandler: () => Promise<void>,
  raw: () => Promise<unknown>,
): Promise<{ handler: number[]; raw: number[] }> {
  const samples = { handler: [] as number[], raw: [] as number[] };
  for (const phase of ["warm", "measure"] as const) {
    const until = nowMs() + (phase === "warm" ? 2_000 : 8_000) * scale;
    let rounds = 0;
    while (nowMs() < until || (phase === "measure" && rounds < 30)) {
      const order = rounds % 2 === 0 ? (["handler", "raw"] as const) : (["raw", "handler"] as const);
      for (const name of order) {
        const start = nowMs();
        await (name === "handler" ? viaHandler() : raw());
        if (phase === "measure") samples[name].push(nowMs() - start);
      }
      rounds++;
    }
  }
  return samples;
}

export type ListsBenchResult = { figures: Figures; notes: string[] };

export async function benchLists(scale: number, log: (line: string) => void): Promise<ListsBenchResult> {
  log("lists: starting DynamoDB Local…");
  const { engine, tableName } = await startTable();
  try {
    const client = benchClient(engine.endpoint);
    const recording = recorder(client);
    const store = storeOn(client, tableName);
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < ENTRIES; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) => {
          const e = event(i + j, now);
          return store.recordEvent(e, decide(e, DEFAULT_POLICY), now);
        }),
      );
    }
    const doc = toDocumentClient(client);
    const figures: Figures = {};
    const notes: string[] = [];
    const cases: {
      name: string;
      figure: string;
      budget: number;
      handler: HttpHandler;
      request: APIGatewayProxyEventV2;
    }[] = [
      {
        name: "lists",
        figure: "lists_page100_vs_queries",
        budget: LISTS_VS_QUERIES_RATIO_BUDGET,
        handler: createListsHandler(benchDeps(store)),
        request: getEvent("GET /v1/suppressions", "/v1/suppressions", { limit: String(PAGE) }),
      },
      {
        name: "status",
        figure: "status_page100_vs_queries",
        budget: STATUS_VS_QUERIES_RATIO_BUDGET,
        handler: createStatusHandler(benchDeps(store)),
        request: getEvent("GET /v1/events", "/v1/events", {
          limit: String(PAGE),
          from: new Date((now - 2 * 86_400) * 1000).toISOString(),
          to: new Date(now * 1000).toISOString(),
        }),
      },
    ];
    for (const c of cases) {
      const viaHandler = async () => {
        const response = await c.handler(c.request, CONTEXT);
        const items = (JSON.parse(response.body) as { items?: unknown[] }).items?.length;
        if (response.statusCode !== 200 || items !== PAGE) {
          throw new Error(`${c.name} answered ${response.statusCode} with ${items} items: ${response.body}`);
        }
      };
      const rounds = await recording.record(viaHandler);
      const raw = async () => {
        for (const round of rounds)
          await Promise.all(round.map((call) => doc.send(new QueryCommand(call.input))));
      };
      const samples = await measure(scale, viaHandler, raw);
      const ratio = sig(p50(samples.handler) / p50(samples.raw));
      figures[c.figure] = atMost(ratio, "ratio", c.budget);
      const queries = rounds.reduce((n, r) => n + r.length, 0);
      const asked = rounds.flat().reduce((n, r) => n + (r.input.Limit ?? 0), 0);
      notes.push(
        `${c.name}: ${ENTRIES} items, a page of ${PAGE} = ${queries} Query calls in ${rounds.length} round(s) asking for ${asked} items; handler p50 ${sig(p50(samples.handler))} ms p95 ${sig(p95(samples.handler))} ms; raw Queries p50 ${sig(p50(samples.raw))} ms p95 ${sig(p95(samples.raw))} ms; ${samples.raw.length} rounds`,
      );
    }
    {
      const handler = createStatusHandler(benchDeps(store));
      const request = getEvent("GET /v1/event-counts", "/v1/event-counts", {
        from: new Date((now - 2 * 86_400) * 1000).toISOString(),
        to: new Date(now * 1000).toISOString(),
      });
      const viaHandler = async () => {
        const response = await handler(request, CONTEXT);
        const total = (JSON.parse(response.body) as { total?: number }).total;
        if (response.statusCode !== 200 || total !== ENTRIES) {
          throw new Error(`event counts answered ${response.statusCode} with ${total}: ${response.body}`);
        }
      };
      const calls = (await recording.record(viaHandler)).flat().map((c) => c.input);
      const waves = [
        calls.filter((c) => c.FilterExpression === undefined),
        calls.filter((c) => c.FilterExpression),
      ];
      const raw = async () => {
        for (const wave of waves) {
          let next = 0;
          await Promise.all(
            Array.from({ length: STATUS_COUNT_CONCURRENCY }, async () => {
              for (let input = wave[next++]; input !== undefined; input = wave[next++])
                await doc.send(new QueryCommand(input));
            }),
          );
        }
      };
      const samples = await measure(scale, viaHandler, raw);
      const ratio = sig(p50(samples.handler) / p50(samples.raw));
      figures.event_counts_vs_queries = atMost(ratio, "ratio", EVENT_COUNTS_VS_QUERIES_RATIO_BUDGET);
      notes.push(
        `event counts: ${ENTRIES} events, a window of two days = ${calls.length} Select COUNT Queries (${waves[0]?.length} probes), ${STATUS_COUNT_CONCURRENCY} at a time; handler p50 ${sig(p50(samples.handler))} ms p95 ${sig(p95(samples.handler))} ms; raw Queries p50 ${sig(p50(samples.raw))} ms p95 ${sig(p95(samples.raw))} ms; ${samples.raw.length} rounds`,
      );
    }
    return { figures, notes };
  } finally {
    await engine.stop();
  }
}
