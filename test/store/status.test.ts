/**
 * The status view (store/status.ts, the sharded `status` index) on both engines, through the real
 * SDK: a tenant's provider events in a window, newest first, across the day partitions; type,
 * provider and tag filters; operators' actions left out; windows over 30 days refused; paging with
 * events written meanwhile; one event id for several recipients at the same time; expired events.
 */
import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../lambdas/core/errors.js";
import type { NormalizedEvent } from "../../lambdas/core/events.js";
import { DEFAULT_POLICY } from "../../lambdas/core/policy/index.js";
import { adminStore } from "../../lambdas/store/admin.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { openCursor, sealCursor } from "../../lambdas/store/cursor-seal.js";
import { STATUS_SHARDS, shardOf } from "../../lambdas/store/index-keys.js";
import type { EventItem } from "../../lambdas/store/ingest.js";
import { eventSk, subjectPk } from "../../lambdas/store/keys.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { type StatusPage, type StatusQuery, statusStore } from "../../lambdas/store/status.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { DAY, decisionFor, events, iso, makeEvent, nowSeconds } from "./helpers.js";

const TABLE = "status-test";
const freshTenant = (): string => `t-${randomUUID().slice(0, 8)}`;
const salt = (): string => randomUUID().slice(0, 8);
/** `<type>@<time>` of an item, for order assertions. */
const label = (item: EventItem): string => `${item.event.type}@${item.event.occurredAt}`;
const keyOf = (item: EventItem): string => `${item.pk}|${item.sk}`;

