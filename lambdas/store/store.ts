import type { Subject } from "../core/address.js";
import type { NormalizedEvent } from "../core/events.js";
import type { Decision } from "../core/ledger/types.js";
import {
  type CallContext,
  nowSeconds,
  resolveContext,
  type StoreContext,
  type StoreOptions,
  withinBudget,
} from "./context.js";
import { type RecordResult, recordEvent } from "./ingest.js";
import { type AddressView, checkAddresses, getAddress, type Verdict } from "./lookup.js";
import { claimNonce } from "./nonces.js";

/** The suppression store: the only way the service reads or writes DynamoDB. */
export type SuppressionStore = {
  readonly tableName: string;
  /** See `recordEvent` in ingest.ts. `now` (epoch seconds) defaults to the clock. */
  recordEvent(event: NormalizedEvent, decision: Decision, now?: number): Promise<RecordResult>;
  /** See `checkAddresses` in lookup.ts. `now` (epoch seconds) defaults to the clock. */
  checkAddresses(
    tenant: string,
    addresses: readonly string[],
    scope?: string,
    now?: number,
  ): Promise<Verdict[]>;
  /** See `getAddress` in lookup.ts. `now` (epoch seconds) defaults to the clock. */
  getAddress(tenant: string, subject: string | Subject, now?: number): Promise<AddressView>;
  /**
   * Runs one store call of a module that extends the store (admin.ts: `adminStore(store)`), under
   * the same budget as every method here. Only store/ modules call it: handlers use what they
   * export, so the check function never loads the admin operations.
   */
  within<T>(operation: string, body: (call: CallContext) => Promise<T>): Promise<T>;
  /** See `claimNonce` in nonces.ts: `false` when a provider's token comes back with another request. */
  claimNonce(
    tenant: string,
    provider: string,
    token: string,
    fingerprint: string,
    expiresAt: number,
    now?: number,
  ): Promise<boolean>;
};

/**
 * Builds the store once per container (handlers keep it in module scope). Every method is one store
 * call under `callBudgetMs` (budget.ts): it answers, or fails with a `StoreError`, within it.
 *
 * @example
 * const store = createStore({ client: defaultDocumentClient(), tableName: tableNameFromEnv() });
 * const result = await store.recordEvent(event, decide(event, DEFAULT_POLICY));
 * const [verdict] = await store.checkAddresses("default", ["jdoe@example.org"]);
 */
export function createStore(options: StoreOptions): SuppressionStore {
  const ctx: StoreContext = resolveContext(options);
  return {
    tableName: ctx.tableName,
    recordEvent: (event, decision, now = nowSeconds()) =>
      withinBudget(ctx, "recordEvent", (call) => recordEvent(call, event, decision, now)),
    checkAddresses: (tenant, addresses, scope, now = nowSeconds()) =>
      withinBudget(ctx, "checkAddresses", (call) => checkAddresses(call, tenant, addresses, scope, now)),
    getAddress: (tenant, subject, now = nowSeconds()) =>
      withinBudget(ctx, "getAddress", (call) => getAddress(call, tenant, subject, now)),
    within: (operation, body) => withinBudget(ctx, operation, body),
    claimNonce: (tenant, provider, token, fingerprint, expiresAt, now = nowSeconds()) =>
      withinBudget(ctx, "claimNonce", (call) =>
        claimNonce(call, tenant, provider, token, fingerprint, expiresAt, now),
      ),
  };
}
