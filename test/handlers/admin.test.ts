/**
 * `PUT` and `DELETE /v1/suppressions/{address}` (operators' manual entries and audited removals)
 * over real sockets on the local server: answers parsed with the contract's zod schemas, verdicts
 * read back through `POST /v1/check` and `GET /v1/suppressions/{address}`, provider events fed
 * through `POST /v1/import/sendgrid` (bearer key, no signature). `GET /v1/suppressions/@domain`:
 * the entries on the domain itself (never its addresses' own) and the verdict they give its
 * addresses, canonical, and a malformed `@domain` refused.
 */
import { randomBytes } from "node:crypto";
import { domainToASCII } from "node:url";
import { describe, expect, it } from "vitest";
import {
  AddressView,
  CheckResponse,
  CreatedKey,
  IngestSummary,
  MAX_NOTE_CHARS,
  ManualSuppressionAnswer,
  ProblemDocument,
  RemovalAnswer,
} from "../../lambdas/contract/index.js";
import { sendgridEvents } from "../fixtures/sendgrid/signing.js";
import { type Answer, call, expectProblem, useLocalServer } from "../local/http-helpers.js";

const KEY = "test-key-admin-0123456789";
const DAY_MS = 86_400_000;

const salt = (): string => randomBytes(5).toString("hex");
/** An address no other test of the run uses. */
const freshAddress = (domain = "example.org"): string => `op-${salt()}@${domain}`;
const nowS = (): number => Math.floor(Date.now() / 1000);
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
const epochOf = (isoTime: string): number => Math.floor(Date.parse(isoTime) / 1000);
const pathOf = (subject: string): string => `/v1/suppressions/${encodeURIComponent(subject)}`;

/** A SendGrid hard bounce (550 5.1.1) for `email`, occurred at `timestamp` (epoch seconds). */
function hardBounce(email: string, eventId: string, timestamp: number): Record<string, unknown> {
  const [event] = sendgridEvents("bounce-invalid-address");
  return { ...event, email, sg_event_id: eventId, timestamp };
}

/** The 400 answer's problem document, with its issues' paths. */
function badRequest(answer: Answer): { detail: string; paths: string[] } {
  expectProblem(answer, 400);
  const doc = ProblemDocument.parse(answer.body);
  return { detail: doc.detail, paths: (doc.errors ?? []).map((e) => e.path) };
}

