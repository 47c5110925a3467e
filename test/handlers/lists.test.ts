/**
 * `GET /v1/suppressions` (the tenant's live entries) over real sockets on the local server:
 * answers parsed with the contract's `ListPage`, entries made through `POST /v1/import/*` and
 * `PUT /v1/suppressions/{address}`; the filters, paging with the cursor, every bad query parameter
 * as 400 problem+json, and the API key. Each test lists only its own fresh domain (`q=@domain`).
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { IngestSummary, ListPage, ProblemDocument } from "../../lambdas/contract/index.js";
import { sendcloudFixture } from "../fixtures/sendcloud/support.js";
import { sendgridEvents } from "../fixtures/sendgrid/signing.js";
import { type Answer, call, expectProblem, useLocalServer } from "../local/http-helpers.js";

const KEY = "test-key-lists-0123456789";
const salt = (): string => randomBytes(5).toString("hex");
const freshDomain = (): string => `l-${salt()}.example`;
const nowS = (): number => Math.floor(Date.now() / 1000);

/** A SendGrid event of fixture `name` for `email` at `timestamp`, with a fresh id. */
function sendgrid(name: string, email: string, timestamp: number, extra: Record<string, unknown> = {}) {
  const [event] = sendgridEvents(name);
  return { ...event, email, sg_event_id: `sg-${salt()}`, timestamp, ...extra };
}

function badRequest(answer: Answer): { detail: string; paths: string[] } {
  expectProblem(answer, 400);
  const doc = ProblemDocument.parse(answer.body);
  return { detail: doc.detail, paths: (doc.errors ?? []).map((e) => e.path) };
}

