import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SENDCLOUD_MAX_AGE_SECONDS } from "../../lambdas/providers/sendcloud/index.js";
import {
  FIXTURES,
  FORM,
  newAppKey,
  type SendCloudFields,
  sendcloudFixture,
  signSendCloud,
  toForm,
} from "../fixtures/sendcloud/support.js";
import { type Answer, call, expectProblem, useLocalServer, withFlakyStore } from "../local/http-helpers.js";

const API_KEY = "test-key-sendcloud-webhook";
const APP_KEY = newAppKey();

/**
 * A fixture made unique (its own recipients and emailIds), so tests sharing a server do not meet,
 * and dated now (the fixtures' own date is long enough ago for some suppressions to have expired).
 */
function fresh(name: string): SendCloudFields {
  const fields = sendcloudFixture(name);
  fields.timestamp = String(Date.now());
  const salt = randomBytes(4).toString("hex");
  const salted = (s: string) => s.replace(/([^$"@\s,[\]]+)@/g, `$1+${salt}@`);
  for (const key of Object.keys(fields)) {
    if (/^(recipient|email|recipientArray|emailIds|emailId|email_id|EMAIL_ID|Recipient)$/.test(key)) {
      fields[key] = salted(String(fields[key]));
    }
  }
  return fields;
}

/** The canonical recipients a fixture names. */
function recipientsOf(fields: SendCloudFields): string[] {
  const list = fields.recipientArray;
  if (list !== undefined) return (JSON.parse(list) as string[]).map((r) => r.toLowerCase());
  return [String(fields.recipient ?? fields.email ?? fields.Recipient).toLowerCase()];
}

const useServer = (secrets: Record<string, string>) => useLocalServer(API_KEY, { secrets });

describe("POST /webhooks/sendcloud over HTTP", () => {
  const running = useServer({ SENDCLOUD_APP_KEY: APP_KEY });
  const post = (fields: SendCloudFields | string, contentType = FORM) =>
    call(running().url, "POST", "/webhooks/sendcloud", {
      raw: typeof fields === "string" ? fields : toForm(fields),
      contentType,
    });
  const check = (addresses: string[]) =>
    call(running().url, "POST", "/v1/check", { key: API_KEY, body: { addresses } });
  const expectNothingStored = async (addresses: string[]) => {
    const verdict = await check(addresses);
    expect(verdict.body).toMatchObject({ suppressedCount: 0 });
  };

  it.each(FIXTURES)("accepts a signed %s event (form-encoded) → %s ×%i", async (name, type, count) => {
    // Prepare
    const fields = signSendCloud(fresh(name), APP_KEY);
    // Act
    const answer = await post(fields);
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      accepted: count,
      duplicates: 0,
      ignored: type === "ignored" ? 1 : 0,
    });
  });

  it("accepts a signed JSON body too (the English overview's format)", async () => {
    const fields = signSendCloud(fresh("invalid-406"), APP_KEY);
    const answer = await post(JSON.stringify(fields), "application/json");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 1 });
  });

  it.each<[string, string, boolean]>([
    ["invalid-406", "bounce", true],
    ["invalid-401", "bounce", true],
    ["invalid-402", "unsubscribe", true],
    ["invalid-403", "bounce", true],
    ["invalid-404", "bounce", true],
    ["invalid_email-overview", "bounce", true],
    ["report_spam", "complaint", true],
    ["spam-report-overview", "complaint", true],
    ["unsubscribe", "unsubscribe", true],
    ["invalid-405", "", false],
    ["invalid-407", "", false],
    ["soft_bounce-503", "", false],
    ["deliver", "", false],
    ["request", "", false],
  ])("%s → suppressed: %s %s", async (name, cause, suppressed) => {
    // Prepare
    const fields = signSendCloud(fresh(name), APP_KEY);
    const recipient = recipientsOf(fields)[0] as string;
    // Act
    const answer = await post(fields);
    const verdict = await check([recipient]);
    // Assess
    expect(answer.status).toBe(200);
    expect(verdict.body).toMatchObject({
      suppressedCount: suppressed ? 1 : 0,
      results: [{ suppressed, ...(suppressed ? { cause, source: "sendcloud", scope: "*" } : {}) }],
    });
  });

  it("answers a SendCloud retry of the same request as a duplicate, and a re-signed retry too", async () => {
    // Prepare
    const fields = signSendCloud(fresh("report_spam"), APP_KEY);
    const resigned = signSendCloud({ ...fields }, APP_KEY);
    // Act
    const first = await post(fields);
    const retry = await post(fields);
    const again = await post(resigned);
    // Assess
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it("fans a request event out to one event per recipient", async () => {
    const fields = signSendCloud(fresh("request"), APP_KEY);
    const answer = await post(fields);
    expect(answer.body).toMatchObject({ accepted: 2 });
    const events = answer.body.events as { recipient: string; type: string }[];
    expect(events.map((e) => e.recipient)).toEqual(recipientsOf(fields));
  });

  // SendCloud wants an answer within 3 s; tests never assert timings (that belongs in `npm run bench`).
  it("fans a request event out to 100 recipients in one answer", async () => {
    // Prepare
    const recipients = Array.from(
      { length: 100 },
      (_, i) => `fan${i}+${randomBytes(3).toString("hex")}@example.org`,
    );
    const fields = signSendCloud(
      { ...fresh("request"), recipientArray: JSON.stringify(recipients), emailIds: "[]" },
      APP_KEY,
    );
    // Act
    const answer = await post(fields);
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 100 });
  });

  describe("refusals: 401, nothing stored", () => {
    const refused = async (answer: Answer, slug: string, fields: SendCloudFields) => {
      expectProblem(answer, 401);
      expect(JSON.stringify(answer.body)).toContain(slug);
      await expectNothingStored(recipientsOf(fields));
    };

    it("a body signed with another key", async () => {
      const fields = signSendCloud(fresh("report_spam"), newAppKey());
      await refused(await post(fields), "sendcloud-bad-signature", fields);
    });

    it("a tampered body (the token changed after signing)", async () => {
      const fields = signSendCloud(fresh("report_spam"), APP_KEY);
      fields.token = `${fields.token}x`;
      await refused(await post(fields), "sendcloud-bad-signature", fields);
    });

    it("a stale timestamp", async () => {
      const fields = signSendCloud(fresh("report_spam"), APP_KEY, {
        timestamp: Date.now() - (SENDCLOUD_MAX_AGE_SECONDS + 600) * 1000,
      });
      await refused(await post(fields), "sendcloud-stale-timestamp", fields);
    });

    it("a token replayed with a tampered body", async () => {
      // Prepare: a genuine delivery, then its signature fields on a forged complaint
      const genuine = signSendCloud(fresh("deliver"), APP_KEY);
      const forged = fresh("report_spam");
      forged.timestamp = String(genuine.timestamp);
      forged.token = String(genuine.token);
      forged.signature = String(genuine.signature);
      // Act
      const first = await post(genuine);
      const replay = await post(forged);
      // Assess
      expect(first.status).toBe(200);
      await refused(replay, "sendcloud-replayed-token", forged);
    });

    it("missing signature fields", async () => {
      const fields = fresh("report_spam");
      delete fields.signature;
      await refused(await post(fields), "sendcloud-missing-signature", fields);
    });

    it("a JSON body that is not JSON", async () => {
      expectProblem(await post("{ this is not json", "application/json"), 401);
    });
  });

  it("400 for a signed form without an event name; nothing stored", async () => {
    // Prepare
    const fields = signSendCloud(fresh("report_spam"), APP_KEY);
    delete fields.event;
    // Act
    const answer = await post(fields);
    // Assess
    expectProblem(answer, 400);
    await expectNothingStored(recipientsOf(fields));
  });

  it("400 for a signed request event without recipients (empty batch)", async () => {
    const fields = signSendCloud({ ...fresh("request"), recipientArray: "[]", emailIds: "[]" }, APP_KEY);
    expectProblem(await post(fields), 400);
  });

  it("413 for a body over 6 MB, and for a request with more than 10 000 recipients", async () => {
    // Prepare
    const huge = signSendCloud({ ...fresh("report_spam"), padding: "x".repeat(6 * 1024 * 1024) }, APP_KEY);
    const recipients = Array.from({ length: 10_001 }, (_, i) => `many${i}@example.org`);
    const many = signSendCloud(
      { ...fresh("request"), recipientArray: JSON.stringify(recipients), emailIds: "[]" },
      APP_KEY,
    );
    // Act
    const tooBig = await post(huge);
    const tooMany = await post(many);
    // Assess
    expectProblem(tooBig, 413);
    expectProblem(tooMany, 413);
    await expectNothingStored(["many0@example.org", ...recipientsOf(huge)]);
  });

  it("POST /v1/import/sendcloud takes unsigned events (dry run stores nothing); malformed JSON is 400", async () => {
    // Prepare
    const batch = ["invalid-406", "unsubscribe", "open", "request"].map(fresh);
    // Act
    const dry = await call(running().url, "POST", "/v1/import/sendcloud?dryRun=true", {
      key: API_KEY,
      body: batch,
    });
    const bad = await call(running().url, "POST", "/v1/import/sendcloud", {
      key: API_KEY,
      raw: "[{ nope",
    });
    // Assess
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ ignored: 1 });
    expect((dry.body.events as unknown[]).length).toBe(4);
    expectProblem(bad, 400);
    await expectNothingStored(recipientsOf(batch[0] as SendCloudFields));
  });
});

