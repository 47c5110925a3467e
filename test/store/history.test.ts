/**
 * The history of an address or a domain (store/history.ts) on both engines, through the real SDK:
 * provider events and operators' actions newest first, as stored; paging with cursors (also while
 * new items are written); time windows and type filters across filtered-out items; refused cursors;
 * expired items; and `ensureTable` adding the `history` index to a table made without it.
 */
import { randomUUID } from "node:crypto";
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Subject } from "../../lambdas/core/address.js";
import { InputError } from "../../lambdas/core/errors.js";
import { DEFAULT_POLICY } from "../../lambdas/core/policy/index.js";
import { type Actor, type AdminActionItem, type AdminStore, adminStore } from "../../lambdas/store/admin.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { openCursor, sealCursor } from "../../lambdas/store/cursor-seal.js";
import { type HistoryPage, type HistoryQuery, historyStore } from "../../lambdas/store/history.js";
import type { EventItem } from "../../lambdas/store/ingest.js";
import { subjectPk } from "../../lambdas/store/keys.js";
import {
  ensureTable,
  HISTORY_INDEX,
  MissingIndexError,
  tableDefinition,
} from "../../lambdas/store/schema.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { DAY, decisionFor, events, freshAddress, iso, type makeEvent, nowSeconds } from "./helpers.js";

const TABLE = "history-test";
const TENANT = "default";
const ACTOR: Actor = { keyId: "k-ops-7", name: "ops on call" };
const HISTORY_SECONDS = DEFAULT_POLICY.history.keepDays * DAY;

type Item = EventItem | AdminActionItem;
type Kind = "invalid" | "delivered" | "soft_bounce" | "complaint" | "admin";

/** The time part of an item's `hsk` (`<ISO time>#<sk>`). */
const timeOf = (item: Item): string => item.hsk.slice(0, item.hsk.indexOf("#"));
/** What an item is, for order assertions: `<type or admin:action>@<time>`. */
const label = (item: Item): string =>
  item.kind === "event" ? `${item.event.type}@${timeOf(item)}` : `admin:${item.action}@${timeOf(item)}`;
const keyOf = (item: { pk: string; sk: string }): string => `${item.pk}|${item.sk}`;
/** A cursor sealed as the store seals one for `pk`: what only a holder of the internal key could forge. */
const encode = (value: unknown, pk: string): string => sealCursor(JSON.stringify(value), `history|${pk}`);
const freshDomain = (): string => `d-${randomUUID().slice(0, 12)}.example`;

