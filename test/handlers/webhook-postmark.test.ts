import { randomBytes, randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Answer, call, expectProblem, useLocalServer, withFlakyStore } from "../local/http-helpers.js";

type Json = Record<string, unknown>;

const API_KEY = "test-key-postmark-webhook";
/** Generated per run, as an operator would: URL-safe random strings. */
const USER = `pm-${randomBytes(6).toString("hex")}`;
const PASSWORD = randomBytes(24).toString("base64url");
const SECRETS = { POSTMARK_WEBHOOK_USER: USER, POSTMARK_WEBHOOK_PASSWORD: PASSWORD };

const FIXTURES = new URL("../fixtures/postmark/", import.meta.url);
const fixtureText = (name: string): string => readFileSync(new URL(`${name}.json`, FIXTURES), "utf8");
const hoursAgo = (h: number): string => new Date(Date.now() - h * 3_600_000).toISOString();

/**
 * A fixture made unique (its own recipient, ID and MessageID), so tests sharing a server do not meet.
 * `recipientOf` reads the address back.
 */
function fresh(name: string, overrides: Json = {}): Json {
  const record = JSON.parse(fixtureText(name)) as Json;
  const salt = randomBytes(4).toString("hex");
  for (const field of ["Email", "Recipient"]) {
    const value = record[field];
    if (typeof value === "string") record[field] = value.replace("@", `+${salt}@`);
  }
  if ("ID" in record) record.ID = randomInt(1, 2 ** 47);
  if (typeof record.MessageID === "string") record.MessageID = `${salt}-${record.MessageID.slice(9)}`;
  // The fixtures are from Postmark's docs (2014–2020): move them to now, so their causes are live.
  for (const field of ["BouncedAt", "ChangedAt", "DeliveredAt", "ReceivedAt"]) {
    if (typeof record[field] === "string") record[field] = hoursAgo(1);
  }
  return { ...record, ...overrides };
}

const recipientOf = (record: Json): string => String(record.Email ?? record.Recipient).toLowerCase();

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;

/** POSTs to the local server with an optional Authorization header and reads the JSON answer. */
async function postTo(
  baseUrl: string,
  path: string,
  body: unknown,
  authorization: string | null = basic(USER, PASSWORD),
): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authorization !== null) headers.authorization = authorization;
  const payload = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const res = await fetch(`${baseUrl}${path}`, { method: "POST", headers, body: payload });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    body: text ? JSON.parse(text) : {},
  };
}

const useServer = (secrets: Record<string, string>) => useLocalServer(API_KEY, { secrets });

