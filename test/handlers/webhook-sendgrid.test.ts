/**
 * `POST /webhooks/sendgrid` over real sockets (the local server), with Event Webhook batches signed
 * in the test by a P-256 key generated here (test/fixtures/sendgrid/signing.ts).
 */
import { describe, expect, it } from "vitest";
import type { LocalServer } from "../../lambdas/local/server.js";
import { SENDGRID_MAX_AGE_SECONDS } from "../../lambdas/providers/sendgrid/index.js";
import { type SendgridSigner, sendgridEvents, sendgridSigner } from "../fixtures/sendgrid/signing.js";
import { type Answer, call, expectProblem, useLocalServer, withFlakyStore } from "../local/http-helpers.js";

const KEY = "test-key-webhook-sendgrid";
const signer = sendgridSigner();
const nowS = () => Math.floor(Date.now() / 1000);

type Event = Record<string, unknown>;

/** A fixture's first event, made current (`timestamp` a minute ago) and unique to one test. */
function fixtureEvent(name: string, overrides: Event = {}, salt = ""): Event {
  const [event] = sendgridEvents(name);
  return {
    ...event,
    timestamp: nowS() - 60,
    sg_event_id: `${String(event?.sg_event_id)}${salt}`,
    ...overrides,
  };
}

/** POSTs `body` to the SendGrid webhook, signed by `by` at `timestamp` unless `headers` replace that. */
async function deliver(
  server: LocalServer,
  body: Buffer | string,
  options: { by?: SendgridSigner; timestamp?: number; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers = {
    "content-type": "application/json",
    "user-agent": "SendGrid Event API",
    ...(options.headers ?? (options.by ?? signer).headers(body, options.timestamp ?? nowS())),
  };
  const res = await fetch(`${server.url}/webhooks/sendgrid`, { method: "POST", headers, body });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    body: text ? JSON.parse(text) : {},
  };
}

const batch = (...events: Event[]) => JSON.stringify(events);

const useSendgridServer = (
  secrets: Record<string, string> = { SENDGRID_VERIFICATION_KEY: signer.verificationKey },
) => useLocalServer(KEY, { secrets });

const check = (server: LocalServer, addresses: string[], scope?: string) =>
  call(server.url, "POST", "/v1/check", { key: KEY, body: { addresses, ...(scope ? { scope } : {}) } });

