import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Answer, call, expectProblem, useLocalServer, withFlakyStore } from "../local/http-helpers.js";

type Json = Record<string, unknown>;

const KEY = "test-key-sparkpost-webhook";
const USER = "sparkpost-hook";
const PASSWORD = "correct horse:battery staple";
const SECRETS = { SPARKPOST_WEBHOOK_USER: USER, SPARKPOST_WEBHOOK_PASSWORD: PASSWORD };

const FIXTURES = fileURLToPath(new URL("../fixtures/sparkpost/", import.meta.url));
const fixture = (name: string): Json[] =>
  JSON.parse(readFileSync(`${FIXTURES}${name}.json`, "utf8")) as Json[];

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const GOOD_AUTH = basic(USER, PASSWORD);

/**
 * The fixtures of `names` as one batch for `recipient`: fresh event ids (`<salt>-<i>`) so tests do
 * not see each other's events as duplicates, and timestamps an hour ago so every cause is live now.
 */
function batchFor(recipient: string, names: readonly string[], salt: string): Json[] {
  const timestamp = String(Math.floor(Date.now() / 1000) - 3600);
  return names.map((name, i) => {
    const [element] = fixture(name);
    const msys = (element as { msys: Record<string, Json> }).msys;
    const entries = Object.entries(msys).map(([cls, event]) => [
      cls,
      { ...event, event_id: `${salt}-${i}`, rcpt_to: recipient, raw_rcpt_to: recipient, timestamp },
    ]);
    return { msys: Object.fromEntries(entries) };
  });
}

/** POSTs a body to /webhooks/sparkpost as SparkPost does: JSON, basic auth, a batch id. */
async function postWebhook(
  baseUrl: string,
  body: unknown,
  headers: Record<string, string> = { authorization: GOOD_AUTH },
): Promise<Answer> {
  const raw = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const res = await fetch(`${baseUrl}/webhooks/sparkpost`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-messagesystems-batch-id": "77c5a1d0-0000-4000-8000-000000000001",
      ...headers,
    },
    body: raw,
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    body: text ? JSON.parse(text) : {},
  };
}

const useServer = (secrets: Record<string, string> = SECRETS) => useLocalServer(KEY, { secrets });

const check = (url: string, addresses: string[]) =>
  call(url, "POST", "/v1/check", { key: KEY, body: { addresses } });