describe("POST /webhooks/postmark over HTTP", () => {
  const running = useServer(SECRETS);
  const post = (body: unknown, authorization?: string | null) =>
    postTo(running().url, "/webhooks/postmark", body, authorization);
  const check = (addresses: string[], scope?: string) =>
    call(running().url, "POST", "/v1/check", {
      key: API_KEY,
      body: { addresses, ...(scope ? { scope } : {}) },
    });
  const expectNothingStored = async (address: string) => {
    const verdict = await check([address]);
    expect(verdict.body).toMatchObject({ suppressedCount: 0, results: [{ suppressed: false }] });
  };

  it.each<[string, number, number]>([
    ["bounce-hard-test", 1, 0],
    ["bounce-soft-mailbox-full", 1, 0],
    ["bounce-transient", 1, 0],
    ["bounce-blocked", 1, 0],
    ["bounce-bad-email-address", 1, 0],
    ["bounce-unsubscribe-no-email", 0, 1],
    ["bounce-autoresponder", 0, 1],
    ["spam-complaint", 1, 0],
    ["subscription-change-unsubscribe", 1, 0],
    ["subscription-change-reactivated", 1, 0],
    ["subscription-change-hard-bounce", 1, 0],
    ["subscription-change-spam-complaint", 1, 0],
    ["subscription-change-manual-customer", 1, 0],
    ["delivery", 1, 0],
    ["open", 0, 1],
    ["click", 0, 1],
  ])("accepts %s with basic auth (accepted %i, ignored %i)", async (name, accepted, ignored) => {
    // Act
    const answer = await post(fresh(name));
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted, duplicates: 0, ignored });
  });

  it("keeps a Postmark int64 bounce ID exactly as the event id", async () => {
    // Act: the fixture's bytes as Postmark sends them (ID 4323372036854775807 does not fit a double)
    const answer = await post(
      fixtureText("bounce-hard").replace("2019-11-05T16:33:54.9070259Z", hoursAgo(1)),
    );
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      accepted: 1,
      events: [{ recipient: "john.doe@example.com", eventId: "4323372036854775807", reason: "user_unknown" }],
      decisions: [{ action: "suppress", cause: "bounce" }],
    });
  });

  it.each<[string, string, boolean]>([
    ["bounce-hard-test", "bounce", true],
    ["bounce-bad-email-address", "bounce", true],
    ["spam-complaint", "complaint", true],
    ["subscription-change-hard-bounce", "bounce", true],
    ["subscription-change-spam-complaint", "complaint", true],
    ["subscription-change-manual-customer", "unsubscribe", true],
    ["bounce-soft-mailbox-full", "", false],
    ["bounce-blocked", "", false],
    ["bounce-autoresponder", "", false],
    ["delivery", "", false],
  ])("%s → suppressed for all mail: %s %s", async (name, cause, suppressed) => {
    // Prepare
    const record = fresh(name);
    // Act
    const answer = await post(record);
    const verdict = await check([recipientOf(record)]);
    // Assess
    expect(answer.status).toBe(200);
    expect(verdict.body).toMatchObject({
      suppressedCount: suppressed ? 1 : 0,
      results: [{ suppressed, ...(suppressed ? { cause, source: "postmark", scope: "*" } : {}) }],
    });
  });

  it("scopes an unsubscribe to its message stream, and a reactivation lifts it", async () => {
    // Prepare
    const unsubscribe = fresh("subscription-change-unsubscribe", { ChangedAt: hoursAgo(2) });
    const address = recipientOf(unsubscribe);
    const reactivation = fresh("subscription-change-reactivated", { Recipient: unsubscribe.Recipient });
    // Act 1
    const first = await post(unsubscribe);
    const inStream = await check([address], "stream-broadcast");
    const allMail = await check([address]);
    // Assess 1
    expect(first.status).toBe(200);
    expect(inStream.body).toMatchObject({
      results: [{ suppressed: true, cause: "unsubscribe", scope: "stream-broadcast" }],
    });
    expect(allMail.body).toMatchObject({ results: [{ suppressed: false }] });
    // Act 2
    const second = await post(reactivation);
    const after = await check([address], "stream-broadcast");
    // Assess 2
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ accepted: 1, events: [{ type: "unsubscribe", resubscribe: true }] });
    expect(after.body).toMatchObject({ results: [{ suppressed: false }] });
  });

  it("answers a Postmark redelivery of the same record as a duplicate", async () => {
    // Prepare
    const record = fresh("spam-complaint");
    // Act
    const first = await post(record);
    const retry = await post(record);
    // Assess: no token to replay-guard; the event id makes the repeat harmless
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  describe("refusals: 403 (Postmark stops retrying), nothing stored", () => {
    it.each<[string, string | null, string]>([
      ["no Authorization header", null, "postmark-missing-credentials"],
      ["the wrong password", basic(USER, `${PASSWORD}x`), "postmark-bad-credentials"],
      ["the wrong user", basic("intruder", PASSWORD), "postmark-bad-credentials"],
      ["a bearer token instead of basic auth", `Bearer ${PASSWORD}`, "postmark-bad-credentials"],
      ["the API key as a bearer token", `Bearer ${API_KEY}`, "postmark-bad-credentials"],
    ])("%s", async (_name, authorization, slug) => {
      // Prepare
      const record = fresh("spam-complaint");
      // Act
      const answer = await post(record, authorization);
      // Assess
      expectProblem(answer, 403);
      expect(JSON.stringify(answer.body)).toContain(slug);
      await expectNothingStored(recipientOf(record));
    });

    it("a malformed body without credentials is refused before it is read", async () => {
      expectProblem(await post("{ not json", null), 403);
    });
  });

  it.each<[string, unknown]>([
    ["a body that is not JSON", "{ not json"],
    ["an empty body", ""],
    ["an empty batch", []],
    ["a record without RecordType", { Email: "someone@example.org" }],
    ["a bounce without ID", { ...fresh("bounce-hard-test"), ID: undefined }],
  ])("400 for %s with valid credentials; nothing stored", async (_name, body) => {
    // Act
    const answer = await post(body);
    // Assess
    expectProblem(answer, 400);
    await expectNothingStored("someone@example.org");
  });

  it("413 for a body over 6 MB, and for more than 10 000 records", async () => {
    // Prepare
    const huge = { ...fresh("spam-complaint"), Content: "x".repeat(6 * 1024 * 1024) };
    const template = fresh("spam-complaint");
    const many = Array.from({ length: 10_001 }, (_, i) => ({
      ...template,
      MessageID: `many-${i}`,
      Email: `many${i}@example.org`,
    }));
    // Act
    const tooBig = await post(huge);
    const tooMany = await post(many);
    // Assess
    expectProblem(tooBig, 413);
    expectProblem(tooMany, 413);
    await expectNothingStored(recipientOf(huge));
    await expectNothingStored("many0@example.org");
  });

  it("POST /v1/import/postmark takes a Bounces API page without basic auth (dry run stores nothing)", async () => {
    // Act
    const dry = await call(running().url, "POST", "/v1/import/postmark?dryRun=true", {
      key: API_KEY,
      raw: fixtureText("bounces-api-page"),
    });
    // Assess
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      accepted: 0,
      events: [
        { recipient: "zaphod@example.com", type: "invalid", subtype: "mailbox_not_found" },
        { recipient: "arthur@example.org", type: "soft_bounce" },
      ],
    });
    await expectNothingStored("zaphod@example.com");
  });
});