describe.each(ENGINES)("the status view in the store on $name", (engine) => {
  let running: RunningEngine;
  let client: DynamoDBClient;
  let store: SuppressionStore;
  let status: ReturnType<typeof statusStore>;

  const record = (event: NormalizedEvent, now = nowSeconds()) =>
    store.recordEvent(event, decisionFor(event), now);
  const event = (tenant: string, at: number, o: Partial<NormalizedEvent> = {}) =>
    makeEvent({ tenant, recipient: `r-${salt()}@example.org`, occurredAt: iso(at), ...o });
  const readAll = async (query: Omit<StatusQuery, "cursor">, now = nowSeconds()): Promise<StatusPage[]> => {
    const pages: StatusPage[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 300; i++) {
      const page = await status.events({ ...query, ...(cursor === undefined ? {} : { cursor }) }, now);
      pages.push(page);
      if (page.cursor === null) return pages;
      cursor = page.cursor;
    }
    throw new Error("the cursor never ended");
  };
  const all = async (query: Omit<StatusQuery, "cursor" | "limit">, now = nowSeconds()) =>
    (await readAll({ limit: 100, ...query }, now)).flatMap((p) => [...p.items]);
  const refusal = async (query: StatusQuery): Promise<InputError> => {
    const outcome = await status.events(query).then(
      () => new Error("expected an InputError"),
      (error: unknown) => error,
    );
    if (outcome instanceof InputError) return outcome;
    throw outcome;
  };

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1" });
    store = createStore({ client: toDocumentClient(client), tableName: TABLE, backoffBaseMs: 2 });
    status = statusStore(store);
  });
  afterAll(async () => {
    client?.destroy();
    await running?.stop();
  });

  it("lists the tenant's provider events in the window, newest first, as stored; no actions", async () => {
    // Prepare
    const tenant = freshTenant();
    const t0 = nowSeconds() - 3_600;
    const bounce = event(tenant, t0 + 10);
    const delivered = { ...events.delivered(`d-${salt()}@example.org`, t0 + 20), tenant };
    const complaint = { ...events.complaint(`c-${salt()}@example.org`, t0 + 30), tenant };
    for (const e of [bounce, delivered, complaint]) await record(e);
    await record(event(tenant, t0 - 100)); // before the window
    await record(event(tenant, t0 + 100)); // after it
    await record(event("other-tenant", t0 + 15));
    await adminStore(store).suppressManually(
      {
        tenant,
        subject: { kind: "address", value: bounce.recipient },
        scope: "*",
        expiresAt: null,
        note: null,
        actor: { keyId: "k", name: "ops" },
      },
      t0 + 25,
    );
    // Act
    const page = await status.events({ tenant, from: t0, to: t0 + 50, limit: 10 });
    const stored = (
      await toDocumentClient(client).send(
        new GetCommand({
          TableName: TABLE,
          Key: { pk: subjectPk(tenant, "address", bounce.recipient), sk: eventSk("ses", bounce.eventId) },
          ConsistentRead: true,
        }),
      )
    ).Item;
    // Assess
    expect(page.cursor).toBeNull();
    expect(page.items.map(label)).toEqual([
      `complaint@${iso(t0 + 30)}`,
      `delivered@${iso(t0 + 20)}`,
      `invalid@${iso(t0 + 10)}`,
    ]);
    expect(page.items[2]).toEqual(stored);
    expect(page.items[2]).toMatchObject({ kind: "event", address: bounce.recipient, applied: true });
    expect(String(stored?.vpk)).toMatch(new RegExp(`^V#${tenant}#${iso(t0 + 10).slice(0, 10)}#[0-9a-f]$`));
  });

  it("from and to are inclusive, to the second", async () => {
    const tenant = freshTenant();
    const t0 = nowSeconds() - 3_600;
    for (let i = 0; i < 5; i++) await record(event(tenant, t0 + i * 10));
    const times = async (from: number, to: number) =>
      (await all({ tenant, from, to })).map((i) => i.event.occurredAt);
    expect(await times(t0 + 10, t0 + 30)).toEqual([iso(t0 + 30), iso(t0 + 20), iso(t0 + 10)]);
    expect(await times(t0 + 11, t0 + 29)).toEqual([iso(t0 + 20)]);
    expect(await times(t0 + 20, t0 + 20)).toEqual([iso(t0 + 20)]);
    expect(await times(t0 + 41, t0 + 100)).toEqual([]);
  });

  it("filters by type, provider and tag", async () => {
    const tenant = freshTenant();
    const t0 = nowSeconds() - 3_600;
    await record(event(tenant, t0 + 1, { tags: ["newsletter", "promo"] }));
    await record(event(tenant, t0 + 2, { provider: "sendgrid", tags: ["newsletter"] }));
    await record({
      ...events.delivered(`x-${salt()}@example.org`, t0 + 3),
      tenant,
      provider: "mailgun",
      tags: ["promo"],
    });
    await record({ ...events.complaint(`y-${salt()}@example.org`, t0 + 4), tenant, provider: "sendgrid" });
    const window = { tenant, from: t0, to: t0 + 10 };
    const types = async (query: Partial<StatusQuery>) =>
      (await all({ ...window, ...query })).map((i) => `${i.event.provider}:${i.event.type}`);
    expect(await types({})).toEqual([
      "sendgrid:complaint",
      "mailgun:delivered",
      "sendgrid:invalid",
      "ses:invalid",
    ]);
    expect(await types({ type: "invalid" })).toEqual(["sendgrid:invalid", "ses:invalid"]);
    expect(await types({ provider: "sendgrid" })).toEqual(["sendgrid:complaint", "sendgrid:invalid"]);
    expect(await types({ tag: "promo" })).toEqual(["mailgun:delivered", "ses:invalid"]);
    expect(await types({ tag: "newsletter", provider: "sendgrid" })).toEqual(["sendgrid:invalid"]);
    expect(await types({ tag: "none-has-it" })).toEqual([]);
    expect(await types({ tag: "news" })).toEqual([]); // a tag matches whole, never a part of one
  });

  it("a window over several days reads the day partitions newest first, in pages, in order", async () => {
    // Prepare: 4 events a day over 6 days, from the oldest day's noon
    const tenant = freshTenant();
    const start = (Math.floor(nowSeconds() / DAY) - 7) * DAY + DAY / 2;
    const times = Array.from({ length: 24 }, (_, i) => start + Math.floor(i / 4) * DAY + (i % 4) * 3_600);
    for (const at of times) await record(event(tenant, at));
    // Act
    const pages = await readAll({ tenant, from: start - DAY, to: start + 6 * DAY, limit: 5 });
    const inner = await all({ tenant, from: start + DAY + 1, to: start + 4 * DAY });
    // Assess
    const seen = pages.flatMap((p) => p.items.map((i) => i.event.occurredAt));
    expect(seen).toEqual([...times].reverse().map(iso));
    expect(pages.slice(0, -1).every((p) => p.items.length === 5)).toBe(true);
    expect(inner.map((i) => i.event.occurredAt)).toEqual(
      times
        .filter((t) => t >= start + DAY + 1 && t <= start + 4 * DAY)
        .reverse()
        .map(iso),
    );
  });

  it("refuses a window over 30 days, a reversed one, and cursors it did not give", async () => {
    const tenant = freshTenant();
    const now = nowSeconds();
    for (let i = 0; i < 3; i++) await record(event(tenant, now - 100 + i));
    expect((await refusal({ tenant, from: now - 30 * DAY - 1, to: now, limit: 5 })).message).toMatch(
      /30 days/,
    );
    expect((await refusal({ tenant, from: now, to: now - 1, limit: 5 })).message).toMatch(/after/);
    const window = { tenant, from: now - DAY, to: now, limit: 1 };
    const first = await status.events(window);
    const decoded = JSON.parse(openCursor(first.cursor ?? "", `status|${tenant}`) ?? "null");
    // Sealed as the store seals: the checks behind the seal hold even for a holder of the key.
    const forge = (value: unknown) => sealCursor(JSON.stringify(value), `status|${tenant}`);
    const unsealed = Buffer.from(JSON.stringify(decoded)).toString("base64url");
    const otherShardKey = (k: string, shard: number): string => {
      for (const suffix of "abcdefghijklmnopqrstuvwxyz") {
        const candidate = `${k}${suffix}`;
        if (shardOf(candidate.slice(candidate.indexOf("#") + 1), STATUS_SHARDS) !== shard) return candidate;
      }
      throw new Error("no suffix moves the key to another shard");
    };
    for (const cursor of [
      "x",
      unsealed,
      forge({ ...decoded, g: "1999-01-01" }),
      forge({ ...decoded, p: { ...decoded.p, pk: "T#someone-else#A#x@y.z" } }),
      forge({ ...decoded, p: { ...decoded.p, s: (decoded.p.s + 1) % 16 } }),
      // A key of no item, in another shard than its own hash names (one in 16 suffixes would not be).
      forge({ ...decoded, p: { ...decoded.p, k: otherShardKey(decoded.p.k, decoded.p.s) } }),
      forge({ ...decoded, p: { k: decoded.p.k, s: decoded.p.s } }),
    ]) {
      expect((await refusal({ ...window, cursor })).issues[0]?.path).toBe("cursor");
    }
    // The same cursor with another window whose days do not hold its position is refused too.
    expect(
      (await refusal({ ...window, from: now - 5 * DAY, to: now - 3 * DAY, cursor: first.cursor ?? "" }))
        .issues[0]?.path,
    ).toBe("cursor");
    expect(
      await refusal({
        tenant: freshTenant(),
        from: now - DAY,
        to: now,
        limit: 1,
        cursor: first.cursor ?? "",
      }),
    ).toBeInstanceOf(InputError);
  });

  it("pages of 7 while events are written: every earlier event exactly once", async () => {
    // Prepare: 60 events over two days
    const tenant = freshTenant();
    const t0 = nowSeconds() - 2 * DAY;
    const originals = Array.from({ length: 60 }, (_, i) => event(tenant, t0 + i * 2_400));
    for (let i = 0; i < originals.length; i += 20)
      await Promise.all(originals.slice(i, i + 20).map((e) => record(e)));
    const query = { tenant, from: t0 - 10, to: nowSeconds(), limit: 7 };
    // Act: after every page, a newer, an older and a middle event
    const pages: StatusPage[] = [];
    let cursor: string | undefined;
    let n = 0;
    for (let i = 0; i < 60; i++) {
      const page = await status.events({ ...query, ...(cursor === undefined ? {} : { cursor }) });
      pages.push(page);
      if (page.cursor === null) break;
      cursor = page.cursor;
      await record(event(tenant, nowSeconds() - 5 - n));
      await record(event(tenant, t0 + n));
      await record(event(tenant, t0 + DAY + n++));
    }
    // Assess
    const seen = pages.flatMap((p) => p.items.map(keyOf));
    expect(new Set(seen).size).toBe(seen.length);
    for (const e of originals) {
      const key = `${subjectPk(tenant, "address", e.recipient)}|${eventSk(e.provider, e.eventId)}`;
      expect(seen.filter((k) => k === key)).toHaveLength(1);
    }
    expect(pages.at(-1)?.cursor).toBeNull();
  });

  it("one event id for several recipients at the same time: each once, in pages of one", async () => {
    const tenant = freshTenant();
    const at = nowSeconds() - 600;
    const eventId = `shared-${salt()}`;
    const recipients = Array.from({ length: 6 }, (_, i) => `same-${i}-${salt()}@example.org`);
    for (const recipient of recipients) await record(event(tenant, at, { eventId, recipient }));
    await record(event(tenant, at + 1));
    await record(event(tenant, at - 1));
    const pages = await readAll({ tenant, from: at - 10, to: at + 10, limit: 1 });
    const seen = pages.flatMap((p) => p.items.map((i) => i.address));
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen.slice(1, 7).sort()).toEqual([...recipients].sort());
  });

  it("leaves out events past their history ttl (DynamoDB deletes lazily)", async () => {
    const tenant = freshTenant();
    const t0 = nowSeconds() - 3_600;
    await record(event(tenant, t0), t0 + 1);
    const keep = DEFAULT_POLICY.history.keepDays * DAY;
    expect(await all({ tenant, from: t0 - 10, to: t0 + 10 }, t0 + 10)).toHaveLength(1);
    expect(await all({ tenant, from: t0 - 10, to: t0 + 10 }, t0 + 1 + keep)).toHaveLength(0);
  });
});
