/**
 * The counts on top of the status view (store/status-counts.ts) on both engines, through the real
 * SDK: as a property, the counts by type are exactly what paging the list with the same filters to
 * its end finds (random events over days, shards, providers, tags, types, other tenants, expired
 * events, shared event ids; random windows, filters, count page sizes, list page sizes and read
 * budgets); cut short at whole days, newest first, by the read budget and by time (answered within
 * the store call's budget, not as a timeout); only `Select: "COUNT"` Queries, never more in flight
 * than the concurrency, no item sent back; a failing store fails the count; bad windows refused.
 */
import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../lambdas/core/errors.js";
import type { NormalizedEvent } from "../../lambdas/core/events.js";
import { DEFAULT_POLICY } from "../../lambdas/core/policy/index.js";
import { EVENT_TYPE_IDS, type EventType } from "../../lambdas/core/taxonomy.js";
import type { Provider } from "../../lambdas/providers/registry.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { StoreUnavailableError } from "../../lambdas/store/errors.js";
import { STATUS_SHARDS } from "../../lambdas/store/index-keys.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { type StatusQuery, statusStore } from "../../lambdas/store/status.js";
import {
  type CountLimits,
  countStatus,
  STATUS_COUNT_CONCURRENCY,
  type StatusCountQuery,
  type StatusCounts,
  statusCountsStore,
} from "../../lambdas/store/status-counts.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { DAY, decisionFor, events, iso, makeEvent, nowSeconds } from "./helpers.js";

const TABLE = "status-counts-test";
const freshTenant = (): string => `c-${randomUUID().slice(0, 8)}`;
const salt = (): string => randomUUID().slice(0, 8);
const PROVIDERS: readonly Provider[] = ["ses", "sendgrid", "mailgun"];
/** `ab` holds `a`: a substring match instead of a list match would count it for `a`. */
const TAGS = ["a", "ab", "b"] as const;
const KEEP = DEFAULT_POLICY.history.keepDays * DAY;

/** An event of `type` for `recipient` at `at`, as the classifier would make it. */
function eventOf(type: EventType, recipient: string, at: number): NormalizedEvent {
  switch (type) {
    case "invalid":
      return events.userUnknown(recipient, at);
    case "soft_bounce":
      return events.softMailboxFull(recipient, at);
    case "complaint":
      return events.complaint(recipient, at);
    case "delivered":
      return events.delivered(recipient, at);
    case "unsubscribe":
      return events.unsubscribe(recipient, at, "*");
    case "request":
      return events.open(recipient, at);
  }
}

const zero = (): Record<EventType, number> =>
  Object.fromEntries(EVENT_TYPE_IDS.map((t) => [t, 0])) as Record<EventType, number>;

/** One QueryCommand as sent, and what came back. */
type Sent = { readonly input: QueryCommandInput; readonly items: boolean };

