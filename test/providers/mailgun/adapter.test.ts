import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../lambdas/core/errors.js";
import { type NormalizedEvent, NormalizedEventSchema } from "../../../lambdas/core/events.js";
import {
  classifyMailgunFailure,
  MAILGUN_MAX_AGE_SECONDS,
  mailgunAdapter,
} from "../../../lambdas/providers/mailgun/index.js";
import type { ReplayGuard, WebhookRequest } from "../../../lambdas/providers/types.js";
import { WebhookAuthError } from "../../../lambdas/providers/types.js";
import {
  type MailgunBody,
  mailgunFixture,
  mailgunSignature,
  newSigningKey,
  newToken,
  signMailgun,
} from "../../fixtures/mailgun/support.js";

const ctx = { tenant: "acme", receivedAt: new Date("2026-11-24T12:00:00Z") };

const requestOf = (body: unknown): WebhookRequest => ({
  rawBody: Buffer.isBuffer(body) ? body : Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
  headers: { "content-type": "application/json" },
  query: {},
});

function parse(body: unknown) {
  const result = mailgunAdapter.parse(requestOf(body), ctx);
  for (const event of result.events) expect(NormalizedEventSchema.parse(event)).toEqual(event);
  return result;
}

/** An in-memory replay guard that records its calls. */
function memoryGuard() {
  const seen = new Map<string, number>();
  const calls: { token: string; expiresAt: number }[] = [];
  const guard: ReplayGuard = async (provider, token, expiresAt) => {
    calls.push({ token, expiresAt });
    const key = `${provider}|${token}`;
    if (seen.has(key)) return false;
    seen.set(key, expiresAt);
    return true;
  };
  return { guard, calls };
}

describe("mailgunAdapter.parse: one webhook body per event type", () => {
  it.each<[string, Partial<NormalizedEvent> | null]>([
    ["accepted", { type: "request", rule: "mailgun-accepted", recipient: "jdoe@example.org", smtp: null }],
    [
      "delivered",
      { type: "delivered", rule: "mailgun-delivered", recipient: "jdoe@example.org", smtp: null },
    ],
    [
      "failed-permanent-bounce",
      {
        type: "invalid",
        subtype: "mailbox_not_found",
        reason: "user_unknown",
        recipient: "nobody@example.org",
        smtp: {
          code: "550",
          enhanced: "5.1.1",
          diagnostic:
            "5.1.1 The email account that you tried to reach does not exist. Please try\n5.1.1 double-checking the recipient's email address for typos",
        },
      },
    ],
    [
      "failed-permanent-suppress-bounce",
      {
        type: "invalid",
        subtype: "blocklisted",
        reason: "suppressed",
        rule: "mailgun-suppress-bounce",
        smtp: { code: "605", enhanced: null, diagnostic: "Not delivering to previously bounced address" },
      },
    ],
    [
      "failed-permanent-suppress-unsubscribe",
      {
        type: "invalid",
        subtype: "unsubscribed",
        reason: "unsubscribed",
        rule: "mailgun-suppress-unsubscribe",
      },
    ],
    [
      "failed-permanent-suppress-complaint",
      { type: "invalid", subtype: "blocklisted", reason: "suppressed", rule: "mailgun-suppress-complaint" },
    ],
    [
      "failed-permanent-espblock",
      {
        type: "invalid",
        subtype: "sender_or_recipient_rejected",
        reason: "blocked",
        rule: "mailgun-espblock",
      },
    ],
    [
      "failed-permanent-generic-blocked",
      { type: "invalid", subtype: "sender_or_recipient_rejected", reason: "blocked" },
    ],
    [
      "failed-temporary-greylisted",
      {
        type: "request",
        subtype: null,
        reason: null,
        rule: "mailgun-temporary-retrying",
        smtp: {
          code: "450",
          enhanced: "4.2.0",
          diagnostic: "4.2.0 Recipient address rejected: Greylisted\nRecipient address rejected: Greylisted",
        },
      },
    ],
    ["failed-temporary-no-mx", { type: "request", rule: "mailgun-temporary-retrying" }],
    [
      "failed-temporary-old-no-mx",
      {
        type: "invalid",
        subtype: "server_unreachable",
        reason: "not_accept",
        rule: "mailgun-old-no-mx",
        recipient: "someone@nomx.example.com",
        smtp: { code: "498", enhanced: null, diagnostic: "No MX for nomx.example.com" },
      },
    ],
    [
      "failed-temporary-old-mailbox-full",
      {
        type: "soft_bounce",
        subtype: "other",
        reason: "mailbox_full",
        smtp: expect.objectContaining({ enhanced: "4.2.2" }),
      },
    ],
    [
      "failed-temporary-old-vague",
      { type: "soft_bounce", subtype: "service_unreachable", reason: "expired", rule: "mailgun-old" },
    ],
    [
      "complained",
      { type: "complaint", subtype: null, reason: null, feedbackType: null, rule: "mailgun-complained" },
    ],
    [
      "unsubscribed",
      {
        type: "unsubscribe",
        scope: "*",
        recipient: "leaver@example.org",
        unsubscribeReason: null,
        resubscribe: false,
        rule: "mailgun-unsubscribed",
      },
    ],
    ["opened", null],
    ["clicked", null],
  ])("%s", (name, expected) => {
    // Prepare
    const body = mailgunFixture(name);
    // Act
    const result = parse(body);
    // Assess
    if (expected === null) {
      expect(result).toEqual({ events: [], ignored: 1 });
      return;
    }
    expect(result.ignored).toBe(0);
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({
      tenant: "acme",
      provider: "mailgun",
      scope: "*",
      occurredAt: "2025-11-24T13:13:20.512Z",
      eventId: `${body["event-data"].id}#1763990000.512345`,
      ...expected,
    });
  });
});

