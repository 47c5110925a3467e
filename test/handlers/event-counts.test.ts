/**
 * `GET /v1/event-counts` (the counts on top of the status view) over real sockets on the local
 * server: answers parsed with the contract's `EventCounts`, events fed through
 * `POST /v1/import/sendgrid`; the counts by type under the provider and tag filters, equal to what
 * paging `GET /v1/events` finds; the window and its defaults; every bad or unknown query parameter
 * as 400 problem+json (a window over 30 days among them); 401 without a key, 403 for a key without
 * `admin`; tenants never see each other's counts; a store that is down answers 503 with
 * `Retry-After`. Each test reads its own window, days in the past nobody else writes into.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CreatedKey,
  EventCounts,
  IngestSummary,
  ProblemDocument,
  StatusPage,
} from "../../lambdas/contract/index.js";
import { EVENT_TYPE_IDS } from "../../lambdas/core/taxonomy.js";
import { sendgridEvents } from "../fixtures/sendgrid/signing.js";
import { type Answer, call, expectProblem, useLocalServer, withFlakyStore } from "../local/http-helpers.js";

const KEY = "test-key-event-counts-0123456789";
const DAY = 86_400;
const salt = (): string => randomBytes(5).toString("hex");
const nowS = (): number => Math.floor(Date.now() / 1000);
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
const zero = Object.fromEntries(EVENT_TYPE_IDS.map((t) => [t, 0]));

function sendgrid(name: string, email: string, timestamp: number, extra: Record<string, unknown> = {}) {
  const [event] = sendgridEvents(name);
  return { ...event, email, sg_event_id: `sg-${salt()}`, timestamp, ...extra };
}

function badRequest(answer: Answer): { detail: string; paths: string[] } {
  expectProblem(answer, 400);
  const doc = ProblemDocument.parse(answer.body);
  return { detail: doc.detail, paths: (doc.errors ?? []).map((e) => e.path) };
}

describe("GET /v1/event-counts over HTTP", () => {
  const running = useLocalServer(KEY);
  const url = () => running().url;
  const get = (query: Record<string, string>, key: string | null = KEY, tenant?: string) =>
    call(url(), "GET", `/v1/event-counts?${new URLSearchParams(query).toString()}`, {
      key,
      ...(tenant === undefined ? {} : { headers: { "x-tenant": tenant } }),
    });
  const counts = async (query: Record<string, string>, key = KEY, tenant?: string): Promise<EventCounts> => {
    const answer = await get(query, key, tenant);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    return EventCounts.parse(answer.body);
  };
  /** Every event `GET /v1/events` lists with `query`, paged to the end. */
  const listed = async (query: Record<string, string>) => {
    const items: StatusPage["items"] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const answer = await call(
        url(),
        "GET",
        `/v1/events?${new URLSearchParams({ ...query, limit: "3", ...(cursor === null ? {} : { cursor }) })}`,
        { key: KEY },
      );
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const page: StatusPage = StatusPage.parse(answer.body);
      items.push(...page.items);
      cursor = page.cursor;
      if (cursor === null) return items;
    }
    throw new Error("the cursor never ended");
  };
  const importing = async (body: unknown, tenant?: string) => {
    const answer = await call(url(), "POST", "/v1/import/sendgrid", {
      key: KEY,
      body,
      ...(tenant === undefined ? {} : { headers: { "x-tenant": tenant } }),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return IngestSummary.parse(answer.body);
  };
  /** A window of a few hours over two days, `days` days ago. */
  const windowAt = (days: number) => {
    const from = (Math.floor(nowS() / DAY) - days) * DAY + 20 * 3_600;
    return { from, to: from + 10 * 3_600 };
  };

  it("counts the window's events by type, under provider and tag, as paging GET /v1/events finds them", async () => {
    // Prepare: over two UTC days, two bounces, two deliveries, a complaint; one event outside.
    // Every event names its categories (the fixtures carry some of their own).
    const { from, to } = windowAt(21);
    const a = `a-${salt()}@example.org`;
    const b = `b-${salt()}@example.org`;
    await importing([
      sendgrid("bounce-invalid-address", a, from + 10, { category: ["promo", "weekly"] }),
      sendgrid("delivered", b, from + 20, { category: "weekly" }),
      sendgrid("spamreport", b, from + 5 * 3_600, { category: "misc" }),
      sendgrid("delivered", a, from + 6 * 3_600, { category: "misc" }),
      sendgrid("bounce-invalid-address", `c-${salt()}@example.org`, to, { category: "misc" }),
      sendgrid("delivered", a, from - 10, { category: "weekly" }), // before the window
    ]);
    const window = { from: iso(from), to: iso(to) };
    // Act
    const all = await counts(window);
    const weekly = await counts({ ...window, tag: "weekly" });
    const week = await counts({ ...window, tag: "week" });
    const sendgridOnly = await counts({ ...window, provider: "sendgrid", tag: "promo" });
    const ses = await counts({ ...window, provider: "ses" });
    // Assess
    expect(all).toEqual({
      from: iso(from),
      to: iso(to),
      counts: { ...zero, invalid: 2, delivered: 2, complaint: 1 },
      total: 5,
      complete: true,
      countedFrom: iso(from),
    });
    expect(weekly.counts).toEqual({ ...zero, invalid: 1, delivered: 1 });
    expect(week.total).toBe(0); // a tag matches whole, never a part of one
    expect(sendgridOnly.counts).toEqual({ ...zero, invalid: 1 });
    expect(ses).toMatchObject({ total: 0, complete: true, counts: zero });
    for (const [query, answer] of [
      [window, all],
      [{ ...window, tag: "weekly" }, weekly],
      [{ ...window, provider: "sendgrid", tag: "promo" }, sendgridOnly],
    ] as const) {
      const items = await listed(query);
      const byType = { ...zero };
      for (const item of items) byType[item.event.type] = (byType[item.event.type] ?? 0) + 1;
      expect(answer.counts).toEqual(byType);
      expect(answer.total).toBe(items.length);
    }
  });

  it("defaults to the last 7 days up to now, as GET /v1/events does", async () => {
    await importing([sendgrid("delivered", `recent-${salt()}@example.org`, nowS() - 60)]);
    const answer = await counts({});
    expect(Date.parse(answer.to) / 1000).toBeGreaterThanOrEqual(nowS() - 5);
    expect((Date.parse(answer.to) - Date.parse(answer.from)) / 1000).toBe(7 * DAY);
    expect(answer).toMatchObject({ complete: true, countedFrom: answer.from });
    expect(answer.counts.delivered).toBeGreaterThanOrEqual(1);
    const onlyTo = await counts({ to: iso(nowS() - 40 * DAY) });
    expect((Date.parse(onlyTo.to) - Date.parse(onlyTo.from)) / 1000).toBe(7 * DAY);
  });

  it.each([
    ["provider", "mandrill"],
    ["tag", ""],
    ["tag", "x".repeat(257)],
    ["from", "last week"],
    ["to", "2026-02-30"],
    // The list's paging and its type filter are not parameters of the counts.
    ["type", "invalid"],
    ["cursor", "x"],
    ["limit", "10"],
    ["address", "a@b.example"],
  ])("refuses %s=%j with 400 problem+json", async (name, value) => {
    const { detail, paths } = badRequest(await get({ [name]: value }));
    expect(detail).toMatch(/./);
    if (!["type", "cursor", "limit", "address"].includes(name)) expect(paths).toContain(name);
    else expect(detail).toMatch(/event-counts query/);
  });

  it("refuses a window over 30 days, a reversed one, and a future `from` with `to` left to now", async () => {
    const to = nowS();
    const long = badRequest(await get({ from: iso(to - 30 * DAY - 1), to: iso(to) }));
    expect(long.detail).toMatch(/30 days/);
    expect(long.paths).toEqual(["from"]);
    const exactly = await counts({ from: iso(to - 30 * DAY), to: iso(to) });
    expect(exactly).toMatchObject({
      from: iso(to - 30 * DAY),
      complete: true,
      countedFrom: iso(to - 30 * DAY),
    });
    expect(badRequest(await get({ from: iso(to), to: iso(to - 1) })).paths).toEqual(["from"]);
    expect(badRequest(await get({ from: iso(to - 40 * DAY) })).detail).toMatch(/30 days/);
    expect(badRequest(await get({ from: iso(to + DAY) })).paths).toEqual(["from"]);
    expect(await counts({ from: iso(to + DAY), to: iso(to + 2 * DAY) })).toMatchObject({ total: 0 });
  });

  it("requires a key (401) with the admin scope (403)", async () => {
    expectProblem(await get({}, null), 401);
    expectProblem(await get({}, "wrong-key"), 401);
    const created = await call(url(), "POST", "/v1/keys", {
      key: KEY,
      body: { name: "checks only", scopes: ["check"] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const refused = await get({}, CreatedKey.parse(created.body).key);
    expectProblem(refused, 403);
    expect(String(refused.body.type)).toMatch(/insufficient-scope$/);
  });

  it("counts only the caller's tenant: another tenant's events never", async () => {
    // Prepare: events of two fresh tenants in the same window, and an admin key of the second
    const { from, to } = windowAt(23);
    const first = `ec-${salt()}`;
    const second = `ec-${salt()}`;
    await importing(
      [
        sendgrid("bounce-invalid-address", `x-${salt()}@example.org`, from + 60),
        sendgrid("delivered", `y-${salt()}@example.org`, from + 120),
      ],
      first,
    );
    await importing([sendgrid("spamreport", `z-${salt()}@example.org`, from + 90)], second);
    const created = await call(url(), "POST", "/v1/keys", {
      key: KEY,
      body: { tenant: second, name: "second's operator", scopes: ["admin"] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const secondKey = CreatedKey.parse(created.body).key;
    const window = { from: iso(from), to: iso(to) };
    // Act
    const ofFirst = await counts(window, KEY, first);
    const ofSecond = await counts(window, secondKey);
    const secondNamingFirst = await get(window, secondKey, first);
    const ofDefault = await counts(window);
    // Assess
    expect(ofFirst.counts).toEqual({ ...zero, invalid: 1, delivered: 1 });
    expect(ofSecond.counts).toEqual({ ...zero, complaint: 1 });
    expect([400, 403]).toContain(secondNamingFirst.status); // a scoped key acts for its tenant only
    expect(ofDefault.total).toBe(0);
  });
});

describe("GET /v1/event-counts when the store is down", () => {
  it("answers 503 problem+json with Retry-After, then counts once it is back", async () => {
    await withFlakyStore(KEY, {}, async (server, proxy) => {
      const path = `${server.url}/v1/event-counts?from=${iso(nowS() - 3 * DAY)}`;
      const get = () => fetch(path, { headers: { authorization: `Bearer ${KEY}` } });
      proxy.fail("down");
      const failed = await get();
      const body = (await failed.json()) as Record<string, unknown>;
      proxy.heal();
      const healed = await get();
      expect(failed.status).toBe(503);
      expect(failed.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(failed.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(body).toMatchObject({ status: 503, type: expect.stringMatching(/store-unavailable$/) });
      expect(healed.status).toBe(200);
      expect(EventCounts.parse(await healed.json())).toMatchObject({ complete: true, total: 0 });
    });
  });
});