describe.each(ENGINES)("the status counts in the store on $name", (engine) => {
  let running: RunningEngine;
  let client: DynamoDBClient;
  let store: SuppressionStore;
  const sent: Sent[] = [];
  const flight = { now: 0, peak: 0 };
  /** Milliseconds each Query waits before it is sent (a slow store); 0: none. */
  const slow = { ms: 0 };
  /** The n-th Query from now (1-based) fails like a dropped connection; 0: none. */
  const failing = { at: 0 };

  const record = (event: NormalizedEvent, now = nowSeconds()) =>
    store.recordEvent(event, decisionFor(event), now);
  const counted = (query: StatusCountQuery, now: number, limits: CountLimits = {}): Promise<StatusCounts> =>
    store.within("statusCounts", (call) => countStatus(call, query, now, { timeMs: 60_000, ...limits }));
  /** Every item of the list, paged with `limit` to its end. */
  const listed = async (query: Omit<StatusQuery, "cursor">, now: number) => {
    const items = [];
    let cursor: string | undefined;
    for (let i = 0; i < 500; i++) {
      const page = await statusStore(store).events(
        { ...query, ...(cursor === undefined ? {} : { cursor }) },
        now,
      );
      items.push(...page.items);
      if (page.cursor === null) return items;
      cursor = page.cursor;
    }
    throw new Error("the cursor never ended");
  };
  const byType = (items: readonly { event: { type: EventType } }[]) => {
    const counts = zero();
    for (const item of items) counts[item.event.type]++;
    return counts;
  };

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1", maxAttempts: 1 });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== "QueryCommand") return next(args);
        if (failing.at > 0 && --failing.at === 0) {
          throw Object.assign(new Error("injected: connection reset"), { code: "ECONNRESET" });
        }
        if (slow.ms > 0) await new Promise((r) => setTimeout(r, slow.ms));
        flight.now++;
        flight.peak = Math.max(flight.peak, flight.now);
        try {
          const result = await next(args);
          const output = result.output as { Items?: unknown[] };
          sent.push({ input: args.input as QueryCommandInput, items: output.Items !== undefined });
          return result;
        } finally {
          flight.now--;
        }
      },
      { step: "initialize", name: "countsTestProbe" },
    );
    // A wide call budget: the property's counts are bounded by their read budgets, not by the clock.
    store = createStore({
      client: toDocumentClient(client),
      tableName: TABLE,
      backoffBaseMs: 2,
      callBudgetMs: 30_000,
    });
  });
  afterAll(async () => {
    client?.destroy();
    await running?.stop();
  });

  it("counts by type exactly what paging the list with the same filters finds (property)", async () => {
    const base = (Math.floor(nowSeconds() / DAY) - 8) * DAY; // 00:00 UTC, eight days ago
    const often = (oneIn: number) => fc.integer({ min: 1, max: oneIn }).map((n) => n === 1);
    const scenario = fc.record({
      events: fc.array(
        fc.record({
          day: fc.integer({ min: 0, max: 2 }),
          second: fc.integer({ min: 0, max: DAY - 1 }),
          type: fc.constantFrom(...EVENT_TYPE_IDS),
          provider: fc.constantFrom(...PROVIDERS),
          tags: fc.subarray([...TAGS]),
          /** Another tenant's, in the same days. */
          other: often(6),
          /** The previous event's id and time, for another recipient (equal sort keys, one shard). */
          shared: often(4),
          /** Recorded long enough ago that its history `ttl` passed. */
          expired: often(6),
        }),
        { minLength: 12, maxLength: 40 },
      ),
      from: fc.integer({ min: -DAY / 4, max: 2 * DAY }),
      span: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: 3_600 }), weight: 1 },
        { arbitrary: fc.integer({ min: DAY / 2, max: 4 * DAY }), weight: 4 },
      ),
      provider: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 2 },
        { arbitrary: fc.constantFrom(...PROVIDERS), weight: 1 },
      ),
      tag: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 2 },
        { arbitrary: fc.constantFrom(...TAGS), weight: 1 },
      ),
      pageLimit: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 2 }),
      listLimit: fc.integer({ min: 1, max: 12 }),
      maxQueries: fc.option(fc.integer({ min: 8, max: 200 }), { nil: undefined, freq: 2 }),
    });
    const seen = { runs: 0, counted: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        // Prepare
        const tenant = freshTenant();
        const other = `${tenant}-x`;
        const now = base + 5 * DAY;
        let previous: NormalizedEvent | undefined;
        for (const e of s.events) {
          const at = base + e.day * DAY + e.second;
          const made = {
            ...eventOf(e.type, `r-${salt()}@example.org`, at),
            tenant: e.other ? other : tenant,
            provider: e.provider,
            ...(e.tags.length === 0 ? {} : { tags: e.tags }),
          };
          const event =
            e.shared && previous !== undefined
              ? {
                  ...made,
                  eventId: previous.eventId,
                  occurredAt: previous.occurredAt,
                  provider: previous.provider,
                  tenant: previous.tenant,
                }
              : made;
          previous = event;
          await record(event, e.expired ? now - KEEP - 60 : now - 60);
        }
        const window = {
          tenant,
          from: base + s.from,
          // Mostly over the days with events: counts cut short then still count some.
          to: base + Math.min(s.from + s.span, 3 * DAY + DAY / 4),
          ...(s.provider === undefined ? {} : { provider: s.provider }),
          ...(s.tag === undefined ? {} : { tag: s.tag }),
        };
        // Act
        const counts = await counted(window, now, {
          ...(s.pageLimit === undefined ? {} : { pageLimit: s.pageLimit }),
          ...(s.maxQueries === undefined ? {} : { maxQueries: s.maxQueries }),
        });
        const items = await listed({ ...window, from: counts.countedFrom, limit: s.listLimit }, now);
        // Assess: the counted part of the window, exactly as the list pages it
        expect(counts.counts).toEqual(byType(items));
        expect(counts.total).toBe(items.length);
        if (counts.complete) expect(counts.countedFrom).toBe(window.from);
        else {
          expect(counts.countedFrom % DAY === 0 || counts.countedFrom === window.to).toBe(true);
          expect(counts.countedFrom).toBeGreaterThan(window.from);
          expect(s.maxQueries).toBeDefined();
        }
        if (s.maxQueries === undefined) expect(counts.complete).toBe(true);
        seen.runs++;
        if (counts.total > 0) seen.counted++;
        // And one type through the list's own type filter.
        const type = EVENT_TYPE_IDS[s.events.length % EVENT_TYPE_IDS.length] as EventType;
        const ofType = await listed({ ...window, from: counts.countedFrom, type, limit: 100 }, now);
        expect(counts.counts[type]).toBe(ofType.length);
      }),
      { numRuns: 25 },
    );
    // Not vacuous: many runs count something.
    expect(seen.counted).toBeGreaterThan(seen.runs / 3);
  }, 240_000);

  it("cut short by the read budget: whole days only, newest first, countedFrom their start", async () => {
    // Prepare: two events a day over four days
    const tenant = freshTenant();
    const base = (Math.floor(nowSeconds() / DAY) - 6) * DAY;
    for (let day = 0; day < 4; day++) {
      await record({ ...events.delivered(`d-${salt()}@example.org`, base + day * DAY + 3_600), tenant });
      await record({ ...events.complaint(`c-${salt()}@example.org`, base + day * DAY + 7_200), tenant });
    }
    const window = { tenant, from: base + 600, to: base + 3 * DAY + 80_000 };
    const now = nowSeconds();
    // Act: one Query at a time, so the newest day's Queries all come first: its 16 probes, then
    // one per type in each shard holding one of its two events (one or two shards).
    const full = await counted(window, now);
    const oneDay = await counted(window, now, {
      concurrency: 1,
      maxQueries: STATUS_SHARDS + 2 * EVENT_TYPE_IDS.length,
    });
    const none = await counted(window, now, { concurrency: 1, maxQueries: 4 });
    const budgets = await Promise.all(
      Array.from({ length: 12 }, (_, i) => counted(window, now, { maxQueries: 16 + i * 24, concurrency: 4 })),
    );
    // Assess
    expect(full).toMatchObject({ complete: true, countedFrom: window.from, total: 8 });
    expect(full.counts).toEqual({ ...zero(), delivered: 4, complaint: 4 });
    expect(oneDay).toMatchObject({ complete: false, countedFrom: base + 3 * DAY, total: 2 });
    expect(oneDay.counts).toEqual({ ...zero(), delivered: 1, complaint: 1 });
    expect(none).toMatchObject({ complete: false, countedFrom: window.to, total: 0 });
    budgets.forEach((b, i) => {
      expect(b.queries).toBeLessThanOrEqual(16 + i * 24);
      if (b.complete) expect(b).toMatchObject({ countedFrom: window.from, total: 8 });
      else {
        // Whole days, newest first: `to`'s day (part of it), then whole days back to `countedFrom`.
        const days = b.countedFrom === window.to ? 0 : Math.ceil((window.to - b.countedFrom) / DAY);
        expect(b.countedFrom === window.to || b.countedFrom % DAY === 0).toBe(true);
        expect(b.total).toBe(2 * days);
        expect(b.counts).toEqual({ ...zero(), delivered: days, complaint: days });
      }
    });
    expect(budgets.at(-1)?.complete).toBe(true);
  });

  it("cut short by time on a slow store: answered within the call's budget, not as a timeout", async () => {
    // Prepare: an event on each of twelve days; a store whose every Query takes 150 ms
    const tenant = freshTenant();
    const base = (Math.floor(nowSeconds() / DAY) - 14) * DAY;
    for (let day = 0; day < 12; day++)
      await record({ ...events.delivered(`s-${salt()}@example.org`, base + day * DAY + 60), tenant });
    const budgeted = createStore({ client: toDocumentClient(client), tableName: TABLE, callBudgetMs: 1_000 });
    const window = { tenant, from: base, to: base + 12 * DAY - 1 };
    // Act
    slow.ms = 150;
    const started = performance.now();
    let answer: StatusCounts;
    try {
      answer = await statusCountsStore(budgeted).counts(window);
    } finally {
      slow.ms = 0;
    }
    const took = performance.now() - started;
    // Assess: twelve days are 192 probes and 6 type Queries each, 264 Queries of 150 ms 32 at a
    // time: more than the 1 s budget. The count starts none after half of it.
    expect(took).toBeLessThan(1_000);
    expect(answer.complete).toBe(false);
    expect(answer.countedFrom % DAY).toBe(0);
    expect(answer.countedFrom).toBeGreaterThan(window.from);
    const days = (base + 12 * DAY - answer.countedFrom) / DAY;
    expect(answer.total).toBe(days);
    expect(answer.counts.delivered).toBe(days);
  });

  it("sends only Select COUNT Queries, at most the concurrency at once, and no item comes back", async () => {
    // Prepare
    const tenant = freshTenant();
    const now = nowSeconds();
    for (let i = 0; i < 12; i++)
      await record({
        ...eventOf(EVENT_TYPE_IDS[i % 6] as EventType, `q-${salt()}@example.org`, now - i * 3_000),
        tenant,
      });
    sent.length = 0;
    flight.peak = 0;
    // Act
    const answer = await statusCountsStore(store).counts({ tenant, from: now - 30 * DAY, to: now }, now);
    const narrow = await counted({ tenant, from: now - DAY, to: now }, now, { concurrency: 3, pageLimit: 1 });
    // Assess
    expect(answer).toMatchObject({ complete: true, total: 12 });
    expect(answer.counts).toEqual(Object.fromEntries(EVENT_TYPE_IDS.map((t) => [t, 2])));
    expect(narrow.total).toBe(12);
    expect(sent.length).toBe(answer.queries + narrow.queries);
    expect(sent.every((q) => q.input.Select === "COUNT" && q.input.IndexName === "status")).toBe(true);
    expect(sent.some((q) => q.items)).toBe(false);
    expect(flight.peak).toBeLessThanOrEqual(STATUS_COUNT_CONCURRENCY);
    // 31 days × 16 shards probed; the shards with events, one Query per type.
    expect(answer.queries).toBeGreaterThanOrEqual(31 * STATUS_SHARDS + EVENT_TYPE_IDS.length);
    expect(narrow.queries).toBeGreaterThan(2 * STATUS_SHARDS); // a page of one item each
  });

  it("fails when DynamoDB fails, rather than answer a part", async () => {
    const tenant = freshTenant();
    const now = nowSeconds();
    await record({ ...events.delivered(`f-${salt()}@example.org`, now - 60), tenant });
    failing.at = 20;
    const outcome = await statusCountsStore(store)
      .counts({ tenant, from: now - 3 * DAY, to: now }, now)
      .then(
        () => new Error("expected a failure"),
        (error: unknown) => error,
      );
    failing.at = 0;
    expect(outcome).toBeInstanceOf(StoreUnavailableError);
  });

  it("refuses a reversed window and one over 30 days", async () => {
    const now = nowSeconds();
    const refusal = (from: number, to: number) =>
      statusCountsStore(store)
        .counts({ tenant: "default", from, to }, now)
        .then(
          () => new Error("expected an InputError"),
          (error: unknown) => error,
        );
    const long = await refusal(now - 30 * DAY - 1, now);
    const reversed = await refusal(now, now - 1);
    expect(long).toBeInstanceOf(InputError);
    expect((long as InputError).message).toMatch(/30 days/);
    expect(reversed).toBeInstanceOf(InputError);
    expect(
      await statusCountsStore(store).counts({ tenant: freshTenant(), from: now - 30 * DAY, to: now }, now),
    ).toMatchObject({ complete: true, total: 0, countedFrom: now - 30 * DAY });
  });

  it("leaves out another tenant's events and expired ones, as the list does", async () => {
    const tenant = freshTenant();
    const t0 = nowSeconds() - 3_600;
    await record({ ...makeEvent({ recipient: `e-${salt()}@example.org`, occurredAt: iso(t0) }), tenant }, t0);
    await record({ ...events.delivered(`o-${salt()}@example.org`, t0 + 1), tenant: `${tenant}-other` });
    await record({ ...events.delivered(`o-${salt()}@example.org`, t0 + 2), tenant: "default" });
    const window = { tenant, from: t0 - 10, to: t0 + 10 };
    expect((await counted(window, t0 + 10)).counts).toEqual({ ...zero(), invalid: 1 });
    expect((await counted(window, t0 + KEEP)).total).toBe(0);
  });
});