describe("PUT and DELETE /v1/suppressions/{address} over HTTP", () => {
  const running = useLocalServer(KEY);
  const url = () => running().url;

  const put = (subject: string, body?: unknown, key: string | null = KEY) =>
    call(url(), "PUT", pathOf(subject), { key, ...(body === undefined ? {} : { body }) });
  const putRaw = (subject: string, raw: string) =>
    call(url(), "PUT", pathOf(subject), { key: KEY, raw, contentType: "application/json" });
  const remove = (subject: string, query: Record<string, string>, key: string | null = KEY) => {
    const search = new URLSearchParams(query).toString();
    return call(url(), "DELETE", `${pathOf(subject)}${search ? `?${search}` : ""}`, { key });
  };
  const check = async (addresses: string[], scope?: string) => {
    const answer = await call(url(), "POST", "/v1/check", {
      key: KEY,
      body: { addresses, ...(scope === undefined ? {} : { scope }) },
    });
    expect(answer.status).toBe(200);
    return CheckResponse.parse(answer.body);
  };
  const verdictOf = async (address: string, scope?: string) => {
    const [verdict] = (await check([address], scope)).results;
    if (verdict === undefined) throw new Error("no verdict");
    return verdict;
  };
  const view = async (address: string) => {
    const answer = await call(url(), "GET", pathOf(address), { key: KEY });
    expect(answer.status).toBe(200);
    return AddressView.parse(answer.body);
  };
  const manual = async (subject: string, body?: unknown) => {
    const answer = await put(subject, body);
    expect(answer.status).toBe(200);
    return ManualSuppressionAnswer.parse(answer.body);
  };
  const removed = async (subject: string, query: Record<string, string>) => {
    const answer = await remove(subject, query);
    expect(answer.status).toBe(200);
    return RemovalAnswer.parse(answer.body);
  };
  const importSendgrid = async (...events: Record<string, unknown>[]) => {
    const answer = await call(url(), "POST", "/v1/import/sendgrid", { key: KEY, body: events });
    expect(answer.status).toBe(200);
    return IngestSummary.parse(answer.body);
  };

  describe("PUT: a manual entry on an address", () => {
    it("answers the entry, the check says manual from admin, GET shows it with its note", async () => {
      // Prepare
      const address = freshAddress();
      const written = address.replace("op-", "Op-").replace("example.org", "Example.ORG");
      const note = "asked by the customer on the phone";
      // Act
      const answer = await manual(written, { note });
      const verdict = await verdictOf(address);
      const shown = await view(address);
      // Assess
      expect(answer).toMatchObject({
        subjectKind: "address",
        subject: address,
        scope: "*",
        cause: "manual",
        expiresAt: null,
        note,
      });
      expect(Math.abs(epochOf(answer.at) - nowS())).toBeLessThanOrEqual(5);
      expect(verdict).toEqual({
        address,
        suppressed: true,
        cause: "manual",
        reason: { type: "invalid", subtype: "blocklisted", reason: "manual" },
        scope: "*",
        since: answer.at,
        expiresAt: null,
        source: "admin",
      });
      expect(shown).toMatchObject({ address, suppressed: true, cause: "manual", source: "admin" });
      expect(shown.entries).toEqual([
        {
          subjectKind: "address",
          subject: address,
          scope: "*",
          cause: "manual",
          reason: { type: "invalid", subtype: "blocklisted", reason: "manual" },
          since: answer.at,
          lastAt: answer.at,
          expiresAt: null,
          source: "admin",
          eventId: answer.actionId,
          rule: "manual",
          note,
        },
      ]);
    });

    it("takes no body at all: scope *, never expires, no note", async () => {
      // Prepare
      const address = freshAddress();
      // Act
      const answer = await manual(address);
      const verdict = await verdictOf(address);
      const shown = await view(address);
      // Assess
      expect(answer).toMatchObject({ subject: address, scope: "*", expiresAt: null, note: null });
      expect(verdict).toMatchObject({ suppressed: true, cause: "manual", source: "admin" });
      expect(shown.entries).toEqual([expect.objectContaining({ cause: "manual", note: null })]);
    });

    it("a second PUT replaces the note and expiry but keeps the entry's since", async () => {
      // Prepare
      const address = freshAddress();
      const first = await manual(address, { note: "first" });
      const expiresAt = iso(nowS() + 3 * 86_400);
      // Act
      const second = await manual(address, { note: "second", expiresAt });
      const shown = await view(address);
      // Assess
      expect(second.actionId).not.toBe(first.actionId);
      expect(shown.entries).toEqual([
        expect.objectContaining({
          cause: "manual",
          note: "second",
          expiresAt,
          since: first.at,
          eventId: second.actionId,
        }),
      ]);
    });
  });

  describe("PUT: scopes, expiry and refusals", () => {
    it("scope newsletter suppresses checks for newsletter and below, not for * or another scope", async () => {
      // Prepare
      const address = freshAddress();
      // Act
      const answer = await manual(address, { scope: "newsletter", note: "newsletter only" });
      const atNewsletter = await verdictOf(address, "newsletter");
      const below = await verdictOf(address, "newsletter/x");
      const allMail = await verdictOf(address);
      const star = await verdictOf(address, "*");
      const other = await verdictOf(address, "offers");
      const shown = await view(address);
      // Assess
      expect(answer).toMatchObject({ subject: address, scope: "newsletter", cause: "manual" });
      expect(atNewsletter).toMatchObject({ suppressed: true, cause: "manual", scope: "newsletter" });
      expect(below).toMatchObject({ suppressed: true, cause: "manual", scope: "newsletter" });
      expect(allMail.suppressed).toBe(false);
      expect(star.suppressed).toBe(false);
      expect(other.suppressed).toBe(false);
      // GET answers the all-mail verdict, and lists the newsletter entry.
      expect(shown.suppressed).toBe(false);
      expect(shown.entries).toEqual([
        expect.objectContaining({ scope: "newsletter", cause: "manual", note: "newsletter only" }),
      ]);
    });

    it("a future expiresAt is answered, checked and shown", async () => {
      // Prepare
      const address = freshAddress();
      const expiresAt = new Date(Math.floor((Date.now() + 7 * DAY_MS) / 1000) * 1000).toISOString();
      // Act
      const answer = await manual(address, { expiresAt, note: "a week" });
      const verdict = await verdictOf(address);
      const shown = await view(address);
      // Assess
      expect(answer.expiresAt).toBe(expiresAt);
      expect(verdict).toMatchObject({ suppressed: true, cause: "manual", expiresAt });
      expect(shown.entries).toEqual([expect.objectContaining({ cause: "manual", expiresAt })]);
    });

    it("an expiresAt given with an offset is answered in UTC", async () => {
      // Prepare
      const address = freshAddress();
      const utc = new Date(Math.floor((Date.now() + 2 * DAY_MS) / 1000) * 1000);
      const plusTwo = new Date(utc.getTime() + 2 * 3_600_000).toISOString().replace("Z", "+02:00");
      // Act
      const answer = await manual(address, { expiresAt: plusTwo });
      // Assess
      expect(answer.expiresAt).toBe(utc.toISOString());
      expect((await verdictOf(address)).expiresAt).toBe(utc.toISOString());
    });

    it("a past expiresAt is 400 problem+json naming expiresAt, and stores nothing", async () => {
      // Prepare
      const address = freshAddress();
      // Act
      const answer = await put(address, { expiresAt: new Date(Date.now() - DAY_MS).toISOString() });
      // Assess
      expect(badRequest(answer).paths).toEqual(["expiresAt"]);
      expect((await verdictOf(address)).suppressed).toBe(false);
      expect((await view(address)).entries).toEqual([]);
    });

    it.each<[string, string, string]>([
      ["not JSON", "{not json", ""],
      ["a JSON array", "[]", ""],
      ["an unknown field", JSON.stringify({ reason: "the wrong field" }), ""],
      ["a note too long", JSON.stringify({ note: "x".repeat(MAX_NOTE_CHARS + 1) }), "note"],
      ["an empty note", JSON.stringify({ note: "   " }), "note"],
      ["a scope with a space", JSON.stringify({ scope: "news letter" }), "scope"],
      ["a scope with a *", JSON.stringify({ scope: "news/*" }), "scope"],
      ["a scope of the wrong type", JSON.stringify({ scope: 42 }), "scope"],
      ["an expiresAt that is no time", JSON.stringify({ expiresAt: "next week" }), "expiresAt"],
    ])("a body with %s is 400 problem+json and stores nothing", async (_name, raw, path) => {
      // Prepare
      const address = freshAddress();
      // Act
      const answer = await putRaw(address, raw);
      // Assess
      const problem = badRequest(answer);
      if (path !== "") expect(problem.paths).toContain(path);
      expect((await verdictOf(address)).suppressed).toBe(false);
      expect((await view(address)).entries).toEqual([]);
    });

    it("a note of exactly the longest length is accepted", async () => {
      const address = freshAddress();
      const answer = await manual(address, { note: "n".repeat(MAX_NOTE_CHARS) });
      expect(answer.note).toHaveLength(MAX_NOTE_CHARS);
    });

    it.each([["not-an-address"], ["two@@example.org"], ["@"], ["@localhost"], ["@bad_domain.example"]])(
      "PUT %s is 400 problem+json naming the address",
      async (subject) => {
        const answer = await put(subject, { note: "bad" });
        expect(badRequest(answer).paths).toEqual(["address"]);
      },
    );

    it("DELETE of a bad address is 400 as well", async () => {
      const answer = await remove("not-an-address", { reason: "cleanup" });
      expect(badRequest(answer).paths).toEqual(["address"]);
    });
  });

  describe("DELETE: audited removals", () => {
    it("without a reason is 400 naming reason, and removes nothing", async () => {
      // Prepare
      const address = freshAddress();
      await manual(address, { note: "stays" });
      // Act
      const none = await remove(address, {});
      const blank = await remove(address, { reason: "   " });
      const empty = await remove(address, { reason: "" });
      // Assess
      for (const answer of [none, blank, empty]) {
        const problem = badRequest(answer);
        expect(problem.paths).toEqual(["reason"]);
        expect(problem.detail).toContain("reason");
      }
      expect(await verdictOf(address)).toMatchObject({ suppressed: true, cause: "manual" });
    });

    it("with a reason removes, lists what it removed; again is 404 not-suppressed", async () => {
      // Prepare
      const address = freshAddress();
      const entry = await manual(address, { note: "temporary block" });
      const before = await verdictOf(address);
      // Act
      const answer = await removed(address, { reason: "the customer asked to be mailed again" });
      const after = await verdictOf(address);
      const shown = await view(address);
      const again = await remove(address, { reason: "once more" });
      // Assess
      expect(before.suppressed).toBe(true);
      expect(answer).toMatchObject({
        subjectKind: "address",
        subject: address,
        scope: "*",
        removed: ["manual"],
        reason: "the customer asked to be mailed again",
      });
      expect(answer.actionId).not.toBe(entry.actionId);
      expect(epochOf(answer.at)).toBeGreaterThanOrEqual(epochOf(entry.at));
      expect(after.suppressed).toBe(false);
      expect(shown).toMatchObject({ suppressed: false, entries: [] });
      expectProblem(again, 404);
      expect(String(again.body.type)).toMatch(/\/not-suppressed$/);
    });

    it("of an address nothing is known about is 404 not-suppressed", async () => {
      const answer = await remove(freshAddress(), { reason: "just in case" });
      expectProblem(answer, 404);
      expect(String(answer.body.type)).toMatch(/\/not-suppressed$/);
    });

    it("cause=bounce removes only the bounce: the manual cause at the same scope stays", async () => {
      // Prepare: a SendGrid hard bounce and a manual entry, both at *
      const address = freshAddress();
      const imported = await importSendgrid(hardBounce(address, `sg-${salt()}`, nowS() - 60));
      const entry = await manual(address, { note: "keep blocked" });
      const before = await view(address);
      // Act
      const answer = await removed(address, { cause: "bounce", reason: "mailbox fixed" });
      const after = await view(address);
      const againBounce = await remove(address, { cause: "bounce", reason: "mailbox fixed" });
      // Assess
      expect(imported).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(before.entries.map((e) => e.cause)).toEqual(["manual", "bounce"]);
      expect(answer.removed).toEqual(["bounce"]);
      expect(after).toMatchObject({ suppressed: true, cause: "manual", source: "admin" });
      expect(after.entries).toEqual([
        expect.objectContaining({ cause: "manual", eventId: entry.actionId, note: "keep blocked" }),
      ]);
      expectProblem(againBounce, 404);
      expect(String(againBounce.body.type)).toMatch(/\/not-suppressed$/);
    });

    it("without a cause removes every live cause at the scope", async () => {
      // Prepare
      const address = freshAddress();
      await importSendgrid(hardBounce(address, `sg-${salt()}`, nowS() - 60));
      await manual(address);
      // Act
      const answer = await removed(address, { reason: "start over" });
      // Assess
      expect([...answer.removed].sort()).toEqual(["bounce", "manual"]);
      expect((await view(address)).entries).toEqual([]);
    });

    it("a removal at another scope leaves the * entry (404), and one at its scope removes it", async () => {
      // Prepare
      const address = freshAddress();
      await manual(address);
      await manual(address, { scope: "newsletter" });
      // Act
      const elsewhere = await remove(address, { scope: "offers", reason: "wrong scope" });
      const atNewsletter = await removed(address, { scope: "newsletter", reason: "newsletter back on" });
      // Assess
      expectProblem(elsewhere, 404);
      expect(atNewsletter).toMatchObject({ scope: "newsletter", removed: ["manual"] });
      expect(await verdictOf(address)).toMatchObject({ suppressed: true, scope: "*" });
      expect((await view(address)).entries).toEqual([
        expect.objectContaining({ scope: "*", cause: "manual" }),
      ]);
    });

    it.each<[string, Record<string, string>, string]>([
      ["an unknown cause", { cause: "spam", reason: "x" }, "cause"],
      ["a bad scope", { scope: "a b", reason: "x" }, "scope"],
      ["a reason too long", { reason: "r".repeat(MAX_NOTE_CHARS + 1) }, "reason"],
      ["an unknown parameter", { reason: "x", force: "true" }, ""],
    ])("with %s is 400 problem+json and removes nothing", async (_name, query, path) => {
      // Prepare
      const address = freshAddress();
      await manual(address);
      // Act
      const answer = await remove(address, query);
      // Assess
      const problem = badRequest(answer);
      if (path !== "") expect(problem.paths).toContain(path);
      expect((await verdictOf(address)).suppressed).toBe(true);
    });

    it("a bounce dated after the request (a provider clock ahead) is kept: 409 newer-evidence", async () => {
      // Prepare: a hard bounce dated a minute in the future
      const address = freshAddress();
      await importSendgrid(hardBounce(address, `sg-${salt()}-ahead`, nowS() + 60));
      // Act
      const answer = await remove(address, { cause: "bounce", reason: "the customer says it works" });
      // Assess
      expectProblem(answer, 409);
      expect(String((answer.body as { type: string }).type)).toMatch(/\/newer-evidence$/);
      expect((await verdictOf(address)).cause).toBe("bounce");
    });

    it("a removed bounce comes back only through a bounce that occurred after the removal", async () => {
      // Prepare: a hard bounce a minute ago
      const address = freshAddress();
      const first = hardBounce(address, `sg-${salt()}-1`, nowS() - 60);
      const imported = await importSendgrid(first);
      const bounced = await verdictOf(address);
      // Act 1: the removal of the bounce
      const removal = await removed(address, { cause: "bounce", reason: "address verified by phone" });
      const removedAt = epochOf(removal.at);
      const cleared = await verdictOf(address);
      // Act 2: the same event again (a redelivery)
      const replay = await importSendgrid(first);
      const afterReplay = await verdictOf(address);
      // Act 3: a new event that occurred before the removal, arriving late
      const late = await importSendgrid(hardBounce(address, `sg-${salt()}-late`, removedAt - 30));
      const afterLate = await verdictOf(address);
      // Act 4: a new bounce that occurred after the removal
      const newer = await importSendgrid(hardBounce(address, `sg-${salt()}-new`, removedAt + 5));
      const afterNewer = await verdictOf(address);
      // Assess
      expect(imported).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(bounced).toMatchObject({ suppressed: true, cause: "bounce", source: "sendgrid" });
      expect(removal.removed).toEqual(["bounce"]);
      expect(cleared.suppressed).toBe(false);
      expect(replay).toMatchObject({ accepted: 0, duplicates: 1 });
      expect(afterReplay.suppressed).toBe(false);
      expect(late).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(afterLate.suppressed).toBe(false);
      expect(newer).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(afterNewer).toMatchObject({
        suppressed: true,
        cause: "bounce",
        source: "sendgrid",
        since: iso(removedAt + 5),
      });
    });
  });

  describe("authentication", () => {
    it.each([
      ["no key", null],
      ["a wrong key", "not-the-key"],
    ])("PUT and DELETE with %s are 401 and change nothing", async (_name, key) => {
      // Prepare: one address with an entry (for DELETE), one without (for PUT)
      const kept = freshAddress();
      await manual(kept);
      const untouched = freshAddress();
      // Act
      const putAnswer = await put(untouched, { note: "sneaky" }, key);
      const deleteAnswer = await remove(kept, { reason: "sneaky" }, key);
      // Assess
      expectProblem(putAnswer, 401);
      expectProblem(deleteAnswer, 401);
      expect((await verdictOf(untouched)).suppressed).toBe(false);
      expect((await verdictOf(kept)).suppressed).toBe(true);
    });
  });
});

