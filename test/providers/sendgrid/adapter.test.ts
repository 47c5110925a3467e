import { generateKeyPairSync, sign } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../lambdas/core/errors.js";
import { type NormalizedEvent, NormalizedEventSchema } from "../../../lambdas/core/events.js";
import {
  classifySendgridBounce,
  classifySendgridDrop,
  SENDGRID_MAX_AGE_SECONDS,
  sendgridAdapter,
} from "../../../lambdas/providers/sendgrid/index.js";
import {
  type VerifyContext,
  WebhookAuthError,
  type WebhookRequest,
} from "../../../lambdas/providers/types.js";
import { sendgridEvents, sendgridFixture, sendgridSigner } from "../../fixtures/sendgrid/signing.js";

const NOW = new Date("2025-11-24T13:13:20.000Z");
const NOW_S = NOW.getTime() / 1000;
const ctx = { tenant: "acme", receivedAt: NOW };
const signer = sendgridSigner();

const request = (body: Buffer | string, headers: Record<string, string> = {}): WebhookRequest => ({
  rawBody: Buffer.from(body),
  headers,
  query: {},
});

const verifyContext = (
  secrets: Record<string, string> = { SENDGRID_VERIFICATION_KEY: signer.verificationKey },
) =>
  ({
    secrets: (name: string) => secrets[name],
    now: NOW,
    replayGuard: async () => {
      throw new Error("SendGrid has no one-time token: the replay guard is never called");
    },
  }) satisfies VerifyContext;

function parse(body: Buffer | string) {
  const result = sendgridAdapter.parse(request(body), ctx);
  for (const event of result.events) expect(NormalizedEventSchema.parse(event)).toEqual(event);
  return result;
}

async function refusal(promise: Promise<unknown>): Promise<WebhookAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookAuthError);
  const refused = error as WebhookAuthError;
  expect(refused.status).toBe(401);
  return refused;
}

