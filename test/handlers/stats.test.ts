/**
 * `GET /v1/stats` over real sockets on the local server: answers parsed with the contract's
 * `Stats`; events fed through `POST /v1/import/sendgrid` count on today (the day they were
 * accepted), once however often they are imported, by provider and by tag; every bad query
 * parameter is a 400 problem+json naming it; 401 without a key; tenants never see each other's.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { IngestSummary, ProblemDocument, Stats } from "../../lambdas/contract/index.js";
import { sendgridEvents } from "../fixtures/sendgrid/signing.js";
import { call, expectProblem, useLocalServer } from "../local/http-helpers.js";

const KEY = "test-key-stats-0123456789abcdef";
const salt = (): string => randomBytes(5).toString("hex");
const today = (): string => new Date().toISOString().slice(0, 10);

function sendgrid(name: string, email: string, extra: Record<string, unknown> = {}) {
  const [event] = sendgridEvents(name);
  return {
    ...event,
    email,
    sg_event_id: `sg-${salt()}`,
    timestamp: Math.floor(Date.now() / 1000) - 60,
    ...extra,
  };
}

describe("GET /v1/stats over HTTP", () => {
  const running = useLocalServer(KEY);
  const url = () => running().url;
  const get = (query: Record<string, string>, tenant?: string, key: string | null = KEY) =>
    call(url(), "GET", `/v1/stats?${new URLSearchParams(query).toString()}`, {
      key,
      ...(tenant === undefined ? {} : { headers: { "x-tenant": tenant } }),
    });
  const stats = async (query: Record<string, string>, tenant: string): Promise<Stats> => {
    const answer = await get(query, tenant);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return Stats.parse(answer.body);
  };
  const importing = async (body: unknown, tenant: string) => {
    const answer = await call(url(), "POST", "/v1/import/sendgrid", {
      key: KEY,
      body,
      headers: { "x-tenant": tenant },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return IngestSummary.parse(answer.body);
  };

  it("counts today's accepted events once, by day, provider and tag, with the rates", async () => {
    const tenant = `st-${salt()}`;
    const batch = [
      sendgrid("delivered", "a@example.org", { category: "weekly" }),
      sendgrid("delivered", "b@example.org", { category: "weekly" }),
      sendgrid("delivered", "c@example.org", { category: ["weekly", "promo"] }),
      sendgrid("bounce-invalid-address", "d@example.org", { category: "promo" }),
      sendgrid("spamreport", "a@example.org", { category: "weekly" }),
    ];
    expect((await importing(batch, tenant)).accepted).toBe(5);
    expect((await importing(batch, tenant)).duplicates).toBe(5);

    const byDay = await stats({ from: today(), to: today() }, tenant);
    expect(byDay.complete).toBe(true);
    expect(byDay.rows.map((r) => r.key)).toEqual([today()]);
    expect(byDay.total.counts).toMatchObject({ deliveries: 3, invalid: 1, complaints: 1, softBounces: 0 });
    expect(byDay.total.bounceRate).toBeCloseTo(1 / 4, 10);
    expect(byDay.total.complaintRate).toBeCloseTo(1 / 4, 10);
    expect(byDay.total.over).toEqual({ bounceRate: true, complaintRate: true });
    expect(byDay.thresholds).toEqual({ bounceRate: 0.02, complaintRate: 0.001 });

    const byProvider = await stats({ groupBy: "provider" }, tenant);
    expect(byProvider.rows.map((r) => [r.key, r.counts.deliveries])).toEqual([["sendgrid", 3]]);
    const byTag = await stats({ groupBy: "tag" }, tenant);
    expect(
      Object.fromEntries(byTag.rows.map((r) => [r.key, r.counts.deliveries + r.counts.invalid])),
    ).toEqual({
      weekly: 3,
      promo: 2,
    });
    const promo = await stats({ tag: "promo" }, tenant);
    expect(promo.total.counts).toMatchObject({ deliveries: 1, invalid: 1, complaints: 0 });

    const other = await stats({}, `ot-${salt()}`);
    expect(other.total.counts.deliveries).toBe(0);
    expect(other.total.bounceRate).toBeNull();
  });

  it.each([
    [{ from: "2026-13-01" }, "from"],
    [{ to: "yesterday" }, "to"],
    [{ groupBy: "week" }, "groupBy"],
    [{ provider: "nope" }, "provider"],
    [{ from: "2026-11-10", to: "2026-11-01" }, "from"],
    [{ from: "2026-01-01", to: "2026-12-01" }, "from"],
  ])("refuses %j with a 400 naming %s", async (query, path) => {
    const answer = await get(query);
    expectProblem(answer, 400);
    expect((ProblemDocument.parse(answer.body).errors ?? []).map((e) => e.path)).toContain(path);
  });

  it("refuses an unknown parameter, naming it", async () => {
    const answer = await get({ cursor: "x" });
    expectProblem(answer, 400);
    expect(JSON.stringify(answer.body)).toContain("cursor");
  });

  it("wants a key", async () => {
    expectProblem(await get({}, undefined, null), 401);
  });
});