describe("mailgunAdapter.parse: event ids and shapes", () => {
  it("keeps the event id when Mailgun signs the same event again (new token and timestamp)", () => {
    // Prepare
    const key = newSigningKey();
    const first = signMailgun(mailgunFixture("complained"), key, {
      timestamp: 1_800_000_000,
      eventTimestamp: 1_799_999_999.5,
    });
    const again = signMailgun(mailgunFixture("complained"), key, {
      timestamp: 1_800_000_900,
      eventTimestamp: 1_799_999_999.5,
    });
    // Act
    const [a] = parse(first).events;
    const [b] = parse(again).events;
    // Assess
    expect(a?.eventId).toBe("cOmPl41n3d-00000000001#1799999999.5");
    expect(b?.eventId).toBe(a?.eventId);
  });

  it("reads an Events API page: duplicates emitted once, opens and malformed recipients ignored", () => {
    // Act
    const result = parse(mailgunFixture("events-api-page"));
    // Assess
    expect(result.events.map((e) => [e.type, e.recipient])).toEqual([
      ["invalid", "nobody@example.org"],
      ["complaint", "angry@example.org"],
      ["unsubscribe", "leaver@example.org"],
    ]);
    expect(result.ignored).toBe(2);
  });

  it("reads a bare event and an array of webhook bodies", () => {
    // Prepare
    const bare = mailgunFixture("complained")["event-data"];
    const list = [mailgunFixture("failed-permanent-bounce"), mailgunFixture("unsubscribed")];
    // Act / Assess
    expect(parse(bare).events.map((e) => e.type)).toEqual(["complaint"]);
    expect(parse(list).events.map((e) => e.type)).toEqual(["invalid", "unsubscribe"]);
  });

  it("ignores a mapped event whose recipient is missing or malformed", () => {
    // Prepare
    const missing = mailgunFixture("complained");
    delete missing["event-data"].recipient;
    const malformed = mailgunFixture("complained");
    malformed["event-data"].recipient = "angry at example dot org";
    // Act / Assess
    expect(parse(missing)).toEqual({ events: [], ignored: 1 });
    expect(parse(malformed)).toEqual({ events: [], ignored: 1 });
  });

  it.each<[string, unknown]>([
    ["malformed JSON", "{ not json"],
    ["an empty body", ""],
    ["a body that is not a Mailgun payload", { hello: "world" }],
    ["an empty Events API page", { items: [] }],
    ["an empty array", []],
    [
      "an event without an id",
      { "event-data": { event: "failed", timestamp: 1763990000.5, recipient: "a@example.org" } },
    ],
    [
      "an event with a bad timestamp",
      { "event-data": { event: "delivered", id: "x", timestamp: "yesterday", recipient: "a@example.org" } },
    ],
  ])("refuses %s with InputError", (_label, body) => {
    // Act / Assess
    expect(() => mailgunAdapter.parse(requestOf(body), ctx)).toThrow(InputError);
  });

  it("points at the faulty field", () => {
    // Prepare
    const body = {
      items: [
        mailgunFixture("complained")["event-data"],
        { event: "delivered", timestamp: 1, recipient: "a@example.org" },
      ],
    };
    // Act
    let error: unknown;
    try {
      mailgunAdapter.parse(requestOf(body), ctx);
    } catch (e) {
      error = e;
    }
    // Assess
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues).toContainEqual(expect.objectContaining({ path: "items.1.id" }));
  });

  it("never throws anything but InputError, whatever JSON arrives", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          const result = mailgunAdapter.parse(requestOf(value), ctx);
          for (const event of result.events) NormalizedEventSchema.parse(event);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("classifyMailgunFailure", () => {
  it("treats a temporary failure as a deferral unless Mailgun gave up", () => {
    const smtp = { code: "421", enhanced: "4.7.0", diagnostic: "421 4.7.0 Try again later" };
    expect(classifyMailgunFailure("temporary", "generic", smtp)).toEqual({ kind: "deferred" });
    expect(classifyMailgunFailure("temporary", "espblock", smtp)).toEqual({ kind: "deferred" });
    expect(classifyMailgunFailure("temporary", "old", smtp)).toMatchObject({
      kind: "bounce",
      verdict: { type: "soft_bounce" },
    });
  });

  it("reads suppressions whatever the delivery status says, and unknown suppress-* as suppressed", () => {
    expect(classifyMailgunFailure("permanent", "suppress-allowlist", null)).toEqual({
      kind: "bounce",
      verdict: {
        type: "invalid",
        subtype: "blocklisted",
        reason: "suppressed",
        rule: "mailgun-suppress-other",
      },
    });
  });

  it("lets the codes decide when there is no severity", () => {
    expect(
      classifyMailgunFailure(undefined, undefined, { code: "550", enhanced: "5.1.1", diagnostic: null }),
    ).toMatchObject({
      kind: "bounce",
      verdict: { type: "invalid", subtype: "mailbox_not_found" },
    });
    expect(classifyMailgunFailure(null, null, null)).toMatchObject({
      kind: "bounce",
      verdict: { type: "soft_bounce" },
    });
  });
});

describe("mailgunAdapter.verify", () => {
  const now = new Date("2026-11-24T12:00:00Z");
  const nowS = Math.floor(now.getTime() / 1000);

  async function verify(body: unknown, key: string | undefined, guard = memoryGuard().guard) {
    return mailgunAdapter.verify(requestOf(body), {
      secrets: (name) => (name === "MAILGUN_SIGNING_KEY" ? key : undefined),
      now,
      replayGuard: guard,
    });
  }

  async function refusal(promise: Promise<unknown>): Promise<WebhookAuthError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebhookAuthError);
    const auth = error as WebhookAuthError;
    expect(auth.status).toBe(406);
    return auth;
  }

  it("accepts a genuine request and remembers its token until timestamp + window", async () => {
    // Prepare
    const key = newSigningKey();
    const body = signMailgun(mailgunFixture("failed-permanent-bounce"), key, { timestamp: nowS - 60 });
    const { guard, calls } = memoryGuard();
    // Act
    await verify(body, key, guard);
    // Assess
    expect(calls).toEqual([{ token: body.signature.token, expiresAt: nowS - 60 + MAILGUN_MAX_AGE_SECONDS }]);
  });

  it("accepts a parent-signature made with the primary account's key", async () => {
    // Prepare
    const parentKey = newSigningKey();
    const body = signMailgun(mailgunFixture("complained"), newSigningKey(), { timestamp: nowS });
    const { timestamp, token } = body.signature as { timestamp: string; token: string };
    body.signature["parent-signature"] = mailgunSignature(parentKey, timestamp, token);
    // Act / Assess
    await expect(verify(body, parentKey)).resolves.toHaveProperty("rawBody");
  });

  it("refuses when the key is not configured, naming the setting", async () => {
    const body = signMailgun(mailgunFixture("complained"), newSigningKey(), { timestamp: nowS });
    const error = await refusal(verify(body, undefined));
    expect(error.slug).toBe("mailgun-not-configured");
    expect(error.message).toContain("MAILGUN_SIGNING_KEY");
  });

  it("refuses a wrong key, without touching the replay guard", async () => {
    const { guard, calls } = memoryGuard();
    const body = signMailgun(mailgunFixture("complained"), newSigningKey(), { timestamp: nowS });
    expect((await refusal(verify(body, newSigningKey(), guard))).slug).toBe("mailgun-bad-signature");
    expect(calls).toEqual([]);
  });

  it.each<[string, (b: MailgunBody) => void]>([
    [
      "a changed timestamp",
      (b) => {
        b.signature.timestamp = String(Number(b.signature.timestamp) + 1);
      },
    ],
    [
      "a changed token",
      (b) => {
        b.signature.token = newToken();
      },
    ],
    [
      "a signature that is not hex",
      (b) => {
        b.signature.signature = "z".repeat(64);
      },
    ],
    [
      "a truncated signature",
      (b) => {
        b.signature.signature = String(b.signature.signature).slice(0, 40);
      },
    ],
  ])("refuses %s as a bad signature", async (_label, tamper) => {
    const key = newSigningKey();
    const body = signMailgun(mailgunFixture("complained"), key, { timestamp: nowS });
    tamper(body);
    expect((await refusal(verify(body, key))).slug).toBe("mailgun-bad-signature");
  });

  it.each<[string, unknown]>([
    ["no signature block", { "event-data": mailgunFixture("complained")["event-data"] }],
    [
      "a signature block without token",
      { signature: { timestamp: String(nowS), signature: "0".repeat(64) } },
    ],
    ["a body that is not JSON", "timestamp=1&token=x&signature=y"],
    ["an empty body", ""],
  ])("refuses %s as missing signature", async (_label, body) => {
    expect((await refusal(verify(body, newSigningKey()))).slug).toBe("mailgun-missing-signature");
  });

  it.each([
    ["older than the window", nowS - MAILGUN_MAX_AGE_SECONDS - 1],
    ["more than 5 minutes ahead", nowS + 301],
  ])("refuses a timestamp %s", async (_label, timestamp) => {
    const key = newSigningKey();
    const body = signMailgun(mailgunFixture("complained"), key, { timestamp });
    expect((await refusal(verify(body, key))).slug).toBe("mailgun-stale-timestamp");
  });

  it("accepts a retry hours later (Mailgun resends the original signature for ~8 h)", async () => {
    const key = newSigningKey();
    const body = signMailgun(mailgunFixture("complained"), key, { timestamp: nowS - 7.5 * 3600 });
    await expect(verify(body, key)).resolves.toHaveProperty("rawBody");
  });

  it("refuses a token the replay guard has seen with another request", async () => {
    // Prepare: the guard (the store) tells retries of the same request from replays; see
    // test/store/nonces.test.ts and the retry tests in test/handlers/webhook-mailgun.test.ts
    const key = newSigningKey();
    const body = signMailgun(mailgunFixture("delivered"), key, { timestamp: nowS });
    const replayed: ReplayGuard = async () => false;
    // Act / Assess
    expect((await refusal(verify(body, key, replayed))).slug).toBe("mailgun-replayed-token");
  });

  it("never accepts a signature it did not compute", async () => {
    const key = newSigningKey();
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 80 }),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        async (token, sig) => {
          fc.pre(sig !== mailgunSignature(key, String(nowS), token));
          const body = { signature: { timestamp: String(nowS), token, signature: sig }, "event-data": {} };
          await refusal(verify(body, key));
        },
      ),
      { numRuns: 100 },
    );
  });
});
