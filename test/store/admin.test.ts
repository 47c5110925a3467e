/**
 * Operators' changes in the store (store/admin.ts) on both engines, through the real SDK: the
 * action item written into the subject's history (who, why, applied, what was removed), removals
 * that find nothing, a manual entry racing provider events on the same entry, and the `now` seam.
 */
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAUSES, type EntryState } from "../../lambdas/core/ledger/types.js";
import { DEFAULT_POLICY } from "../../lambdas/core/policy/index.js";
import {
  type Actor,
  type AdminStore,
  adminStore,
  type ManualRequest,
  type RemovalRequest,
} from "../../lambdas/store/admin.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { entrySk, type SubjectKind, subjectPk } from "../../lambdas/store/keys.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { DAY, decisionFor, events, freshAddress, iso, type makeEvent, nowSeconds } from "./helpers.js";

const TABLE = "admin-test";
const TENANT = "default";
const ACTOR: Actor = { keyId: "k-ops-1", name: "ops on call" };
const HISTORY_SECONDS = DEFAULT_POLICY.history.keepDays * DAY;
const TRIALS = 6;

type Item = Record<string, unknown>;

describe.each(ENGINES)("operators' changes in the store on $name", (engine) => {
  let running: RunningEngine;
  let store: SuppressionStore;
  let admin: AdminStore;
  let client: ReturnType<typeof createDynamoDbClient>;

  const doc = () => toDocumentClient(running.client);
  const address = (value: string) => ({ kind: "address", value }) as const;
  const manualRequest = (value: string, overrides: Partial<ManualRequest> = {}): ManualRequest => ({
    tenant: TENANT,
    subject: address(value),
    scope: "*",
    expiresAt: null,
    note: "asked by the customer",
    actor: ACTOR,
    ...overrides,
  });
  const removalRequest = (value: string, overrides: Partial<RemovalRequest> = {}): RemovalRequest => ({
    tenant: TENANT,
    subject: address(value),
    scope: "*",
    reason: "mailbox fixed",
    actor: ACTOR,
    ...overrides,
  });
  const record = (event: ReturnType<typeof makeEvent>, now = nowSeconds()) =>
    store.recordEvent(event, decisionFor(event), now);

  /** The subject's admin action items, in sort-key order. */
  const actions = async (value: string, kind: SubjectKind = "address"): Promise<Item[]> => {
    const out = await doc().send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": subjectPk(TENANT, kind, value), ":prefix": "E#admin#" },
        ConsistentRead: true,
      }),
    );
    return out.Items ?? [];
  };
  const onlyAction = async (value: string, kind: SubjectKind = "address"): Promise<Item> => {
    const items = await actions(value, kind);
    expect(items).toHaveLength(1);
    const [item] = items;
    if (item === undefined) throw new Error("no admin action item");
    return item;
  };
  const entryItem = async (value: string, scope = "*", kind: SubjectKind = "address") =>
    (
      await doc().send(
        new GetCommand({
          TableName: TABLE,
          Key: { pk: subjectPk(TENANT, kind, value), sk: entrySk(scope) },
          ConsistentRead: true,
        }),
      )
    ).Item;
  const stateOf = async (value: string, scope = "*", kind: SubjectKind = "address"): Promise<EntryState> => {
    const item = await entryItem(value, scope, kind);
    if (item === undefined) throw new Error("the entry item is missing");
    return item.state as EntryState;
  };

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1" });
    store = createStore({ client: toDocumentClient(client), tableName: TABLE, backoffBaseMs: 2 });
    admin = adminStore(store);
  });
  afterAll(async () => {
    client?.destroy();
    await running?.stop();
  });

  describe("suppressManually", () => {
    it("writes the action item (actor, note, applied) and the manual cause it names", async () => {
      // Prepare
      const value = freshAddress();
      const now = nowSeconds();
      const expiresAt = now + 10 * DAY;
      // Act
      const result = await admin.suppressManually(manualRequest(value, { expiresAt }), now);
      const item = await onlyAction(value);
      const state = await stateOf(value);
      // Assess
      expect(result.at).toBe(iso(now));
      expect(item).toEqual({
        pk: subjectPk(TENANT, "address", value),
        sk: expect.any(String),
        hsk: `${item?.at}#${item?.sk}`,
        kind: "admin",
        tenant: TENANT,
        subjectKind: "address",
        subject: value,
        actionId: result.actionId,
        action: "suppress",
        scope: "*",
        actor: ACTOR,
        at: iso(now),
        note: "asked by the customer",
        expiresAt,
        applied: true,
        ttl: now + HISTORY_SECONDS,
      });
      expect(String(item.sk).startsWith(`E#admin#${iso(now)}`)).toBe(true);
      expect(String(item.sk).endsWith(result.actionId)).toBe(true);
      expect(state.causes.manual).toMatchObject({
        since: iso(now),
        expiresAt,
        source: "admin",
        eventId: result.actionId,
        rule: "manual",
        note: "asked by the customer",
        verdict: { type: "invalid", subtype: "blocklisted", reason: "manual" },
      });
      const [verdict] = await store.checkAddresses(TENANT, [value], undefined, now);
      expect(verdict).toMatchObject({ suppressed: true, cause: "manual", source: "admin" });
    });

    it("records no note when there is none, and a never-expiring entry as expiresAt null", async () => {
      // Prepare
      const value = freshAddress();
      // Act
      await admin.suppressManually(manualRequest(value, { note: null }));
      const item = await onlyAction(value);
      const state = await stateOf(value);
      // Assess
      expect(item).not.toHaveProperty("note");
      expect(item).toMatchObject({ action: "suppress", expiresAt: null, applied: true });
      expect(state.causes.manual).toMatchObject({ expiresAt: null });
      expect(state.causes.manual).not.toHaveProperty("note");
    });

    it("writes a domain's action under the domain's pk, at the requested scope", async () => {
      // Prepare
      const domain = `d-${freshAddress().split("@")[0]}.example`;
      const request = manualRequest(domain, {
        subject: { kind: "domain", value: domain },
        scope: "newsletter",
      });
      // Act
      const result = await admin.suppressManually(request);
      const item = await onlyAction(domain, "domain");
      const state = await stateOf(domain, "newsletter", "domain");
      const [inScope, allMail] = [
        (await store.checkAddresses(TENANT, [`x@${domain}`], "newsletter/weekly"))[0],
        (await store.checkAddresses(TENANT, [`x@${domain}`]))[0],
      ];
      // Assess
      expect(item).toMatchObject({
        pk: subjectPk(TENANT, "domain", domain),
        subjectKind: "domain",
        subject: domain,
        scope: "newsletter",
        actionId: result.actionId,
        applied: true,
      });
      expect(await actions(domain, "address")).toEqual([]);
      expect(state.causes.manual?.eventId).toBe(result.actionId);
      expect(inScope).toMatchObject({ suppressed: true, cause: "manual", scope: "newsletter" });
      expect(allMail).toMatchObject({ suppressed: false });
    });

    it("keeps every action in the history, in time order", async () => {
      // Prepare
      const value = freshAddress();
      const t = nowSeconds() - 100;
      // Act
      const first = await admin.suppressManually(manualRequest(value, { note: "first" }), t);
      const second = await admin.suppressManually(manualRequest(value, { note: "second" }), t + 10);
      const third = await admin.removeSuppression(removalRequest(value, { reason: "done" }), t + 20);
      const items = await actions(value);
      // Assess
      expect(items.map((i) => [i.actionId, i.action, i.at])).toEqual([
        [first.actionId, "suppress", iso(t)],
        [second.actionId, "suppress", iso(t + 10)],
        [third.actionId, "remove", iso(t + 20)],
      ]);
      expect(items.every((i) => i.applied === true)).toBe(true);
    });
  });

  describe("removeSuppression", () => {
    it("writes the action item (actor, reason, causes, applied, removed) and ends the cause", async () => {
      // Prepare: a bounce and a manual cause at *
      const value = freshAddress();
      const now = nowSeconds();
      await record(events.userUnknown(value, now - 60), now - 60);
      await admin.suppressManually(manualRequest(value), now - 30);
      // Act
      const result = await admin.removeSuppression(removalRequest(value, { cause: "bounce" }), now);
      const items = await actions(value);
      const state = await stateOf(value);
      // Assess
      expect(result).toEqual({ actionId: expect.any(String), at: iso(now), removed: ["bounce"], kept: [] });
      const item = items.find((i) => i.action === "remove");
      expect(item).toEqual({
        pk: subjectPk(TENANT, "address", value),
        sk: expect.any(String),
        hsk: `${item?.at}#${item?.sk}`,
        kind: "admin",
        tenant: TENANT,
        subjectKind: "address",
        subject: value,
        actionId: result.actionId,
        action: "remove",
        scope: "*",
        actor: ACTOR,
        at: iso(now),
        reason: "mailbox fixed",
        causes: ["bounce"],
        applied: true,
        removed: ["bounce"],
        ttl: now + HISTORY_SECONDS,
      });
      expect(String(item?.sk).startsWith(`E#admin#${iso(now)}`)).toBe(true);
      expect(state.causes.bounce).toBeUndefined();
      expect(state.causes.manual).toBeDefined();
      expect(state.removedAt?.bounce).toBe(now);
    });

    it("without a cause names every cause and removes all the live ones", async () => {
      // Prepare
      const value = freshAddress();
      const now = nowSeconds();
      await record(events.complaint(value, now - 60), now - 60);
      await admin.suppressManually(manualRequest(value), now - 30);
      // Act
      const result = await admin.removeSuppression(removalRequest(value), now);
      const item = (await actions(value)).find((i) => i.action === "remove");
      const state = await stateOf(value);
      // Assess
      expect(result.removed).toEqual(["manual", "complaint"]);
      expect(item).toMatchObject({ causes: [...CAUSES], removed: ["manual", "complaint"], applied: true });
      expect(state.causes).toEqual({});
      const [verdict] = await store.checkAddresses(TENANT, [value], undefined, now);
      expect(verdict).toMatchObject({ suppressed: false });
    });

    it("that finds nothing live still records the attempt, with removed: [] and no entry", async () => {
      // Prepare
      const value = freshAddress();
      const now = nowSeconds();
      // Act
      const result = await admin.removeSuppression(removalRequest(value, { reason: "just in case" }), now);
      const item = await onlyAction(value);
      // Assess
      expect(result).toEqual({ actionId: item.actionId, at: iso(now), removed: [], kept: [] });
      expect(item).toMatchObject({
        action: "remove",
        reason: "just in case",
        actor: ACTOR,
        applied: true,
        removed: [],
      });
      expect(await entryItem(value)).toBeUndefined();
    });

    it("that finds only another cause records removed: [] and leaves the entry as it was", async () => {
      // Prepare
      const value = freshAddress();
      const now = nowSeconds();
      await admin.suppressManually(manualRequest(value), now - 10);
      const before = await entryItem(value);
      // Act
      const result = await admin.removeSuppression(removalRequest(value, { cause: "bounce" }), now);
      const item = (await actions(value)).find((i) => i.action === "remove");
      const after = await entryItem(value);
      // Assess
      expect(result.removed).toEqual([]);
      expect(item).toMatchObject({ causes: ["bounce"], applied: true, removed: [] });
      expect(after).toEqual(before);
    });

    it("a removed cause comes back only through an event that occurred after the removal", async () => {
      // Prepare
      const value = freshAddress();
      const now = nowSeconds();
      await record(events.userUnknown(value, now - 120), now - 120);
      await admin.removeSuppression(removalRequest(value, { cause: "bounce" }), now);
      // Act
      const late = await record(events.userUnknown(value, now - 10), now + 1);
      const atRemoval = await record(events.userUnknown(value, now), now + 1);
      const lateState = await stateOf(value);
      const newer = await record(events.userUnknown(value, now + 1), now + 2);
      const newerState = await stateOf(value);
      // Assess
      expect(late).toMatchObject({ duplicate: false, outcome: "unchanged" });
      expect(atRemoval).toMatchObject({ duplicate: false, outcome: "unchanged" });
      expect(lateState.causes.bounce).toBeUndefined();
      expect(newer).toMatchObject({ duplicate: false, outcome: "suppressed", cause: "bounce" });
      expect(newerState.causes.bounce).toMatchObject({ since: iso(now + 1) });
    });
  });

  describe("concurrency", () => {
    it("a manual entry and a provider event on the same entry at once both survive", async () => {
      for (let trial = 0; trial < TRIALS; trial++) {
        // Prepare
        const value = freshAddress();
        const now = nowSeconds();
        const bounce = events.userUnknown(value, now - 5);
        // Act
        const [manual, recorded] = await Promise.all([
          admin.suppressManually(manualRequest(value, { note: `trial ${trial}` }), now),
          record(bounce, now),
        ]);
        const state = await stateOf(value);
        const view = await store.getAddress(TENANT, value, now);
        // Assess
        expect(recorded).toMatchObject({ duplicate: false, outcome: "suppressed", cause: "bounce" });
        expect(state.causes.manual).toMatchObject({ eventId: manual.actionId, note: `trial ${trial}` });
        expect(state.causes.bounce).toMatchObject({ eventId: bounce.eventId, source: "ses" });
        expect(view.entries.map((e) => e.cause)).toEqual(["manual", "bounce"]);
        expect(await onlyAction(value)).toMatchObject({ applied: true });
      }
    });

    it("a manual entry racing several provider events loses none of them", async () => {
      for (let trial = 0; trial < TRIALS; trial++) {
        // Prepare
        const value = freshAddress();
        const now = nowSeconds();
        const bounce = events.userUnknown(value, now - 5);
        const complaint = events.complaint(value, now - 4);
        const unsubscribe = events.unsubscribe(value, now - 3, "*");
        // Act
        const [manual] = await Promise.all([
          admin.suppressManually(manualRequest(value), now),
          record(bounce, now),
          record(complaint, now),
          record(unsubscribe, now),
        ]);
        const state = await stateOf(value);
        // Assess
        expect(Object.keys(state.causes).sort()).toEqual(["bounce", "complaint", "manual", "unsubscribe"]);
        expect(state.causes.manual?.eventId).toBe(manual.actionId);
        expect(state.causes.complaint?.eventId).toBe(complaint.eventId);
      }
    });

    it("a removal racing a newer provider event keeps the newer event's cause", async () => {
      for (let trial = 0; trial < TRIALS; trial++) {
        // Prepare: a bounce at t - 60; the removal at t; a new bounce that occurred at t + 1
        const value = freshAddress();
        const t = nowSeconds();
        await record(events.userUnknown(value, t - 60), t - 60);
        const newer = events.userUnknown(value, t + 1);
        // Act
        await Promise.all([
          admin.removeSuppression(removalRequest(value, { cause: "bounce" }), t),
          record(newer, t + 1),
        ]);
        const state = await stateOf(value);
        // Assess: whichever wrote first, the bounce of t + 1 is live afterwards
        expect(state.causes.bounce).toMatchObject({ eventId: newer.eventId, lastAt: iso(t + 1) });
      }
    });
  });

  describe("the now parameter", () => {
    it("sets at, the sort key, the ttl and the entry's times of a manual entry", async () => {
      // Prepare
      const value = freshAddress();
      const now = nowSeconds() - 3 * DAY;
      // Act
      const result = await admin.suppressManually(manualRequest(value), now);
      const item = await onlyAction(value);
      const entry = await entryItem(value);
      // Assess
      expect(result.at).toBe(iso(now));
      expect(item.at).toBe(iso(now));
      expect(String(item.sk).startsWith(`E#admin#${iso(now)}`)).toBe(true);
      expect(item.ttl).toBe(now + HISTORY_SECONDS);
      expect(entry?.updatedAt).toBe(iso(now));
      expect((await stateOf(value)).causes.manual).toMatchObject({
        since: iso(now),
        lastAt: iso(now),
        eventAt: iso(now),
      });
    });

    it("sets at and the removal time of a removal", async () => {
      // Prepare
      const value = freshAddress();
      const start = nowSeconds() - 5 * DAY;
      await record(events.userUnknown(value, start), start);
      const at = start + 2 * DAY;
      // Act
      const result = await admin.removeSuppression(removalRequest(value, { cause: "bounce" }), at);
      const item = await onlyAction(value);
      const entry = await entryItem(value);
      // Assess
      expect(result).toMatchObject({ at: iso(at), removed: ["bounce"] });
      expect(item).toMatchObject({ at: iso(at), ttl: at + HISTORY_SECONDS });
      expect(String(item.sk).startsWith(`E#admin#${iso(at)}`)).toBe(true);
      expect(entry?.updatedAt).toBe(iso(at));
      expect((await stateOf(value)).removedAt).toEqual({ bounce: at });
    });

    it("a manual entry with an expiry before now is no longer live at that now", async () => {
      // Prepare
      const value = freshAddress();
      const now = nowSeconds();
      // Act
      await admin.suppressManually(manualRequest(value, { expiresAt: now + 60 }), now);
      const [live] = await store.checkAddresses(TENANT, [value], undefined, now + 59);
      const [expired] = await store.checkAddresses(TENANT, [value], undefined, now + 60);
      // Assess
      expect(live).toMatchObject({ suppressed: true, cause: "manual", expiresAt: iso(now + 60) });
      expect(expired).toMatchObject({ suppressed: false });
    });
  });
});
