/**
 * History benchmark (issue #11): one page of 100 items of an address's history through the real
 * `GET /v1/events/{address}` handler on DynamoDB Local, against the raw Query on the `history`
 * index it makes, measured interleaved in the same run.
 */
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { NormalizedEvent } from "../lambdas/core/events.js";
import { DEFAULT_POLICY, decide } from "../lambdas/core/policy/index.js";
import { createHistoryHandler } from "../lambdas/handlers/history.js";
import { addressPk, toDocumentClient } from "../lambdas/store/index.js";
import { HISTORY_INDEX, HISTORY_SORT_KEY, PARTITION_KEY } from "../lambdas/store/schema.js";
import { HISTORY_VS_QUERY_RATIO_BUDGET } from "./budgets.js";
import { BENCH_API_KEY, benchClient, benchDeps, startTable, storeOn, TENANT } from "./dynamo.js";
import { atMost, type Figures } from "./report.js";
import { nowMs, p50, p95, sig } from "./stats.js";

const ADDRESS = "history-bench@example.org";
/** Events stored for the address: more than one page, as a busy address has in 30 days. */
const EVENTS = 250;
const PAGE = 100;

const CONTEXT: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: "suppression-history",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:suppression-history",
  memoryLimitInMB: "1024",
  awsRequestId: "bench",
  logGroupName: "/aws/lambda/suppression-history",
  logStreamName: "bench",
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

function historyEvent(): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "GET /v1/events/{address}",
    rawPath: `/v1/events/${ADDRESS}`,
    rawQueryString: `limit=${PAGE}`,
    headers: { authorization: `Bearer ${BENCH_API_KEY}` },
    queryStringParameters: { limit: String(PAGE) },
    pathParameters: { address: ADDRESS },
    requestContext: { http: { method: "GET", path: `/v1/events/${ADDRESS}` }, requestId: "bench" },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

function bounce(i: number, at: number): NormalizedEvent {
  return {
    tenant: TENANT,
    provider: "sendgrid",
    eventId: `history-bench-${i}`,
    recipient: ADDRESS,
    type: i % 5 === 0 ? "invalid" : "delivered",
    subtype: i % 5 === 0 ? "mailbox_not_found" : null,
    reason: i % 5 === 0 ? "user_unknown" : null,
    rule: i % 5 === 0 ? "text-user-unknown" : "sendgrid-delivered",
    occurredAt: new Date((at - (EVENTS - i) * 60) * 1000).toISOString(),
    scope: "*",
    smtp: i % 5 === 0 ? { code: "550", enhanced: "5.1.1", diagnostic: "550 5.1.1 user unknown" } : null,
    feedbackType: null,
    unsubscribeReason: null,
    resubscribe: false,
  };
}

export type HistoryBenchResult = { figures: Figures; notes: string[] };

export async function benchHistory(scale: number, log: (line: string) => void): Promise<HistoryBenchResult> {
  log("history: starting DynamoDB Local…");
  const { engine, tableName } = await startTable();
  try {
    const client = benchClient(engine.endpoint);
    const store = storeOn(client, tableName);
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < EVENTS; i++) {
      const event = bounce(i, now);
      await store.recordEvent(event, decide(event, DEFAULT_POLICY), now);
    }
    const handler = createHistoryHandler(benchDeps(store));
    const doc = toDocumentClient(client);
    const pk = addressPk(TENANT, ADDRESS);
    const high = new Date((now + 1) * 1000).toISOString();
    const raw = () =>
      doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: HISTORY_INDEX,
          KeyConditionExpression: "#pk = :pk AND #hsk < :high",
          ExpressionAttributeNames: { "#pk": PARTITION_KEY, "#hsk": HISTORY_SORT_KEY },
          ExpressionAttributeValues: { ":pk": pk, ":high": high },
          ScanIndexForward: false,
          Limit: PAGE,
        }),
      );
    const viaHandler = async () => {
      const response = await handler(historyEvent(), CONTEXT);
      const items = (JSON.parse(response.body) as { items?: unknown[] }).items?.length;
      if (response.statusCode !== 200 || items !== PAGE) {
        throw new Error(`history answered ${response.statusCode} with ${items} items: ${response.body}`);
      }
    };
    const samples = { handler: [] as number[], raw: [] as number[] };
    for (const phase of ["warm", "measure"] as const) {
      const until = nowMs() + (phase === "warm" ? 2_000 : 10_000) * scale;
      let rounds = 0;
      while (nowMs() < until || (phase === "measure" && rounds < 30)) {
        for (const [name, run] of rounds % 2 === 0
          ? ([
              ["handler", viaHandler],
              ["raw", raw],
            ] as const)
          : ([
              ["raw", raw],
              ["handler", viaHandler],
            ] as const)) {
          const start = nowMs();
          await run();
          if (phase === "measure") samples[name].push(nowMs() - start);
        }
        rounds++;
      }
    }
    const ratio = sig(p50(samples.handler) / p50(samples.raw));
    return {
      figures: { history_page100_vs_query: atMost(ratio, "ratio", HISTORY_VS_QUERY_RATIO_BUDGET) },
      notes: [
        `history: ${EVENTS} events of one address, pages of ${PAGE}; handler p50 ${sig(p50(samples.handler))} ms p95 ${sig(p95(samples.handler))} ms; raw Query p50 ${sig(p50(samples.raw))} ms p95 ${sig(p95(samples.raw))} ms; ${samples.raw.length} rounds`,
      ],
    };
  } finally {
    await engine.stop();
  }
}