describe("POST /webhooks/sendgrid: signed batches are ingested", () => {
  const running = useSendgridServer();

  it("ingests a mixed batch once, counts a repeated sg_event_id once, and acknowledges a redelivery", async () => {
    // Prepare
    const complaint = fixtureEvent("spamreport", { email: "angry@example.org" }, "-mixed");
    const body = batch(
      fixtureEvent("processed", {}, "-mixed"),
      fixtureEvent("delivered", {}, "-mixed"),
      fixtureEvent("bounce-invalid-address", { email: "gone@example.org" }, "-mixed"),
      complaint,
      fixtureEvent("group-unsubscribe", { email: "reader@example.org" }, "-mixed"),
      fixtureEvent("open", {}, "-mixed"),
      complaint,
      fixtureEvent("unsubscribe", { email: "Leaver@Example.ORG" }, "-mixed"),
    );
    // Act
    const first = await deliver(running(), body);
    const again = await deliver(running(), body);
    const all = await check(running(), [
      "gone@example.org",
      "angry@example.org",
      "leaver@example.org",
      "reader@example.org",
    ]);
    const group = await check(running(), ["reader@example.org"], "asm-42");
    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 6, duplicates: 0, ignored: 1 });
    expect(first.body.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          provider: "sendgrid",
          recipient: "gone@example.org",
          type: "invalid",
          subtype: "mailbox_not_found",
        }),
        expect.objectContaining({ recipient: "reader@example.org", type: "unsubscribe", scope: "asm-42" }),
      ]),
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 6, ignored: 1 });
    expect(all.body.results).toEqual([
      expect.objectContaining({ address: "gone@example.org", suppressed: true, cause: "bounce" }),
      expect.objectContaining({ address: "angry@example.org", suppressed: true, cause: "complaint" }),
      expect.objectContaining({
        address: "leaver@example.org",
        suppressed: true,
        cause: "unsubscribe",
        scope: "*",
      }),
      expect.objectContaining({ address: "reader@example.org", suppressed: false }),
    ]);
    expect(group.body.results).toEqual([
      expect.objectContaining({
        address: "reader@example.org",
        suppressed: true,
        cause: "unsubscribe",
        scope: "asm-42",
      }),
    ]);
  });

  it("group_resubscribe lifts that group's unsubscribe only", async () => {
    // Prepare: unsubscribed from all mail and from group 42; then resubscribes to group 42
    const who = { email: "comeback@example.org" };
    await deliver(
      running(),
      batch(
        fixtureEvent("group-unsubscribe", { ...who, asm_group_id: 42, timestamp: nowS() - 120 }, "-resub"),
        fixtureEvent("group-unsubscribe", { ...who, asm_group_id: 7, timestamp: nowS() - 120 }, "-resub7"),
      ),
    );
    const before = await check(running(), [who.email], "asm-42");
    // Act
    const resub = await deliver(
      running(),
      batch(fixtureEvent("group-resubscribe", { ...who, asm_group_id: 42 }, "-resub")),
    );
    const after42 = await check(running(), [who.email], "asm-42");
    const after7 = await check(running(), [who.email], "asm-7");
    // Assess
    expect(before.body).toMatchObject({ suppressedCount: 1 });
    expect(resub.status).toBe(200);
    expect(resub.body.events).toEqual([
      expect.objectContaining({ type: "unsubscribe", scope: "asm-42", resubscribe: true }),
    ]);
    expect(after42.body).toMatchObject({ suppressedCount: 0 });
    expect(after7.body).toMatchObject({ suppressedCount: 1 });
  });

  it("dropped and blocked events do not suppress what is not the recipient's fault", async () => {
    const body = batch(
      fixtureEvent("bounce-blocked-reputation", { email: "blocked@example.org" }, "-nofault"),
      fixtureEvent("dropped-spam-content", { email: "content@example.org" }, "-nofault"),
      fixtureEvent("dropped-invalid-smtpapi-header", { email: "header@example.org" }, "-nofault"),
      fixtureEvent("dropped-bounced-address", { email: "known-bad@example.org" }, "-nofault"),
    );
    const answer = await deliver(running(), body);
    const verdicts = await check(running(), [
      "blocked@example.org",
      "content@example.org",
      "header@example.org",
      "known-bad@example.org",
    ]);
    expect(answer.body).toMatchObject({ accepted: 3, ignored: 1 });
    expect(verdicts.body.results).toEqual([
      expect.objectContaining({ suppressed: false }),
      expect.objectContaining({ suppressed: false }),
      expect.objectContaining({ suppressed: false }),
      expect.objectContaining({ address: "known-bad@example.org", suppressed: true }),
    ]);
  });

  it("POST /v1/import/sendgrid?dryRun=true parses without a signature and stores nothing", async () => {
    const body = batch(fixtureEvent("spamreport", { email: "dry@example.org" }, "-dry"));
    const dry = await call(running().url, "POST", "/v1/import/sendgrid?dryRun=true", { key: KEY, raw: body });
    const verdict = await check(running(), ["dry@example.org"]);
    expect(dry.status).toBe(200);
    expect(dry.body.events).toEqual([
      expect.objectContaining({ recipient: "dry@example.org", type: "complaint" }),
    ]);
    expect(verdict.body).toMatchObject({ suppressedCount: 0 });
  });
});