describe("PUT /v1/suppressions/@domain over HTTP", () => {
  const running = useLocalServer(KEY);
  const check = async (addresses: string[]) => {
    const answer = await call(running().url, "POST", "/v1/check", { key: KEY, body: { addresses } });
    expect(answer.status).toBe(200);
    return CheckResponse.parse(answer.body);
  };

  it("@Example.ORG suppresses every address of example.org (any case), not another domain", async () => {
    // Act
    const answer = await call(running().url, "PUT", pathOf("@Example.ORG"), {
      key: KEY,
      body: { note: "a test domain" },
    });
    const verdicts = await check([
      "a@example.org",
      "Someone.Else@EXAMPLE.ORG",
      "c@example.net",
      "d@example.org.uk",
    ]);
    const shown = await call(running().url, "GET", pathOf("b@example.org"), { key: KEY });
    // Assess
    expect(answer.status).toBe(200);
    expect(ManualSuppressionAnswer.parse(answer.body)).toMatchObject({
      subjectKind: "domain",
      subject: "example.org",
      scope: "*",
      cause: "manual",
      note: "a test domain",
    });
    expect(verdicts.suppressedCount).toBe(2);
    expect(verdicts.results).toEqual([
      expect.objectContaining({
        address: "a@example.org",
        suppressed: true,
        cause: "manual",
        source: "admin",
      }),
      expect.objectContaining({ address: "someone.else@example.org", suppressed: true, cause: "manual" }),
      expect.objectContaining({ address: "c@example.net", suppressed: false }),
      expect.objectContaining({ address: "d@example.org.uk", suppressed: false }),
    ]);
    expect(shown.status).toBe(200);
    const view = AddressView.parse(shown.body);
    expect(view).toMatchObject({ suppressed: true, cause: "manual" });
    expect(view.entries).toEqual([
      expect.objectContaining({
        subjectKind: "domain",
        subject: "example.org",
        cause: "manual",
        note: "a test domain",
      }),
    ]);
  });

  it("DELETE @EXAMPLE.com removes the domain entry", async () => {
    // Prepare
    await call(running().url, "PUT", pathOf("@example.com"), { key: KEY });
    const before = await check(["x@example.com"]);
    // Act
    const answer = await call(running().url, "DELETE", `${pathOf("@EXAMPLE.com")}?reason=domain%20back`, {
      key: KEY,
    });
    const after = await check(["x@example.com"]);
    // Assess
    expect(before.suppressedCount).toBe(1);
    expect(answer.status).toBe(200);
    expect(RemovalAnswer.parse(answer.body)).toMatchObject({
      subjectKind: "domain",
      subject: "example.com",
      removed: ["manual"],
      reason: "domain back",
    });
    expect(after.suppressedCount).toBe(0);
  });
});

