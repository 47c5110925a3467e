/**
 * Helpers for the store suites: normalized events, and a real SDK client with a probe middleware
 * that counts calls and can inject faults around the real engine (never a mock of DynamoDB).
 */
import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { NormalizedEvent } from "../../lambdas/core/events.js";
import { DEFAULT_POLICY, decide } from "../../lambdas/core/policy/index.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import type { StoreOptions } from "../../lambdas/store/context.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";

export const DAY = 86_400;

/** Epoch seconds → ISO. */
export const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A fresh address nobody else in the run uses. */
export function freshAddress(domain = "example.org"): string {
  return `u-${randomUUID().slice(0, 13)}@${domain}`;
}

/** A normalized event (an SES user_unknown bounce unless overridden) with a fresh event id. */
export function makeEvent(overrides: Partial<NormalizedEvent> = {}): NormalizedEvent {
  return {
    tenant: "default",
    provider: "ses",
    eventId: `evt-${randomUUID()}`,
    recipient: "jdoe@example.org",
    type: "invalid",
    subtype: "mailbox_not_found",
    reason: "user_unknown",
    rule: "enhanced-5.1.1",
    occurredAt: iso(nowSeconds()),
    scope: "*",
    smtp: { code: "550", enhanced: "5.1.1", diagnostic: "smtp; 550 5.1.1 user unknown" },
    feedbackType: null,
    unsubscribeReason: null,
    resubscribe: false,
    ...overrides,
  };
}

/** Shorthands for the event kinds the invariants talk about. */
export const events = {
  userUnknown: (recipient: string, at: number, o: Partial<NormalizedEvent> = {}) =>
    makeEvent({ recipient, occurredAt: iso(at), ...o }),
  hostUnknown: (recipient: string, at: number) =>
    makeEvent({ recipient, occurredAt: iso(at), subtype: "server_unreachable", reason: "host_unknown" }),
  complaint: (recipient: string, at: number) =>
    makeEvent({
      recipient,
      occurredAt: iso(at),
      type: "complaint",
      subtype: null,
      reason: null,
      rule: null,
      smtp: null,
      feedbackType: "abuse",
    }),
  softMailboxFull: (recipient: string, at: number) =>
    makeEvent({
      recipient,
      occurredAt: iso(at),
      type: "soft_bounce",
      subtype: "other",
      reason: "mailbox_full",
      rule: "enhanced-4.2.2",
      smtp: { code: "452", enhanced: "4.2.2", diagnostic: "mailbox full" },
    }),
  delivered: (recipient: string, at: number) =>
    makeEvent({
      recipient,
      occurredAt: iso(at),
      type: "delivered",
      subtype: null,
      reason: null,
      rule: null,
      smtp: null,
    }),
  unsubscribe: (recipient: string, at: number, scope: string, resubscribe = false) =>
    makeEvent({
      recipient,
      occurredAt: iso(at),
      type: "unsubscribe",
      subtype: null,
      reason: null,
      rule: null,
      smtp: null,
      scope,
      provider: "sendgrid",
      unsubscribeReason: resubscribe ? null : "not_wanted",
      resubscribe,
    }),
  open: (recipient: string, at: number) =>
    makeEvent({
      recipient,
      occurredAt: iso(at),
      type: "request",
      subtype: null,
      reason: null,
      rule: null,
      smtp: null,
    }),
};

/** The policy's decision for an event, as the handlers will compute it. */
export const decisionFor = (event: NormalizedEvent) => decide(event, DEFAULT_POLICY);

/** Per-command call counts, in-flight peaks and fault switches of one probed client. */
export type Probe = {
  readonly calls: Map<string, number>;
  /** The most calls of one command in flight at once. */
  readonly peakInFlight: Map<string, number>;
  /** Throw a network-like error on the n-th write (PutItem/UpdateItem, 1-based, counted from reset). */
  failWriteNumber: number | null;
  /** The first BatchGetItem after this is set answers only half its keys; the rest come back unprocessed. */
  unprocessOnce: boolean;
  /** Every BatchGetItem answers no key at all (all unprocessed). */
  unprocessAlways: boolean;
  reset(): void;
  count(command: string): number;
};

type Batch = { RequestItems?: Record<string, { Keys?: unknown[] } & Record<string, unknown>> };
type BatchOut = { UnprocessedKeys?: Record<string, { Keys?: unknown[] } & Record<string, unknown>> };

const WRITES = new Set(["PutItemCommand", "UpdateItemCommand"]);

/**
 * Adds a probe to a real client: counts calls per command and injects the faults switched on. It
 * sits at the `initialize` step, where lib-dynamodb inputs and outputs are still plain JS values.
 */
export function probe(client: DynamoDBClient): Probe {
  const state: Probe = {
    calls: new Map(),
    peakInFlight: new Map(),
    failWriteNumber: null,
    unprocessOnce: false,
    unprocessAlways: false,
    reset() {
      state.calls.clear();
      state.peakInFlight.clear();
      writes = 0;
    },
    count: (command) => state.calls.get(command) ?? 0,
  };
  let writes = 0;
  const inFlight = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? "unknown";
      state.calls.set(name, state.count(name) + 1);
      if (WRITES.has(name)) {
        writes++;
        if (state.failWriteNumber === writes) {
          throw Object.assign(new Error(`injected network failure on write #${writes}`), {
            code: "ECONNRESET",
          });
        }
      }
      const flying = (inFlight.get(name) ?? 0) + 1;
      inFlight.set(name, flying);
      state.peakInFlight.set(name, Math.max(state.peakInFlight.get(name) ?? 0, flying));
      try {
        if (name !== "BatchGetItemCommand" || !(state.unprocessOnce || state.unprocessAlways))
          return await next(args);
        state.unprocessOnce = false;
        const input = args.input as Batch;
        const withheld: Record<string, { Keys: unknown[] } & Record<string, unknown>> = {};
        const sent: Batch = { RequestItems: {} };
        for (const [table, request] of Object.entries(input.RequestItems ?? {})) {
          const keys = request.Keys ?? [];
          const keep = state.unprocessAlways ? 0 : Math.ceil(keys.length / 2);
          withheld[table] = { ...request, Keys: keys.slice(keep) };
          if (keep > 0 && sent.RequestItems)
            sent.RequestItems[table] = { ...request, Keys: keys.slice(0, keep) };
        }
        const result =
          Object.keys(sent.RequestItems ?? {}).length > 0
            ? await next({ ...args, input: sent as typeof args.input })
            : { output: { Responses: {}, $metadata: {} }, response: {} };
        (result.output as BatchOut).UnprocessedKeys = withheld;
        return result as Awaited<ReturnType<typeof next>>;
      } finally {
        inFlight.set(name, (inFlight.get(name) ?? 1) - 1);
      }
    },
    { step: "initialize", name: "storeTestProbe" },
  );
  return state;
}

/** A store over a fresh probed client to `endpoint`. */
export function probedStore(
  endpoint: string,
  tableName: string,
  options: Omit<StoreOptions, "client" | "tableName"> = {},
): { store: SuppressionStore; probe: Probe; client: DynamoDBClient } {
  const client = createDynamoDbClient({ endpoint, region: "us-east-1", maxAttempts: 2 });
  const p = probe(client);
  const store = createStore({ client: toDocumentClient(client), tableName, backoffBaseMs: 5, ...options });
  return { store, probe: p, client };
}
