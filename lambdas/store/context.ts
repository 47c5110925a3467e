import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DEFAULT_POLICY } from "../core/policy/defaults.js";
import type { Policy } from "../core/policy/schema.js";
import { STORE_TIMEOUTS } from "./budget.js";
import { StoreError, StoreTimeoutError, StoreUnavailableError } from "./errors.js";
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
  /**
   * Milliseconds one store call may take in all, every command, SDK retry and backoff included;
   * default `STORE_TIMEOUTS.callBudgetMs` (budget.ts). Past it the call fails with `StoreTimeoutError`.
   */
  readonly callBudgetMs?: number;
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
  readonly callBudgetMs: number;
};

/** The settings plus the deadline of one store call: every command of the call is sent with `signal`. */
export type CallContext = StoreContext & {
  /** Aborts when the call's budget is spent; pass it as `abortSignal` to every `send`. */
  readonly signal: AbortSignal;
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
    callBudgetMs: options.callBudgetMs ?? STORE_TIMEOUTS.callBudgetMs,
  };
}

/**
 * Runs one store call under its budget: `run` gets a context whose `signal` aborts after
 * `ctx.callBudgetMs`. The SDK aborts the request in flight (and its retry wait) on that signal; an
 * outage error that ends a call whose deadline passed becomes a `StoreTimeoutError` naming the
 * budget. Other errors (a refused item, a fault) pass through: they are not about time.
 *
 * @example
 * const verdicts = await withinBudget(ctx, "checkAddresses", (call) => checkAddresses(call, …));
 */
export async function withinBudget<T>(
  ctx: StoreContext,
  operation: string,
  run: (call: CallContext) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ctx.callBudgetMs);
  timer.unref?.();
  try {
    return await run({ ...ctx, signal: controller.signal });
  } catch (err) {
    if (!controller.signal.aborted) throw err;
    if (err instanceof StoreError && !(err instanceof StoreUnavailableError)) throw err;
    if (err instanceof StoreTimeoutError) throw err;
    throw new StoreTimeoutError(
      `${operation}: no answer from DynamoDB within the ${ctx.callBudgetMs} ms budget of a store call`,
      { cause: err },
    );
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Full-jitter exponential backoff: a random wait in [0, min(1 s, base·2^attempt)). Ends early when
 * the call's deadline passes (the next `send` then fails at once with the abort).
 *
 * @example await backoff(call, 2);
 */
export async function backoff(ctx: CallContext, attempt: number): Promise<void> {
  const cap = Math.min(1_000, ctx.backoffBaseMs * 2 ** attempt);
  if (ctx.signal.aborted) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      ctx.signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.random() * cap);
    ctx.signal.addEventListener("abort", done, { once: true });
  });
}

/** Now in epoch seconds. @example nowSeconds(); // 1795168800 */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