describe("POST /webhooks/postmark without its secrets", () => {
  describe.each(["POSTMARK_WEBHOOK_USER", "POSTMARK_WEBHOOK_PASSWORD"])("%s unset", (name) => {
    const running = useServer({ ...SECRETS, [name]: "" });

    it("refuses every request with 403, naming the setting", async () => {
      // Act
      const answer = await postTo(running().url, "/webhooks/postmark", fresh("spam-complaint"));
      // Assess
      expectProblem(answer, 403);
      expect(String(answer.body.detail)).toContain(name);
    });
  });
});

describe("Postmark when the store fails half-way", () => {
  const withFaultyStore = (run: Parameters<typeof withFlakyStore>[2]) =>
    withFlakyStore(API_KEY, { secrets: SECRETS }, run);

  it("answers 503 to each webhook it could not store, and Postmark's retries apply each once", async () => {
    await withFaultyStore(async (server, proxy) => {
      // Prepare
      const records = [
        "bounce-hard-test",
        "spam-complaint",
        "subscription-change-manual-customer",
        "bounce-bad-email-address",
      ].map((name) => fresh(name));
      const post = (body: unknown) => postTo(server.url, "/webhooks/postmark", body);
      // Act 1: the first record goes through; then the store breaks
      const first = await post(records[0]);
      proxy.fail({ afterRequests: 1 });
      const failed = [];
      for (const record of records.slice(1)) failed.push(await post(record));
      // Assess 1
      expect(first.status).toBe(200);
      for (const answer of failed) expectProblem(answer, 503);
      // Act 2: Postmark retries every non-200, then everything arrives once more
      proxy.heal();
      const retried = [];
      for (const record of records.slice(1)) retried.push(await post(record));
      const again = [];
      for (const record of records) again.push(await post(record));
      const checked = await call(server.url, "POST", "/v1/check", {
        key: API_KEY,
        body: { addresses: records.map(recipientOf) },
      });
      // Assess 2
      for (const answer of retried) {
        expect(answer.status).toBe(200);
        expect(Number(answer.body.accepted) + Number(answer.body.duplicates)).toBe(1);
      }
      for (const answer of again) expect(answer.body).toMatchObject({ accepted: 0, duplicates: 1 });
      expect(checked.body).toMatchObject({ suppressedCount: 4 });
    });
  });

  it("a mixed batch that fails half-way is applied exactly once on retry", async () => {
    await withFaultyStore(async (server, proxy) => {
      const names = [
        "bounce-hard-test",
        "spam-complaint",
        "open",
        "subscription-change-manual-customer",
        "bounce-bad-email-address",
        "bounce-autoresponder",
      ];
      const batch = () => names.map((name) => fresh(name));
      const send = (body: unknown) => postTo(server.url, "/webhooks/postmark", body);
      // Calibrate: how many store requests a whole batch takes
      const before = proxy.forwarded;
      expect((await send(batch())).status).toBe(200);
      const perBatch = proxy.forwarded - before;
      const body = batch();
      const recipients = body
        .filter((r) => r.RecordType !== "Open" && r.Type !== "AutoResponder")
        .map(recipientOf);
      // Act 1: the store fails half-way through the batch
      proxy.fail({ afterRequests: Math.floor(perBatch / 2) });
      const failed = await send(body);
      proxy.heal();
      // Act 2: the sender retries, twice
      const retried = await send(body);
      const again = await send(body);
      const checked = await call(server.url, "POST", "/v1/check", {
        key: API_KEY,
        body: { addresses: recipients },
      });
      // Assess
      expectProblem(failed, 503);
      expect(retried.status).toBe(200);
      expect(Number(retried.body.accepted) + Number(retried.body.duplicates)).toBe(4);
      expect(retried.body).toMatchObject({ ignored: 2 });
      expect(again.body).toMatchObject({ accepted: 0, duplicates: 4 });
      expect(checked.body).toMatchObject({ suppressedCount: 4 });
    });
  });
});
