/**
 * A tenant's live entries (store/lists.ts, the sharded `lists` index) on both engines, through the
 * real SDK: newest first with every live cause and the strongest matching one on top; each filter;
 * expired causes ignored as the check ignores them; entries leaving the index when nothing is live;
 * paging over 250 entries while other entries are written; tenant isolation; refused cursors; and
 * the indexes a new table gets.
 */
import { randomUUID } from "node:crypto";
import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Subject } from "../../lambdas/core/address.js";
import { InputError } from "../../lambdas/core/errors.js";
import type { NormalizedEvent } from "../../lambdas/core/events.js";
import { type Actor, type AdminStore, adminStore } from "../../lambdas/store/admin.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { openCursor, sealCursor } from "../../lambdas/store/cursor-seal.js";
import { LIST_SHARDS, listPartition } from "../../lambdas/store/index-keys.js";
import { entrySk, subjectPk } from "../../lambdas/store/keys.js";
import { type ListedEntry, type ListPage, type ListQuery, listsStore } from "../../lambdas/store/lists.js";
import { ensureTable, LISTS_INDEX, STATUS_INDEX } from "../../lambdas/store/schema.js";
import { statusStore } from "../../lambdas/store/status.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { DAY, decisionFor, events, iso, makeEvent, nowSeconds } from "./helpers.js";

const TABLE = "lists-test";
const ACTOR: Actor = { keyId: "k-ops-3", name: "ops on call" };

/** A tenant of its own per test: the list is tenant-wide. */
const freshTenant = (): string => `t-${randomUUID().slice(0, 8)}`;
const salt = (): string => randomUUID().slice(0, 8);
/** `<subject>|<scope>`: what identifies an entry. */
const idOf = (e: ListedEntry): string => `${e.subject}|${e.scope}`;

