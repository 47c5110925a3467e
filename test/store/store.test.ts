/**
 * The store against both engines (dynalite in process, DynamoDB Local in Java), through the real
 * SDK: every invariant of design.md §3, batch lookups with counted BatchGetItem calls, the
 * single-subject view of an address or a domain (`getAddress`), and failures.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EntryState } from "../../lambdas/core/ledger/types.js";
import { toDocumentClient } from "../../lambdas/store/client.js";
import { StoreUnavailableError } from "../../lambdas/store/errors.js";
import { addressPk, domainPk, entrySk, eventSk } from "../../lambdas/store/keys.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { ENGINES, freeLoopbackPort, type RunningEngine } from "../support/engines.js";
import {
  DAY,
  decisionFor,
  events,
  freshAddress,
  iso,
  type makeEvent,
  nowSeconds,
  type Probe,
  probedStore,
} from "./helpers.js";

const TABLE = "suppressions-test";

/** The ledger state of a raw entry item (fails the test when the item is missing). */
function stateOf(item: Record<string, unknown> | undefined): EntryState {
  if (item === undefined) throw new Error("the entry item is missing");
  return item.state as EntryState;
}

describe.each(ENGINES)("store on $name", (engine) => {
  let running: RunningEngine;
  let store: SuppressionStore;
  let probe: Probe;
  let raw: DynamoDBClient;
  const record = (event: ReturnType<typeof makeEvent>, now = nowSeconds()) =>
    store.recordEvent(event, decisionFor(event), now);
  const readItem = async (pk: string, sk: string) =>
    (
      await toDocumentClient(raw).send(
        new GetCommand({ TableName: TABLE, Key: { pk, sk }, ConsistentRead: true }),
      )
    ).Item;

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    ({ store, probe } = probedStore(running.endpoint, TABLE));
    raw = new DynamoDBClient({
      endpoint: running.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  });
  afterAll(async () => {
    raw?.destroy();
    await running?.stop();
  });
  beforeEach(() => {
    probe.reset();
    probe.failWriteNumber = null;
    probe.unprocessOnce = false;
    probe.unprocessAlways = false;
  });

  describe("ingestion", () => {
    it("suppresses a user_unknown bounce at * for 365 days and answers the §5.3 verdict", async () => {
      // Prepare
      const address = freshAddress();
      const at = nowSeconds() - 60;
      const event = events.userUnknown(address, at);
      // Act
      const result = await record(event);
      const [verdict] = await store.checkAddresses("default", [address]);
      // Assess
      expect(result).toMatchObject({ duplicate: false, outcome: "suppressed", cause: "bounce" });
      expect(result.duplicate === false && result.expiresAt).toBe(at + 365 * DAY);
      expect(verdict).toEqual({
        address,
        suppressed: true,
        cause: "bounce",
        reason: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
        scope: "*",
        since: iso(at),
        expiresAt: iso(at + 365 * DAY),
        source: "ses",
      });
    });

    it("keeps each cause's own expiry (bounce and complaint side by side)", async () => {
      // Prepare
      const address = freshAddress();
      const at = nowSeconds() - 60;
      // Act
      await record(events.hostUnknown(address, at)); // 30 days
      await record(events.complaint(address, at + 1)); // 180 days
      const view = await store.getAddress("default", address);
      // Assess
      expect(view.entries.map((e) => [e.cause, e.expiresAt])).toEqual([
        ["complaint", iso(at + 1 + 180 * DAY)],
        ["bounce", iso(at + 30 * DAY)],
      ]);
      expect(view.verdict).toMatchObject({ suppressed: true, cause: "complaint" });
    });

    it("never weakens: a weaker or older event leaves the expiry; a repeat extends it", async () => {
      // Prepare
      const address = freshAddress();
      const t = nowSeconds() - 10 * DAY;
      await record(events.userUnknown(address, t)); // until t + 365d
      // Act
      const weaker = await record(events.hostUnknown(address, t + DAY)); // would be t + 31d
      const older = await record(events.userUnknown(address, t - DAY)); // would be t + 364d
      const afterWeak = (await store.checkAddresses("default", [address]))[0];
      const repeat = await record(events.userUnknown(address, t + 2 * DAY));
      const afterRepeat = (await store.checkAddresses("default", [address]))[0];
      // Assess
      expect(weaker.duplicate === false && weaker.outcome).toBe("unchanged");
      expect(older.duplicate === false && older.outcome).toBe("unchanged");
      expect(afterWeak?.expiresAt).toBe(iso(t + 365 * DAY));
      expect(repeat.duplicate === false && repeat.outcome).toBe("extended");
      expect(afterRepeat?.expiresAt).toBe(iso(t + 2 * DAY + 365 * DAY));
      expect(afterRepeat?.since).toBe(iso(t - DAY));
    });

    it("is idempotent: the same provider event twice is a duplicate with the effect of once", async () => {
      // Prepare
      const address = freshAddress();
      const event = events.softMailboxFull(address, nowSeconds() - 100);
      // Act
      const first = await record(event);
      const second = await record(event);
      const third = await record(event);
      const entry = await readItem(addressPk("default", address), entrySk("*"));
      // Assess
      expect(first).toMatchObject({ duplicate: false, outcome: "counted" });
      expect(second).toEqual({ duplicate: true, outcome: "counted" });
      expect(third).toEqual({ duplicate: true, outcome: "counted" });
      expect(Object.keys(stateOf(entry).soft.hits)).toEqual([event.eventId]);
      expect(entry?.version).toBe(1);
    });

    it("is safe out of order: the newer event wins whichever arrives first", async () => {
      // Prepare
      const inOrder = freshAddress();
      const reversed = freshAddress();
      const t = nowSeconds() - 5 * DAY;
      // Act
      await record(events.userUnknown(inOrder, t));
      await record(events.userUnknown(inOrder, t + DAY));
      await record(events.userUnknown(reversed, t + DAY));
      await record(events.userUnknown(reversed, t));
      const [a, b] = await store.checkAddresses("default", [inOrder, reversed]);
      // Assess
      expect(a?.expiresAt).toBe(iso(t + DAY + 365 * DAY));
      expect(b?.expiresAt).toBe(a?.expiresAt);
      expect(b?.since).toBe(a?.since);
    });

    it("escalates the 3rd recipient-side soft bounce within 14 days; a delivery ends it", async () => {
      // Prepare
      const address = freshAddress();
      const t = nowSeconds() - 3 * DAY;
      // Act
      const r1 = await record(events.softMailboxFull(address, t));
      const r2 = await record(events.softMailboxFull(address, t + DAY));
      const before = (await store.checkAddresses("default", [address]))[0];
      const r3 = await record(events.softMailboxFull(address, t + 2 * DAY));
      const escalated = (await store.checkAddresses("default", [address]))[0];
      const reset = await record(events.delivered(address, t + 2 * DAY + 3600));
      const after = (await store.checkAddresses("default", [address]))[0];
      // Assess
      expect([r1, r2, r3].map((r) => r.outcome)).toEqual(["counted", "counted", "escalated"]);
      expect(before?.suppressed).toBe(false);
      expect(escalated).toMatchObject({ suppressed: true, cause: "soft_escalation", scope: "*" });
      expect(escalated?.expiresAt).toBe(iso(t + 2 * DAY + 7 * DAY));
      expect(r3.duplicate === false && r3.expiresAt).toBe(t + 9 * DAY);
      expect(reset.outcome).toBe("reset");
      expect(after?.suppressed).toBe(false);
    });

    it("a delivery never touches another cause, and soft bounces spread over > 14 days do not escalate", async () => {
      // Prepare
      const bounced = freshAddress();
      const spread = freshAddress();
      const t = nowSeconds() - 40 * DAY;
      await record(events.userUnknown(bounced, nowSeconds() - DAY));
      // Act
      await record(events.delivered(bounced, nowSeconds()));
      for (const d of [0, 15, 30]) await record(events.softMailboxFull(spread, t + d * DAY));
      const [b, s] = await store.checkAddresses("default", [bounced, spread]);
      // Assess
      expect(b).toMatchObject({ suppressed: true, cause: "bounce" });
      expect(s?.suppressed).toBe(false);
    });

    it("a resubscribe lifts that scope's unsubscribe; an older unsubscribe arriving later stays lifted", async () => {
      // Prepare
      const address = freshAddress();
      const t = nowSeconds() - DAY;
      await record(events.unsubscribe(address, t, "newsletter"));
      await record(events.unsubscribe(address, t, "promo"));
      const unsubscribed = (await store.checkAddresses("default", [address], "newsletter/weekly"))[0];
      // Act
      const lifted = await record(events.unsubscribe(address, t + 3600, "newsletter", true));
      const late = await record(events.unsubscribe(address, t - 3600, "newsletter"));
      const [news, promo, all] = await Promise.all(
        ["newsletter/weekly", "promo", undefined].map(
          async (scope) => (await store.checkAddresses("default", [address], scope))[0],
        ),
      );
      const again = await record(events.unsubscribe(address, t + 7200, "newsletter"));
      const newer = (await store.checkAddresses("default", [address], "newsletter"))[0];
      // Assess
      expect(unsubscribed).toMatchObject({
        suppressed: true,
        cause: "unsubscribe",
        scope: "newsletter",
        expiresAt: null,
      });
      expect(lifted.outcome).toBe("lifted");
      expect(late.outcome).toBe("unchanged");
      expect(news?.suppressed).toBe(false);
      expect(promo).toMatchObject({ suppressed: true, scope: "promo" });
      expect(all?.suppressed).toBe(false);
      expect(again.outcome).toBe("suppressed");
      expect(newer).toMatchObject({ suppressed: true, cause: "unsubscribe", source: "sendgrid" });
    });

    it("filters expired causes on read although the item (and its past ttl) is still there", async () => {
      // Prepare
      const address = freshAddress();
      const at = nowSeconds() - 40 * DAY; // host_unknown: 30 days, so expired 10 days ago
      // Act
      const result = await record(events.hostUnknown(address, at));
      const [verdict] = await store.checkAddresses("default", [address]);
      const view = await store.getAddress("default", address);
      const item = await readItem(addressPk("default", address), entrySk("*"));
      // Assess
      expect(result).toMatchObject({ duplicate: false, outcome: "suppressed", cause: null, expiresAt: null });
      expect(verdict?.suppressed).toBe(false);
      expect(view.entries).toEqual([]);
      expect(item?.ttl).toBe(at + 30 * DAY);
    });

    it("keeps history items for 30 days, marked applied with their outcome; `none` decisions too", async () => {
      // Prepare
      const address = freshAddress();
      const now = nowSeconds();
      const bounce = events.userUnknown(address, now - 5);
      const open = events.open(address, now - 4);
      // Act
      await store.recordEvent(bounce, decisionFor(bounce), now);
      const ignored = await store.recordEvent(open, decisionFor(open), now);
      const again = await store.recordEvent(open, decisionFor(open), now);
      const pk = addressPk("default", address);
      const h1 = await readItem(pk, eventSk("ses", bounce.eventId));
      const h2 = await readItem(pk, eventSk("ses", open.eventId));
      const entry = await readItem(pk, entrySk("*"));
      // Assess
      expect(h1).toMatchObject({ applied: true, outcome: "suppressed", ttl: now + 30 * DAY, event: bounce });
      expect(h2).toMatchObject({ applied: true, outcome: "none", ttl: now + 30 * DAY });
      expect(ignored).toMatchObject({ duplicate: false, outcome: "none", cause: null });
      expect(again).toEqual({ duplicate: true, outcome: "none" });
      expect(entry?.version).toBe(1);
    });

    it("keeps a tenant's entries apart and escapes # in keys", async () => {
      // Prepare
      const address = `a#b-${freshAddress()}`;
      const event = events.complaint(address, nowSeconds() - 5);
      // Act
      await store.recordEvent({ ...event, tenant: "t#1" }, decisionFor(event));
      const [mine] = await store.checkAddresses("t#1", [address]);
      const [other] = await store.checkAddresses("t", [address]);
      const [dflt] = await store.checkAddresses("default", [address]);
      // Assess
      expect(mine?.suppressed).toBe(true);
      expect(other?.suppressed).toBe(false);
      expect(dflt?.suppressed).toBe(false);
      expect(addressPk("t#1", address)).toBe(`T#t%231#A#${address.replace("#", "%23")}`);
    });
  });

  describe("crash mid-way", () => {
    it("a failed entry write (2nd write) leaves the claim unapplied; the retry applies it exactly once", async () => {
      // Prepare
      const address = freshAddress();
      const event = events.softMailboxFull(address, nowSeconds() - 50);
      probe.failWriteNumber = 2; // 1: history claim, 2: entry, 3: history mark
      // Act
      const crash = await record(event).catch((err: unknown) => err);
      const claim = await readItem(addressPk("default", address), eventSk("ses", event.eventId));
      probe.failWriteNumber = null;
      const retry = await record(event);
      const duplicate = await record(event);
      const entry = await readItem(addressPk("default", address), entrySk("*"));
      // Assess
      expect(crash).toBeInstanceOf(StoreUnavailableError);
      expect(claim?.applied).toBe(false);
      expect(retry).toMatchObject({ duplicate: false, outcome: "counted" });
      expect(duplicate).toEqual({ duplicate: true, outcome: "counted" });
      expect(Object.keys(stateOf(entry).soft.hits)).toEqual([event.eventId]);
      expect(entry?.version).toBe(1);
    });

    it("a failed history mark (3rd write) is repaired by the retry without a second entry write", async () => {
      // Prepare
      const address = freshAddress();
      const event = events.userUnknown(address, nowSeconds() - 50);
      probe.failWriteNumber = 3;
      // Act
      const crash = await record(event).catch((err: unknown) => err);
      probe.failWriteNumber = null;
      probe.reset();
      const retry = await record(event);
      const entry = await readItem(addressPk("default", address), entrySk("*"));
      const claim = await readItem(addressPk("default", address), eventSk("ses", event.eventId));
      // Assess
      expect(crash).toBeInstanceOf(StoreUnavailableError);
      expect(retry).toMatchObject({ duplicate: false, outcome: "unchanged", cause: "bounce" });
      expect(probe.count("PutItemCommand")).toBe(1); // the refused claim only: no entry write
      expect(entry?.version).toBe(1);
      expect(claim).toMatchObject({ applied: true, outcome: "unchanged" });
    });

    it("concurrent events on one entry all land (optimistic lock retries)", async () => {
      // Prepare
      const address = freshAddress();
      const t = nowSeconds() - 3 * DAY;
      const burst = [0, 1, 2, 3, 4].map((i) => events.softMailboxFull(address, t + i * 3600));
      // Act
      const results = await Promise.all(burst.map((e) => record(e)));
      const entry = await readItem(addressPk("default", address), entrySk("*"));
      // Assess
      expect(results.every((r) => r.duplicate === false)).toBe(true);
      expect(Object.keys(stateOf(entry).soft.hits).sort()).toEqual(burst.map((e) => e.eventId).sort());
      expect(stateOf(entry).causes.soft_escalation?.expiresAt).toBe(t + 4 * 3600 + 7 * DAY);
    });
  });

  describe("lookups", () => {
    it.each([
      { n: 1, scope: undefined, domains: 1 },
      { n: 100, scope: undefined, domains: 1 },
      { n: 100, scope: "news/weekly", domains: 1 },
      { n: 1000, scope: undefined, domains: 10 },
    ])(
      "checks $n addresses (scope $scope) with ⌈keys/100⌉ concurrent BatchGetItem calls",
      async ({ n, scope, domains }) => {
        // Prepare
        const addresses = Array.from({ length: n }, (_, i) => freshAddress(`d${i % domains}.batch.example`));
        const bad = addresses.filter((_, i) => i % 97 === 3);
        for (const a of bad) await record(events.complaint(a, nowSeconds() - 10));
        const chain = scope === undefined ? 1 : scope.split("/").length + 1;
        const keys = n * chain + Math.min(n, domains) * chain;
        probe.reset();
        // Act
        const verdicts = await store.checkAddresses(
          "default",
          [...addresses, ...addresses.slice(0, 5)],
          scope,
        );
        // Assess
        expect(probe.count("BatchGetItemCommand")).toBe(Math.ceil(keys / 100));
        if (keys > 100) expect(probe.peakInFlight.get("BatchGetItemCommand")).toBeGreaterThan(1);
        expect(verdicts).toHaveLength(n + Math.min(n, 5));
        expect(verdicts.slice(0, n).map((v) => v.address)).toEqual(addresses);
        expect(verdicts.filter((v, i) => i < n && v.suppressed).map((v) => v.address)).toEqual(bad);
        console.info(
          `[${engine.name}] ${n} addresses, scope ${scope ?? "-"}: ${keys} keys → ${probe.count("BatchGetItemCommand")} BatchGetItem`,
        );
      },
    );

    it("makes no call for no addresses", async () => {
      // Prepare
      probe.reset();
      // Act
      const verdicts = await store.checkAddresses("default", []);
      // Assess
      expect(verdicts).toEqual([]);
      expect(probe.count("BatchGetItemCommand")).toBe(0);
    });

    it("retries UnprocessedKeys and still answers every address", async () => {
      // Prepare
      const addresses = Array.from({ length: 60 }, () => freshAddress("unprocessed.example"));
      const target = addresses[45] as string; // in the withheld half of the only chunk
      await record(events.complaint(target, nowSeconds() - 10));
      probe.reset();
      probe.unprocessOnce = true;
      // Act
      const verdicts = await store.checkAddresses("default", addresses);
      // Assess
      expect(probe.count("BatchGetItemCommand")).toBe(2);
      expect(verdicts.filter((v) => v.suppressed).map((v) => v.address)).toEqual([target]);
    });

    it("gives up with StoreUnavailableError when keys stay unprocessed", async () => {
      // Prepare
      probe.unprocessAlways = true;
      // Act
      const err = await store.checkAddresses("default", [freshAddress()]).catch((e: unknown) => e);
      // Assess
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(probe.count("BatchGetItemCommand")).toBe(6);
    });

    it("reads manual domain entries for every address of the domain, at the scope chain", async () => {
      // Prepare
      const domain = `blocked-${Date.now()}.example`;
      const [a, b] = [freshAddress(domain), freshAddress(domain)];
      const since = nowSeconds() - 100;
      const manual: EntryState = {
        causes: {
          manual: {
            since: iso(since),
            lastAt: iso(since),
            expiresAt: null,
            verdict: { type: "invalid", subtype: "blocklisted", reason: "manual" },
            source: "admin",
            eventId: "admin-1",
            rule: null,
          },
        },
        soft: { hits: {}, resetAt: null },
        liftedAt: null,
      };
      await toDocumentClient(raw).send(
        new PutCommand({
          TableName: TABLE,
          Item: { pk: domainPk("default", domain), sk: entrySk("news"), state: manual, version: 1 },
        }),
      );
      await record(events.complaint(a as string, since));
      // Act
      const [va, vb] = await store.checkAddresses("default", [a as string, b as string], "news/weekly");
      const [vAll] = await store.checkAddresses("default", [b as string]);
      const view = await store.getAddress("default", a as string);
      // Assess
      expect(va).toMatchObject({
        suppressed: true,
        cause: "manual",
        scope: "news",
        source: "admin",
        expiresAt: null,
      });
      expect(va?.reason).toEqual({ type: "invalid", subtype: "blocklisted", reason: "manual" });
      expect(vb).toMatchObject({ suppressed: true, cause: "manual" });
      expect(vAll?.suppressed).toBe(false);
      expect(view.entries.map((e) => [e.subjectKind, e.cause, e.scope])).toEqual([
        ["domain", "manual", "news"],
        ["address", "complaint", "*"],
      ]);
      expect(view.verdict).toMatchObject({ suppressed: true, cause: "complaint" });
    });
  });

  describe("getAddress of a domain", () => {
    const manualAt = (since: number, expiresAt: number | null, eventId: string): EntryState => ({
      causes: {
        manual: {
          since: iso(since),
          lastAt: iso(since),
          expiresAt,
          verdict: { type: "invalid", subtype: "blocklisted", reason: "manual" },
          source: "admin",
          eventId,
          rule: "manual",
        },
      },
      soft: { hits: {}, resetAt: null },
      liftedAt: null,
    });
    const freshDomain = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}.example`;
    const putDomainEntry = (tenant: string, domain: string, scope: string, state: EntryState) =>
      toDocumentClient(raw).send(
        new PutCommand({
          TableName: TABLE,
          Item: { pk: domainPk(tenant, domain), sk: entrySk(scope), state, version: 1 },
        }),
      );

    it("answers the domain's own entries (not its addresses'), and the all-mail verdict as @domain", async () => {
      // Prepare: the domain at * and at news (and an expired one at promo); an address with a complaint
      const domain = freshDomain("dom");
      const address = freshAddress(domain);
      const since = nowSeconds() - 100;
      await putDomainEntry("default", domain, "*", manualAt(since, null, "admin-all"));
      await putDomainEntry("default", domain, "news", manualAt(since + 1, null, "admin-news"));
      await putDomainEntry("default", domain, "promo", manualAt(since - 50, since - 10, "admin-gone"));
      await record(events.complaint(address, since));
      probe.reset();
      // Act
      const view = await store.getAddress("default", { kind: "domain", value: domain }, nowSeconds());
      const queries = probe.count("QueryCommand");
      const ofAddress = await store.getAddress("default", address);
      const asSubject = await store.getAddress("default", { kind: "address", value: address });
      // Assess
      expect(queries).toBe(1);
      expect(view.verdict).toEqual({
        address: `@${domain}`,
        suppressed: true,
        cause: "manual",
        reason: { type: "invalid", subtype: "blocklisted", reason: "manual" },
        scope: "*",
        since: iso(since),
        expiresAt: null,
        source: "admin",
      });
      expect(view.entries.map((e) => [e.subjectKind, e.subject, e.scope, e.eventId])).toEqual([
        ["domain", domain, "*", "admin-all"],
        ["domain", domain, "news", "admin-news"],
      ]);
      expect(ofAddress.entries.map((e) => [e.subjectKind, e.cause, e.scope])).toEqual([
        ["domain", "manual", "*"],
        ["domain", "manual", "news"],
        ["address", "complaint", "*"],
      ]);
      expect(asSubject).toEqual(ofAddress);
    });

    it("a domain with only a scoped entry: listed, but not suppressed for all mail", async () => {
      // Prepare
      const domain = freshDomain("scoped");
      await putDomainEntry("default", domain, "news", manualAt(nowSeconds() - 10, null, "admin-news"));
      // Act
      const view = await store.getAddress("default", { kind: "domain", value: domain });
      // Assess
      expect(view.verdict).toMatchObject({ address: `@${domain}`, suppressed: false, cause: null });
      expect(view.entries.map((e) => e.scope)).toEqual(["news"]);
    });

    it("a domain without entries, whose addresses have some: clear, no entries", async () => {
      // Prepare
      const domain = freshDomain("clear");
      await record(events.userUnknown(freshAddress(domain), nowSeconds() - 10));
      // Act
      const view = await store.getAddress("default", { kind: "domain", value: domain });
      // Assess
      expect(view).toEqual({
        verdict: {
          address: `@${domain}`,
          suppressed: false,
          cause: null,
          reason: null,
          scope: null,
          since: null,
          expiresAt: null,
          source: null,
        },
        entries: [],
      });
    });

    it("another tenant's domain entry is not seen", async () => {
      // Prepare
      const domain = freshDomain("tenant");
      await putDomainEntry("acme", domain, "*", manualAt(nowSeconds() - 10, null, "admin-acme"));
      // Act
      const ofDefault = await store.getAddress("default", { kind: "domain", value: domain });
      const ofAcme = await store.getAddress("acme", { kind: "domain", value: domain });
      // Assess
      expect(ofDefault).toMatchObject({ verdict: { suppressed: false }, entries: [] });
      expect(ofAcme).toMatchObject({ verdict: { suppressed: true, cause: "manual" } });
    });
  });

  describe("store down", () => {
    it("answers StoreUnavailableError when DynamoDB cannot be reached", async () => {
      // Prepare
      const closed = await freeLoopbackPort();
      const { store: down } = probedStore(`http://127.0.0.1:${closed}`, TABLE, {});
      const event = events.userUnknown(freshAddress(), nowSeconds());
      // Act
      const checkErr = await down.checkAddresses("default", [event.recipient]).catch((e: unknown) => e);
      const recordErr = await down.recordEvent(event, decisionFor(event)).catch((e: unknown) => e);
      // Assess
      expect(checkErr).toBeInstanceOf(StoreUnavailableError);
      expect(recordErr).toBeInstanceOf(StoreUnavailableError);
      expect((checkErr as Error).cause).toBeDefined();
    });
  });
});

describe("createStore defaults", () => {
  it("uses the `suppressions` table name", () => {
    // Prepare
    const client = toDocumentClient(new DynamoDBClient({ region: "us-east-1" }));
    // Act
    const store = createStore({ client });
    // Assess
    expect(store.tableName).toBe("suppressions");
  });
});
