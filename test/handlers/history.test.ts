/**
 * `GET /v1/events/{address}` (the history of an address or a domain) over real sockets on the local
 * server: answers parsed with the contract's `HistoryPage`, provider events fed through
 * `POST /v1/import/sendgrid`, operators' actions made through `PUT` and `DELETE
 * /v1/suppressions/{address}`; paging with the cursor, windows and type filters, every refusal as
 * 400 problem+json, and the API key.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  HistoryPage,
  IngestSummary,
  ManualSuppressionAnswer,
  ProblemDocument,
  RemovalAnswer,
} from "../../lambdas/contract/index.js";
import { sendgridEvents } from "../fixtures/sendgrid/signing.js";
import { type Answer, call, expectProblem, useLocalServer } from "../local/http-helpers.js";

const KEY = "test-key-history-0123456789";
/** The actor of every change made with the bootstrap API key (handlers/admin.ts). */
const BOOTSTRAP = { keyId: "bootstrap", name: "bootstrap key" };

const salt = (): string => randomBytes(5).toString("hex");
/** An address no other test of the run uses. */
const freshAddress = (domain = "example.org"): string => `hist-${salt()}@${domain}`;
const freshDomain = (): string => `d-${salt()}.example`;
const nowS = (): number => Math.floor(Date.now() / 1000);
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
const epochOf = (isoTime: string): number => Math.floor(Date.parse(isoTime) / 1000);

/** A SendGrid hard bounce (550 5.1.1) for `email` at `timestamp` (epoch seconds). */
function hardBounce(email: string, eventId: string, timestamp: number): Record<string, unknown> {
  const [event] = sendgridEvents("bounce-invalid-address");
  return { ...event, email, sg_event_id: eventId, timestamp };
}
/** A SendGrid delivery for `email` at `timestamp`. */
function delivered(email: string, eventId: string, timestamp: number): Record<string, unknown> {
  const [event] = sendgridEvents("delivered");
  return { ...event, email, sg_event_id: eventId, timestamp };
}

/** The 400 answer's problem document, with its issues' paths. */
function badRequest(answer: Answer): { detail: string; paths: string[] } {
  expectProblem(answer, 400);
  const doc = ProblemDocument.parse(answer.body);
  return { detail: doc.detail, paths: (doc.errors ?? []).map((e) => e.path) };
}