describe("POST /webhooks/sendgrid: refusals store nothing", () => {
  const running = useSendgridServer();
  const victim = "victim@example.org";
  const body = () => batch(fixtureEvent("spamreport", { email: victim }, `-refused-${Math.random()}`));

  const expectNothingStored = async () => {
    expect((await check(running(), [victim])).body).toMatchObject({ suppressedCount: 0 });
  };

  it("401 for a tampered body", async () => {
    const signed = body();
    const headers = signer.headers(signed, nowS());
    expectProblem(await deliver(running(), signed.replace("-refused-", "-refuseD-"), { headers }), 401);
    await expectNothingStored();
  });

  it("401 for a signature by another key", async () => {
    expectProblem(await deliver(running(), body(), { by: sendgridSigner() }), 401);
    await expectNothingStored();
  });

  it("401 for a stale timestamp", async () => {
    expectProblem(
      await deliver(running(), body(), { timestamp: nowS() - SENDGRID_MAX_AGE_SECONDS - 60 }),
      401,
    );
    await expectNothingStored();
  });

  it("401 for missing signature headers", async () => {
    const answer = await deliver(running(), body(), { headers: {} });
    expectProblem(answer, 401);
    expect(String(answer.body.detail)).toContain("X-Twilio-Email-Event-Webhook-Signature");
    await expectNothingStored();
  });

  it.each([
    ["malformed JSON", '[{"email": "victim@example.org", '],
    ["an empty batch", "[]"],
    ["a JSON object instead of an array", JSON.stringify({ email: victim, event: "spamreport" })],
  ])("400 for %s, even when signed", async (_what, raw) => {
    expectProblem(await deliver(running(), raw), 400);
    await expectNothingStored();
  });

  it("413 for a batch of more than 10 000 events", async () => {
    const events = Array.from({ length: 10_001 }, (_, i) => ({
      email: victim,
      event: "unsubscribe",
      timestamp: nowS(),
      sg_event_id: `oversized-${i}`,
    }));
    expectProblem(await deliver(running(), JSON.stringify(events)), 413);
    await expectNothingStored();
  });
});

describe("POST /webhooks/sendgrid without SENDGRID_VERIFICATION_KEY", () => {
  const running = useSendgridServer({});

  it("401 naming the setting, for every request", async () => {
    const previous = process.env.SENDGRID_VERIFICATION_KEY;
    delete process.env.SENDGRID_VERIFICATION_KEY;
    try {
      const answer = await deliver(running(), batch(fixtureEvent("spamreport", {}, "-unconfigured")));
      expectProblem(answer, 401);
      expect(String(answer.body.detail)).toContain("SENDGRID_VERIFICATION_KEY");
    } finally {
      if (previous !== undefined) process.env.SENDGRID_VERIFICATION_KEY = previous;
    }
  });
});

describe("POST /webhooks/sendgrid when the store is down", () => {
  it("answers 503 half-way through a batch, then SendGrid's retry applies each event exactly once", async () => {
    // Prepare: the server talks to dynalite through a proxy we can break
    await withFlakyStore(
      KEY,
      { secrets: { SENDGRID_VERIFICATION_KEY: signer.verificationKey } },
      async (server, proxy) => {
        const mixed = (salt: string, recipients: string[]) =>
          batch(
            fixtureEvent("bounce-invalid-address", { email: recipients[0] }, salt),
            fixtureEvent("spamreport", { email: recipients[1] }, salt),
            fixtureEvent("open", { email: recipients[1] }, salt),
            fixtureEvent("unsubscribe", { email: recipients[2] }, salt),
            fixtureEvent("dropped-bounced-address", { email: recipients[3] }, salt),
          );
        // Warm up: a process's first event of a day also notes the tenant for the figures (one write)
        await deliver(
          server,
          mixed("-warm", ["w@example.net", "x@example.net", "y@example.net", "z@example.net"]),
        );
        // Calibrate: how many store requests a healthy delivery of this shape makes
        const before = proxy.forwarded;
        const warmUp = await deliver(
          server,
          mixed("-calibrate", ["a@example.net", "b@example.net", "c@example.net", "d@example.net"]),
        );
        expect(warmUp.status).toBe(200);
        const requestsPerBatch = proxy.forwarded - before;
        const recipients = ["one@example.org", "two@example.org", "three@example.org", "four@example.org"];
        const body = mixed("-outage", recipients);
        // Act 1: the store fails part-way through the batch (two events' worth of requests short)
        proxy.fail({ afterRequests: requestsPerBatch - 2 });
        const failed = await deliver(server, body);
        // Assess 1
        expectProblem(failed, 503);
        proxy.heal();
        // Act 2: SendGrid retries the same bytes (signed again at delivery time), and once more
        const retried = await deliver(server, body);
        const again = await deliver(server, body);
        const checked = await check(server, recipients);
        // Assess 2: every recipient suppressed; the first try's partial work counted once
        expect(retried.status).toBe(200);
        expect(Number(retried.body.accepted) + Number(retried.body.duplicates)).toBe(4);
        expect(Number(retried.body.duplicates)).toBeGreaterThan(0); // the outage hit mid-batch
        expect(retried.body.ignored).toBe(1);
        expect(again.body).toMatchObject({ accepted: 0, duplicates: 4 });
        expect(checked.body).toMatchObject({ suppressedCount: 4 });
      },
    );
  });
});
