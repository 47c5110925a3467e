/**
 * The reputation figures in the store (store/stats.ts) on both engines, through the real SDK: a
 * day's counts equal the events first accepted that day, duplicates (sequential and concurrent
 * copies) and out-of-order events included; a closed day is rolled up once and then read from its
 * rollup, unchanged by later writes; other tenants never count; the rates and `over` flags follow.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../lambdas/core/events.js";
import { figures } from "../../lambdas/core/reputation.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { STATS_SETTLE_SECONDS, statsStore } from "../../lambdas/store/stats.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { DAY, decisionFor, events, freshAddress } from "./helpers.js";

const TABLE = "stats-test";
/** 00:00 UTC of a fixed day, well inside the history of "now" below. */
const DAY1 = Date.UTC(2026, 10, 20) / 1000;
const DAY2 = DAY1 + DAY;
const day = (s: number): string => new Date(s * 1000).toISOString().slice(0, 10);

describe.each(ENGINES)("the reputation figures in the store on $name", (engine) => {
  let running: RunningEngine;
  let store: SuppressionStore;
  const tenant = `s-${randomUUID().slice(0, 8)}`;
  const other = `o-${randomUUID().slice(0, 8)}`;
  const withTenant = (e: NormalizedEvent, t = tenant, tags: string[] = ["news"]): NormalizedEvent => ({
    ...e,
    tenant: t,
    tags,
  });
  const record = (e: NormalizedEvent, receivedAt: number) => store.recordEvent(e, decisionFor(e), receivedAt);

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    store = createStore({
      client: toDocumentClient(createDynamoDbClient({ endpoint: running.endpoint })),
      tableName: TABLE,
    });
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  it("counts each accepted event once, on the day it was accepted", async () => {
    const day1: NormalizedEvent[] = [];
    for (let i = 0; i < 6; i++) day1.push(withTenant(events.delivered(freshAddress(), DAY1 + 60 + i)));
    day1.push(withTenant(events.userUnknown(freshAddress(), DAY1 + 100)));
    day1.push(withTenant(events.softMailboxFull(freshAddress(), DAY1 + 110), tenant, ["promo"]));
    day1.push(withTenant(events.complaint(freshAddress(), DAY1 + 120)));
    // Out of order: it happened two days before it arrived, and counts on its day of arrival.
    const late = withTenant(events.userUnknown(freshAddress(), DAY1 - 2 * DAY));
    day1.push(late);
    // Concurrent copies of every event, then a sequential redelivery of each: counted once.
    await Promise.all(day1.flatMap((e) => [record(e, DAY1 + 3_600), record(e, DAY1 + 3_600)]));
    for (const e of day1) expect((await record(e, DAY1 + 7_200)).duplicate).toBe(true);
    // A redelivery on the next day is still a duplicate: day 2 does not count it.
    await record(day1[0] as NormalizedEvent, DAY2 + 60);
    await record(withTenant(events.delivered(freshAddress(), DAY2 + 10)), DAY2 + 60);
    await record(withTenant(events.userUnknown(freshAddress(), DAY1 + 50), other), DAY1 + 3_600);

    const now = DAY2 + DAY + STATS_SETTLE_SECONDS + 60;
    const first = await statsStore(store).read(tenant, day(DAY1), day(DAY2), now);
    expect(first.complete).toBe(true);
    expect(first.rolledUp).toEqual([day(DAY1), day(DAY2)]);
    const byDay = figures(first.days, { groupBy: "day" });
    expect(byDay.rows.map((r) => r.key)).toEqual([day(DAY1), day(DAY2)]);
    const [d1, d2] = byDay.rows;
    expect(d1?.counts).toMatchObject({
      deliveries: 6,
      invalid: 2,
      softBounces: 1,
      complaints: 1,
      requests: 0,
    });
    expect(d2?.counts).toMatchObject({ deliveries: 1, invalid: 0, softBounces: 0, complaints: 0 });
    // 2 hard bounces over 6 + 1 + 2 = 9 sent and bounced; 1 complaint over the same 9.
    expect(d1?.bounceRate).toBeCloseTo(2 / 9, 10);
    expect(d1?.complaintRate).toBeCloseTo(1 / 9, 10);
    expect(d1?.over).toEqual({ bounceRate: true, complaintRate: true });
    expect(byDay.total.counts.deliveries).toBe(7);

    const byTag = figures(first.days, { groupBy: "tag" });
    expect(
      Object.fromEntries(byTag.rows.map((r) => [r.key, r.counts.softBounces + r.counts.deliveries])),
    ).toEqual({
      news: 7,
      promo: 1,
    });

    // Closed days now read from their rollups: no live count, the same figures, and a late write
    // with a receipt time on a closed day (a clock gone back) does not change them.
    await record(withTenant(events.delivered(freshAddress(), DAY1 + 500)), DAY1 + 500);
    const again = await statsStore(store).read(tenant, day(DAY1), day(DAY2), now);
    expect(again.rolledUp).toEqual([]);
    expect(again.days).toEqual(first.days);
  }, 120_000);

  it("counts an open day live, and leaves it open", async () => {
    const t = `l-${randomUUID().slice(0, 8)}`;
    const e = withTenant(events.delivered(freshAddress(), DAY1 + 10), t);
    await record(e, DAY1 + 20);
    const read = await statsStore(store).read(t, day(DAY1), day(DAY1), DAY1 + 30);
    expect(read.rolledUp).toEqual([]);
    expect(figures(read.days, { groupBy: "day" }).total.counts.deliveries).toBe(1);
    await record(withTenant(events.complaint(freshAddress(), DAY1 + 40), t), DAY1 + 50);
    const later = await statsStore(store).read(t, day(DAY1), day(DAY1), DAY1 + 60);
    expect(figures(later.days, { groupBy: "day" }).total.counts).toMatchObject({
      deliveries: 1,
      complaints: 1,
    });
  }, 60_000);

  it("reads closed days the tenant has no note of as zero from one notes read, and counts the noted day", async () => {
    // Arrange: a tenant whose only event arrived on DAY2; a week of closed days before it
    const t = `n-${randomUUID().slice(0, 8)}`;
    await record(withTenant(events.delivered(freshAddress(), DAY2 + 10), t), DAY2 + 20);
    const now = DAY2 + DAY + STATS_SETTLE_SECONDS + 60;
    // Act
    const read = await statsStore(store).read(t, day(DAY2 - 7 * DAY), day(DAY2), now);
    // Assert: complete; the rollups read, the notes read, and DAY2's shards only
    expect(read.complete).toBe(true);
    expect(read.days).toHaveLength(8);
    expect(figures(read.days, { groupBy: "day" }).total.counts.deliveries).toBe(1);
    expect(read.rolledUp).toEqual([day(DAY2)]);
    expect(read.queries).toBeLessThanOrEqual(2 + 16 + 4);
  }, 60_000);
});
