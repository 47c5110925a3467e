import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type MailgunBody,
  mailgunFixture,
  newSigningKey,
  nowSeconds,
  signMailgun,
  WEBHOOK_FIXTURES,
} from "../fixtures/mailgun/support.js";
import { type Answer, call, expectProblem, useLocalServer, withFlakyStore } from "../local/http-helpers.js";

const API_KEY = "test-key-mailgun-webhook";
const SIGNING_KEY = newSigningKey();

/** A fixture made unique (its own recipient and event id), so tests sharing a server do not meet. */
function fresh(name: string, recipient?: string): MailgunBody {
  const body = mailgunFixture(name);
  const salt = randomBytes(4).toString("hex");
  const data = body["event-data"];
  data.id = `${String(data.id)}-${salt}`;
  if (recipient !== undefined) data.recipient = recipient;
  else if (typeof data.recipient === "string") data.recipient = data.recipient.replace("@", `+${salt}@`);
  return body;
}

const recipientOf = (body: MailgunBody) => String(body["event-data"].recipient).toLowerCase();

const useServer = (secrets: Record<string, string>) => useLocalServer(API_KEY, { secrets });

describe("POST /webhooks/mailgun over HTTP", () => {
  const running = useServer({ MAILGUN_SIGNING_KEY: SIGNING_KEY });
  const post = (body: unknown, options: { raw?: string | Buffer } = {}) =>
    call(
      running().url,
      "POST",
      "/webhooks/mailgun",
      options.raw !== undefined ? { raw: options.raw } : { body },
    );
  const check = (addresses: string[]) =>
    call(running().url, "POST", "/v1/check", { key: API_KEY, body: { addresses } });
  const expectNothingStored = async (address: string) => {
    const verdict = await check([address]);
    expect(verdict.body).toMatchObject({ suppressedCount: 0, results: [{ suppressed: false }] });
  };

  it.each(WEBHOOK_FIXTURES)("accepts a signed %s event", async (name) => {
    // Prepare
    const body = signMailgun(fresh(name), SIGNING_KEY);
    // Act
    const answer = await post(body);
    // Assess
    expect(answer.status).toBe(200);
    const ignored = name === "opened" || name === "clicked";
    expect(answer.body).toMatchObject({ accepted: ignored ? 0 : 1, duplicates: 0, ignored: ignored ? 1 : 0 });
  });

  it.each<[string, string, boolean]>([
    ["failed-permanent-bounce", "bounce", true],
    ["failed-permanent-suppress-bounce", "bounce", true],
    ["failed-permanent-suppress-unsubscribe", "unsubscribe", true],
    ["failed-temporary-old-no-mx", "bounce", true],
    ["complained", "complaint", true],
    ["unsubscribed", "unsubscribe", true],
    ["failed-temporary-greylisted", "", false],
    ["failed-permanent-generic-blocked", "", false],
    ["delivered", "", false],
  ])("%s → suppressed: %s %s", async (name, cause, suppressed) => {
    // Prepare
    const body = signMailgun(fresh(name), SIGNING_KEY);
    // Act
    const answer = await post(body);
    const verdict = await check([recipientOf(body)]);
    // Assess
    expect(answer.status).toBe(200);
    expect(verdict.body).toMatchObject({
      suppressedCount: suppressed ? 1 : 0,
      results: [{ suppressed, ...(suppressed ? { cause, source: "mailgun", scope: "*" } : {}) }],
    });
  });

  it("answers a Mailgun retry of the same request as a duplicate", async () => {
    // Prepare
    const body = signMailgun(fresh("complained"), SIGNING_KEY);
    // Act
    const first = await post(body);
    const retry = await post(body);
    // Assess
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  describe("refusals: 406 (Mailgun stops retrying), nothing stored", () => {
    const refused = async (answer: Answer, slug: string, address: string) => {
      expectProblem(answer, 406);
      expect(JSON.stringify(answer.body)).toContain(slug);
      await expectNothingStored(address);
    };

    it("a body signed with another key", async () => {
      const body = signMailgun(fresh("complained"), newSigningKey());
      await refused(await post(body), "mailgun-bad-signature", recipientOf(body));
    });

    it("a tampered signature block (timestamp changed after signing)", async () => {
      const body = signMailgun(fresh("complained"), SIGNING_KEY);
      body.signature.timestamp = String(Number(body.signature.timestamp) - 60);
      await refused(await post(body), "mailgun-bad-signature", recipientOf(body));
    });

    it("a stale timestamp", async () => {
      const body = signMailgun(fresh("complained"), SIGNING_KEY, { timestamp: nowSeconds() - 10 * 3600 });
      await refused(await post(body), "mailgun-stale-timestamp", recipientOf(body));
    });

    it("a token replayed with a tampered body", async () => {
      // Prepare: a genuine delivery, then its signature block on a forged complaint
      const genuine = signMailgun(fresh("delivered"), SIGNING_KEY);
      const forged = fresh("complained");
      forged.signature = genuine.signature;
      // Act
      const first = await post(genuine);
      const replay = await post(forged);
      // Assess
      expect(first.status).toBe(200);
      await refused(replay, "mailgun-replayed-token", recipientOf(forged));
    });

    it("a missing signature block", async () => {
      const body = fresh("complained");
      await refused(
        await post({ "event-data": body["event-data"] }),
        "mailgun-missing-signature",
        recipientOf(body),
      );
    });

    it("a body that is not JSON", async () => {
      expectProblem(await post(undefined, { raw: "{ this is not json" }), 406);
    });
  });

  it("400 for a signed body whose event is malformed; nothing stored", async () => {
    // Prepare
    const body = signMailgun(fresh("complained"), SIGNING_KEY);
    delete body["event-data"].id;
    // Act
    const answer = await post(body);
    // Assess
    expectProblem(answer, 400);
    await expectNothingStored(recipientOf(body));
  });

  it("400 for a signed body without events (empty batch)", async () => {
    const body = signMailgun(fresh("complained"), SIGNING_KEY) as Partial<MailgunBody>;
    const answer = await post({ signature: body.signature, items: [] });
    expectProblem(answer, 400);
  });

  it("413 for a body over 6 MB, and for more than 10 000 events", async () => {
    // Prepare
    const huge = signMailgun(fresh("complained"), SIGNING_KEY);
    huge["event-data"].padding = "x".repeat(6 * 1024 * 1024);
    const template = fresh("complained")["event-data"];
    const signed = signMailgun(fresh("complained"), SIGNING_KEY);
    const many = {
      signature: signed.signature,
      items: Array.from({ length: 10_001 }, (_, i) => ({
        ...template,
        id: `many-${i}`,
        recipient: `many${i}@example.org`,
      })),
    };
    // Act
    const tooBig = await post(huge);
    const tooMany = await post(many);
    // Assess
    expectProblem(tooBig, 413);
    expectProblem(tooMany, 413);
    await expectNothingStored("many0@example.org");
  });

  it("POST /v1/import/mailgun takes an Events API page without signature (dry run stores nothing)", async () => {
    // Prepare
    const page = mailgunFixture("events-api-page");
    // Act
    const dry = await call(running().url, "POST", "/v1/import/mailgun?dryRun=true", {
      key: API_KEY,
      body: page,
    });
    // Assess
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ ignored: 2 });
    expect((dry.body.events as unknown[]).length).toBe(3);
  });
});

