import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DEFAULT_POLICY } from "../core/policy/defaults.js";
import type { Policy } from "../core/policy/schema.js";
import { DEFAULT_TABLE_NAME } from "./schema.js";

/** What `createStore` accepts. Only `client` is required. */
export type StoreOptions = {
  /** The document client (see `toDocumentClient`); inject a wrapped or instrumented one in tests. */
  readonly client: DynamoDBDocumentClient;
  readonly tableName?: string;
  /** The policy in force: entry TTLs keep its tombstones (`history.keepDays`); default DEFAULT_POLICY. */
  readonly policy?: Policy;
  /** Days an event stays in the history (its `ttl`); default the policy's `history.keepDays` (30). */
  readonly historyDays?: number;
  /** Optimistic-lock attempts when another writer changes the same entry; default 8. */
  readonly lockAttempts?: number;
  /** BatchGetItem attempts while DynamoDB returns UnprocessedKeys; default 6. */
  readonly batchGetAttempts?: number;
  /** Base of the exponential backoff between those attempts, in ms; default 25 (capped at 1 s). */
  readonly backoffBaseMs?: number;
};

/** The resolved settings every store function works with. */
export type StoreContext = {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly policy: Policy;
  readonly historySeconds: number;
  readonly lockAttempts: number;
  readonly batchGetAttempts: number;
  readonly backoffBaseMs: number;
};

/**
 * Fills in the defaults.
 *
 * @example
 * resolveContext({ client: doc }).tableName; // "suppressions"
 */
export function resolveContext(options: StoreOptions): StoreContext {
  const policy = options.policy ?? DEFAULT_POLICY;
  return {
    doc: options.client,
    tableName: options.tableName ?? DEFAULT_TABLE_NAME,
    policy,
    historySeconds: Math.round((options.historyDays ?? policy.history.keepDays) * 86_400),
    lockAttempts: options.lockAttempts ?? 8,
    batchGetAttempts: options.batchGetAttempts ?? 6,
    backoffBaseMs: options.backoffBaseMs ?? 25,
  };
}

/** Full-jitter exponential backoff: a random wait in [0, min(1 s, base·2^attempt)). @example await backoff(ctx, 2); */
export async function backoff(ctx: StoreContext, attempt: number): Promise<void> {
  const cap = Math.min(1_000, ctx.backoffBaseMs * 2 ** attempt);
  await new Promise((r) => setTimeout(r, Math.random() * cap));
}

/** Now in epoch seconds. @example nowSeconds(); // 1795168800 */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