describe("GET /v1/events/{address} over HTTP", () => {
  const running = useLocalServer(KEY);
  const url = () => running().url;

  const get = (subject: string, query: Record<string, string> = {}, key: string | null = KEY) => {
    const search = new URLSearchParams(query).toString();
    return call(url(), "GET", `/v1/events/${encodeURIComponent(subject)}${search ? `?${search}` : ""}`, {
      key,
    });
  };
  const page = async (subject: string, query: Record<string, string> = {}): Promise<HistoryPage> => {
    const answer = await get(subject, query);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    return HistoryPage.parse(answer.body);
  };
  /** Every page of a history, following the cursors. */
  const pages = async (subject: string, query: Record<string, string> = {}): Promise<HistoryPage[]> => {
    const all: HistoryPage[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 40; i++) {
      const next: HistoryPage = await page(subject, { ...query, ...(cursor === null ? {} : { cursor }) });
      all.push(next);
      if (next.cursor === null) return all;
      cursor = next.cursor;
    }
    throw new Error("the cursor never ended");
  };
  const importSendgrid = async (...events: Record<string, unknown>[]) => {
    const answer = await call(url(), "POST", "/v1/import/sendgrid", { key: KEY, body: events });
    expect(answer.status).toBe(200);
    return IngestSummary.parse(answer.body);
  };
  const pathOf = (subject: string): string => `/v1/suppressions/${encodeURIComponent(subject)}`;
  const manual = async (subject: string, body: unknown) => {
    const answer = await call(url(), "PUT", pathOf(subject), { key: KEY, body });
    expect(answer.status).toBe(200);
    return ManualSuppressionAnswer.parse(answer.body);
  };
  const removal = async (subject: string, query: Record<string, string>) => {
    const search = new URLSearchParams(query).toString();
    const answer = await call(url(), "DELETE", `${pathOf(subject)}?${search}`, { key: KEY });
    expect(answer.status).toBe(200);
    return RemovalAnswer.parse(answer.body);
  };
  /** `eventId`s (events) and `actionId`s (actions) of the items, in answer order. */
  const idsOf = (items: HistoryPage["items"]): string[] =>
    items.map((item) => (item.kind === "event" ? item.event.eventId : item.actionId));

  describe("the answer", () => {
    it("lists events and actions newest first, in the contract's shape", async () => {
      // Prepare
      const address = freshAddress();
      const t = nowS();
      const bounceId = `sg-${salt()}-bounce`;
      const deliveredId = `sg-${salt()}-delivered`;
      const imported = await importSendgrid(
        hardBounce(address, bounceId, t - 300),
        delivered(address, deliveredId, t - 200),
      );
      const entry = await manual(address, { note: "asked by the customer" });
      await importSendgrid(hardBounce(freshAddress(), `sg-${salt()}-other`, t - 250));
      // Act
      const answer = await page(address.toUpperCase());
      // Assess
      expect(imported).toMatchObject({ accepted: 2, duplicates: 0 });
      expect(answer.subjectKind).toBe("address");
      expect(answer.subject).toBe(address);
      expect(answer.cursor).toBeNull();
      expect(answer.items.map((i) => i.kind)).toEqual(["admin", "event", "event"]);
      const [action, delivery, bounce] = answer.items;
      expect(action).toEqual({
        kind: "admin",
        at: entry.at,
        actionId: entry.actionId,
        action: "suppress",
        scope: "*",
        actor: BOOTSTRAP,
        note: "asked by the customer",
        expiresAt: null,
        reason: null,
        causes: [],
        removed: null,
        applied: true,
      });
      expect(delivery).toMatchObject({
        kind: "event",
        at: iso(t - 200),
        event: {
          provider: "sendgrid",
          eventId: deliveredId,
          recipient: address,
          type: "delivered",
          occurredAt: iso(t - 200),
        },
        decision: { recipient: address, eventId: deliveredId, action: "reset_soft" },
        applied: true,
      });
      expect(bounce).toMatchObject({
        kind: "event",
        at: iso(t - 300),
        event: { provider: "sendgrid", eventId: bounceId, recipient: address, type: "invalid" },
        decision: { action: "suppress", cause: "bounce", scope: "*", outcome: "suppressed" },
        applied: true,
        outcome: "suppressed",
      });
      for (const item of [delivery, bounce]) {
        if (item?.kind !== "event") throw new Error("expected an event");
        expect(Math.abs(epochOf(item.receivedAt) - t)).toBeLessThanOrEqual(10);
        expect(item.event).not.toHaveProperty("tenant");
      }
    });

    it("shows a removal with its reason, the causes it named and those it removed", async () => {
      // Prepare
      const address = freshAddress();
      await importSendgrid(hardBounce(address, `sg-${salt()}`, nowS() - 120));
      // Act
      const removed = await removal(address, { cause: "bounce", reason: "mailbox fixed" });
      const answer = await page(address);
      // Assess
      expect(answer.items.map((i) => i.kind)).toEqual(["admin", "event"]);
      expect(answer.items[0]).toEqual({
        kind: "admin",
        at: removed.at,
        actionId: removed.actionId,
        action: "remove",
        scope: "*",
        actor: BOOTSTRAP,
        note: null,
        expiresAt: null,
        reason: "mailbox fixed",
        causes: ["bounce"],
        removed: ["bounce"],
        applied: true,
      });
    });

    it("@domain: the domain's actions (any case), not its addresses' events; the address's has none of them", async () => {
      // Prepare
      const domain = freshDomain();
      const member = freshAddress(domain);
      const expiresAt = iso(nowS() + 7 * 86_400);
      const suppressed = await manual(`@${domain.toUpperCase()}`, { note: "a test domain", expiresAt });
      await importSendgrid(hardBounce(member, `sg-${salt()}`, nowS() - 60));
      const removed = await removal(`@${domain}`, { reason: "the domain is back" });
      // Act
      const ofDomain = await page(`@${domain.toUpperCase()}`);
      const ofMember = await page(member);
      // Assess
      expect(ofDomain).toMatchObject({ subjectKind: "domain", subject: domain, cursor: null });
      expect(ofDomain.items).toHaveLength(2);
      expect(ofDomain.items.every((i) => i.kind === "admin")).toBe(true);
      // Both may fall in one second: their order is then the ids', so look them up by id.
      const byId = new Map(ofDomain.items.map((i) => [i.kind === "admin" ? i.actionId : "", i]));
      expect(byId.get(suppressed.actionId)).toMatchObject({
        action: "suppress",
        note: "a test domain",
        expiresAt,
        actor: BOOTSTRAP,
      });
      expect(byId.get(removed.actionId)).toMatchObject({
        action: "remove",
        reason: "the domain is back",
        removed: ["manual"],
      });
      const times = ofDomain.items.map((i) => Date.parse(i.at));
      expect(times[0]).toBeGreaterThanOrEqual(times[1] ?? Number.POSITIVE_INFINITY);
      expect(ofMember).toMatchObject({ subjectKind: "address", subject: member, cursor: null });
      expect(ofMember.items.map((i) => i.kind)).toEqual(["event"]);
    });

    it("an address nothing is known about has an empty history", async () => {
      const address = freshAddress();
      expect(await page(address)).toEqual({
        subjectKind: "address",
        subject: address,
        items: [],
        cursor: null,
      });
    });
  });

  describe("paging, windows and filters", () => {
    it("limit=5 over 12 events: the cursor walks every event once, newest first; the last cursor is null", async () => {
      // Prepare: 12 events in one import, in shuffled time order
      const address = freshAddress();
      const t0 = nowS() - 2_000;
      const ids = Array.from({ length: 12 }, (_, i) => `sg-${salt()}-${i}`);
      const batch = ids.map((id, i) => (i % 2 ? delivered : hardBounce)(address, id, t0 + 10 * i));
      await importSendgrid(...[...batch].reverse());
      // Act
      const walked = await pages(address, { limit: "5" });
      // Assess
      expect(walked.map((p) => p.items.length)).toEqual([5, 5, 2]);
      expect(walked.slice(0, -1).every((p) => typeof p.cursor === "string")).toBe(true);
      expect(walked.at(-1)?.cursor).toBeNull();
      const items = walked.flatMap((p) => p.items);
      expect(idsOf(items)).toEqual([...ids].reverse());
      expect(items.map((i) => i.at)).toEqual(ids.map((_, i) => iso(t0 + 10 * i)).reverse());
    });

    it("without limit a page holds 50 items", async () => {
      // Prepare
      const address = freshAddress();
      const t0 = nowS() - 5_000;
      const ids = Array.from({ length: 53 }, (_, i) => `sg-${salt()}-${i}`);
      await importSendgrid(...ids.map((id, i) => delivered(address, id, t0 + i)));
      // Act
      const walked = await pages(address);
      // Assess
      expect(walked.map((p) => p.items.length)).toEqual([50, 3]);
      expect(idsOf(walked.flatMap((p) => p.items))).toEqual([...ids].reverse());
    });

    it("from and to (inclusive, any offset) and type select, also across pages", async () => {
      // Prepare: bounces at even i, deliveries at odd i, and one manual entry now
      const address = freshAddress();
      const t0 = nowS() - 3_000;
      const at = (i: number) => t0 + 100 * i;
      const ids = Array.from({ length: 10 }, (_, i) => `sg-${salt()}-${i}`);
      await importSendgrid(...ids.map((id, i) => (i % 2 ? delivered : hardBounce)(address, id, at(i))));
      const entry = await manual(address, { note: "and an action" });
      const plusTwo = (seconds: number) =>
        new Date((seconds + 7_200) * 1000).toISOString().replace("Z", "+02:00");
      // Act
      const windowed = await pages(address, { from: iso(at(2)), to: plusTwo(at(6)), limit: "2" });
      const deliveries = await pages(address, { type: "delivered", limit: "2" });
      const invalidInWindow = await pages(address, { type: "invalid", from: plusTwo(at(3)), to: iso(at(8)) });
      const actions = await pages(address, { type: "admin" });
      const nothing = await pages(address, { from: iso(at(2) + 1), to: iso(at(3) - 1) });
      // Assess
      expect(idsOf(windowed.flatMap((p) => p.items))).toEqual([6, 5, 4, 3, 2].map((i) => ids[i]));
      expect(idsOf(deliveries.flatMap((p) => p.items))).toEqual([9, 7, 5, 3, 1].map((i) => ids[i]));
      for (const p of deliveries.slice(0, -1)) expect(p.items).toHaveLength(2);
      expect(idsOf(invalidInWindow.flatMap((p) => p.items))).toEqual([8, 6, 4].map((i) => ids[i]));
      expect(idsOf(actions.flatMap((p) => p.items))).toEqual([entry.actionId]);
      expect(nothing).toEqual([{ subjectKind: "address", subject: address, items: [], cursor: null }]);
    });
  });

  describe("refusals", () => {
    it.each<[string, string, Record<string, string>, string[] | null]>([
      ["a bad address", "not-an-address", {}, ["address"]],
      ["two @", "two@@example.org", {}, ["address"]],
      ["a bad @domain", "@bad_domain.example", {}, ["address"]],
      ["limit 0", "", { limit: "0" }, ["limit"]],
      ["limit 101", "", { limit: "101" }, ["limit"]],
      ["limit x", "", { limit: "x" }, ["limit"]],
      ["limit 1.5", "", { limit: "1.5" }, ["limit"]],
      ["limit -1", "", { limit: "-1" }, ["limit"]],
      ["from after to", "", { from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" }, ["from"]],
      // Found by test/fuzz/operator-routes.fuzz.test.ts: `to` defaults to now (was a 500).
      ["from in the future, without to", "", { from: "2999-01-01T00:00:00Z" }, ["from"]],
      ["from no ISO time", "", { from: "yesterday" }, ["from"]],
      ["from a date only", "", { from: "2026-01-01" }, ["from"]],
      ["to no ISO time", "", { to: "1767225600" }, ["to"]],
      ["an unknown parameter", "", { since: "2026-01-01T00:00:00Z" }, null],
      ["an unknown type", "", { type: "bounce" }, ["type"]],
      ["a type in capitals", "", { type: "ADMIN" }, ["type"]],
      ["a garbled cursor", "", { cursor: "not-a-cursor" }, ["cursor"]],
      ["an empty cursor", "", { cursor: "" }, ["cursor"]],
      ["a cursor too long", "", { cursor: "a".repeat(2_049) }, ["cursor"]],
    ])("%s is 400 problem+json", async (_name, subject, query, paths) => {
      // Act
      const answer = await get(subject === "" ? freshAddress() : subject, query);
      // Assess
      const problem = badRequest(answer);
      if (paths !== null) expect(problem.paths).toEqual(paths);
      expect(problem.detail).not.toBe("");
    });

    it("a cursor of another address's history is 400 naming cursor; on its own address it reads on", async () => {
      // Prepare
      const address = freshAddress();
      const other = freshAddress();
      const t0 = nowS() - 600;
      await importSendgrid(
        ...[address, other].flatMap((email) => [
          hardBounce(email, `sg-${salt()}`, t0),
          delivered(email, `sg-${salt()}`, t0 + 10),
        ]),
      );
      const first = await page(other, { limit: "1" });
      const cursor = first.cursor ?? "";
      // Act
      const elsewhere = await get(address, { limit: "1", cursor });
      const own = await page(other, { limit: "1", cursor });
      // Assess
      expect(cursor).not.toBe("");
      expect(badRequest(elsewhere).paths).toEqual(["cursor"]);
      expect(own.items.map((i) => i.at)).toEqual([iso(t0)]);
    });

    it("a forged cursor on the right address (empty key parts) is 400, not a server error", async () => {
      // Prepare
      const address = freshAddress();
      await importSendgrid(hardBounce(address, `sg-${salt()}`, nowS() - 60));
      const cursor = Buffer.from(JSON.stringify([`T#default#A#${address}`, "", ""])).toString("base64url");
      // Act
      const answer = await get(address, { cursor });
      // Assess
      expect(badRequest(answer).paths).toEqual(["cursor"]);
    });
  });

  describe("authentication", () => {
    it.each([
      ["no key", null],
      ["a wrong key", "not-the-key"],
    ])("with %s is 401 problem+json", async (_name, key) => {
      // Prepare
      const address = freshAddress();
      await manual(address, { note: "private" });
      // Act
      const answer = await get(address, {}, key);
      // Assess
      expectProblem(answer, 401);
      expect(JSON.stringify(answer.body)).not.toContain("private");
    });
  });
});