describe("GET /v1/suppressions over HTTP", () => {
  const running = useLocalServer(KEY);
  const url = () => running().url;
  const get = (query: Record<string, string>, key: string | null = KEY) =>
    call(url(), "GET", `/v1/suppressions?${new URLSearchParams(query).toString()}`, { key });
  const page = async (query: Record<string, string>): Promise<ListPage> => {
    const answer = await get(query);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    return ListPage.parse(answer.body);
  };
  const importing = async (provider: string, body: unknown) => {
    const answer = await call(url(), "POST", `/v1/import/${provider}`, { key: KEY, body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return IngestSummary.parse(answer.body);
  };
  const manual = async (subject: string, body: unknown) => {
    const answer = await call(url(), "PUT", `/v1/suppressions/${encodeURIComponent(subject)}`, {
      key: KEY,
      body,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  };

  it("lists the live entries newest first, each with its causes, in the contract's shape", async () => {
    // Prepare: a bounce, a complaint, a SendCloud unsubscribe with its reason, a manual domain entry
    const d = freshDomain();
    const t = nowS() - 3_600;
    await importing("sendgrid", [
      sendgrid("bounce-invalid-address", `bounce@${d}`, t + 10),
      sendgrid("spamreport", `complaint@${d}`, t + 20),
    ]);
    const unsubscribe = {
      ...sendcloudFixture("unsubscribe"),
      recipient: `unsub@${d}`,
      emailId: `1770920772000_1_2_3.sc-1-inbound0$unsub@${d}`,
      timestamp: String((t + 30) * 1000),
      reason: "not_subscribed",
    };
    await importing("sendcloud", [unsubscribe]);
    await manual(`@${d}`, { note: "the whole domain", scope: "newsletter" });
    // Act
    const all = await page({ q: `@${d}` });
    const bounces = await page({ q: `@${d}`, cause: "bounce" });
    const fine = await page({ q: `@${d}`, reason: "user_unknown" });
    const manuals = await page({ q: `@${d}`, source: "manual" });
    const admins = await page({ q: `@${d}`, source: "admin" });
    const scoped = await page({ q: `@${d}`, scope: "newsletter" });
    const prefix = await page({ q: "COMPLAINT@" });
    const window = await page({
      q: `@${d}`,
      since: new Date((t + 15) * 1000).toISOString(),
      until: new Date((t + 30) * 1000).toISOString(),
    });
    // Assess
    expect(all.cursor).toBeNull();
    expect(all.items.map((i) => `${i.subject}|${i.scope}|${i.cause}`)).toEqual([
      `${d}|newsletter|manual`,
      `unsub@${d}|*|unsubscribe`,
      `complaint@${d}|*|complaint`,
      `bounce@${d}|*|bounce`,
    ]);
    const [domain, unsub, , bounce] = all.items;
    expect(domain).toMatchObject({
      subjectKind: "domain",
      source: "admin",
      expiresAt: null,
      reason: { type: "invalid", subtype: "blocklisted", reason: "manual" },
      causes: [{ cause: "manual", note: "the whole domain", unsubscribeReason: null }],
    });
    expect(unsub).toMatchObject({
      source: "sendcloud",
      causes: [{ cause: "unsubscribe", unsubscribeReason: "not_subscribed", note: null }],
    });
    expect(bounce).toMatchObject({
      subjectKind: "address",
      subject: `bounce@${d}`,
      reason: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
      since: new Date((t + 10) * 1000).toISOString(),
      causes: [{ cause: "bounce", source: "sendgrid", rule: expect.any(String) }],
    });
    expect(bounces.items.map((i) => i.subject)).toEqual([`bounce@${d}`]);
    expect(fine.items.map((i) => i.subject)).toEqual([`bounce@${d}`]);
    expect(manuals.items.map((i) => i.subject)).toEqual([d]);
    expect(admins).toEqual(manuals);
    expect(scoped.items.map((i) => i.subject)).toEqual([d]);
    expect(prefix.items.map((i) => i.subject)).toContain(`complaint@${d}`);
    expect(prefix.items.every((i) => i.subject.startsWith("complaint@"))).toBe(true);
    expect(window.items.map((i) => i.subject)).toEqual([`unsub@${d}`, `complaint@${d}`]);
  });

  it("pages with the cursor: every entry once, newest first; the last page's cursor is null", async () => {
    // Prepare
    const d = freshDomain();
    const t = nowS() - 7_200;
    const batch = Array.from({ length: 23 }, (_, i) =>
      sendgrid("bounce-invalid-address", `p${i}@${d}`, t + i),
    );
    await importing("sendgrid", batch);
    // Act
    const pages: ListPage[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const next: ListPage = await page({ q: `@${d}`, limit: "5", ...(cursor === null ? {} : { cursor }) });
      pages.push(next);
      cursor = next.cursor;
      if (cursor === null) break;
    }
    // Assess
    const seen = pages.flatMap((p) => p.items.map((i) => i.subject));
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => `p${22 - i}@${d}`));
    expect(pages.map((p) => p.items.length)).toEqual([5, 5, 5, 5, 3]);
    const defaults = await page({ q: `@${d}` });
    expect(defaults.items).toHaveLength(23);
  });

  it.each([
    ["cause", "hard_bounce"],
    ["reason", "mailbox_not_found"],
    ["reason", "manual"],
    ["source", "gmail"],
    ["scope", "a//b"],
    ["since", "yesterday"],
    ["until", "2026-13-01T00:00:00Z"],
    ["q", "@not a domain"],
    ["q", "@-bad-.example"],
    ["q", ""],
    ["cursor", "garbage"],
    [
      "cursor",
      Buffer.from(JSON.stringify({ v: 1, g: "all", d: 0, p: { s: 0, k: "x" } })).toString("base64url"),
    ],
    ["limit", "0"],
    ["limit", "101"],
    ["limit", "ten"],
  ])("refuses %s=%j with 400 problem+json naming it", async (name, value) => {
    const { paths } = badRequest(await get({ [name]: value }));
    expect(paths).toContain(name);
  });

  it("refuses a query parameter it does not know with 400", async () => {
    const { detail } = badRequest(await get({ status: "bounced" }));
    expect(detail).toMatch(/list query/);
  });

  it("refuses since after until with 400", async () => {
    const { paths } = badRequest(await get({ since: "2026-11-20T10:00:00Z", until: "2026-11-19T10:00:00Z" }));
    expect(paths).toEqual(["since"]);
  });

  it("requires the API key", async () => {
    expectProblem(await get({}, null), 401);
    expectProblem(await get({}, "wrong-key"), 401);
  });
});