describe("POST /webhooks/sparkpost: events → taxonomy → policy → store", () => {
  const running = useServer();

  it.each<[string, Json, Json | null]>([
    [
      "bounce-invalid-recipient",
      { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
      { cause: "bounce", reason: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" } },
    ],
    [
      "out-of-band",
      { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
      { cause: "bounce", reason: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" } },
    ],
    [
      "policy-rejection",
      { type: "invalid", subtype: "blocklisted", reason: "suppressed", rule: "sparkpost-class-25" },
      { cause: "bounce", reason: { type: "invalid", subtype: "blocklisted", reason: "suppressed" } },
    ],
    ["spam-complaint", { type: "complaint", feedbackType: "abuse" }, { cause: "complaint", scope: "*" }],
    ["list-unsubscribe", { type: "unsubscribe", scope: "*" }, { cause: "unsubscribe", scope: "*" }],
    ["link-unsubscribe", { type: "unsubscribe", scope: "*" }, { cause: "unsubscribe", scope: "*" }],
    ["bounce-unsubscribe-reply", { type: "unsubscribe", scope: "*" }, { cause: "unsubscribe", scope: "*" }],
    ["bounce-mailbox-full", { type: "soft_bounce", subtype: "other", reason: "mailbox_full" }, null],
    [
      "bounce-mail-block",
      { type: "invalid", subtype: "sender_or_recipient_rejected", reason: "blocked" },
      null,
    ],
    ["delivery", { type: "delivered" }, null],
    ["injection", { type: "request" }, null],
  ])("ingests %s", async (name, event, suppression) => {
    // Prepare
    const recipient = `${name}@example.org`;
    const body = batchFor(recipient.toUpperCase(), [name], `ingest-${name}`);
    // Act
    const answer = await postWebhook(running().url, body);
    const verdict = await check(running().url, [recipient]);
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      accepted: 1,
      duplicates: 0,
      ignored: 0,
      events: [{ recipient, provider: "sparkpost", eventId: `ingest-${name}-0`, ...event }],
    });
    expect(verdict.body).toMatchObject({
      suppressedCount: suppression ? 1 : 0,
      results: [{ address: recipient, suppressed: suppression !== null, ...(suppression ?? {}) }],
    });
  });

  it.each([
    ["the ping batch", '[{"msys":{}}]'],
    ["the bare ping", '{"msys":{}}'],
  ])("answers %s with 200 and nothing accepted", async (_label, body) => {
    const answer = await postWebhook(running().url, body);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 0, duplicates: 0, ignored: 0 });
  });

  it("ingests a mixed batch, ignoring opens, clicks, delays and auto-replies, and counts a redelivery as duplicates", async () => {
    // Prepare
    const recipient = "mixed@example.org";
    const names = [
      "injection",
      "delivery",
      "open",
      "click",
      "delay",
      "bounce-auto-reply",
      "spam-complaint",
      "generation-failure",
    ];
    const body = batchFor(recipient, names, "mixed");
    // Act
    const first = await postWebhook(running().url, body);
    const again = await postWebhook(running().url, body);
    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 3, duplicates: 0, ignored: 5 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 3, ignored: 5 });
    expect((await check(running().url, [recipient])).body).toMatchObject({
      results: [{ cause: "complaint" }],
    });
  });

  it("accepts the same payload through POST /v1/import/sparkpost with the API key instead of basic auth", async () => {
    const body = batchFor("imported@example.org", ["bounce-invalid-recipient"], "import");
    const answer = await call(running().url, "POST", "/v1/import/sparkpost?dryRun=true", { key: KEY, body });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ events: [{ recipient: "imported@example.org", type: "invalid" }] });
    expect((await check(running().url, ["imported@example.org"])).body).toMatchObject({ suppressedCount: 0 });
  });
});

