/**
 * The allowlist in the store (store/allowlist.ts) on both engines, through the real SDK: changes
 * on and off (`wasActive`), the stored items (`T#<tenant>#W`), the active entries newest first, one
 * tenant's list apart from another's, every change as an `allow` / `disallow` action in the
 * subject's history, and the cache of `current` (items written behind the store's back are seen
 * only once the cache time has passed; a change through the same store at once).
 */
import { randomUUID } from "node:crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Subject } from "../../lambdas/core/address.js";
import { DEFAULT_POLICY } from "../../lambdas/core/policy/index.js";
import type { Actor } from "../../lambdas/store/admin.js";
import {
  ALLOWLIST_CACHE_SECONDS,
  type AllowItem,
  type AllowRequest,
  allowlistStore,
} from "../../lambdas/store/allowlist.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { historyStore } from "../../lambdas/store/history.js";
import { subjectPk } from "../../lambdas/store/keys.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { DAY, freshAddress, iso, nowSeconds } from "./helpers.js";

const TABLE = "allowlist-test";
const ACTOR: Actor = { keyId: "k-ops-1", name: "ops on call" };
const OTHER_ACTOR: Actor = { keyId: "k-ops-2", name: "release manager" };
const HISTORY_SECONDS = DEFAULT_POLICY.history.keepDays * DAY;

/** A tenant no other test of the run uses: each test has a list of its own. */
const freshTenant = (): string => `t-${randomUUID().slice(0, 8)}`;
const freshDomain = (): string => `d-${randomUUID().slice(0, 8)}.example`;
const address = (value: string): Subject => ({ kind: "address", value });
const domain = (value: string): Subject => ({ kind: "domain", value });

