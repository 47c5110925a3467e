/**
 * The allowlist over real sockets on the local server: `PUT` / `DELETE /v1/allowlist/{address}`,
 * `GET /v1/allowlist` and `GET /v1/allowlist/{address}` (which active entries cover one address or
 * `@domain`; tenant-bound, admin only, masked without `pii`), answers parsed with the contract's zod
 * schemas. Genuine signed webhooks of
 * every provider (test/support/provider-requests.ts) for allowlisted addresses and domains are
 * accepted and recorded with the decision `none` (`allowlisted`) and never suppress, while the same
 * events for other addresses do; a manual entry still wins; entries that exist stay until removed;
 * taking a subject off the list lets events suppress it again; refusals are problem+json.
 */
import { domainToASCII } from "node:url";
import { describe, expect, it } from "vitest";
import {
  AllowlistEntry,
  AllowlistPage,
  AllowlistState,
  CheckResponse,
  CreatedKey,
  DisallowAnswer,
  HistoryPage,
  IngestSummary,
  MAX_NOTE_CHARS,
  ManualSuppressionAnswer,
  ProblemDocument,
  RemovalAnswer,
} from "../../lambdas/contract/index.js";
import { ALLOWLISTED } from "../../lambdas/core/policy/allowlist.js";
import { sendgridEvents } from "../fixtures/sendgrid/signing.js";
import { type Answer, call, expectProblem, useLocalServer } from "../local/http-helpers.js";
import {
  type Posted,
  REQUESTS,
  salt,
  WEBHOOK_PROVIDERS,
  WEBHOOK_SERVER_OPTIONS,
} from "../support/provider-requests.js";

const KEY = "test-key-allowlist-0123456789";
/** The actor of every change made with the bootstrap API key (handlers/actor.ts). */
const BOOTSTRAP = { keyId: "bootstrap", name: "bootstrap key" };

/** An address no other test of the run uses. */
const freshAddress = (domain = "example.org"): string => `al-${salt()}@${domain}`;
const freshDomain = (): string => `al-${salt()}.example`;
const nowS = (): number => Math.floor(Date.now() / 1000);
const epochOf = (isoTime: string): number => Math.floor(Date.parse(isoTime) / 1000);
const allowPath = (subject: string): string => `/v1/allowlist/${encodeURIComponent(subject)}`;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

const requestsOf = (provider: string) => {
  const kinds = REQUESTS[provider];
  if (!kinds) throw new Error(`test/support/provider-requests.ts has no requests for ${provider}`);
  return kinds;
};

/** A SendGrid event of fixture `name` for `email`, with an id of its own, a minute ago. */
function sendgridEvent(name: string, email: string): Record<string, unknown> {
  const [event] = sendgridEvents(name);
  return { ...event, email, sg_event_id: `sg-${salt()}`, timestamp: nowS() - 60 };
}

/** The 400 answer's problem document, with its issues' paths. */
function badRequest(answer: Answer): { detail: string; paths: string[] } {
  expectProblem(answer, 400);
  const doc = ProblemDocument.parse(answer.body);
  return { detail: doc.detail, paths: (doc.errors ?? []).map((e) => e.path) };
}

