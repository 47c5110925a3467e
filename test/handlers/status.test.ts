/**
 * `GET /v1/events` (the status view) over real sockets on the local server: answers parsed with
 * the contract's `StatusPage`, events fed through `POST /v1/import/sendgrid`; the window and its
 * defaults, the type, provider and tag filters, paging, every bad query parameter as 400
 * problem+json (a window over 30 days among them), and the API key. Each test reads its own window,
 * days in the past nobody else writes into.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { IngestSummary, ProblemDocument, StatusPage } from "../../lambdas/contract/index.js";
import { sendgridEvents } from "../fixtures/sendgrid/signing.js";
import { type Answer, call, expectProblem, useLocalServer } from "../local/http-helpers.js";

const KEY = "test-key-status-0123456789";
const DAY = 86_400;
const salt = (): string => randomBytes(5).toString("hex");
const nowS = (): number => Math.floor(Date.now() / 1000);
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

function sendgrid(name: string, email: string, timestamp: number, extra: Record<string, unknown> = {}) {
  const [event] = sendgridEvents(name);
  return { ...event, email, sg_event_id: `sg-${salt()}`, timestamp, ...extra };
}

function badRequest(answer: Answer): { detail: string; paths: string[] } {
  expectProblem(answer, 400);
  const doc = ProblemDocument.parse(answer.body);
  return { detail: doc.detail, paths: (doc.errors ?? []).map((e) => e.path) };
}

describe("GET /v1/events over HTTP", () => {
  const running = useLocalServer(KEY);
  const url = () => running().url;
  const get = (query: Record<string, string>, key: string | null = KEY) =>
    call(url(), "GET", `/v1/events?${new URLSearchParams(query).toString()}`, { key });
  const page = async (query: Record<string, string>): Promise<StatusPage> => {
    const answer = await get(query);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    return StatusPage.parse(answer.body);
  };
  const importing = async (body: unknown) => {
    const answer = await call(url(), "POST", "/v1/import/sendgrid", { key: KEY, body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return IngestSummary.parse(answer.body);
  };
  /** A window of a few hours `days` days ago. */
  const windowAt = (days: number) => {
    const from = (Math.floor(nowS() / DAY) - days) * DAY + 3_600;
    return { from, to: from + 6 * 3_600 };
  };

  it("lists the window's events newest first, each as the history shows it, with filters", async () => {
    // Prepare
    const { from, to } = windowAt(20);
    const a = `a-${salt()}@example.org`;
    const b = `b-${salt()}@example.org`;
    await importing([
      sendgrid("bounce-invalid-address", a, from + 10, { category: ["promo", "weekly"] }),
      sendgrid("delivered", b, from + 20, { category: "weekly" }),
      sendgrid("spamreport", b, from + 30, { category: "misc" }),
      sendgrid("delivered", a, from - 10), // before the window
    ]);
    const window = { from: iso(from), to: iso(to) };
    // Act
    const all = await page(window);
    const bounces = await page({ ...window, type: "invalid" });
    const weekly = await page({ ...window, tag: "weekly" });
    const promo = await page({ ...window, tag: "promo", provider: "sendgrid" });
    const ses = await page({ ...window, provider: "ses" });
    // Assess
    expect(all).toMatchObject({ from: iso(from), to: iso(to), cursor: null });
    expect(all.items.map((i) => `${i.event.recipient}:${i.event.type}`)).toEqual([
      `${b}:complaint`,
      `${b}:delivered`,
      `${a}:invalid`,
    ]);
    expect(all.items[2]).toMatchObject({
      kind: "event",
      at: iso(from + 10),
      event: {
        provider: "sendgrid",
        recipient: a,
        type: "invalid",
        reason: "user_unknown",
        tags: ["promo", "weekly"],
      },
      decision: { recipient: a, action: "suppress", cause: "bounce" },
      applied: true,
      outcome: "suppressed",
    });
    expect(bounces.items.map((i) => i.event.recipient)).toEqual([a]);
    expect(weekly.items.map((i) => `${i.event.recipient}:${i.event.type}`)).toEqual([
      `${b}:delivered`,
      `${a}:invalid`,
    ]);
    expect(promo.items.map((i) => i.event.recipient)).toEqual([a]);
    expect(ses.items).toEqual([]);
  });

  it("pages with the cursor across days, and defaults to the last 7 days up to now", async () => {
    // Prepare: 9 events over three days
    const { from } = windowAt(12);
    const times = Array.from({ length: 9 }, (_, i) => from + Math.floor(i / 3) * DAY + (i % 3) * 60);
    await importing(times.map((t, i) => sendgrid("delivered", `p${i}-${salt()}@example.org`, t)));
    const recent = `recent-${salt()}@example.org`;
    await importing([sendgrid("delivered", recent, nowS() - 60)]);
    // Act
    const pages: StatusPage[] = [];
    let cursor: string | null = null;
    const window = { from: iso(from - 60), to: iso(from + 3 * DAY) };
    for (let i = 0; i < 20; i++) {
      const next: StatusPage = await page({ ...window, limit: "4", ...(cursor === null ? {} : { cursor }) });
      pages.push(next);
      cursor = next.cursor;
      if (cursor === null) break;
    }
    const defaults = await page({ limit: "100" });
    // Assess
    expect(pages.flatMap((p) => p.items.map((i) => i.at))).toEqual([...times].reverse().map(iso));
    expect(pages.map((p) => p.items.length)).toEqual([4, 4, 1]);
    expect(Date.parse(defaults.to) / 1000).toBeGreaterThanOrEqual(nowS() - 5);
    expect((Date.parse(defaults.to) - Date.parse(defaults.from)) / 1000).toBe(7 * DAY);
    expect(defaults.items.map((i) => i.event.recipient)).toContain(recent);
    expect(defaults.items.some((i) => times.map(iso).includes(i.at))).toBe(false);
  });

  it.each([
    ["type", "bounce"],
    ["provider", "mandrill"],
    ["tag", ""],
    ["tag", "x".repeat(257)],
    ["from", "last week"],
    ["to", "2026-02-30"],
    ["cursor", "garbage"],
    ["limit", "0"],
    ["limit", "101"],
  ])("refuses %s=%j with 400 problem+json naming it", async (name, value) => {
    const { paths } = badRequest(await get({ [name]: value }));
    expect(paths).toContain(name);
  });

  it("refuses a window over 30 days, a reversed one, and an unknown parameter", async () => {
    const to = nowS();
    const long = badRequest(await get({ from: iso(to - 30 * DAY - 1), to: iso(to) }));
    expect(long.detail).toMatch(/30 days/);
    expect(long.paths).toEqual(["from"]);
    const exactly = await page({ from: iso(to - 30 * DAY), to: iso(to) });
    expect(exactly.from).toBe(iso(to - 30 * DAY));
    const reversed = badRequest(await get({ from: iso(to), to: iso(to - 1) }));
    expect(reversed.paths).toEqual(["from"]);
    const onlyFrom = badRequest(await get({ from: iso(to - 40 * DAY) })); // `to` defaults to now
    expect(onlyFrom.detail).toMatch(/30 days/);
    expect(badRequest(await get({ address: "a@b.example" })).detail).toMatch(/status query/);
  });

  it("requires the API key", async () => {
    expectProblem(await get({}, null), 401);
    expectProblem(await get({}, "wrong-key"), 401);
  });
});