describe("GET /v1/suppressions/@domain over HTTP", () => {
  const running = useLocalServer(KEY);
  const url = () => running().url;
  const freshDomain = (): string => `dom-${salt()}.example`;
  const MANUAL_REASON = { type: "invalid", subtype: "blocklisted", reason: "manual" } as const;

  const get = (subject: string, key: string | null = KEY) => call(url(), "GET", pathOf(subject), { key });
  const view = async (subject: string, key: string = KEY): Promise<AddressView> => {
    const answer = await get(subject, key);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    return AddressView.parse(answer.body);
  };
  const manual = async (subject: string, body?: unknown) => {
    const answer = await call(url(), "PUT", pathOf(subject), {
      key: KEY,
      ...(body === undefined ? {} : { body }),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return ManualSuppressionAnswer.parse(answer.body);
  };
  const importSendgrid = async (...events: Record<string, unknown>[]) => {
    const answer = await call(url(), "POST", "/v1/import/sendgrid", { key: KEY, body: events });
    expect(answer.status).toBe(200);
    return IngestSummary.parse(answer.body);
  };

  it("PUT @example.test, then GET: the domain view, the domain's entry only, its addresses' own left out", async () => {
    // Prepare: the domain entry, a manual entry and a provider bounce on addresses of the domain
    const domainEntry = await manual("@example.test", { note: "a customer domain" });
    const jane = "jane@example.test";
    await manual(jane, { note: "jane asked" });
    const bounced = freshAddress("example.test");
    await importSendgrid(hardBounce(bounced, `dom-${salt()}`, nowS() - 60));
    // Act
    const domainView = await view("@example.test");
    const janeView = await view(jane);
    // Assess
    expect(domainView).toEqual({
      address: "@example.test",
      suppressed: true,
      cause: "manual",
      reason: MANUAL_REASON,
      scope: "*",
      since: domainEntry.at,
      expiresAt: null,
      source: "admin",
      entries: [
        {
          subjectKind: "domain",
          subject: "example.test",
          scope: "*",
          cause: "manual",
          reason: MANUAL_REASON,
          since: domainEntry.at,
          lastAt: domainEntry.at,
          expiresAt: null,
          source: "admin",
          eventId: domainEntry.actionId,
          rule: "manual",
          note: "a customer domain",
        },
      ],
    });
    expect(domainView.entries.every((e) => e.subjectKind === "domain")).toBe(true);
    expect(JSON.stringify(domainView)).not.toContain(jane);
    expect(JSON.stringify(domainView)).not.toContain(bounced);
    expect((await view(bounced)).entries.map((e) => [e.subjectKind, e.cause])).toEqual([
      ["domain", "manual"],
      ["address", "bounce"],
    ]);
    // (the control: an address's view holds its own entry and its domain's)
    expect(janeView.entries.map((e) => [e.subjectKind, e.subject, e.note])).toEqual([
      ["address", jane, "jane asked"],
      ["domain", "example.test", "a customer domain"],
    ]);
  });

  it("@Example.TEST is the same view, canonical: address @example.test", async () => {
    // Prepare
    await manual("@example.test", { note: "a customer domain" });
    // Act
    const written = await view("@Example.TEST");
    const spaced = await view("  @EXAMPLE.test ");
    const canonical = await view("@example.test");
    // Assess
    expect(written).toEqual(canonical);
    expect(spaced).toEqual(canonical);
    expect(written).toMatchObject({ address: "@example.test", suppressed: true, cause: "manual" });
  });

  it("an internationalized domain: one view however it is written (Unicode, case, IDNA)", async () => {
    // Prepare
    const label = `bücher-${salt()}`;
    const ascii = domainToASCII(`${label}.example`);
    const entry = await manual(`@${label}.example`);
    // Act
    const asUnicode = await view(`@${label.toUpperCase()}.Example`);
    const asAscii = await view(`@${ascii}`);
    // Assess
    expect(ascii.startsWith("xn--")).toBe(true);
    expect(entry).toMatchObject({ subjectKind: "domain", subject: ascii });
    expect(asUnicode).toEqual(asAscii);
    expect(asUnicode).toMatchObject({ address: `@${ascii}`, suppressed: true, cause: "manual" });
    expect(asUnicode.entries.map((e) => [e.subjectKind, e.subject])).toEqual([["domain", ascii]]);
  });

  it("a domain without entries: suppressed false, no entries, even when its addresses have some", async () => {
    // Prepare
    const domain = freshDomain();
    await manual(freshAddress(domain));
    await importSendgrid(hardBounce(freshAddress(domain), `dom-${salt()}`, nowS() - 60));
    // Act
    const answer = await view(`@${domain}`);
    // Assess
    expect(answer).toEqual({
      address: `@${domain}`,
      suppressed: false,
      cause: null,
      reason: null,
      scope: null,
      since: null,
      expiresAt: null,
      source: null,
      entries: [],
    });
  });

  it("a scoped domain entry is listed, but gives its addresses no all-mail verdict", async () => {
    // Prepare
    const domain = freshDomain();
    await manual(`@${domain}`, { scope: "newsletter", note: "no newsletters" });
    // Act
    const answer = await view(`@${domain}`);
    // Assess
    expect(answer).toMatchObject({ address: `@${domain}`, suppressed: false, cause: null });
    expect(answer.entries).toEqual([
      expect.objectContaining({
        subjectKind: "domain",
        subject: domain,
        scope: "newsletter",
        cause: "manual",
      }),
    ]);
  });

  it("the domain entry removed: suppressed false again", async () => {
    // Prepare
    const domain = freshDomain();
    await manual(`@${domain}`);
    const before = await view(`@${domain}`);
    // Act
    const removal = await call(url(), "DELETE", `${pathOf(`@${domain}`)}?reason=back`, { key: KEY });
    const after = await view(`@${domain}`);
    // Assess
    expect(before.suppressed).toBe(true);
    expect(removal.status).toBe(200);
    expect(after).toMatchObject({ address: `@${domain}`, suppressed: false, entries: [] });
  });

  it("a key with `check` only may ask; another tenant's domain entry is not seen", async () => {
    // Prepare
    const domain = freshDomain();
    await manual(`@${domain}`);
    const made = async (tenant?: string) => {
      const answer = await call(url(), "POST", "/v1/keys", {
        key: KEY,
        body: { name: "pre-send", scopes: ["check"], ...(tenant === undefined ? {} : { tenant }) },
      });
      expect(answer.status).toBe(201);
      return CreatedKey.parse(answer.body).key;
    };
    // Act
    const own = await view(`@${domain}`, await made());
    const other = await view(`@${domain}`, await made(`dom-${salt()}`));
    // Assess
    expect(own).toMatchObject({ address: `@${domain}`, suppressed: true, cause: "manual" });
    expect(other).toMatchObject({ address: `@${domain}`, suppressed: false, entries: [] });
  });

  it.each([
    ["an @ alone", "@"],
    ["a label that starts and ends with -", "@-bad-"],
    ["a space in the domain", "@exa mple.org"],
    ["an underscore and a bang", "@not_a domain!"],
    ["two @", "@@example.org"],
    ["a domain too long", `@${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.example`],
  ])("a malformed @domain (%s) is 400 naming address", async (_name, subject) => {
    // Act
    const answer = await get(subject);
    // Assess
    const problem = badRequest(answer);
    expect(problem.paths).toEqual(["address"]);
    expect(problem.detail).toContain("@domain");
  });

  it("a malformed address (no @ first) is still answered 200 bad_address_format, as before", async () => {
    const answer = await view("not-an-address");
    expect(answer).toMatchObject({ suppressed: true, reason: { reason: "bad_address_format" }, entries: [] });
  });

  it("without a key: 401", async () => {
    expectProblem(await get("@example.test", null), 401);
  });
});