describe("POST /webhooks/sparkpost: refusals store nothing", () => {
  const running = useServer();

  async function refusedWith(
    status: number,
    body: unknown,
    headers?: Record<string, string>,
    recipient?: string,
  ) {
    const answer = await postWebhook(running().url, body, headers);
    expectProblem(answer, status);
    if (recipient) {
      expect((await check(running().url, [recipient])).body).toMatchObject({ suppressedCount: 0 });
    }
    return answer;
  }

  it.each<[string, Record<string, string>]>([
    ["a wrong password", { authorization: basic(USER, "guess") }],
    ["a wrong user", { authorization: basic("someone", PASSWORD) }],
    ["no Authorization header", {}],
    ["a bearer token", { authorization: `Bearer ${PASSWORD}` }],
    ["credentials that are not base64", { authorization: "Basic %%%" }],
  ])("answers 401 to %s", async (label, headers) => {
    const recipient = `refused-${label.replaceAll(" ", "-")}@example.org`;
    const answer = await refusedWith(
      401,
      batchFor(recipient, ["spam-complaint"], `refused-${label}`),
      headers,
      recipient,
    );
    expect(answer.body).toMatchObject({ status: 401 });
  });

  it("checks the credentials whatever the body: an altered batch with wrong credentials is refused", async () => {
    // SparkPost signs nothing: basic auth over HTTPS is the whole proof, so a body alone proves nothing.
    const recipient = "tampered@example.org";
    const body = JSON.stringify(batchFor(recipient, ["bounce-invalid-recipient"], "tampered")).replace(
      '"bounce_class":"10"',
      '"bounce_class":"25"',
    );
    await refusedWith(401, body, { authorization: basic(USER, `${PASSWORD}x`) }, recipient);
  });

  it.each<[string, string]>([
    ["malformed JSON", '[{"msys":'],
    ["an empty body", ""],
    ["an empty batch", "[]"],
    ["an element without msys", '[{"hello":"world"}]'],
    ["an event without event_id", '[{"msys":{"message_event":{"type":"bounce","rcpt_to":"x@example.org"}}}]'],
  ])("answers 400 to %s", async (_label, body) => {
    await refusedWith(400, body, undefined, "x@example.org");
  });

  it("answers 400 to a batch with one malformed event and stores none of the batch", async () => {
    const recipient = "half-malformed@example.org";
    const body = [
      ...batchFor(recipient, ["spam-complaint"], "half-malformed"),
      {
        msys: {
          message_event: { type: "bounce", rcpt_to: recipient, timestamp: "not a time", event_id: "x" },
        },
      },
    ];
    await refusedWith(400, body, undefined, recipient);
  });

  it("answers 413 to a batch of more than 10 000 events", async () => {
    const recipient = "oversized@example.org";
    const [element] = batchFor(recipient, ["spam-complaint"], "oversized");
    const event = (element as { msys: { message_event: Json } }).msys.message_event;
    const body = Array.from({ length: 10_001 }, (_, i) => ({
      msys: { message_event: { ...event, event_id: `big-${i}` } },
    }));
    await refusedWith(413, body, undefined, recipient);
  });

  it("answers 413 to a body over 6 MB", async () => {
    const recipient = "huge@example.org";
    const body = batchFor(recipient, ["spam-complaint"], "huge");
    (body[0] as { padding?: string }).padding = "x".repeat(6 * 1024 * 1024 + 1);
    await refusedWith(413, body, undefined, recipient);
  });
});

describe("POST /webhooks/sparkpost without credentials configured", () => {
  const running = useServer({});

  it("refuses every batch with 401, naming the missing setting", async () => {
    const answer = await postWebhook(running().url, '[{"msys":{}}]');
    expectProblem(answer, 401);
    expect(String(answer.body.detail)).toContain("SPARKPOST_WEBHOOK_USER");
  });
});

describe("POST /webhooks/sparkpost when the store is down", () => {
  it("answers 503 part-way through a batch, then SparkPost's retry applies every event exactly once", async () => {
    // Prepare: the server talks to dynalite through a proxy we can break
    await withFlakyStore(KEY, { secrets: SECRETS }, async (server, proxy) => {
      const recipients = ["one@example.org", "two@example.org", "three@example.org", "four@example.org"];
      const kinds = ["bounce-invalid-recipient", "spam-complaint", "link-unsubscribe", "policy-rejection"];
      const body = recipients.flatMap((r, i) => batchFor(r, [kinds[i] as string, "open"], `outage-${i}`));
      // Act 1: the store fails part-way through the batch
      proxy.fail({ afterRequests: 4 });
      const failed = await postWebhook(server.url, body);
      // Assess 1: a 5xx, so SparkPost retries the batch
      expectProblem(failed, 503);
      // Act 2: SparkPost retries the same batch (same batch id, same event ids)
      proxy.heal();
      const retried = await postWebhook(server.url, body);
      const again = await postWebhook(server.url, body);
      const checked = await check(server.url, recipients);
      // Assess 2: every event applied once; the first try's partial work counted as duplicates
      expect(retried.status).toBe(200);
      expect(Number(retried.body.accepted) + Number(retried.body.duplicates)).toBe(4);
      expect(retried.body).toMatchObject({ ignored: 4 });
      expect(again.body).toMatchObject({ accepted: 0, duplicates: 4 });
      expect(checked.body).toMatchObject({
        suppressedCount: 4,
        results: [{ cause: "bounce" }, { cause: "complaint" }, { cause: "unsubscribe" }, { cause: "bounce" }],
      });
    });
  });
});