describe("POST /webhooks/sendcloud without SENDCLOUD_APP_KEY", () => {
  const running = useServer({ SENDCLOUD_APP_KEY: "" });

  it("refuses every request with 401, naming the setting", async () => {
    // Prepare
    const fields = signSendCloud(fresh("report_spam"), APP_KEY);
    // Act
    const answer = await call(running().url, "POST", "/webhooks/sendcloud", {
      raw: toForm(fields),
      contentType: FORM,
    });
    // Assess
    expectProblem(answer, 401);
    expect(String(answer.body.detail)).toContain("SENDCLOUD_APP_KEY");
  });
});

describe("SendCloud when the store fails half-way", () => {
  it("answers 503, then SendCloud's retries apply each event exactly once", async () => {
    // Prepare: the server talks to dynalite through a proxy we can break
    await withFlakyStore(API_KEY, { secrets: { SENDCLOUD_APP_KEY: APP_KEY } }, async (server, proxy) => {
      const post = (fields: SendCloudFields) =>
        call(server.url, "POST", "/webhooks/sendcloud", { raw: toForm(fields), contentType: FORM });
      const bodies = ["invalid-406", "report_spam", "unsubscribe", "invalid-401"].map((name) =>
        signSendCloud(fresh(name), APP_KEY),
      );
      const recipients = bodies.map((b) => recipientsOf(b)[0] as string);
      // Act 1: the first event goes through; the store breaks after the second one's token claim
      const first = await post(bodies[0] as SendCloudFields);
      proxy.fail({ afterRequests: 2 });
      const failed = [];
      for (const body of bodies.slice(1)) failed.push(await post(body));
      // Assess 1
      expect(first.status).toBe(200);
      for (const answer of failed) expectProblem(answer, 503);
      // Act 2: SendCloud retries every request that did not get a 200 (same body), then all again
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
    });
  });

  it("a mixed import batch that fails half-way is applied exactly once on retry", async () => {
    // Prepare
    await withFlakyStore(API_KEY, {}, async (server, proxy) => {
      const names = ["invalid-406", "report_spam", "open", "unsubscribe", "invalid-401"];
      const batch = () => names.map(fresh);
      const importBatch = (body: unknown) =>
        call(server.url, "POST", "/v1/import/sendcloud", { key: API_KEY, body });
      // Calibrate: how many store requests a whole batch takes
      const before = proxy.forwarded;
      expect((await importBatch(batch())).status).toBe(200);
      const perBatch = proxy.forwarded - before;
      const body = batch();
      const recipients = body.filter((e) => e.event !== "open").map((e) => recipientsOf(e)[0] as string);
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