describe.each(ENGINES)("lists in the store on $name", (engine) => {
  let running: RunningEngine;
  let client: DynamoDBClient;
  let store: SuppressionStore;
  let admin: AdminStore;
  let lists: ReturnType<typeof listsStore>;

  const record = (event: NormalizedEvent, now = nowSeconds()) =>
    store.recordEvent(event, decisionFor(event), now);
  const bounce = (tenant: string, recipient: string, at: number, o: Partial<NormalizedEvent> = {}) =>
    events.userUnknown(recipient, at, { tenant, ...o });
  const complaint = (tenant: string, recipient: string, at: number) => ({
    ...events.complaint(recipient, at),
    tenant,
  });
  const unsubscribe = (tenant: string, recipient: string, at: number, scope: string) => ({
    ...events.unsubscribe(recipient, at, scope),
    tenant,
  });
  const manual = (
    tenant: string,
    subject: Subject,
    now: number,
    o: { scope?: string; note?: string; expiresAt?: number } = {},
  ) =>
    admin.suppressManually(
      {
        tenant,
        subject,
        scope: o.scope ?? "*",
        expiresAt: o.expiresAt ?? null,
        note: o.note ?? null,
        actor: ACTOR,
      },
      now,
    );
  const address = (value: string): Subject => ({ kind: "address", value });
  const domain = (value: string): Subject => ({ kind: "domain", value });
  /** Every page of a query, following cursors. */
  const readAll = async (query: Omit<ListQuery, "cursor">, now = nowSeconds()): Promise<ListPage[]> => {
    const pages: ListPage[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 200; i++) {
      const page = await lists.entries({ ...query, ...(cursor === undefined ? {} : { cursor }) }, now);
      pages.push(page);
      if (page.cursor === null) return pages;
      cursor = page.cursor;
    }
    throw new Error("the cursor never ended");
  };
  const subjects = async (query: Omit<ListQuery, "cursor" | "limit">, now = nowSeconds()) =>
    (await readAll({ limit: 100, ...query }, now)).flatMap((p) => p.entries.map(idOf));
  const refusal = async (query: ListQuery): Promise<InputError> => {
    const outcome = await lists.entries(query).then(
      () => new Error("expected an InputError"),
      (error: unknown) => error,
    );
    if (outcome instanceof InputError) return outcome;
    throw outcome;
  };
  const raw = async (pk: string, sk: string) =>
    (
      await toDocumentClient(client).send(
        new GetCommand({ TableName: TABLE, Key: { pk, sk }, ConsistentRead: true }),
      )
    ).Item;

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1" });
    store = createStore({ client: toDocumentClient(client), tableName: TABLE, backoffBaseMs: 2 });
    admin = adminStore(store);
    lists = listsStore(store);
  });
  afterAll(async () => {
    client?.destroy();
    await running?.stop();
  });

  it("a new table has the sharded lists and status indexes, keyed as design §4 says", async () => {
    const table = (await running.client.send(new DescribeTableCommand({ TableName: TABLE }))).Table;
    const byName = new Map((table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i]));
    expect(byName.get(LISTS_INDEX)?.KeySchema).toEqual([
      { AttributeName: "lpk", KeyType: "HASH" },
      { AttributeName: "lsk", KeyType: "RANGE" },
    ]);
    expect(byName.get(STATUS_INDEX)?.KeySchema).toEqual([
      { AttributeName: "vpk", KeyType: "HASH" },
      { AttributeName: "hsk", KeyType: "RANGE" },
    ]);
    expect(byName.get(LISTS_INDEX)?.Projection?.ProjectionType).toBe("ALL");
    expect(byName.get(STATUS_INDEX)?.Projection?.ProjectionType).toBe("ALL");
  });

  it("lists live entries newest first, each with every live cause and its strongest on top", async () => {
    // Prepare
    const tenant = freshTenant();
    const d = `d-${salt()}.example`;
    const [a, b, c, e, f] = ["a", "b", "c", "e", "f"].map((n) => `${n}-${salt()}@${d}`) as [
      string,
      string,
      string,
      string,
      string,
    ];
    const t0 = nowSeconds() - 3_600;
    await record(bounce(tenant, a, t0 + 10));
    await record(complaint(tenant, b, t0 + 20));
    await record(unsubscribe(tenant, c, t0 + 30, "newsletter"));
    await manual(tenant, domain(d), t0 + 40, { note: "the whole domain" });
    for (const [i, at] of [t0 + 5, t0 + 6, t0 + 7].entries()) {
      await record({ ...events.softMailboxFull(e, at), tenant, eventId: `soft-${i}-${salt()}` });
    }
    await manual(tenant, address(f), t0 + 50, { scope: "newsletter", note: "asked by phone" });
    await record(complaint(tenant, a, t0 + 60)); // a: now complaint and bounce, newest since t0 + 60
    await record(bounce("other-tenant", a, t0 + 70));
    // Act
    const page = await lists.entries({ tenant, limit: 100 });
    // Assess
    expect(page.cursor).toBeNull();
    expect(page.entries.map(idOf)).toEqual([
      `${a}|*`,
      `${f}|newsletter`,
      `${d}|*`,
      `${c}|newsletter`,
      `${b}|*`,
      `${e}|*`,
    ]);
    const [first, second, third, fourth, , last] = page.entries;
    expect(first?.top.cause).toBe("complaint");
    expect(first?.causes.map((x) => x.cause)).toEqual(["complaint", "bounce"]);
    expect(first?.causes[1]?.state).toMatchObject({
      since: iso(t0 + 10),
      source: "ses",
      verdict: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
      rule: "enhanced-5.1.1",
    });
    expect(second).toMatchObject({ subjectKind: "address", subject: f, scope: "newsletter" });
    expect(second?.top.state).toMatchObject({ source: "admin", note: "asked by phone", expiresAt: null });
    expect(third).toMatchObject({ subjectKind: "domain", subject: d, top: { cause: "manual" } });
    expect(fourth?.top).toMatchObject({
      cause: "unsubscribe",
      state: { source: "sendgrid", unsubscribeReason: "not_wanted", expiresAt: null },
    });
    expect(last?.top).toMatchObject({ cause: "soft_escalation", state: { since: iso(t0 + 5) } });
  });

  it("filters by cause, fine reason, source, scope, since/until, an address prefix and @domain", async () => {
    // Prepare
    const tenant = freshTenant();
    const d = `d-${salt()}.example`;
    const other = `o-${salt()}.example`;
    const t0 = nowSeconds() - 7_200;
    const jdoe = `jdoe@${d}`;
    const jdoe2 = `jdoe.smith@${d}`;
    const ana = `ana@${d}`;
    const far = `jdoe@${other}`;
    const sub = `x@mail.${d}`;
    await record(bounce(tenant, jdoe, t0 + 100));
    await record(bounce(tenant, jdoe2, t0 + 200, { reason: "host_unknown", subtype: "server_unreachable" }));
    await record(complaint(tenant, ana, t0 + 300));
    await record(unsubscribe(tenant, far, t0 + 400, "newsletter"));
    await record(bounce(tenant, sub, t0 + 500, { provider: "mailgun" }));
    await manual(tenant, domain(d), t0 + 600, { scope: "newsletter" });
    await manual(tenant, address(ana), t0 + 700);
    // Act / Assess
    expect(await subjects({ tenant, cause: "bounce" })).toEqual([`${sub}|*`, `${jdoe2}|*`, `${jdoe}|*`]);
    expect(await subjects({ tenant, cause: "complaint" })).toEqual([`${ana}|*`]);
    expect(await subjects({ tenant, cause: "manual" })).toEqual([`${ana}|*`, `${d}|newsletter`]);
    expect(await subjects({ tenant, cause: "unsubscribe" })).toEqual([`${far}|newsletter`]);
    expect(await subjects({ tenant, reason: "host_unknown" })).toEqual([`${jdoe2}|*`]);
    expect(await subjects({ tenant, reason: "user_unknown" })).toEqual([`${sub}|*`, `${jdoe}|*`]);
    expect(await subjects({ tenant, source: "mailgun" })).toEqual([`${sub}|*`]);
    expect(await subjects({ tenant, source: "admin" })).toEqual([`${ana}|*`, `${d}|newsletter`]);
    expect(await subjects({ tenant, source: "sendgrid", cause: "unsubscribe" })).toEqual([
      `${far}|newsletter`,
    ]);
    expect(await subjects({ tenant, source: "sendgrid", cause: "bounce" })).toEqual([]);
    expect(await subjects({ tenant, scope: "newsletter" })).toEqual([`${d}|newsletter`, `${far}|newsletter`]);
    expect(await subjects({ tenant, since: t0 + 300, until: t0 + 500 })).toEqual([
      `${sub}|*`,
      `${far}|newsletter`,
    ]);
    expect(await subjects({ tenant, until: t0 + 200 })).toEqual([`${jdoe2}|*`, `${jdoe}|*`]);
    expect(await subjects({ tenant, since: t0 + 650 })).toEqual([`${ana}|*`]); // its newest cause
    expect(await subjects({ tenant, subject: { kind: "prefix", value: "jdoe" } })).toEqual([
      `${far}|newsletter`,
      `${jdoe2}|*`,
      `${jdoe}|*`,
    ]);
    expect(await subjects({ tenant, subject: { kind: "prefix", value: `jdoe@${d.slice(0, 5)}` } })).toEqual([
      `${jdoe}|*`,
    ]);
    expect(await subjects({ tenant, subject: { kind: "domain", value: d } })).toEqual([
      `${ana}|*`,
      `${d}|newsletter`,
      `${jdoe2}|*`,
      `${jdoe}|*`,
    ]);
    // The top cause is the strongest one that matches: ana is manual and complaint.
    const [anaByComplaint] = (await readAll({ tenant, cause: "complaint", limit: 10 }))[0]?.entries ?? [];
    expect(anaByComplaint?.top.cause).toBe("complaint");
    expect(anaByComplaint?.causes.map((c) => c.cause)).toEqual(["manual", "complaint"]);
  });

  it("ignores expired causes exactly as the check does, though the item is still in the index", async () => {
    // Prepare: written while live; read 31 days later, when the 30-day cause has expired
    const tenant = freshTenant();
    const d = `d-${salt()}.example`;
    const gone = `gone@${d}`;
    const half = `half@${d}`;
    const t0 = nowSeconds() - 3_600;
    const host = (recipient: string, at: number) =>
      bounce(tenant, recipient, at, { reason: "host_unknown", subtype: "server_unreachable" });
    await record(host(gone, t0), t0 + 1);
    await record(host(half, t0), t0 + 1);
    await record(complaint(tenant, half, t0 - 10), t0 + 1);
    const later = t0 + 31 * DAY;
    // Act
    const now = await lists.entries({ tenant, limit: 10 }, t0 + 2);
    const then = await lists.entries({ tenant, limit: 10 }, later);
    const checked = await store.checkAddresses(tenant, [gone, half], undefined, later);
    // Assess
    expect(now.entries.map(idOf).sort()).toEqual([`${gone}|*`, `${half}|*`]);
    expect(then.entries.map(idOf)).toEqual([`${half}|*`]);
    expect(then.entries[0]?.causes.map((c) => c.cause)).toEqual(["complaint"]);
    expect(checked.map((v) => [v.suppressed, v.cause])).toEqual([
      [false, null],
      [true, "complaint"],
    ]);
    expect(await raw(subjectPk(tenant, "address", gone), entrySk("*"))).toHaveProperty("lsk");
  });

  it("an entry whose causes are all removed leaves the index; one with a cause left stays", async () => {
    // Prepare
    const tenant = freshTenant();
    const d = `d-${salt()}.example`;
    const one = `one@${d}`;
    const two = `two@${d}`;
    const t0 = nowSeconds() - 600;
    await manual(tenant, address(one), t0);
    await record(bounce(tenant, two, t0 + 10));
    await manual(tenant, address(two), t0 + 20);
    const before = await subjects({ tenant });
    // Act
    const remove = (value: string, cause?: "manual") =>
      admin.removeSuppression(
        {
          tenant,
          subject: address(value),
          scope: "*",
          reason: "fixed",
          actor: ACTOR,
          ...(cause ? { cause } : {}),
        },
        t0 + 30,
      );
    await remove(one);
    await remove(two, "manual");
    const after = await lists.entries({ tenant, limit: 10 });
    const item = await raw(subjectPk(tenant, "address", one), entrySk("*"));
    // Assess
    expect(before).toEqual([`${two}|*`, `${one}|*`]);
    expect(after.entries.map(idOf)).toEqual([`${two}|*`]);
    expect(after.entries[0]?.causes.map((c) => c.cause)).toEqual(["bounce"]);
    expect(item).toBeDefined(); // the entry stays (its removal guards against late events) …
    expect(item).not.toHaveProperty("lpk"); // … out of the index
    expect(item).not.toHaveProperty("lsk");
    const kept = await raw(subjectPk(tenant, "address", two), entrySk("*"));
    expect(kept?.lsk).toBe(`${iso(t0 + 10)}#${subjectPk(tenant, "address", two)}#${entrySk("*")}`);
    expect(String(kept?.lpk)).toMatch(new RegExp(`^L#${tenant}#[0-9a-f]$`));
  });

  it("250 entries in pages of 37 while others are written: each exactly once, newest first", async () => {
    // Prepare: 250 bounces one second apart, spread over the shards
    const tenant = freshTenant();
    const d = `d-${salt()}.example`;
    const t0 = nowSeconds() - 10_000;
    const originals = Array.from({ length: 250 }, (_, i) => ({
      value: `u${i}-${salt()}@${d}`,
      at: t0 + i * 10,
    }));
    for (let i = 0; i < originals.length; i += 25) {
      await Promise.all(originals.slice(i, i + 25).map((o) => record(bounce(tenant, o.value, o.at))));
    }
    const shards = new Set(
      await Promise.all(
        originals
          .slice(0, 40)
          .map(async (o) => (await raw(subjectPk(tenant, "address", o.value), entrySk("*")))?.lpk),
      ),
    );
    // Act: a writer adds newer and older entries (and complaints) while the pages are read
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const at = written % 2 === 0 ? t0 + 5_000 + written : t0 - 1_000 - written;
        await record(
          written % 3 === 0
            ? complaint(tenant, `new${written}@${d}`, at)
            : bounce(tenant, `new${written}@${d}`, at),
        );
        written++;
      }
    })();
    const pages: ListPage[] = [];
    let cursor: string | undefined;
    try {
      for (let i = 0; i < 100; i++) {
        const page = await lists.entries({ tenant, limit: 37, ...(cursor === undefined ? {} : { cursor }) });
        pages.push(page);
        if (page.cursor === null) break;
        cursor = page.cursor;
      }
    } finally {
      writing = false;
      await writer;
    }
    // Assess
    const seen = pages.flatMap((p) => p.entries.map((e) => e.subject));
    expect(written).toBeGreaterThan(0);
    expect(shards.size).toBeGreaterThan(LIST_SHARDS / 2);
    expect(pages.at(-1)?.cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    const positions = originals.map((o) => seen.indexOf(o.value));
    expect(positions.filter((p) => p < 0)).toEqual([]);
    // The originals in order: newest first.
    expect([...positions].sort((x, y) => x - y)).toEqual([...positions].reverse());
    for (const page of pages) expect(page.entries.length).toBeLessThanOrEqual(37);
    const times = pages.flatMap((p) => p.entries.map((e) => Date.parse(e.causes[0]?.state.since ?? "")));
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it("never lists another tenant's entries, and refuses another tenant's cursor", async () => {
    // Prepare
    const [a, b] = [freshTenant(), freshTenant()];
    const d = `d-${salt()}.example`;
    const t0 = nowSeconds() - 600;
    for (let i = 0; i < 5; i++) {
      await record(bounce(a, `a${i}@${d}`, t0 + i));
      await record(bounce(b, `b${i}@${d}`, t0 + i));
      await record(bounce(b, `a${i}@${d}`, t0 + 10 + i)); // the same addresses, in tenant b
    }
    // Act
    const ofA = await subjects({ tenant: a });
    const ofB = await subjects({ tenant: b });
    const first = await lists.entries({ tenant: b, limit: 2 });
    const refused = await refusal({ tenant: a, limit: 2, cursor: first.cursor ?? "" });
    // Assess
    expect(ofA).toEqual([4, 3, 2, 1, 0].map((i) => `a${i}@${d}|*`));
    expect(ofB).toHaveLength(10);
    expect(refused.issues).toEqual([{ path: "cursor", message: expect.any(String) }]);
  });

  it("refuses a garbled or forged cursor with an InputError, never a store error", async () => {
    const tenant = freshTenant();
    const d = `d-${salt()}.example`;
    for (let i = 0; i < 3; i++) await record(bounce(tenant, `c${i}@${d}`, nowSeconds() - 100 + i));
    const first = await lists.entries({ tenant, limit: 1 });
    const decoded = JSON.parse(openCursor(first.cursor ?? "", `lists|${tenant}`) ?? "null");
    // Sealed as the store seals: the checks behind the seal hold even for a holder of the key.
    const forge = (value: unknown) => sealCursor(JSON.stringify(value), `lists|${tenant}`);
    const unsealed = Buffer.from(JSON.stringify(decoded)).toString("base64url");
    const day = new Date().toISOString().slice(0, 10);
    const statusCursor = (
      await statusStore(store).events({ tenant, from: nowSeconds() - DAY, to: nowSeconds(), limit: 1 })
    ).cursor;
    for (const cursor of [
      "garbage",
      "e30",
      unsealed,
      forge({ ...decoded, p: { ...decoded.p, k: "not a key" } }),
      forge({ ...decoded, p: { ...decoded.p, k: `${new Date().toISOString()}#T#someone-else#A#x@y.z#S#*` } }),
      forge({ ...decoded, g: day }),
      forge({ ...decoded, p: { ...decoded.p, s: LIST_SHARDS } }),
      statusCursor ?? "",
    ]) {
      const error = await refusal({ tenant, limit: 1, cursor });
      expect(error.message).toMatch(/cursor/);
    }
    // …and a cursor outside the query's window is refused too (DynamoDB would refuse the Query).
    const refused = await refusal({ tenant, limit: 1, since: nowSeconds(), cursor: first.cursor ?? "" });
    expect(refused.issues[0]?.path).toBe("cursor");
    expect(listPartition(tenant, 0)).toBe(`L#${tenant}#0`);
  });

  it("an lsk too long for DynamoDB names the entry by a hash, and the entry is listed", async () => {
    // A long tenant, a 64-character local part and a scope of 200 `%` (each escaped to three
    // characters): `<time>#<pk>#<sk>` would be over 1024 bytes.
    const tenant = `${freshTenant()}-${"x".repeat(40)}`;
    const d = `${"a".repeat(58)}.${"b".repeat(58)}.${salt()}${"c".repeat(50)}.example`;
    const scope = "%".repeat(200);
    const value = `${"#".repeat(64)}@${d}`;
    const at = nowSeconds() - 60;
    await record(makeEvent({ ...unsubscribe(tenant, value, at, scope) }));
    const page = await lists.entries({ tenant, limit: 5 });
    const item = await raw(subjectPk(tenant, "address", value), entrySk(scope));
    expect(page.entries.map(idOf)).toEqual([`${value}|${scope}`]);
    expect(String(item?.lsk)).toMatch(new RegExp(`^${iso(at).replace(/[.]/g, "\\.")}#H#[A-Za-z0-9_-]{43}$`));
    const second = await lists.entries({ tenant, limit: 1, scope });
    expect(second.entries).toHaveLength(1);
    expect(
      Buffer.byteLength(`${iso(at)}#${subjectPk(tenant, "address", value)}#${entrySk(scope)}`),
    ).toBeGreaterThan(1024);
  });
});