describe("POST /webhooks/mailgun without MAILGUN_SIGNING_KEY", () => {
  const running = useServer({ MAILGUN_SIGNING_KEY: "" });

  it("refuses every request with 406, naming the setting", async () => {
    // Prepare
    const body = signMailgun(fresh("complained"), SIGNING_KEY);
    // Act
    const answer = await call(running().url, "POST", "/webhooks/mailgun", { body });
    // Assess
    expectProblem(answer, 406);
    expect(String(answer.body.detail)).toContain("MAILGUN_SIGNING_KEY");
  });
});

describe("Mailgun when the store fails half-way", () => {
  it("answers 503, then Mailgun's retries apply each event exactly once", async () => {
    // Prepare: the server talks to dynalite through a proxy we can break
    await withFlakyStore(
      API_KEY,
      { secrets: { MAILGUN_SIGNING_KEY: SIGNING_KEY } },
      async (server, proxy) => {
        const post = (body: unknown) => call(server.url, "POST", "/webhooks/mailgun", { body });
        const bodies = [
          "failed-permanent-bounce",
          "complained",
          "unsubscribed",
          "failed-temporary-old-no-mx",
        ].map((name) => signMailgun(fresh(name), SIGNING_KEY));
        const recipients = bodies.map(recipientOf);
        // Act 1: the first event goes through; the store breaks after the second one's token claims
        const first = await post(bodies[0]);
        proxy.fail({ afterRequests: 2 });
        const failed = [await post(bodies[1]), await post(bodies[2]), await post(bodies[3])];
        // Assess 1
        expect(first.status).toBe(200);
        for (const answer of failed) expectProblem(answer, 503);
        // Act 2: Mailgun retries every request that did not get a 200 (same body, same signature), twice
        proxy.heal();
        const retried = [];
        for (const body of bodies.slice(1)) retried.push(await post(body));
        const again = [];
        for (const body of bodies) again.push(await post(body));
        const checked = await call(server.url, "POST", "/v1/check", {
          key: API_KEY,
          body: { addresses: recipients },
        });
        // Assess 2: every event applied once; repeats are duplicates, never refusals
        for (const answer of retried) {
          expect(answer.status).toBe(200);
          expect(Number(answer.body.accepted) + Number(answer.body.duplicates)).toBe(1);
        }
        for (const answer of again) expect(answer.body).toMatchObject({ accepted: 0, duplicates: 1 });
        expect(checked.body).toMatchObject({ suppressedCount: 4 });
      },
    );
  });

  it("a mixed import batch that fails half-way is applied exactly once on retry", async () => {
    // Prepare
    await withFlakyStore(API_KEY, {}, async (server, proxy) => {
      const names = [
        "failed-permanent-bounce",
        "complained",
        "opened",
        "unsubscribed",
        "failed-permanent-suppress-bounce",
      ];
      const batch = () => ({ items: names.map((n) => signMailgun(fresh(n), SIGNING_KEY)["event-data"]) });
      const importBatch = (body: unknown) =>
        call(server.url, "POST", "/v1/import/mailgun", { key: API_KEY, body });
      // Calibrate: how many store requests a whole batch takes
      const before = proxy.forwarded;
      expect((await importBatch(batch())).status).toBe(200);
      const perBatch = proxy.forwarded - before;
      const body = batch();
      const recipients = body.items.filter((e) => e.event !== "opened").map((e) => String(e.recipient));
      // Act 1: the store fails half-way through the batch
      proxy.fail({ afterRequests: Math.floor(perBatch / 2) });
      const failed = await importBatch(body);
      proxy.heal();
      // Act 2: the sender retries
      const retried = await importBatch(body);
      const again = await importBatch(body);
      const checked = await call(server.url, "POST", "/v1/check", {
        key: API_KEY,
        body: { addresses: recipients },
      });
      // Assess
      expectProblem(failed, 503);
      expect(retried.status).toBe(200);
      expect(Number(retried.body.accepted) + Number(retried.body.duplicates)).toBe(4);
      expect(retried.body).toMatchObject({ ignored: 1 });
      expect(again.body).toMatchObject({ accepted: 0, duplicates: 4 });
      expect(checked.body).toMatchObject({ suppressedCount: 4 });
    });
  });
});