describe("sendgridAdapter.verify", () => {
  const body = sendgridFixture("batch-mixed");

  it("accepts a body signed over timestamp + raw bytes with the configured key", async () => {
    // Prepare
    const headers = signer.headers(body, NOW_S - 10);
    // Act / Assess
    await expect(sendgridAdapter.verify(request(body, headers), verifyContext())).resolves.toHaveProperty(
      "rawBody",
    );
  });

  it("accepts the key as a PEM block too, and a timestamp slightly ahead of our clock", async () => {
    const pem = `-----BEGIN PUBLIC KEY-----\n${signer.verificationKey.match(/.{1,64}/g)?.join("\n")}\n-----END PUBLIC KEY-----\n`;
    const headers = signer.headers(body, NOW_S + 60);
    await expect(
      sendgridAdapter.verify(request(body, headers), verifyContext({ SENDGRID_VERIFICATION_KEY: pem })),
    ).resolves.toHaveProperty("rawBody");
  });

  it("refuses when SENDGRID_VERIFICATION_KEY is not set, naming the setting", async () => {
    const error = await refusal(
      sendgridAdapter.verify(request(body, signer.headers(body, NOW_S)), verifyContext({})),
    );
    expect(error.slug).toBe("sendgrid-not-configured");
    expect(error.message).toContain("SENDGRID_VERIFICATION_KEY");
  });

  it.each([
    ["not base64 DER", "not a key"],
    [
      "an RSA key",
      generateKeyPairSync("rsa", { modulusLength: 1024 })
        .publicKey.export({ format: "der", type: "spki" })
        .toString("base64"),
    ],
    [
      "a P-384 key",
      generateKeyPairSync("ec", { namedCurve: "P-384" })
        .publicKey.export({ format: "der", type: "spki" })
        .toString("base64"),
    ],
  ])("refuses when the configured key is %s", async (_what, key) => {
    const error = await refusal(
      sendgridAdapter.verify(
        request(body, signer.headers(body, NOW_S)),
        verifyContext({ SENDGRID_VERIFICATION_KEY: key }),
      ),
    );
    expect(error.slug).toBe("sendgrid-bad-verification-key");
  });

  it("refuses a tampered body (one byte changed)", async () => {
    const headers = signer.headers(body, NOW_S);
    const tampered = Buffer.from(body);
    tampered[tampered.indexOf("gone")] = "G".charCodeAt(0);
    expect((await refusal(sendgridAdapter.verify(request(tampered, headers), verifyContext()))).slug).toBe(
      "sendgrid-bad-signature",
    );
  });

  it("refuses a body re-serialized after signing (signatures cover the exact bytes)", async () => {
    const headers = signer.headers(body, NOW_S);
    const reserialized = JSON.stringify(JSON.parse(body.toString("utf8")));
    expect(
      (await refusal(sendgridAdapter.verify(request(reserialized, headers), verifyContext()))).slug,
    ).toBe("sendgrid-bad-signature");
  });

  it("refuses a signature made with another key", async () => {
    const other = sendgridSigner();
    const error = await refusal(
      sendgridAdapter.verify(request(body, other.headers(body, NOW_S)), verifyContext()),
    );
    expect(error.slug).toBe("sendgrid-bad-signature");
  });

  it("refuses a timestamp header changed after signing", async () => {
    const headers = {
      ...signer.headers(body, NOW_S),
      "x-twilio-email-event-webhook-timestamp": String(NOW_S - 1),
    };
    expect((await refusal(sendgridAdapter.verify(request(body, headers), verifyContext()))).slug).toBe(
      "sendgrid-bad-signature",
    );
  });

  it("refuses an IEEE-P1363 (raw r||s) signature: SendGrid sends DER", async () => {
    const ts = String(NOW_S);
    const raw = sign("sha256", Buffer.concat([Buffer.from(ts), body]), {
      key: signer.privateKey,
      dsaEncoding: "ieee-p1363",
    });
    const headers = {
      "x-twilio-email-event-webhook-signature": raw.toString("base64"),
      "x-twilio-email-event-webhook-timestamp": ts,
    };
    expect((await refusal(sendgridAdapter.verify(request(body, headers), verifyContext()))).slug).toBe(
      "sendgrid-bad-signature",
    );
  });

  it.each([
    ["stale", NOW_S - SENDGRID_MAX_AGE_SECONDS - 1, "sendgrid-stale-timestamp"],
    ["far in the future", NOW_S + 301, "sendgrid-future-timestamp"],
  ])("refuses a genuinely signed but %s timestamp", async (_what, ts, slug) => {
    const error = await refusal(
      sendgridAdapter.verify(request(body, signer.headers(body, ts)), verifyContext()),
    );
    expect(error.slug).toBe(slug);
  });

  it("accepts a timestamp exactly at the edge of the window", async () => {
    await expect(
      sendgridAdapter.verify(
        request(body, signer.headers(body, NOW_S - SENDGRID_MAX_AGE_SECONDS)),
        verifyContext(),
      ),
    ).resolves.toHaveProperty("rawBody");
  });

  it.each([
    ["no headers", {}],
    ["no signature", { "x-twilio-email-event-webhook-timestamp": String(NOW_S) }],
    ["no timestamp", { "x-twilio-email-event-webhook-signature": "MEUCIQ==" }],
    [
      "blank headers",
      { "x-twilio-email-event-webhook-signature": " ", "x-twilio-email-event-webhook-timestamp": "" },
    ],
  ])("refuses a request with %s", async (_what, headers) => {
    expect((await refusal(sendgridAdapter.verify(request(body, headers), verifyContext()))).slug).toBe(
      "sendgrid-missing-signature",
    );
  });

  it.each([
    [
      "a non-numeric timestamp",
      { "x-twilio-email-event-webhook-timestamp": "2025-11-24T13:13:20Z" },
      "sendgrid-bad-timestamp",
    ],
    [
      "a signature that is not base64",
      { "x-twilio-email-event-webhook-signature": "not base64!" },
      "sendgrid-bad-signature",
    ],
    [
      "a garbage DER signature",
      { "x-twilio-email-event-webhook-signature": "MEUCIQDxAAAA" },
      "sendgrid-bad-signature",
    ],
  ])("refuses %s", async (_what, override, slug) => {
    const headers = { ...signer.headers(body, NOW_S), ...override };
    expect((await refusal(sendgridAdapter.verify(request(body, headers), verifyContext()))).slug).toBe(slug);
  });

  it("never accepts random signature and timestamp headers (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 120 }),
        fc.string({ maxLength: 20 }),
        async (signature, timestamp) => {
          const headers = {
            "x-twilio-email-event-webhook-signature": signature,
            "x-twilio-email-event-webhook-timestamp": timestamp,
          };
          await refusal(sendgridAdapter.verify(request(body, headers), verifyContext()));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("sendgridAdapter.parse: one event per fixture", () => {
  it.each<[string, Partial<NormalizedEvent>]>([
    ["processed", { type: "request", rule: "sendgrid-processed", smtp: null }],
    [
      "deferred",
      {
        type: "request",
        rule: "sendgrid-deferred",
        smtp: {
          code: "421",
          enhanced: "4.7.0",
          diagnostic: "421 4.7.0 Try again later, closing connection.",
        },
      },
    ],
    ["delivered", { type: "delivered", rule: "sendgrid-delivered" }],
    [
      "bounce-invalid-address",
      {
        type: "invalid",
        subtype: "mailbox_not_found",
        reason: "user_unknown",
        rule: "text-user-unknown",
        smtp: {
          code: "550",
          enhanced: "5.1.1",
          diagnostic:
            "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.",
        },
      },
    ],
    [
      "bounce-mailbox-unavailable-vague",
      {
        recipient: "inactive@example.org",
        type: "invalid",
        subtype: "mailbox_not_found",
        reason: "suspend",
        rule: "sendgrid-classification-mailbox-unavailable",
      },
    ],
    [
      "bounce-blocked-reputation",
      { type: "soft_bounce", subtype: "ip_or_domain_rejected", reason: "blocked", rule: "text-blocked-list" },
    ],
    [
      "bounce-blocked-vague-reputation",
      {
        type: "soft_bounce",
        subtype: "ip_or_domain_rejected",
        reason: "bad_reputation",
        rule: "sendgrid-classification-reputation",
        smtp: { code: "451", enhanced: null, diagnostic: "451 Temporary local problem - please try later" },
      },
    ],
    [
      "bounce-blocked-no-status",
      {
        recipient: "noemail@no-such-host.example.com",
        type: "soft_bounce",
        smtp: {
          code: null,
          enhanced: null,
          diagnostic:
            "unable to get mx info: failed to get IPs from PTR record: lookup <nil>: unrecognized address",
        },
      },
    ],
    [
      "dropped-bounced-address",
      {
        type: "invalid",
        subtype: "blocklisted",
        reason: "suppressed",
        rule: "sendgrid-dropped-bounced-address",
      },
    ],
    [
      "dropped-spam-reporting-address",
      {
        type: "invalid",
        subtype: "blocklisted",
        reason: "suppressed",
        rule: "sendgrid-dropped-spam-reporting-address",
      },
    ],
    [
      "dropped-unsubscribed-address",
      {
        type: "invalid",
        subtype: "unsubscribed",
        reason: "unsubscribed",
        rule: "sendgrid-dropped-unsubscribed-address",
      },
    ],
    [
      "dropped-spam-content",
      { type: "invalid", subtype: "spam", reason: "spam_detected", rule: "sendgrid-dropped-spam-content" },
    ],
    [
      "spamreport",
      { type: "complaint", subtype: null, reason: null, feedbackType: null, rule: "sendgrid-spamreport" },
    ],
    ["unsubscribe", { type: "unsubscribe", scope: "*", resubscribe: false, rule: "sendgrid-unsubscribe" }],
    [
      "group-unsubscribe",
      { type: "unsubscribe", scope: "asm-42", resubscribe: false, rule: "sendgrid-group-unsubscribe" },
    ],
    [
      "group-resubscribe",
      { type: "unsubscribe", scope: "asm-42", resubscribe: true, rule: "sendgrid-group-resubscribe" },
    ],
  ])("%s", (name, expected) => {
    // Prepare
    const [source] = sendgridEvents(name);
    // Act
    const { events, ignored } = parse(sendgridFixture(name));
    // Assess
    expect(ignored).toBe(0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      tenant: "acme",
      provider: "sendgrid",
      eventId: source?.sg_event_id,
      recipient: "jdoe@example.org",
      occurredAt: "2025-11-24T13:13:20.000Z",
      scope: "*",
      unsubscribeReason: null,
      ...expected,
    });
  });

  it.each(["open", "click", "account-status-change", "dropped-invalid-smtpapi-header"])(
    "%s is acknowledged and ignored",
    (name) => {
      expect(parse(sendgridFixture(name))).toEqual({ events: [], ignored: 1 });
    },
  );

  it("dropped `Invalid`: a malformed address is skipped and counted, a well-formed one is bad_address_format", () => {
    const { events, ignored } = parse(sendgridFixture("dropped-invalid"));
    expect(ignored).toBe(1);
    expect(events).toEqual([
      expect.objectContaining({
        recipient: "jdoe@example.invalid",
        type: "invalid",
        subtype: "bad_address_format",
        reason: "bad_address_format",
        rule: "sendgrid-dropped-invalid",
      }),
    ]);
  });
});

describe("sendgridAdapter.parse: batches", () => {
  it("fans a mixed batch out in order, canonicalizes addresses, counts a repeated sg_event_id once", () => {
    // Act
    const { events, ignored } = parse(sendgridFixture("batch-mixed"));
    // Assess
    expect(ignored).toBe(1); // the open
    expect(events.map((e) => [e.recipient, e.type, e.scope])).toEqual([
      ["jdoe@example.org", "request", "*"],
      ["jdoe@example.org", "delivered", "*"],
      ["gone@example.org", "invalid", "*"],
      ["angry@example.org", "complaint", "*"],
      ["reader@example.org", "unsubscribe", "asm-42"],
      ["leaver@example.org", "unsubscribe", "*"],
    ]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });

  it("gives the same ids on redelivery, and a stable derived id when sg_event_id is missing", () => {
    const body = JSON.stringify([{ email: "old@example.org", event: "spamreport", timestamp: 1386636115 }]);
    const first = parse(body).events[0];
    const again = parse(body).events[0];
    expect(first?.eventId).toMatch(/^sendgrid-derived:/);
    expect(again?.eventId).toBe(first?.eventId);
    expect(parse(sendgridFixture("batch-mixed")).events.map((e) => e.eventId)).toEqual(
      parse(sendgridFixture("batch-mixed")).events.map((e) => e.eventId),
    );
  });

  it("accepts a group id sent as a digit string, and unknown extra fields", () => {
    const [event] = sendgridEvents("group-unsubscribe");
    const { events } = parse(JSON.stringify([{ ...event, asm_group_id: "7", marketing_campaign_id: 12 }]));
    expect(events[0]?.scope).toBe("asm-7");
  });

  it("dropped `Unsubscribed Address` on a message of a group is scoped to that group", () => {
    const [event] = sendgridEvents("dropped-unsubscribed-address");
    const { events } = parse(JSON.stringify([{ ...event, asm_group_id: 42 }]));
    expect(events[0]).toMatchObject({ type: "invalid", subtype: "unsubscribed", scope: "asm-42" });
  });

  it("uses receivedAt when an event has no timestamp", () => {
    const { events } = parse(
      JSON.stringify([{ email: "a@example.org", event: "unsubscribe", sg_event_id: "x" }]),
    );
    expect(events[0]?.occurredAt).toBe(NOW.toISOString());
  });
});

describe("sendgridAdapter.parse: malformed bodies", () => {
  it.each([
    ["empty body", ""],
    ["not JSON", "[{"],
    ["a JSON object instead of an array", JSON.stringify({ email: "a@example.org", event: "bounce" })],
    ["an empty batch", "[]"],
    ["an event that is not an object", "[1]"],
    ["an event without email", JSON.stringify([{ event: "bounce", sg_event_id: "x" }])],
    ["an event without event", JSON.stringify([{ email: "a@example.org", sg_event_id: "x" }])],
    [
      "a non-numeric timestamp",
      JSON.stringify([{ email: "a@example.org", event: "open", timestamp: "yesterday" }]),
    ],
    [
      "a group_unsubscribe without asm_group_id",
      JSON.stringify([{ email: "a@example.org", event: "group_unsubscribe", sg_event_id: "x" }]),
    ],
    [
      "a group_resubscribe with a bad asm_group_id",
      JSON.stringify([
        { email: "a@example.org", event: "group_resubscribe", sg_event_id: "x", asm_group_id: "a/b" },
      ]),
    ],
  ])("%s → InputError", (_what, body) => {
    expect(() => sendgridAdapter.parse(request(body), ctx)).toThrow(InputError);
  });

  it("names the index of the bad event in the issues", () => {
    const body = JSON.stringify([{ email: "a@example.org", event: "open" }, { event: "bounce" }]);
    try {
      sendgridAdapter.parse(request(body), ctx);
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).issues).toEqual([expect.objectContaining({ path: "1.email" })]);
    }
  });

  it("never throws anything but InputError on arbitrary JSON (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          const result = sendgridAdapter.parse(request(JSON.stringify(value)), ctx);
          for (const event of result.events) NormalizedEventSchema.parse(event);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("turns arbitrary well-shaped events into valid normalized events or ignores them (property)", () => {
    const kinds = [
      "processed",
      "deferred",
      "delivered",
      "bounce",
      "dropped",
      "spamreport",
      "unsubscribe",
      "open",
    ];
    const event = fc.record({
      email: fc.oneof(fc.emailAddress(), fc.string()),
      event: fc.constantFrom(...kinds),
      timestamp: fc.integer({ min: 0, max: 4_000_000_000 }),
      sg_event_id: fc.string({ minLength: 1, maxLength: 40 }),
      type: fc.constantFrom("bounce", "blocked", "other"),
      reason: fc.string(),
      status: fc.constantFrom("5.1.1", "4.2.2", "", "550"),
      bounce_classification: fc.constantFrom("Invalid Address", "Reputation", "Content", "Unclassified", "x"),
    });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 20 }), (batch) => {
        const { events, ignored } = sendgridAdapter.parse(request(JSON.stringify(batch)), ctx);
        for (const e of events) NormalizedEventSchema.parse(e);
        expect(events.length + ignored).toBeLessThanOrEqual(batch.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe("classifySendgridBounce / classifySendgridDrop", () => {
  const smtp = (diagnostic: string | null, code: string | null = null, enhanced: string | null = null) => ({
    code,
    enhanced,
    diagnostic,
  });

  it("`type: bounce` is permanent, `type: blocked` is not, unless the reply is 5xx", () => {
    expect(classifySendgridBounce({ type: "bounce" }, smtp("mailbox unavailable"))).toMatchObject({
      type: "invalid",
    });
    expect(classifySendgridBounce({ type: "blocked" }, smtp("try later"))).toMatchObject({
      type: "soft_bounce",
    });
    expect(
      classifySendgridBounce(
        { type: "blocked" },
        smtp("550 5.7.1 Client host [192.0.2.10] blocked using zen.spamhaus.org", "550", "5.7.1"),
      ),
    ).toMatchObject({ type: "invalid", subtype: "sender_or_recipient_rejected" });
  });

  it("falls back on bounce_classification only when the reply names nothing specific", () => {
    expect(
      classifySendgridBounce(
        { type: "bounce", bounce_classification: "Invalid Address" },
        smtp("550 5.1.3 bad", "550", "5.1.3"),
      ),
    ).toMatchObject({ type: "invalid", subtype: "bad_address_format" });
    expect(
      classifySendgridBounce(
        { type: "bounce", bounce_classification: "Frequency or Volume Too High" },
        smtp("550 rejected", "550"),
      ),
    ).toMatchObject({
      type: "soft_bounce",
      reason: "speeding",
      rule: "sendgrid-classification-frequency-or-volume-too-high",
    });
    expect(
      classifySendgridBounce({ type: "bounce", bounce_classification: "Unclassified" }, smtp(null)),
    ).toMatchObject({ type: "invalid", subtype: "other", reason: "undefined" });
  });

  it.each([
    ["Bounced Address", "blocklisted"],
    ["bounced address", "blocklisted"],
    ["Spam Reporting Address", "blocklisted"],
    ["Unsubscribed Address", "unsubscribed"],
    ["Invalid", "bad_address_format"],
    ["Spam Content (if spam checker app enabled)", "spam"],
  ])("dropped %s → invalid/%s", (reason, subtype) => {
    expect(classifySendgridDrop(reason)).toMatchObject({ type: "invalid", subtype });
  });

  it.each(["Invalid SMTPAPI header", "Recipient List over Package Quota", "Expired", "", null])(
    "dropped %s is not about the recipient: ignored",
    (reason) => {
      expect(classifySendgridDrop(reason)).toBeNull();
    },
  );
});