describe.each(ENGINES)("history in the store on $name", (engine) => {
  let running: RunningEngine;
  let client: DynamoDBClient;
  let store: SuppressionStore;
  let admin: AdminStore;
  let history: ReturnType<typeof historyStore>;

  const address = (value: string): Subject => ({ kind: "address", value });
  const domain = (value: string): Subject => ({ kind: "domain", value });
  const record = (event: ReturnType<typeof makeEvent>, now = nowSeconds()) =>
    store.recordEvent(event, decisionFor(event), now);
  const suppress = (subject: Subject, now: number, note = "asked by the customer", tenant = TENANT) =>
    admin.suppressManually({ tenant, subject, scope: "*", expiresAt: null, note, actor: ACTOR }, now);
  const unsuppress = (subject: Subject, now: number, reason = "mailbox fixed") =>
    admin.removeSuppression({ tenant: TENANT, subject, scope: "*", reason, actor: ACTOR }, now);
  /** Writes one item of `kind` for an address at `at` (epoch seconds). */
  const write = async (value: string, kind: Kind, at: number, now = nowSeconds()): Promise<void> => {
    switch (kind) {
      case "admin":
        await suppress(address(value), at, `note at ${at}`);
        return;
      case "invalid":
        await record(events.userUnknown(value, at), now);
        return;
      case "delivered":
        await record(events.delivered(value, at), now);
        return;
      case "soft_bounce":
        await record(events.softMailboxFull(value, at), now);
        return;
      case "complaint":
        await record(events.complaint(value, at), now);
        return;
    }
  };
  /** The label `write` gives an item of `kind` at `at`. */
  const expected = (kind: Kind, at: number): string =>
    kind === "admin" ? `admin:suppress@${iso(at)}` : `${kind}@${iso(at)}`;
  /** The raw item under its table key (strongly consistent), to compare pages with. */
  const stored = async (item: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> =>
    (
      await toDocumentClient(client).send(
        new GetCommand({ TableName: TABLE, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }),
      )
    ).Item;
  /** Every page of a query, following the cursors (fails on a cursor that never ends). */
  const readAll = async (query: Omit<HistoryQuery, "cursor">, now = nowSeconds()): Promise<HistoryPage[]> => {
    const pages: HistoryPage[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 60; i++) {
      const page = await history.read({ ...query, ...(cursor === undefined ? {} : { cursor }) }, now);
      pages.push(page);
      if (page.cursor === null) return pages;
      cursor = page.cursor;
    }
    throw new Error("the cursor never ended");
  };
  const itemsOf = (pages: readonly HistoryPage[]): Item[] => pages.flatMap((p) => [...p.items]);
  /** A cursor the history of `subject` returned (it needs more than one item). */
  const cursorOf = async (subject: Subject, tenant = TENANT): Promise<string> => {
    const page = await history.read({ tenant, subject, limit: 1 });
    if (page.cursor === null) throw new Error("expected a cursor");
    return page.cursor;
  };
  const refusal = async (query: HistoryQuery, now?: number): Promise<InputError> => {
    try {
      await history.read(query, now);
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error("expected an InputError");
  };

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1" });
    store = createStore({ client: toDocumentClient(client), tableName: TABLE, backoffBaseMs: 2 });
    admin = adminStore(store);
    history = historyStore(store);
  });
  afterAll(async () => {
    client?.destroy();
    await running?.stop();
  });

  describe("order and content", () => {
    it("returns an address's events and actions newest first, as stored, and nothing of others", async () => {
      // Prepare: written out of time order; noise on another address, another tenant, the domain
      const value = freshAddress(freshDomain());
      const other = `other-${value}`;
      const t0 = nowSeconds() - 3_600;
      await record(events.userUnknown(value, t0 + 10));
      await suppress(address(value), t0 + 20);
      await record(events.delivered(value, t0 + 30));
      await unsuppress(address(value), t0 + 40, "the customer asked to be mailed again");
      await record(events.complaint(value, t0 + 50));
      await record(events.softMailboxFull(value, t0 + 5)); // written last, occurred first
      await record(events.userUnknown(other, t0 + 25));
      await suppress(address(other), t0 + 35);
      await record(events.userUnknown(value, t0 + 45, { tenant: "other-tenant" }));
      await suppress(address(value), t0 + 55, "another tenant's", "other-tenant");
      await suppress(domain(value.split("@")[1] ?? ""), t0 + 15, "the whole domain");
      // Act
      const page = await history.read({ tenant: TENANT, subject: address(value), limit: 100 });
      const raw = await Promise.all(page.items.map((item) => stored(item)));
      // Assess
      expect(page.cursor).toBeNull();
      expect(page.items.map(label)).toEqual([
        `complaint@${iso(t0 + 50)}`,
        `admin:remove@${iso(t0 + 40)}`,
        `delivered@${iso(t0 + 30)}`,
        `admin:suppress@${iso(t0 + 20)}`,
        `invalid@${iso(t0 + 10)}`,
        `soft_bounce@${iso(t0 + 5)}`,
      ]);
      expect(page.items).toEqual(raw);
      for (const item of page.items) {
        expect(item.pk).toBe(subjectPk(TENANT, "address", value));
        expect(item.tenant).toBe(TENANT);
      }
      const [complaint, removal, delivered, manual, bounce, soft] = page.items;
      expect(complaint).toMatchObject({
        kind: "event",
        address: value,
        event: { type: "complaint", recipient: value, occurredAt: iso(t0 + 50), feedbackType: "abuse" },
        decision: { action: "suppress", cause: "complaint", scope: "*" },
        applied: true,
        outcome: "suppressed",
      });
      expect(removal).toMatchObject({
        kind: "admin",
        action: "remove",
        subjectKind: "address",
        subject: value,
        actor: ACTOR,
        at: iso(t0 + 40),
        reason: "the customer asked to be mailed again",
        applied: true,
        ttl: t0 + 40 + HISTORY_SECONDS,
      });
      expect(removal?.kind === "admin" && [...(removal.removed ?? [])].sort()).toEqual(["bounce", "manual"]);
      expect(delivered).toMatchObject({
        kind: "event",
        event: { type: "delivered" },
        decision: { action: "reset_soft" },
        applied: true,
      });
      expect(manual).toMatchObject({
        kind: "admin",
        action: "suppress",
        actor: ACTOR,
        note: "asked by the customer",
        expiresAt: null,
        applied: true,
      });
      expect(bounce).toMatchObject({
        kind: "event",
        event: { type: "invalid", reason: "user_unknown", occurredAt: iso(t0 + 10) },
        decision: { action: "suppress", cause: "bounce" },
        outcome: "suppressed",
      });
      expect(soft).toMatchObject({
        kind: "event",
        event: { type: "soft_bounce", reason: "mailbox_full", occurredAt: iso(t0 + 5) },
        decision: { action: "count_soft", scope: "*" },
        applied: true,
      });
    });

    it("the history of a domain holds the actions on the domain, not its addresses' items", async () => {
      // Prepare
      const name = freshDomain();
      const member = freshAddress(name);
      const t0 = nowSeconds() - 600;
      await suppress(domain(name), t0, "a test domain");
      await record(events.userUnknown(member, t0 + 10));
      await suppress(address(member), t0 + 20);
      await unsuppress(domain(name), t0 + 30, "the domain is back");
      // Act
      const page = await history.read({ tenant: TENANT, subject: domain(name), limit: 10 });
      const ofMember = await history.read({ tenant: TENANT, subject: address(member), limit: 10 });
      // Assess
      expect(page).toEqual({
        items: [
          expect.objectContaining({
            kind: "admin",
            action: "remove",
            subjectKind: "domain",
            subject: name,
            reason: "the domain is back",
            removed: ["manual"],
            at: iso(t0 + 30),
          }),
          expect.objectContaining({
            kind: "admin",
            action: "suppress",
            subjectKind: "domain",
            subject: name,
            note: "a test domain",
            at: iso(t0),
          }),
        ],
        cursor: null,
      });
      expect(ofMember.items.map(label)).toEqual([
        `admin:suppress@${iso(t0 + 20)}`,
        `invalid@${iso(t0 + 10)}`,
      ]);
    });

    it("an address with no history has an empty last page", async () => {
      const page = await history.read({ tenant: TENANT, subject: address(freshAddress()), limit: 5 });
      expect(page).toEqual({ items: [], cursor: null });
    });
  });

  describe("paging", () => {
    /** 25 items of mixed kinds at t0 + 10·i, written in a shuffled order; their labels newest first. */
    const fill = async (value: string, t0: number): Promise<string[]> => {
      const kinds: Kind[] = ["invalid", "delivered", "admin", "soft_bounce", "complaint"];
      const plan = Array.from({ length: 25 }, (_, i) => ({
        kind: kinds[i % 5] ?? "invalid",
        at: t0 + 10 * i,
      }));
      for (let n = 0; n < plan.length; n++) {
        const step = plan[(n * 7) % plan.length]; // 7 and 25 are coprime: every item once
        if (step !== undefined) await write(value, step.kind, step.at);
      }
      return plan.map((p) => expected(p.kind, p.at)).reverse();
    };

    it("limit 7 over 25 items: every item exactly once, in order, pages 7/7/7/4, last cursor null", async () => {
      // Prepare
      const value = freshAddress();
      const order = await fill(value, nowSeconds() - 3_600);
      // Act
      const pages = await readAll({ tenant: TENANT, subject: address(value), limit: 7 });
      const whole = await history.read({ tenant: TENANT, subject: address(value), limit: 100 });
      // Assess
      expect(pages.map((p) => p.items.length)).toEqual([7, 7, 7, 4]);
      expect(pages.slice(0, -1).every((p) => typeof p.cursor === "string")).toBe(true);
      expect(pages.at(-1)?.cursor).toBeNull();
      const items = itemsOf(pages);
      expect(items.map(label)).toEqual(order);
      expect(new Set(items.map(keyOf)).size).toBe(25);
      expect(items).toEqual(whole.items);
      expect(whole.cursor).toBeNull();
    });

    it("limit 5 over 25 items: five full pages and no empty sixth (the last full page has cursor null)", async () => {
      // Prepare
      const value = freshAddress();
      await fill(value, nowSeconds() - 3_600);
      // Act
      const pages = await readAll({ tenant: TENANT, subject: address(value), limit: 5 });
      // Assess
      expect(pages.map((p) => p.items.length)).toEqual([5, 5, 5, 5, 5]);
      expect(pages.at(-1)?.cursor).toBeNull();
    });

    it("a cursor read twice answers the same page (it holds the position, not a session)", async () => {
      // Prepare
      const value = freshAddress();
      await fill(value, nowSeconds() - 3_600);
      const first = await history.read({ tenant: TENANT, subject: address(value), limit: 7 });
      const cursor = first.cursor ?? "";
      // Act
      const once = await history.read({ tenant: TENANT, subject: address(value), limit: 7, cursor });
      const twice = await history.read({ tenant: TENANT, subject: address(value), limit: 7, cursor });
      // Assess
      expect(cursor).not.toBe("");
      expect(twice.items).toEqual(once.items);
      // Each cursor is sealed afresh (a new IV), around the same position.
      const pk = subjectPk(TENANT, "address", value);
      expect(openCursor(twice.cursor ?? "", `history|${pk}`)).toBe(
        openCursor(once.cursor ?? "", `history|${pk}`),
      );
      expect(once.items.map(keyOf)).not.toContain(first.items[0] && keyOf(first.items[0]));
    });

    it("items written while paging neither repeat nor push out the original items", async () => {
      // Prepare
      const value = freshAddress();
      const t0 = nowSeconds() - 3_600;
      const order = await fill(value, t0);
      const query = { tenant: TENANT, subject: address(value), limit: 7 } as const;
      const older = t0 - 500;
      // Act: after each page, newer items (events and an action) are written; once, an older one
      const pages: HistoryPage[] = [];
      let cursor: string | undefined;
      let newer = t0 + 1_000;
      for (let round = 0; round < 10; round++) {
        const page = await history.read({ ...query, ...(cursor === undefined ? {} : { cursor }) });
        pages.push(page);
        if (page.cursor === null) break;
        cursor = page.cursor;
        await write(value, "invalid", newer++);
        await write(value, "delivered", newer++);
        await write(value, "admin", newer++);
        if (round === 1) await write(value, "complaint", older);
      }
      const fresh = await history.read({ ...query, limit: 3 });
      // Assess
      const items = itemsOf(pages);
      expect(items.map(label)).toEqual([...order, expected("complaint", older)]);
      expect(new Set(items.map(keyOf)).size).toBe(26);
      expect(pages.map((p) => p.items.length)).toEqual([7, 7, 7, 5]);
      expect(pages.at(-1)?.cursor).toBeNull();
      // The newest items are on a new first page.
      expect(fresh.items.map(label)).toEqual([
        expected("admin", newer - 1),
        expected("delivered", newer - 2),
        expected("invalid", newer - 3),
      ]);
    });
  });

  describe("windows and type filters", () => {
    const KINDS: Kind[] = ["invalid", "delivered", "admin", "complaint"];
    /** 20 items at t0 + 100·i, kinds cycling through KINDS; their labels newest first. */
    const fill = async (value: string, t0: number) => {
      const plan = Array.from({ length: 20 }, (_, i) => ({
        kind: KINDS[i % 4] ?? "invalid",
        at: t0 + 100 * i,
      }));
      for (const step of plan) await write(value, step.kind, step.at);
      return plan.reverse();
    };

    it("from and to are inclusive bounds on the occurrence (or action) time", async () => {
      // Prepare
      const value = freshAddress();
      const t0 = nowSeconds() - 7_200;
      const plan = await fill(value, t0);
      const at = (i: number) => t0 + 100 * i;
      const labels = (from: number, to: number) =>
        plan.filter((p) => p.at >= from && p.at <= to).map((p) => expected(p.kind, p.at));
      const read = async (window: { from?: number; to?: number }, limit = 100) =>
        itemsOf(await readAll({ tenant: TENANT, subject: address(value), limit, ...window })).map(label);
      // Act
      const closed = await read({ from: at(3), to: at(8) });
      const inside = await read({ from: at(3) + 1, to: at(8) - 1 });
      const fromOnly = await read({ from: at(17) });
      const toOnly = await read({ to: at(1) });
      const single = await read({ from: at(5), to: at(5) });
      const empty = await read({ from: at(5) + 1, to: at(6) - 1 });
      const paged = await read({ from: at(2), to: at(13) }, 4);
      // A `from` after now (the default `to`) is an empty window, not a refused Query.
      const future = await read({ from: nowSeconds() + 3_600 });
      // Assess
      expect(closed).toHaveLength(6);
      expect(closed).toEqual(labels(at(3), at(8)));
      expect(closed[0]).toBe(expected("invalid", at(8)));
      expect(closed.at(-1)).toBe(expected("complaint", at(3)));
      expect(inside).toEqual(labels(at(4), at(7)));
      expect(fromOnly).toEqual(labels(at(17), at(19)));
      expect(toOnly).toEqual(labels(at(0), at(1)));
      expect(single).toEqual([expected("delivered", at(5))]);
      expect(empty).toEqual([]);
      expect(paged).toEqual(labels(at(2), at(13)));
      expect(future).toEqual([]);
    });

    it("to defaults to now: an item dated in the future shows only with a later to", async () => {
      // Prepare
      const value = freshAddress();
      const now = nowSeconds();
      await record(events.userUnknown(value, now - 60), now);
      await record(events.delivered(value, now + 600), now);
      // Act
      const byDefault = await history.read({ tenant: TENANT, subject: address(value), limit: 10 }, now);
      const later = await history.read(
        { tenant: TENANT, subject: address(value), limit: 10, to: now + 600 },
        now,
      );
      // Assess
      expect(byDefault.items.map(label)).toEqual([`invalid@${iso(now - 60)}`]);
      expect(later.items.map(label)).toEqual([`delivered@${iso(now + 600)}`, `invalid@${iso(now - 60)}`]);
    });

    it("a one-second window [t, t] holds an event that occurred within second t (sub-second times)", async () => {
      // Prepare: SES and others report milliseconds; the API's ISO bounds are whole seconds
      const value = freshAddress();
      const t = nowSeconds() - 900;
      await record(events.userUnknown(value, t, { occurredAt: new Date(t * 1000 + 500).toISOString() }));
      // Act
      const page = await history.read({ tenant: TENANT, subject: address(value), limit: 10, from: t, to: t });
      const after = await history.read({ tenant: TENANT, subject: address(value), limit: 10, from: t + 1 });
      // Assess
      expect(page.items.map((i) => i.kind === "event" && i.event.occurredAt)).toEqual([
        new Date(t * 1000 + 500).toISOString(),
      ]);
      expect(after.items).toEqual([]);
    });

    it.each<[Kind]>([["invalid"], ["delivered"], ["admin"]])(
      "type %s with limit 2 pages through every match, across the items filtered out",
      async (type) => {
        // Prepare
        const value = freshAddress();
        const plan = await fill(value, nowSeconds() - 7_200);
        const matches = plan.filter((p) => p.kind === type).map((p) => expected(p.kind, p.at));
        // Act
        const pages = await readAll({ tenant: TENANT, subject: address(value), limit: 2, type });
        // Assess
        const items = itemsOf(pages);
        expect(matches).toHaveLength(5);
        expect(items.map(label)).toEqual(matches);
        expect(new Set(items.map(keyOf)).size).toBe(5);
        for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(2);
        expect(pages.at(-1)?.cursor).toBeNull();
        expect(pages.length).toBeGreaterThanOrEqual(3);
        expect(pages.length).toBeLessThanOrEqual(4);
        for (const item of items) {
          if (type === "admin") expect(item.kind).toBe("admin");
          else expect(item.kind === "event" && item.event.type).toBe(type);
        }
      },
    );

    it("a type filter and a window together, paged by 1", async () => {
      // Prepare
      const value = freshAddress();
      const t0 = nowSeconds() - 7_200;
      const plan = await fill(value, t0);
      const from = t0 + 300;
      const to = t0 + 1_600; // inclusive: the invalid item at t0 + 1600 is in
      // Act
      const pages = await readAll({
        tenant: TENANT,
        subject: address(value),
        limit: 1,
        type: "invalid",
        from,
        to,
      });
      // Assess
      const want = plan.filter((p) => p.kind === "invalid" && p.at >= from && p.at <= to);
      expect(want.map((p) => p.at)).toEqual([t0 + 1_600, t0 + 1_200, t0 + 800, t0 + 400]);
      expect(itemsOf(pages).map(label)).toEqual(want.map((p) => expected(p.kind, p.at)));
      for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(1);
    });

    it("a type nobody has answers an empty last page", async () => {
      const value = freshAddress();
      await fill(value, nowSeconds() - 7_200);
      const pages = await readAll({ tenant: TENANT, subject: address(value), limit: 3, type: "unsubscribe" });
      expect(itemsOf(pages)).toEqual([]);
      expect(pages.at(-1)?.cursor).toBeNull();
    });
  });

  describe("cursors", () => {
    it("a cursor of another address's history is refused, and so is one of another tenant or subject", async () => {
      // Prepare
      const name = freshDomain();
      const value = freshAddress(name);
      const other = freshAddress(name);
      const t0 = nowSeconds() - 600;
      for (const subject of [value, other]) {
        await record(events.userUnknown(subject, t0));
        await record(events.delivered(subject, t0 + 10));
        await record(events.userUnknown(subject, t0 + 20, { tenant: "tenant-b" }));
        await record(events.userUnknown(subject, t0 + 30, { tenant: "tenant-b" }));
      }
      await suppress(domain(name), t0 + 40);
      await suppress(domain(name), t0 + 50);
      const own = await cursorOf(address(value));
      const foreign = [
        await cursorOf(address(other)),
        await cursorOf(address(value), "tenant-b"),
        await cursorOf(domain(name)),
      ];
      // Act
      const refusals = await Promise.all(
        foreign.map((cursor) => refusal({ tenant: TENANT, subject: address(value), limit: 1, cursor })),
      );
      const followed = await history.read({ tenant: TENANT, subject: address(value), limit: 1, cursor: own });
      // Assess
      for (const error of refusals) {
        expect(error).toBeInstanceOf(InputError);
        expect(error.issues).toEqual([{ path: "cursor", message: expect.any(String) }]);
      }
      expect(followed.items.map(label)).toEqual([`invalid@${iso(t0)}`]);
    });

    it.each<[string, (pk: string) => string]>([
      ["not base64url JSON", () => "not a cursor!"],
      ["JSON but not an array", (pk) => encode({ hello: "world" }, pk)],
      ["null", (pk) => encode(null, pk)],
      ["a string", (pk) => encode("T#default#A#x@example.org", pk)],
      ["numbers", (pk) => encode([1, 2, 3], pk)],
      ["the pk alone", (pk) => encode([pk], pk)],
      ["the pk with non-string keys", (pk) => encode([pk, 7, null], pk)],
      [
        "the position as an object",
        (pk) => encode({ pk, sk: "E#ses#x", hsk: "2020-01-01T00:00:00.000Z#E#ses#x" }, pk),
      ],
      ["a cut cursor", (pk) => encode([pk, "E#ses#x", "2020-01-01T00:00:00.000Z#E#ses#x"], pk).slice(0, 20)],
      [
        "a well-formed position, not sealed",
        (pk) =>
          Buffer.from(JSON.stringify([pk, "E#ses#x", "2020-01-01T00:00:00.000Z#E#ses#x"])).toString(
            "base64url",
          ),
      ],
      [
        "another subject's sealed cursor",
        (pk) => encode([`${pk}x`, "E#ses#x", "2020-01-01T00:00:00.000Z#E#ses#x"], `${pk}x`),
      ],
    ])("a garbled cursor (%s) is an InputError naming cursor", async (_name, garble) => {
      // Prepare
      const value = freshAddress();
      await record(events.userUnknown(value, nowSeconds() - 60));
      const cursor = garble(subjectPk(TENANT, "address", value));
      // Act
      const error = await refusal({ tenant: TENANT, subject: address(value), limit: 5, cursor });
      // Assess
      expect(error.issues.map((i) => i.path)).toEqual(["cursor"]);
    });

    it("a forged cursor on the right address with empty key parts is an InputError, not a store fault", async () => {
      // Prepare
      const value = freshAddress();
      await record(events.userUnknown(value, nowSeconds() - 60));
      const pk = subjectPk(TENANT, "address", value);
      const cursor = encode([pk, "", ""], pk);
      // Act
      const error = await refusal({ tenant: TENANT, subject: address(value), limit: 5, cursor });
      // Assess
      expect(error.issues.map((i) => i.path)).toEqual(["cursor"]);
    });
  });

  describe("expiry", () => {
    it("items past their ttl are left out (written with an old now), the live ones stay", async () => {
      // Prepare: an event and an action whose history ttl passed ten days ago
      const value = freshAddress();
      const now = nowSeconds();
      const old = now - HISTORY_SECONDS - 10 * DAY;
      await record(events.userUnknown(value, old), old);
      await suppress(address(value), old + 60);
      await record(events.delivered(value, now - 120), old); // recent occurrence, old receipt
      await record(events.complaint(value, now - 60), now);
      // Act
      const page = await history.read({ tenant: TENANT, subject: address(value), limit: 10 }, now);
      // Assess
      expect(page).toEqual({ items: [expect.objectContaining({ kind: "event" })], cursor: null });
      expect(page.items.map(label)).toEqual([`complaint@${iso(now - 60)}`]);
      expect(page.items[0]?.ttl).toBe(now + HISTORY_SECONDS);
    });

    it("an item is shown while now < ttl and left out from now = ttl on", async () => {
      // Prepare
      const value = freshAddress();
      const now = nowSeconds();
      await record(events.userUnknown(value, now - 60), now);
      await suppress(address(value), now - 30);
      const query = { tenant: TENANT, subject: address(value), limit: 10, to: now } as const;
      // Act
      const before = await history.read(query, now + HISTORY_SECONDS - 31);
      const actionGone = await history.read(query, now + HISTORY_SECONDS - 30);
      const lastSecond = await history.read(query, now + HISTORY_SECONDS - 1);
      const allGone = await history.read(query, now + HISTORY_SECONDS);
      const farFuture = await history.read(query, now + 10 * HISTORY_SECONDS);
      // Assess
      expect(before.items.map(label)).toEqual([
        `admin:suppress@${iso(now - 30)}`,
        `invalid@${iso(now - 60)}`,
      ]);
      expect(actionGone.items.map(label)).toEqual([`invalid@${iso(now - 60)}`]);
      expect(lastSecond.items.map(label)).toEqual([`invalid@${iso(now - 60)}`]);
      expect(allGone).toEqual({ items: [], cursor: null });
      expect(farFuture).toEqual({ items: [], cursor: null });
    });

    it("expired items between live ones do not shorten pages or end the paging early", async () => {
      // Prepare: 12 events at t0 + 10·i, every other one received long ago (expired)
      const value = freshAddress();
      const now = nowSeconds();
      const t0 = now - 3_600;
      const old = now - HISTORY_SECONDS - DAY;
      for (let i = 0; i < 12; i++)
        await record(events.userUnknown(value, t0 + 10 * i), i % 2 === 0 ? old : now);
      // Act
      const pages = await readAll({ tenant: TENANT, subject: address(value), limit: 2 }, now);
      // Assess
      expect(itemsOf(pages).map(label)).toEqual(
        [11, 9, 7, 5, 3, 1].map((i) => `invalid@${iso(t0 + 10 * i)}`),
      );
      for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(2);
      expect(itemsOf(pages).every((item) => item.ttl > now)).toBe(true);
    });
  });

  describe("ensureTable on a table made without the history index", () => {
    it("adds the index where the engine can (DynamoDB, DynamoDB Local), and history works afterwards; dynalite says it cannot, in one line", async () => {
      // Prepare: a table as an earlier version made it (pk/sk only)
      const legacy = `legacy-${randomUUID().slice(0, 8)}`;
      await running.client.send(
        new CreateTableCommand({
          TableName: legacy,
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [
            { AttributeName: "pk", AttributeType: "S" },
            { AttributeName: "sk", AttributeType: "S" },
          ],
          KeySchema: [
            { AttributeName: "pk", KeyType: "HASH" },
            { AttributeName: "sk", KeyType: "RANGE" },
          ],
        }),
      );
      const describeIt = async () =>
        (await running.client.send(new DescribeTableCommand({ TableName: legacy }))).Table;
      const legacyStore = createStore({
        client: toDocumentClient(client),
        tableName: legacy,
        backoffBaseMs: 2,
      });
      const legacyHistory = historyStore(legacyStore);
      const value = freshAddress();
      const before = await describeIt();
      const readBefore = await legacyHistory.read({ tenant: TENANT, subject: address(value), limit: 5 }).then(
        () => "answered",
        (error: unknown) => (error instanceof Error ? error.name : String(error)),
      );
      // Act
      if (engine.name === "dynalite") {
        // The embedded store has no index creation on an existing table: a clear refusal, not a hang.
        const refused = await ensureTable(running.client, legacy).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(before?.GlobalSecondaryIndexes ?? []).toEqual([]);
        expect(readBefore).not.toBe("answered");
        expect(refused).toBeInstanceOf(MissingIndexError);
        expect(String((refused as Error).message)).toMatch(/without the `history` index.*new DATA_DIR/);
        return;
      }
      await ensureTable(running.client, legacy);
      const after = await describeIt();
      await ensureTable(running.client, legacy); // again: nothing to add
      const again = await describeIt();
      const t0 = nowSeconds() - 600;
      const e1 = events.userUnknown(value, t0);
      const e2 = events.delivered(value, t0 + 20);
      await legacyStore.recordEvent(e1, decisionFor(e1));
      await adminStore(legacyStore).suppressManually(
        { tenant: TENANT, subject: address(value), scope: "*", expiresAt: null, note: "n", actor: ACTOR },
        t0 + 10,
      );
      await legacyStore.recordEvent(e2, decisionFor(e2));
      const page = await legacyHistory.read({ tenant: TENANT, subject: address(value), limit: 2 });
      const rest = await legacyHistory.read({
        tenant: TENANT,
        subject: address(value),
        limit: 2,
        ...(page.cursor === null ? {} : { cursor: page.cursor }),
      });
      // Assess
      expect(before?.GlobalSecondaryIndexes ?? []).toEqual([]);
      expect(readBefore).not.toBe("answered");
      // Every index of this version is added (history, and the sharded lists and status indexes).
      const names = tableDefinition()
        .globalSecondaryIndexes.map((i) => i.name)
        .sort();
      expect(after?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(names);
      expect(names).toContain(HISTORY_INDEX);
      const index = after?.GlobalSecondaryIndexes?.find((i) => i.IndexName === HISTORY_INDEX);
      expect(index?.KeySchema).toEqual([
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "hsk", KeyType: "RANGE" },
      ]);
      expect(index?.Projection?.ProjectionType).toBe("ALL");
      expect(index?.IndexStatus ?? "ACTIVE").toBe("ACTIVE");
      expect(after?.AttributeDefinitions).toEqual(
        expect.arrayContaining([{ AttributeName: "hsk", AttributeType: "S" }]),
      );
      expect(again?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(names);
      expect(page.items.map(label)).toEqual([`delivered@${iso(t0 + 20)}`, `admin:suppress@${iso(t0 + 10)}`]);
      expect(page.cursor).not.toBeNull();
      expect(rest).toEqual({ items: [expect.objectContaining({ kind: "event" })], cursor: null });
      expect(rest.items.map(label)).toEqual([`invalid@${iso(t0)}`]);
    });
  });
});