describe("the allowlist over HTTP", () => {
  const running = useLocalServer(KEY, WEBHOOK_SERVER_OPTIONS);
  const url = () => running().url;

  const put = (subject: string, body?: unknown, key: string | null = KEY) =>
    call(url(), "PUT", allowPath(subject), { key, ...(body === undefined ? {} : { body }) });
  const putRaw = (subject: string, raw: string) =>
    call(url(), "PUT", allowPath(subject), { key: KEY, raw, contentType: "application/json" });
  const remove = (subject: string, key: string | null = KEY) =>
    call(url(), "DELETE", allowPath(subject), { key });
  const allowed = async (subject: string, body?: unknown): Promise<AllowlistEntry> => {
    const answer = await put(subject, body);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    return AllowlistEntry.parse(answer.body);
  };
  const disallowed = async (subject: string): Promise<DisallowAnswer> => {
    const answer = await remove(subject);
    expect(answer.status).toBe(200);
    return DisallowAnswer.parse(answer.body);
  };
  const list = async (): Promise<AllowlistPage> => {
    const answer = await call(url(), "GET", "/v1/allowlist", { key: KEY });
    expect(answer.status).toBe(200);
    return AllowlistPage.parse(answer.body);
  };
  const listed = async (subject: string) => (await list()).entries.filter((e) => e.subject === subject);
  const check = async (addresses: string[]) => {
    const answer = await call(url(), "POST", "/v1/check", { key: KEY, body: { addresses } });
    expect(answer.status).toBe(200);
    return CheckResponse.parse(answer.body);
  };
  const verdictOf = async (address: string) => {
    const [verdict] = (await check([address])).results;
    if (verdict === undefined) throw new Error("no verdict");
    return verdict;
  };
  const history = async (subject: string): Promise<HistoryPage> => {
    const answer = await call(url(), "GET", `/v1/events/${encodeURIComponent(subject)}`, { key: KEY });
    expect(answer.status).toBe(200);
    return HistoryPage.parse(answer.body);
  };
  /** The provider events of an address's history (operators' actions left out), newest first. */
  const eventsOf = async (address: string) =>
    (await history(address)).items.flatMap((item) => (item.kind === "event" ? [item] : []));
  const post = async (request: Posted): Promise<IngestSummary> => {
    const answer = await call(url(), "POST", `/webhooks/${request.provider}`, {
      raw: request.body,
      contentType: request.headers["content-type"] ?? "application/json",
      headers: request.headers,
    });
    expect(answer.status).toBe(200);
    return IngestSummary.parse(answer.body);
  };
  const importSendgrid = async (...events: Record<string, unknown>[]) => {
    const answer = await call(url(), "POST", "/v1/import/sendgrid", { key: KEY, body: events });
    expect(answer.status).toBe(200);
    return IngestSummary.parse(answer.body);
  };
  const manual = async (subject: string, body?: unknown) => {
    const answer = await call(url(), "PUT", `/v1/suppressions/${encodeURIComponent(subject)}`, {
      key: KEY,
      ...(body === undefined ? {} : { body }),
    });
    expect(answer.status).toBe(200);
    return ManualSuppressionAnswer.parse(answer.body);
  };
  const removeSuppression = async (subject: string, reason: string) => {
    const answer = await call(
      url(),
      "DELETE",
      `/v1/suppressions/${encodeURIComponent(subject)}?reason=${encodeURIComponent(reason)}`,
      { key: KEY },
    );
    expect(answer.status).toBe(200);
    return RemovalAnswer.parse(answer.body);
  };

  /** The decision of the one event of a summary. */
  const onlyDecision = (summary: IngestSummary) => {
    expect(summary).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(summary.decisions).toHaveLength(1);
    const [decision] = summary.decisions;
    if (decision === undefined) throw new Error("no decision");
    return decision;
  };
  const ALLOWLISTED_DECISION = {
    action: "none",
    scope: null,
    cause: null,
    expiresAt: null,
    outcome: "none",
    why: ALLOWLISTED,
  } as const;

  it("covers every provider of the registry that takes webhooks", () => {
    expect(Object.keys(REQUESTS).sort()).toEqual([...WEBHOOK_PROVIDERS].sort());
    expect(WEBHOOK_PROVIDERS.length).toBeGreaterThan(1);
  });

  describe("PUT /v1/allowlist/{address}", () => {
    it("answers the entry, canonical, with its note, since now, by the bootstrap key", async () => {
      // Prepare
      const address = freshAddress();
      const written = address.replace("al-", "AL-").replace("example.org", "Example.ORG");
      // Act
      const entry = await allowed(written, { note: "  seed inbox  " });
      const shown = await listed(address);
      // Assess
      expect(entry).toEqual({
        subjectKind: "address",
        subject: address,
        note: "seed inbox",
        since: expect.any(String),
        actor: BOOTSTRAP,
      });
      expect(Math.abs(epochOf(entry.since) - nowS())).toBeLessThanOrEqual(5);
      expect(shown).toEqual([entry]);
    });

    it("takes no body at all, and an empty one: note null", async () => {
      // Prepare
      const [a, b] = [freshAddress(), freshAddress()];
      // Act
      const none = await allowed(a);
      const blankAnswer = await putRaw(b, "  ");
      // Assess
      expect(none).toMatchObject({ subjectKind: "address", subject: a, note: null });
      expect(blankAnswer.status).toBe(200);
      expect(AllowlistEntry.parse(blankAnswer.body)).toMatchObject({ subject: b, note: null });
      expect(await listed(a)).toEqual([none]);
    });

    it("@Domain puts the whole domain on, canonical and without @", async () => {
      // Prepare
      const domain = freshDomain();
      // Act
      const entry = await allowed(`@${domain.toUpperCase()}`, { note: "our own domain" });
      // Assess
      expect(entry).toMatchObject({ subjectKind: "domain", subject: domain, note: "our own domain" });
      expect(await listed(domain)).toEqual([entry]);
    });

    it("again replaces the entry: one entry, the newest note", async () => {
      // Prepare
      const address = freshAddress();
      await allowed(address, { note: "first" });
      // Act
      const again = await allowed(address, { note: "second" });
      // Assess
      expect(await listed(address)).toEqual([again]);
      expect(again.note).toBe("second");
    });

    it("writes an allow action into the subject's history, with the note and who", async () => {
      // Prepare
      const address = freshAddress();
      // Act
      const entry = await allowed(address, { note: "test inbox" });
      const page = await history(address);
      // Assess
      expect(page.items).toEqual([
        expect.objectContaining({
          kind: "admin",
          action: "allow",
          scope: "*",
          actor: BOOTSTRAP,
          note: "test inbox",
          at: entry.since,
          applied: true,
        }),
      ]);
    });
  });

  describe("GET /v1/allowlist", () => {
    it("lists the entries newest first, addresses and domains, with their notes", async () => {
      // Prepare: three changes a second apart (times are to the second)
      const [a, b] = [freshAddress(), freshAddress()];
      const domain = freshDomain();
      const first = await allowed(a, { note: "note of a" });
      await sleep(1100);
      const second = await allowed(`@${domain}`, { note: "note of the domain" });
      await sleep(1100);
      const third = await allowed(b);
      // Act
      const page = await list();
      const mine = page.entries.filter((e) => [a, b, domain].includes(e.subject));
      // Assess
      expect(mine).toEqual([third, second, first]);
      expect(mine.map((e) => [e.subjectKind, e.subject, e.note])).toEqual([
        ["address", b, null],
        ["domain", domain, "note of the domain"],
        ["address", a, "note of a"],
      ]);
      const times = page.entries.map((e) => epochOf(e.since));
      expect(times).toEqual([...times].sort((x, y) => y - x));
    });

    it("leaves out what was taken off the list", async () => {
      // Prepare
      const [kept, gone] = [freshAddress(), freshAddress()];
      await allowed(kept, { note: "kept" });
      await allowed(gone, { note: "gone" });
      // Act
      await disallowed(gone);
      const page = await list();
      // Assess
      expect(page.entries.filter((e) => e.subject === kept)).toHaveLength(1);
      expect(page.entries.filter((e) => e.subject === gone)).toEqual([]);
    });
  });

  describe("GET /v1/allowlist/{address}", () => {
    const stateAnswer = (subject: string, key: string | null = KEY) =>
      call(url(), "GET", allowPath(subject), { key });
    const state = async (subject: string, key: string = KEY): Promise<AllowlistState> => {
      const answer = await stateAnswer(subject, key);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.type).toMatch(/^application\/json/);
      return AllowlistState.parse(answer.body);
    };
    /** A new key of `tenant` (made with the bootstrap key), with `scopes`. */
    const keyWith = async (scopes: string[], tenant?: string): Promise<string> => {
      const answer = await call(url(), "POST", "/v1/keys", {
        key: KEY,
        body: { name: `allowlist ${scopes.join("+")}`, scopes, ...(tenant === undefined ? {} : { tenant }) },
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return CreatedKey.parse(answer.body).key;
    };

    it("an address not on the list: allowlisted false, no entries", async () => {
      // Prepare
      const address = freshAddress();
      // Act
      const answer = await state(address);
      // Assess
      expect(answer).toEqual({ subjectKind: "address", subject: address, allowlisted: false, entries: [] });
    });

    it("an address on the list: its entry, as PUT answered it, asked in any case", async () => {
      // Prepare
      const address = freshAddress();
      const entry = await allowed(address, { note: "seed inbox" });
      // Act
      const answer = await state(address.replace("al-", "AL-").replace("example.org", "Example.ORG"));
      // Assess
      expect(answer).toEqual({
        subjectKind: "address",
        subject: address,
        allowlisted: true,
        entries: [entry],
      });
      expect(await state(freshAddress())).toMatchObject({ allowlisted: false, entries: [] });
    });

    it("a domain on the list covers its addresses and @domain itself, not a sub-domain's addresses", async () => {
      // Prepare
      const domain = freshDomain();
      const entry = await allowed(`@${domain}`, { note: "our test domain" });
      const address = freshAddress(domain);
      // Act
      const ofAddress = await state(address);
      const ofDomain = await state(`@${domain.toUpperCase()}`);
      const ofSubDomain = await state(freshAddress(`mx.${domain}`));
      const ofSubDomainItself = await state(`@mx.${domain}`);
      // Assess
      expect(entry).toMatchObject({ subjectKind: "domain", subject: domain });
      expect(ofAddress).toEqual({
        subjectKind: "address",
        subject: address,
        allowlisted: true,
        entries: [entry],
      });
      expect(ofDomain).toEqual({
        subjectKind: "domain",
        subject: domain,
        allowlisted: true,
        entries: [entry],
      });
      expect(ofSubDomain).toMatchObject({ allowlisted: false, entries: [] });
      expect(ofSubDomainItself).toEqual({
        subjectKind: "domain",
        subject: `mx.${domain}`,
        allowlisted: false,
        entries: [],
      });
    });

    it("an address and its domain both on the list: both entries; @domain only the domain's", async () => {
      // Prepare: a second apart, so that the order (newest first) is the order of the changes
      const domain = freshDomain();
      const address = freshAddress(domain);
      const ofDomain = await allowed(`@${domain}`);
      await sleep(1100);
      const ofAddress = await allowed(address, { note: "this one too" });
      // Act
      const forAddress = await state(address);
      const forDomain = await state(`@${domain}`);
      const forNeighbour = await state(freshAddress(domain));
      // Assess
      expect(forAddress).toMatchObject({ allowlisted: true });
      expect(forAddress.entries).toEqual([ofAddress, ofDomain]);
      expect(forDomain.entries).toEqual([ofDomain]);
      expect(forNeighbour.entries).toEqual([ofDomain]);
    });

    it("an internationalized domain: the entry covers it however it is written", async () => {
      // Prepare
      const label = `bücher-${salt()}`;
      const ascii = domainToASCII(`${label}.example`);
      const entry = await allowed(`@${ascii}`);
      // Act
      const ofAddress = await state(`Reader@${label.toUpperCase()}.Example`);
      const ofDomain = await state(`@${label}.example`);
      // Assess
      expect(ofAddress).toMatchObject({ subject: `reader@${ascii}`, allowlisted: true, entries: [entry] });
      expect(ofDomain).toEqual({
        subjectKind: "domain",
        subject: ascii,
        allowlisted: true,
        entries: [entry],
      });
    });

    it("taken off the list: allowlisted false again, for the address and the domain", async () => {
      // Prepare
      const domain = freshDomain();
      const address = freshAddress();
      const inDomain = freshAddress(domain);
      await allowed(address);
      await allowed(`@${domain}`);
      const before = [await state(address), await state(inDomain), await state(`@${domain}`)];
      // Act
      await disallowed(address);
      await disallowed(`@${domain}`);
      const after = [await state(address), await state(inDomain), await state(`@${domain}`)];
      // Assess
      expect(before.map((s) => s.allowlisted)).toEqual([true, true, true]);
      expect(after.map((s) => [s.allowlisted, s.entries])).toEqual([
        [false, []],
        [false, []],
        [false, []],
      ]);
    });

    it("another tenant's entries are never seen, and its own are", async () => {
      // Prepare
      const domain = freshDomain();
      const address = freshAddress(domain);
      await allowed(address);
      await allowed(`@${domain}`);
      const tenant = `al-${salt()}`;
      const other = await keyWith(["admin", "pii"], tenant);
      const otherAddress = freshAddress();
      const own = await put(otherAddress, { note: "of the other tenant" }, other);
      expect(own.status).toBe(200);
      // Act
      const ofAddress = await state(address, other);
      const ofDomain = await state(`@${domain}`, other);
      const ofOwn = await state(otherAddress, other);
      const ofOwnFromDefault = await state(otherAddress);
      const viaHeader = await call(url(), "GET", allowPath(address), {
        key: KEY,
        headers: { "x-tenant": tenant },
      });
      // Assess
      expect(ofAddress).toEqual({
        subjectKind: "address",
        subject: address,
        allowlisted: false,
        entries: [],
      });
      expect(ofDomain).toMatchObject({ allowlisted: false, entries: [] });
      expect(ofOwn).toMatchObject({ allowlisted: true, entries: [{ subject: otherAddress }] });
      expect(ofOwnFromDefault).toMatchObject({ allowlisted: false, entries: [] });
      expect(AllowlistState.parse(viaHeader.body)).toMatchObject({ allowlisted: false, entries: [] });
    });

    it("a key without `admin` is refused: 403 insufficient-scope", async () => {
      // Prepare
      const address = freshAddress();
      await allowed(address);
      const checkOnly = await keyWith(["check", "pii"]);
      // Act
      const answer = await stateAnswer(address, checkOnly);
      // Assess
      expectProblem(answer, 403);
      expect(String(answer.body.type)).toMatch(/\/insufficient-scope$/);
      expect(JSON.stringify(answer.body)).not.toContain(address);
    });

    it("without `pii`: the subject and the entries' addresses masked, domains as they are", async () => {
      // Prepare
      const domain = freshDomain();
      const address = freshAddress(domain);
      const masked = `a***@${domain}`;
      await allowed(`@${domain}`, { note: `seeds, asked by ${address}` });
      await allowed(address, { note: "seed inbox" });
      const noPii = await keyWith(["admin"]);
      // Act
      const withoutPii = await state(address, noPii);
      const domainWithoutPii = await state(`@${domain}`, noPii);
      const withPii = await state(address);
      // Assess
      const text = JSON.stringify(withoutPii);
      expect(text).not.toContain(address);
      expect(withoutPii).toMatchObject({ subjectKind: "address", subject: masked, allowlisted: true });
      expect(withoutPii.entries.map((e) => [e.subjectKind, e.subject])).toEqual([
        ["address", masked],
        ["domain", domain],
      ]);
      expect(withoutPii.entries[1]?.note).toBe(`seeds, asked by ${masked}`);
      expect(JSON.stringify(domainWithoutPii)).not.toContain(address);
      expect(domainWithoutPii).toMatchObject({ subjectKind: "domain", subject: domain, allowlisted: true });
      expect(withPii.subject).toBe(address);
      expect(withPii.entries.map((e) => e.subject)).toEqual([address, domain]);
    });

    it.each([
      ["not an address", "not-an-address"],
      ["two at signs", "a@b@example.org"],
      ["a bad domain", "@not_a domain!"],
      ["an @ alone", "@"],
      ["a domain with a bad label", "@-bad-.example"],
    ])("%s is 400 naming address", async (_name, subject) => {
      expect(badRequest(await stateAnswer(subject)).paths).toEqual(["address"]);
    });

    it.each([
      ["no key", null],
      ["a wrong key", "not-the-key"],
    ])("with %s: 401", async (_name, key) => {
      expectProblem(await stateAnswer(freshAddress(), key), 401);
    });
  });

  describe("provider events of allowlisted subjects", () => {
    it.each(WEBHOOK_PROVIDERS)(
      "%s: a genuine webhook for an allowlisted address is accepted, recorded as none, and never suppresses",
      async (provider) => {
        // Prepare
        const address = freshAddress();
        await allowed(address, { note: `seed inbox for ${provider}` });
        // Act
        const summary = await post(requestsOf(provider).genuine(address));
        const verdict = await verdictOf(address);
        const events = await eventsOf(address);
        // Assess
        expect(onlyDecision(summary)).toEqual({
          recipient: address,
          eventId: expect.any(String),
          ...ALLOWLISTED_DECISION,
        });
        expect(summary.events).toEqual([expect.objectContaining({ provider, recipient: address })]);
        expect(verdict).toMatchObject({ address, suppressed: false });
        expect(events).toHaveLength(1);
        const [shown] = events;
        expect(shown?.event).toMatchObject({ provider, recipient: address });
        expect(shown?.decision.action).toBe("none");
        expect(shown?.decision.why?.startsWith("allowlisted")).toBe(true);
        expect(shown).toMatchObject({ applied: true, outcome: "none" });
      },
    );

    it.each(WEBHOOK_PROVIDERS)(
      "%s: the same genuine webhook for an address not on the list suppresses it (control)",
      async (provider) => {
        // Prepare: the list holds another address of the same domain
        const address = freshAddress();
        await allowed(freshAddress());
        // Act
        const summary = await post(requestsOf(provider).genuine(address));
        const verdict = await verdictOf(address);
        const events = await eventsOf(address);
        // Assess
        expect(onlyDecision(summary)).toMatchObject({ recipient: address, action: "suppress" });
        expect(onlyDecision(summary)).not.toHaveProperty("why");
        expect(verdict).toMatchObject({ address, suppressed: true, source: provider });
        expect(events.map((e) => e.decision.action)).toEqual(["suppress"]);
      },
    );

    it.each(WEBHOOK_PROVIDERS)(
      "%s: an allowlisted domain covers its addresses, not those of a sub-domain",
      async (provider) => {
        // Prepare
        const domain = freshDomain();
        await allowed(`@${domain}`, { note: `${provider} test domain` });
        const inDomain = freshAddress(domain);
        const inSubDomain = freshAddress(`mx.${domain}`);
        // Act
        const covered = await post(requestsOf(provider).genuine(inDomain));
        const notCovered = await post(requestsOf(provider).genuine(inSubDomain));
        const verdicts = await check([inDomain, inSubDomain]);
        const coveredEvents = await eventsOf(inDomain);
        // Assess
        expect(onlyDecision(covered)).toMatchObject({ recipient: inDomain, ...ALLOWLISTED_DECISION });
        expect(onlyDecision(notCovered)).toMatchObject({ recipient: inSubDomain, action: "suppress" });
        expect(verdicts.results).toEqual([
          expect.objectContaining({ address: inDomain, suppressed: false }),
          expect.objectContaining({ address: inSubDomain, suppressed: true }),
        ]);
        expect(verdicts.suppressedCount).toBe(1);
        expect(coveredEvents.map((e) => e.decision.why)).toEqual([ALLOWLISTED]);
      },
    );

    it("an internationalized domain is one subject however it is written (Unicode, case, IDNA)", async () => {
      // Prepare
      const label = `bücher-${salt()}`;
      const ascii = domainToASCII(`${label}.example`);
      const entry = await allowed(`@${label.toUpperCase()}.Example`, { note: "IDN" });
      // Act
      const summary = await importSendgrid(
        sendgridEvent("bounce-invalid-address", `Reader@${label}.example`),
        sendgridEvent("bounce-invalid-address", `other@${ascii}`),
      );
      // Assess
      expect(ascii.startsWith("xn--")).toBe(true);
      expect(entry).toMatchObject({ subjectKind: "domain", subject: ascii });
      expect(summary.decisions).toEqual([
        expect.objectContaining({ recipient: `reader@${ascii}`, action: "none", why: ALLOWLISTED }),
        expect.objectContaining({ recipient: `other@${ascii}`, action: "none", why: ALLOWLISTED }),
      ]);
      expect((await check([`reader@${ascii}`, `other@${label}.example`])).suppressedCount).toBe(0);
      expect((await history(`@${ascii}`)).items).toEqual([
        expect.objectContaining({ kind: "admin", action: "allow", note: "IDN", at: entry.since }),
      ]);
    });

    it("imported events of every kind: suppressing ones become none, a delivery and a resubscribe stand", async () => {
      // Prepare
      const listedAddress = freshAddress();
      const control = freshAddress();
      await allowed(listedAddress);
      const kinds = ["bounce-invalid-address", "spamreport", "unsubscribe", "delivered", "group-resubscribe"];
      // Act
      const forListed = await importSendgrid(...kinds.map((k) => sendgridEvent(k, listedAddress)));
      const forControl = await importSendgrid(...kinds.map((k) => sendgridEvent(k, control)));
      // Assess: the control shows what the policy decides without the list
      expect(forControl.decisions.map((d) => d.action)).toEqual([
        "suppress",
        "suppress",
        "suppress",
        "reset_soft",
        "lift",
      ]);
      expect(forListed.accepted).toBe(kinds.length);
      expect(forListed.decisions.map((d) => [d.action, d.why ?? null])).toEqual([
        ["none", ALLOWLISTED],
        ["none", ALLOWLISTED],
        ["none", ALLOWLISTED],
        ["reset_soft", null],
        ["lift", null],
      ]);
      expect((await verdictOf(listedAddress)).suppressed).toBe(false);
      expect((await verdictOf(control)).suppressed).toBe(true);
    });

    it("soft bounces of an allowlisted address are not counted: no escalation however many", async () => {
      // Prepare: a mailbox-full soft bounce, which the policy counts (3 in 14 days escalate)
      const listedAddress = freshAddress();
      const control = freshAddress();
      await allowed(listedAddress);
      const soft = (email: string, i: number) => ({
        ...sendgridEvent("bounce-blocked-reputation", email),
        status: "4.2.2",
        reason: "452 4.2.2 The email account that you tried to reach is over quota",
        bounce_classification: "Mailbox Unavailable",
        timestamp: nowS() - 600 + i * 60,
      });
      const five = (email: string) => Array.from({ length: 5 }, (_, i) => soft(email, i));
      // Act
      const forControl = await importSendgrid(...five(control));
      const forListed = await importSendgrid(...five(listedAddress));
      // Assess
      expect(forControl.decisions.map((d) => d.action)).toEqual(Array(5).fill("count_soft"));
      expect(forControl.decisions.map((d) => d.outcome)).toContain("escalated");
      expect(await verdictOf(control)).toMatchObject({ suppressed: true });
      expect(forListed.decisions.map((d) => [d.action, d.why, d.outcome])).toEqual(
        Array.from({ length: 5 }, () => ["none", ALLOWLISTED, "none"]),
      );
      expect((await verdictOf(listedAddress)).suppressed).toBe(false);
    });
  });

  describe("what the allowlist does not undo", () => {
    it("a manual entry on an allowlisted address still suppresses it", async () => {
      // Prepare
      const address = freshAddress();
      await allowed(address);
      // Act
      const entry = await manual(address, { note: "asked by the customer" });
      const verdict = await verdictOf(address);
      // Assess
      expect(verdict).toMatchObject({ address, suppressed: true, cause: "manual", source: "admin" });
      expect(entry.subject).toBe(address);
      expect(await listed(address)).toHaveLength(1);
    });

    it("a manual entry on an address of an allowlisted domain still suppresses it", async () => {
      // Prepare
      const domain = freshDomain();
      const address = freshAddress(domain);
      await allowed(`@${domain}`);
      // Act
      await manual(address);
      const [target, neighbour] = (await check([address, freshAddress(domain)])).results;
      // Assess
      expect(target).toMatchObject({ suppressed: true, cause: "manual" });
      expect(neighbour).toMatchObject({ suppressed: false });
    });

    it.each(WEBHOOK_PROVIDERS)(
      "%s: an address allowlisted after it was suppressed stays suppressed until the entry is removed",
      async (provider) => {
        // Prepare: a genuine bounce suppresses the address
        const address = freshAddress();
        const first = await post(requestsOf(provider).genuine(address));
        const before = await verdictOf(address);
        // Act 1: on the allowlist, then another event
        await allowed(address, { note: "too late" });
        const afterListing = await verdictOf(address);
        const second = await post(requestsOf(provider).genuine(address));
        const afterSecond = await verdictOf(address);
        // Act 2: the entry removed, then another event
        const removal = await removeSuppression(address, "allowlisted now");
        const cleared = await verdictOf(address);
        const third = await post(requestsOf(provider).genuine(address));
        const afterThird = await verdictOf(address);
        // Assess
        expect(onlyDecision(first)).toMatchObject({ action: "suppress", cause: "bounce" });
        expect(before).toMatchObject({ suppressed: true, cause: "bounce", source: provider });
        expect(afterListing).toEqual(before);
        expect(onlyDecision(second)).toMatchObject(ALLOWLISTED_DECISION);
        expect(afterSecond).toEqual(before);
        expect(removal.removed).toEqual(["bounce"]);
        expect(cleared.suppressed).toBe(false);
        expect(onlyDecision(third)).toMatchObject(ALLOWLISTED_DECISION);
        expect(afterThird.suppressed).toBe(false);
      },
    );
  });

  describe("DELETE /v1/allowlist/{address}", () => {
    it.each(WEBHOOK_PROVIDERS)(
      "%s: taken off the list, the address is suppressed by its next event",
      async (provider) => {
        // Prepare
        const address = freshAddress();
        await allowed(address, { note: "for a while" });
        const whileListed = await post(requestsOf(provider).genuine(address));
        // Act
        const answer = await disallowed(address);
        const after = await post(requestsOf(provider).genuine(address));
        const verdict = await verdictOf(address);
        const events = await eventsOf(address);
        // Assess
        expect(onlyDecision(whileListed)).toMatchObject(ALLOWLISTED_DECISION);
        expect(answer).toEqual({
          subjectKind: "address",
          subject: address,
          allowlisted: false,
          actionId: expect.any(String),
          at: expect.any(String),
        });
        expect(onlyDecision(after)).toMatchObject({ action: "suppress" });
        expect(verdict).toMatchObject({ suppressed: true, source: provider });
        // (both may share a second: the history's order among them is not asserted)
        const actionOf = Object.fromEntries(events.map((e) => [e.event.eventId, e.decision.action]));
        expect(actionOf).toEqual({
          [onlyDecision(whileListed).eventId]: "none",
          [onlyDecision(after).eventId]: "suppress",
        });
        expect(await listed(address)).toEqual([]);
      },
    );

    it("@domain taken off the list: its addresses are suppressed by their next events", async () => {
      // Prepare
      const domain = freshDomain();
      const address = freshAddress(domain);
      await allowed(`@${domain}`);
      const whileListed = await importSendgrid(sendgridEvent("bounce-invalid-address", address));
      // Act
      const answer = await disallowed(`@${domain.toUpperCase()}`);
      const after = await importSendgrid(sendgridEvent("bounce-invalid-address", address));
      // Assess
      expect(onlyDecision(whileListed)).toMatchObject(ALLOWLISTED_DECISION);
      expect(answer).toMatchObject({ subjectKind: "domain", subject: domain, allowlisted: false });
      expect(onlyDecision(after)).toMatchObject({ action: "suppress", cause: "bounce" });
      expect(await verdictOf(address)).toMatchObject({ suppressed: true, cause: "bounce" });
      expect(await listed(domain)).toEqual([]);
    });

    it("writes a disallow action into the history, newest first after the allow", async () => {
      // Prepare: a second apart, so that the history's order is the order of the changes
      const address = freshAddress();
      const entry = await allowed(address, { note: "briefly" });
      await sleep(1100);
      // Act
      const answer = await disallowed(address);
      const page = await history(address);
      // Assess
      expect(page.items).toEqual([
        expect.objectContaining({
          kind: "admin",
          action: "disallow",
          actionId: answer.actionId,
          at: answer.at,
          actor: BOOTSTRAP,
          note: null,
          applied: true,
        }),
        expect.objectContaining({ kind: "admin", action: "allow", at: entry.since, note: "briefly" }),
      ]);
      expect(epochOf(answer.at)).toBeGreaterThan(epochOf(entry.since));
    });

    it("of a subject not on the list is 404 not-allowlisted; a second DELETE too", async () => {
      // Prepare
      const [never, once] = [freshAddress(), freshAddress()];
      await allowed(once);
      await disallowed(once);
      // Act
      const answers = [await remove(never), await remove(once), await remove(`@${freshDomain()}`)];
      // Assess
      for (const answer of answers) {
        expectProblem(answer, 404);
        expect(String(answer.body.type)).toMatch(/\/not-allowlisted$/);
      }
      expect(await listed(never)).toEqual([]);
      expect(await listed(once)).toEqual([]);
    });
  });

  describe("refusals", () => {
    it.each([
      ["not an address", "not-an-address"],
      ["two at signs", "a@b@example.org"],
      ["a bad domain", "@not_a domain!"],
      ["an @ alone", "@"],
    ])("PUT and DELETE of %s are 400 naming address", async (_name, subject) => {
      // Act
      const putAnswer = await put(subject, { note: "x" });
      const deleteAnswer = await remove(subject);
      // Assess
      expect(badRequest(putAnswer).paths).toEqual(["address"]);
      expect(badRequest(deleteAnswer).paths).toEqual(["address"]);
    });

    it.each<[string, unknown, string | null]>([
      ["an unknown field", { note: "seed", scope: "*" }, null],
      ["a note too long", { note: "n".repeat(MAX_NOTE_CHARS + 1) }, "note"],
      ["an empty note", { note: "" }, "note"],
      ["a blank note", { note: "   " }, "note"],
      ["a note that is not a string", { note: 42 }, "note"],
      ["an array", [{ note: "seed" }], null],
      ["a string", "seed", null],
    ])("PUT with %s is 400 problem+json and lists nothing", async (_name, body, path) => {
      // Prepare
      const address = freshAddress();
      // Act
      const answer = await put(address, body);
      // Assess
      const problem = badRequest(answer);
      if (path !== null) expect(problem.paths).toContain(path);
      expect(await listed(address)).toEqual([]);
    });

    it("PUT with a note of exactly the longest length is taken", async () => {
      const address = freshAddress();
      const entry = await allowed(address, { note: "n".repeat(MAX_NOTE_CHARS) });
      expect(entry.note).toHaveLength(MAX_NOTE_CHARS);
    });

    it.each([
      ["not JSON", "{note: seed"],
      ["truncated JSON", '{"note": "seed"'],
    ])("PUT with a body %s is 400 problem+json and lists nothing", async (_name, raw) => {
      // Prepare
      const address = freshAddress();
      // Act
      const answer = await putRaw(address, raw);
      // Assess
      badRequest(answer);
      expect(await listed(address)).toEqual([]);
    });

    it.each([
      ["no key", null],
      ["a wrong key", "not-the-key"],
    ])("GET, PUT and DELETE with %s are 401 and change nothing", async (_name, key) => {
      // Prepare: one address on the list (for DELETE), one not (for PUT)
      const kept = freshAddress();
      await allowed(kept, { note: "stays" });
      const untouched = freshAddress();
      // Act
      const getAnswer = await call(url(), "GET", "/v1/allowlist", { key });
      const putAnswer = await put(untouched, { note: "sneaky" }, key);
      const deleteAnswer = await remove(kept, key);
      // Assess
      expectProblem(getAnswer, 401);
      expectProblem(putAnswer, 401);
      expectProblem(deleteAnswer, 401);
      expect(await listed(untouched)).toEqual([]);
      expect(await listed(kept)).toHaveLength(1);
      expect((await history(untouched)).items).toEqual([]);
    });
  });
});