describe.each(ENGINES)("the allowlist in the store on $name", (engine) => {
  let running: RunningEngine;
  let client: ReturnType<typeof createDynamoDbClient>;
  let store: SuppressionStore;

  const doc = () => toDocumentClient(running.client);
  const newStore = () =>
    createStore({ client: toDocumentClient(client), tableName: TABLE, backoffBaseMs: 2 });
  const allow = (tenant: string, subject: Subject, note: string | null = null, actor = ACTOR) =>
    ({ tenant, subject, active: true, note, actor }) satisfies AllowRequest;
  const disallow = (tenant: string, subject: Subject, actor = ACTOR) =>
    ({ tenant, subject, active: false, note: null, actor }) satisfies AllowRequest;
  const storedItem = async (tenant: string, sk: string) =>
    (
      await doc().send(
        new GetCommand({ TableName: TABLE, Key: { pk: `T#${tenant}#W`, sk }, ConsistentRead: true }),
      )
    ).Item;
  /** Writes an allowlist item straight into the table, as another function's store would. */
  const writeBehind = async (tenant: string, subject: Subject, active: boolean, at: number) => {
    const item: AllowItem = {
      pk: `T#${tenant}#W`,
      sk: `${subject.kind === "address" ? "A" : "D"}#${subject.value}`,
      kind: "allow",
      tenant,
      subjectKind: subject.kind,
      subject: subject.value,
      active,
      actor: OTHER_ACTOR,
      at: iso(at),
      actionId: randomUUID(),
    };
    await doc().send(new PutCommand({ TableName: TABLE, Item: item }));
  };
  const history = async (tenant: string, subject: Subject) =>
    (await historyStore(store).read({ tenant, subject, limit: 50 })).items;

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1" });
    store = newStore();
  });
  afterAll(async () => {
    client?.destroy();
    await running?.stop();
  });

  describe("change", () => {
    it("on, off, on, off again: wasActive says whether it was on before, each time", async () => {
      // Prepare
      const tenant = freshTenant();
      const value = freshAddress();
      const t = nowSeconds() - 100;
      const list = allowlistStore(store);
      // Act
      const on = await list.change(allow(tenant, address(value), "seed list"), t);
      const onAgain = await list.change(allow(tenant, address(value), "seed list, again"), t + 1);
      const off = await list.change(disallow(tenant, address(value)), t + 2);
      const offAgain = await list.change(disallow(tenant, address(value)), t + 3);
      const back = await list.change(allow(tenant, address(value)), t + 4);
      // Assess
      expect(on).toEqual({ wasActive: false, at: iso(t), actionId: expect.any(String) });
      expect(onAgain).toEqual({ wasActive: true, at: iso(t + 1), actionId: expect.any(String) });
      expect(off).toEqual({ wasActive: true, at: iso(t + 2), actionId: expect.any(String) });
      expect(offAgain).toEqual({ wasActive: false, at: iso(t + 3), actionId: expect.any(String) });
      expect(back).toEqual({ wasActive: false, at: iso(t + 4), actionId: expect.any(String) });
      const ids = [on, onAgain, off, offAgain, back].map((r) => r.actionId);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it("writes one item per subject in T#<tenant>#W, taken off as active: false, never deleted", async () => {
      // Prepare
      const tenant = freshTenant();
      const value = freshAddress();
      const dom = freshDomain();
      const t = nowSeconds() - 100;
      const list = allowlistStore(store);
      // Act
      const onAddress = await list.change(allow(tenant, address(value), "test inbox"), t);
      const onDomain = await list.change(allow(tenant, domain(dom), "our own domain"), t + 1);
      const addressItem = await storedItem(tenant, `A#${value}`);
      const off = await list.change(disallow(tenant, address(value), OTHER_ACTOR), t + 2);
      const offItem = await storedItem(tenant, `A#${value}`);
      const domainItem = await storedItem(tenant, `D#${dom}`);
      // Assess
      expect(addressItem).toEqual({
        pk: `T#${tenant}#W`,
        sk: `A#${value}`,
        kind: "allow",
        tenant,
        subjectKind: "address",
        subject: value,
        active: true,
        note: "test inbox",
        actor: ACTOR,
        at: iso(t),
        actionId: onAddress.actionId,
      });
      expect(offItem).toEqual({
        pk: `T#${tenant}#W`,
        sk: `A#${value}`,
        kind: "allow",
        tenant,
        subjectKind: "address",
        subject: value,
        active: false,
        actor: OTHER_ACTOR,
        at: iso(t + 2),
        actionId: off.actionId,
      });
      expect(domainItem).toMatchObject({
        sk: `D#${dom}`,
        subjectKind: "domain",
        subject: dom,
        active: true,
        note: "our own domain",
        actionId: onDomain.actionId,
      });
    });

    it("escapes # in the tenant and the subject: a tenant named like another's partition stays apart", async () => {
      // Prepare: tenant `x` has the partition T#x#W; tenant `x#W` must not write into it
      const base = freshTenant();
      const tricky = `${base}#W`;
      const value = `a#b%c-${randomUUID().slice(0, 6)}@example.org`;
      const list = allowlistStore(store);
      // Act
      await list.change(allow(tricky, address(value)), nowSeconds() - 10);
      const trickyEntries = await list.entries(tricky);
      const baseEntries = await list.entries(base);
      const raw = await storedItem(`${base}%23W`, `A#${value.replaceAll("%", "%25").replaceAll("#", "%23")}`);
      // Assess
      expect(trickyEntries.map((e) => e.subject)).toEqual([value]);
      expect(baseEntries).toEqual([]);
      expect(raw).toMatchObject({ tenant: tricky, subject: value, active: true });
      expect((await list.current(tricky)).addresses.has(value)).toBe(true);
      expect((await list.current(base)).addresses.size).toBe(0);
    });
  });

  describe("entries", () => {
    it("are the active ones only, newest change first, with their notes and actors", async () => {
      // Prepare
      const tenant = freshTenant();
      const [a, b, c] = [freshAddress(), freshAddress(), freshAddress()];
      const dom = freshDomain();
      const t = nowSeconds() - 1000;
      const list = allowlistStore(store);
      await list.change(allow(tenant, address(a), "first"), t);
      await list.change(allow(tenant, domain(dom), "a domain", OTHER_ACTOR), t + 10);
      await list.change(allow(tenant, address(b), "third"), t + 20);
      await list.change(allow(tenant, address(c), "fourth"), t + 30);
      // Act
      const all = await list.entries(tenant);
      await list.change(disallow(tenant, address(a)), t + 40);
      await list.change(disallow(tenant, address(c)), t + 50);
      const afterRemovals = await list.entries(tenant);
      await list.change(allow(tenant, address(a), "back again"), t + 60);
      const afterReturn = await list.entries(tenant);
      // Assess
      expect(all.map((e) => [e.subjectKind, e.subject, e.note, e.at])).toEqual([
        ["address", c, "fourth", iso(t + 30)],
        ["address", b, "third", iso(t + 20)],
        ["domain", dom, "a domain", iso(t + 10)],
        ["address", a, "first", iso(t)],
      ]);
      expect(all.find((e) => e.subject === dom)?.actor).toEqual(OTHER_ACTOR);
      expect(afterRemovals.map((e) => e.subject)).toEqual([b, dom]);
      expect(afterRemovals.every((e) => e.active)).toBe(true);
      expect(afterReturn.map((e) => [e.subject, e.note ?? null])).toEqual([
        [a, "back again"],
        [b, "third"],
        [dom, "a domain"],
      ]);
    });

    it("a subject put on again without a note keeps no note; its time is the newest change", async () => {
      // Prepare
      const tenant = freshTenant();
      const [a, b] = [freshAddress(), freshAddress()];
      const t = nowSeconds() - 100;
      const list = allowlistStore(store);
      await list.change(allow(tenant, address(a), "old note"), t);
      await list.change(allow(tenant, address(b), "b"), t + 10);
      // Act
      await list.change(allow(tenant, address(a)), t + 20);
      const entries = await list.entries(tenant);
      // Assess
      expect(entries.map((e) => e.subject)).toEqual([a, b]);
      expect(entries[0]).not.toHaveProperty("note");
      expect(entries[0]?.at).toBe(iso(t + 20));
    });

    it("of a tenant with no list are empty", async () => {
      expect(await allowlistStore(store).entries(freshTenant())).toEqual([]);
    });
  });

  describe("tenants", () => {
    it("one tenant's list is not another's: entries, current and history stay apart", async () => {
      // Prepare
      const [mine, theirs] = [freshTenant(), freshTenant()];
      const value = freshAddress();
      const dom = freshDomain();
      const t = nowSeconds() - 100;
      const list = allowlistStore(store);
      // Act
      await list.change(allow(mine, address(value), "mine"), t);
      await list.change(allow(mine, domain(dom)), t + 1);
      await list.change(allow(theirs, address(value), "theirs"), t + 2);
      await list.change(disallow(theirs, address(value)), t + 3);
      const mineEntries = await list.entries(mine);
      const theirsEntries = await list.entries(theirs);
      const mineCurrent = await list.current(mine, t + 4);
      const theirsCurrent = await list.current(theirs, t + 4);
      const mineHistory = await history(mine, address(value));
      const theirsHistory = await history(theirs, address(value));
      const theirsDomainHistory = await history(theirs, domain(dom));
      // Assess
      expect(mineEntries.map((e) => [e.subject, e.note, e.tenant])).toEqual([
        [dom, undefined, mine],
        [value, "mine", mine],
      ]);
      expect(theirsEntries).toEqual([]);
      expect([...mineCurrent.addresses]).toEqual([value]);
      expect([...mineCurrent.domains]).toEqual([dom]);
      expect(theirsCurrent.addresses.size + theirsCurrent.domains.size).toBe(0);
      expect(mineHistory.map((i) => (i.kind === "admin" ? i.action : i.kind))).toEqual(["allow"]);
      expect(theirsHistory.map((i) => (i.kind === "admin" ? i.action : i.kind))).toEqual([
        "disallow",
        "allow",
      ]);
      expect(theirsDomainHistory).toEqual([]);
    });
  });

  describe("history", () => {
    it("each change is an allow or disallow action in the subject's history, with actor and note", async () => {
      // Prepare
      const tenant = freshTenant();
      const value = freshAddress();
      const t = nowSeconds() - 100;
      const list = allowlistStore(store);
      // Act
      const on = await list.change(allow(tenant, address(value), "seed inbox"), t);
      const off = await list.change(disallow(tenant, address(value), OTHER_ACTOR), t + 10);
      const again = await list.change(allow(tenant, address(value)), t + 20);
      const items = await history(tenant, address(value));
      // Assess: newest first
      expect(items).toHaveLength(3);
      expect(items[0]).toMatchObject({
        kind: "admin",
        pk: subjectPk(tenant, "address", value),
        tenant,
        subjectKind: "address",
        subject: value,
        actionId: again.actionId,
        action: "allow",
        scope: "*",
        actor: ACTOR,
        at: iso(t + 20),
        applied: true,
      });
      expect(items[0]).not.toHaveProperty("note");
      expect(items[1]).toMatchObject({
        kind: "admin",
        actionId: off.actionId,
        action: "disallow",
        scope: "*",
        actor: OTHER_ACTOR,
        at: iso(t + 10),
        applied: true,
      });
      expect(items[1]).not.toHaveProperty("note");
      expect(items[2]).toMatchObject({
        kind: "admin",
        actionId: on.actionId,
        action: "allow",
        actor: ACTOR,
        note: "seed inbox",
        at: iso(t),
        applied: true,
      });
      expect(items[2]?.ttl).toBe(t + HISTORY_SECONDS);
    });

    it("a domain's changes are written under the domain, none under an address of it", async () => {
      // Prepare
      const tenant = freshTenant();
      const dom = freshDomain();
      const t = nowSeconds() - 100;
      const list = allowlistStore(store);
      // Act
      const on = await list.change(allow(tenant, domain(dom), "our domain"), t);
      const off = await list.change(disallow(tenant, domain(dom)), t + 5);
      const items = await history(tenant, domain(dom));
      const ofAnAddress = await history(tenant, address(`x@${dom}`));
      // Assess
      expect(items.map((i) => (i.kind === "admin" ? [i.action, i.actionId, i.note ?? null] : null))).toEqual([
        ["disallow", off.actionId, null],
        ["allow", on.actionId, "our domain"],
      ]);
      expect(items.every((i) => i.pk === subjectPk(tenant, "domain", dom))).toBe(true);
      expect(ofAnAddress).toEqual([]);
    });

    it("taking off a subject that was never on still records the attempt, and lists nothing", async () => {
      // Prepare
      const tenant = freshTenant();
      const value = freshAddress();
      const t = nowSeconds() - 100;
      const list = allowlistStore(store);
      // Act
      const off = await list.change(disallow(tenant, address(value)), t);
      const items = await history(tenant, address(value));
      // Assess
      expect(off.wasActive).toBe(false);
      expect(items).toEqual([
        expect.objectContaining({ action: "disallow", actionId: off.actionId, applied: true }),
      ]);
      expect(await list.entries(tenant)).toEqual([]);
      expect((await list.current(tenant, t)).addresses.has(value)).toBe(false);
    });
  });

  describe("current", () => {
    it("reads the active addresses and domains of the tenant", async () => {
      // Prepare
      const tenant = freshTenant();
      const [a, b] = [freshAddress(), freshAddress()];
      const [d1, d2] = [freshDomain(), freshDomain()];
      const t = nowSeconds() - 100;
      const list = allowlistStore(newStore());
      await list.change(allow(tenant, address(a)), t);
      await list.change(allow(tenant, address(b)), t + 1);
      await list.change(allow(tenant, domain(d1)), t + 2);
      await list.change(allow(tenant, domain(d2)), t + 3);
      await list.change(disallow(tenant, address(b)), t + 4);
      await list.change(disallow(tenant, domain(d2)), t + 5);
      // Act
      const current = await list.current(tenant, t + 6);
      // Assess
      expect([...current.addresses]).toEqual([a]);
      expect([...current.domains]).toEqual([d1]);
    });

    it("an item written behind the store's back is seen only once the cache time has passed", async () => {
      // Prepare: a read at t caches the (empty) list
      const tenant = freshTenant();
      const value = freshAddress();
      const dom = freshDomain();
      const t = nowSeconds();
      const list = allowlistStore(newStore());
      const first = await list.current(tenant, t);
      // Act
      await writeBehind(tenant, address(value), true, t);
      await writeBehind(tenant, domain(dom), true, t);
      const atOnce = await list.current(tenant, t);
      const justBefore = await list.current(tenant, t + ALLOWLIST_CACHE_SECONDS - 1);
      const atExpiry = await list.current(tenant, t + ALLOWLIST_CACHE_SECONDS);
      // Assess
      expect(first.addresses.size + first.domains.size).toBe(0);
      expect(atOnce).toBe(first);
      expect(justBefore).toBe(first);
      expect(justBefore.addresses.has(value)).toBe(false);
      expect(atExpiry.addresses.has(value)).toBe(true);
      expect(atExpiry.domains.has(dom)).toBe(true);
    });

    it("a subject taken off behind the store's back stays on until the cache time has passed", async () => {
      // Prepare
      const tenant = freshTenant();
      const value = freshAddress();
      const t = nowSeconds();
      const list = allowlistStore(newStore());
      await list.change(allow(tenant, address(value)), t - 10);
      const before = await list.current(tenant, t);
      // Act
      await writeBehind(tenant, address(value), false, t);
      const cached = await list.current(tenant, t + ALLOWLIST_CACHE_SECONDS - 1);
      const fresh = await list.current(tenant, t + ALLOWLIST_CACHE_SECONDS);
      // Assess
      expect(before.addresses.has(value)).toBe(true);
      expect(cached.addresses.has(value)).toBe(true);
      expect(fresh.addresses.has(value)).toBe(false);
      expect((await list.entries(tenant)).map((e) => e.subject)).toEqual([]);
    });

    it("a change through the same store is seen at once, on and off, whatever was cached", async () => {
      // Prepare
      const tenant = freshTenant();
      const value = freshAddress();
      const dom = freshDomain();
      const t = nowSeconds();
      const shared = newStore();
      const cached = await allowlistStore(shared).current(tenant, t);
      // Act: changes through another allowlistStore(...) of the same store object
      await allowlistStore(shared).change(allow(tenant, address(value)), t);
      const afterOn = await allowlistStore(shared).current(tenant, t + 1);
      await allowlistStore(shared).change(allow(tenant, domain(dom)), t + 2);
      const afterDomain = await allowlistStore(shared).current(tenant, t + 3);
      await allowlistStore(shared).change(disallow(tenant, address(value)), t + 4);
      const afterOff = await allowlistStore(shared).current(tenant, t + 5);
      // Assess
      expect(cached.addresses.has(value)).toBe(false);
      expect(afterOn.addresses.has(value)).toBe(true);
      expect(afterDomain.domains.has(dom)).toBe(true);
      expect(afterOff.addresses.has(value)).toBe(false);
      expect(afterOff.domains.has(dom)).toBe(true);
    });

    it("a change through another store object reaches this one only once its cache time has passed", async () => {
      // Prepare: two stores over the same table (two functions)
      const tenant = freshTenant();
      const value = freshAddress();
      const t = nowSeconds();
      const ingesting = allowlistStore(newStore());
      const admin = allowlistStore(newStore());
      await ingesting.current(tenant, t);
      // Act
      await admin.change(allow(tenant, address(value)), t);
      const adminSees = await admin.current(tenant, t);
      const ingestSeesSoon = await ingesting.current(tenant, t + 1);
      const ingestSeesLater = await ingesting.current(tenant, t + ALLOWLIST_CACHE_SECONDS);
      // Assess
      expect(adminSees.addresses.has(value)).toBe(true);
      expect(ingestSeesSoon.addresses.has(value)).toBe(false);
      expect(ingestSeesLater.addresses.has(value)).toBe(true);
    });

    it("caches per tenant: a tenant read for the first time is read at once", async () => {
      // Prepare
      const [cachedTenant, otherTenant] = [freshTenant(), freshTenant()];
      const value = freshAddress();
      const t = nowSeconds();
      const list = allowlistStore(newStore());
      await list.current(cachedTenant, t);
      // Act
      await writeBehind(cachedTenant, address(value), true, t);
      await writeBehind(otherTenant, address(value), true, t);
      const cached = await list.current(cachedTenant, t + 1);
      const other = await list.current(otherTenant, t + 1);
      // Assess
      expect(cached.addresses.has(value)).toBe(false);
      expect(other.addresses.has(value)).toBe(true);
    });

    it("a failed read is not kept: the next call reads again", async () => {
      // Prepare: a store over a table that does not exist yet
      const table = `allowlist-late-${randomUUID().slice(0, 8)}`;
      const late = createStore({ client: toDocumentClient(client), tableName: table, backoffBaseMs: 2 });
      const tenant = freshTenant();
      const t = nowSeconds();
      const list = allowlistStore(late);
      // Act
      const failed = await list.current(tenant, t).then(
        () => "read",
        () => "failed",
      );
      await ensureTable(running.client, table);
      await doc().send(
        new PutCommand({
          TableName: table,
          Item: {
            pk: `T#${tenant}#W`,
            sk: "A#late@example.org",
            kind: "allow",
            tenant,
            subjectKind: "address",
            subject: "late@example.org",
            active: true,
            actor: ACTOR,
            at: iso(t),
            actionId: randomUUID(),
          },
        }),
      );
      const retried = await list.current(tenant, t + 1);
      // Assess
      expect(failed).toBe("failed");
      expect([...retried.addresses]).toEqual(["late@example.org"]);
    });
  });
});
