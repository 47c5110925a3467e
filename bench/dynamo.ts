/**
 * The DynamoDB side of the check benchmark: DynamoDB Local with a populated table, the store the
 * handler uses, and the baseline — the same BatchGetItem requests sent with the raw SDK client.
 */
import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import {
  BatchGetItemCommand,
  type BatchGetItemCommandInput,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
} from "@aws-sdk/client-dynamodb";
import { canonicalizeAddress } from "../lambdas/core/address.js";
import type { NormalizedEvent } from "../lambdas/core/events.js";
import { DEFAULT_POLICY, decide } from "../lambdas/core/policy/index.js";
import { createAuthenticator } from "../lambdas/handlers/http/authenticate.js";
import type { RuntimeDeps } from "../lambdas/handlers/runtime.js";
import {
  BATCH_GET_LIMIT,
  createDynamoDbClient,
  createStore,
  ensureTable,
  type SuppressionStore,
  toDocumentClient,
} from "../lambdas/store/index.js";
import { checkKeys, type ItemKey, keyId } from "../lambdas/store/keys.js";
import { type RunningEngine, startDynamoDbLocal } from "../test/support/engines.js";

export const TENANT = "default";

/** The bearer key the benchmarked handlers accept. */
export const BENCH_API_KEY = "bench-key";

/**
 * Runtime dependencies for a handler under benchmark: `store`, the default policy, silent logs.
 *
 * @example
 * const handler = createCheckHandler(benchDeps(storeOn(client, tableName)));
 */
export function benchDeps(store: SuppressionStore): RuntimeDeps {
  return {
    logger: new Logger({ serviceName: "suppression-service-bench", logLevel: "SILENT" }),
    store: () => store,
    policy: () => DEFAULT_POLICY,
    auth: createAuthenticator({ bootstrapKey: () => BENCH_API_KEY, store: () => store }),
    secrets: async () => () => undefined,
    tenant: TENANT,
    now: () => new Date(),
  };
}
const DOMAINS = 20;

/** A started engine with one table; `stop()` ends DynamoDB Local. */
export type BenchTable = { readonly engine: RunningEngine; readonly tableName: string };

export async function startTable(): Promise<BenchTable> {
  const engine = await startDynamoDbLocal();
  const tableName = `bench-${randomUUID().slice(0, 8)}`;
  await ensureTable(engine.client, tableName);
  return { engine, tableName };
}

/** A client configured like the service's own (`createDynamoDbClient`), to `endpoint`. */
export const benchClient = (endpoint: string): DynamoDBClient =>
  createDynamoDbClient({ endpoint, region: "us-east-1" });

/** A store over its own client, as the handler's container builds it. */
export function storeOn(client: DynamoDBClient, tableName: string): SuppressionStore {
  return createStore({ client: toDocumentClient(client), tableName });
}

/** `count` distinct canonical addresses spread over 20 domains. */
export function makeAddresses(count: number): string[] {
  const run = randomUUID().slice(0, 6);
  return Array.from({ length: count }, (_, i) => `user${i}.${run}@mail${i % DOMAINS}.example.com`);
}

function suppressingEvent(recipient: string, i: number): NormalizedEvent {
  const complaint = i % 2 === 0;
  return {
    tenant: TENANT,
    provider: "ses",
    eventId: `bench-${randomUUID()}`,
    recipient,
    type: complaint ? "complaint" : "invalid",
    subtype: complaint ? null : "mailbox_not_found",
    reason: complaint ? null : "user_unknown",
    rule: complaint ? null : "enhanced-5.1.1",
    occurredAt: new Date().toISOString(),
    scope: "*",
    smtp: complaint ? null : { code: "550", enhanced: "5.1.1", diagnostic: "smtp; 550 5.1.1 user unknown" },
    feedbackType: complaint ? "abuse" : null,
    unsubscribeReason: null,
    resubscribe: false,
  };
}

/** Suppresses every `every`-th address (complaints and user-unknown bounces alternating). */
export async function populate(store: SuppressionStore, addresses: readonly string[], every: number) {
  const targets = addresses.filter((_, i) => i % every === 0);
  const workers = Array.from({ length: 8 }, async (_, w) => {
    for (let i = w; i < targets.length; i += 8) {
      const event = suppressingEvent(targets[i] ?? "", i);
      await store.recordEvent(event, decide(event, DEFAULT_POLICY));
    }
  });
  await Promise.all(workers);
  return targets.length;
}

/** The deduplicated keys a check of `addresses` reads (as lookup.ts computes them). */
export function uniqueCheckKeys(addresses: readonly string[], scope?: string): ItemKey[] {
  const keys = addresses.flatMap((input) => {
    const parsed = canonicalizeAddress(input);
    return parsed.ok ? checkKeys(TENANT, parsed.address, scope) : [];
  });
  return [...new Map(keys.map((k) => [keyId(k), k])).values()];
}

/** The BatchGetItem requests the store sends for `keys`: chunks of 100, the same projection. */
export function batchRequests(tableName: string, keys: readonly ItemKey[]): BatchGetItemCommandInput[] {
  const requests: BatchGetItemCommandInput[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
    const chunk = keys.slice(i, i + BATCH_GET_LIMIT);
    requests.push({
      RequestItems: {
        [tableName]: {
          Keys: chunk.map((k) => ({ pk: { S: k.pk }, sk: { S: k.sk } })),
          ProjectionExpression: "pk, sk, #state.#causes",
          ExpressionAttributeNames: { "#state": "state", "#causes": "causes" },
        },
      },
    });
  }
  return requests;
}

/** Sends the requests concurrently (following UnprocessedKeys); returns the number of items read. */
export async function rawBatchGet(
  client: DynamoDBClient,
  tableName: string,
  requests: readonly BatchGetItemCommandInput[],
): Promise<number> {
  const counts = await Promise.all(
    requests.map(async (first) => {
      let found = 0;
      let request: BatchGetItemCommandInput | undefined = first;
      while (request !== undefined) {
        const out: BatchGetItemCommandOutput = await client.send(new BatchGetItemCommand(request));
        found += out.Responses?.[tableName]?.length ?? 0;
        const pending: KeysAndAttributes | undefined = out.UnprocessedKeys?.[tableName];
        request = pending?.Keys?.length ? { RequestItems: { [tableName]: pending } } : undefined;
      }
      return found;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

/** BatchGetItem calls seen on a client, and how many were in flight at once at most. */
export type CallCounter = { calls: number; peakInFlight: number; reset(): void };

/** Counts BatchGetItem calls with a middleware on the client (the store's own client). */
export function countBatchGets(client: DynamoDBClient): CallCounter {
  let inFlight = 0;
  const counter: CallCounter = {
    calls: 0,
    peakInFlight: 0,
    reset() {
      counter.calls = 0;
      counter.peakInFlight = 0;
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "BatchGetItemCommand") return next(args);
      counter.calls++;
      inFlight++;
      counter.peakInFlight = Math.max(counter.peakInFlight, inFlight);
      try {
        return await next(args);
      } finally {
        inFlight--;
      }
    },
    { step: "initialize", name: "benchBatchGetCounter" },
  );
  return counter;
}
