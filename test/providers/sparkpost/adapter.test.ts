import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../lambdas/core/errors.js";
import { type NormalizedEvent, NormalizedEventSchema } from "../../../lambdas/core/events.js";
import {
  BOUNCE_CLASSES,
  bounceClassOf,
  classifySparkPostBounce,
  classifySparkPostPolicyRejection,
  isoOfTimestamp,
  parseSparkPost,
  sparkpostAdapter,
} from "../../../lambdas/providers/sparkpost/index.js";
import {
  type VerifyContext,
  WebhookAuthError,
  type WebhookRequest,
} from "../../../lambdas/providers/types.js";

type Json = Record<string, unknown>;
const FIXTURES = fileURLToPath(new URL("../../fixtures/sparkpost/", import.meta.url));
const fixture = (name: string): Json[] =>
  JSON.parse(readFileSync(`${FIXTURES}${name}.json`, "utf8")) as Json[];
/** The one event inside a one-element fixture batch. */
const eventOf = (name: string): Json => {
  const msys = (fixture(name)[0] as { msys: Record<string, Json> }).msys;
  return Object.values(msys)[0] as Json;
};
const element = (eventClass: string, event: Json): Json => ({ msys: { [eventClass]: event } });

const context = { tenant: "acme", receivedAt: new Date("2026-11-20T10:00:00.000Z") };
const request = (body: unknown, headers: Record<string, string> = {}): WebhookRequest => ({
  rawBody: Buffer.isBuffer(body) ? body : Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
  headers,
  query: {},
});

function parse(body: unknown) {
  const result = sparkpostAdapter.parse(request(body), context);
  for (const event of result.events) expect(NormalizedEventSchema.parse(event)).toEqual(event);
  return result;
}

function parseError(body: unknown): InputError {
  try {
    parse(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected an InputError");
}

const common = {
  tenant: "acme",
  provider: "sparkpost",
  recipient: "recipient@example.com",
  occurredAt: "2026-01-01T10:00:00.000Z",
  scope: "*",
  resubscribe: false,
} as const;

describe("sparkpostAdapter.parse: one fixture per event type", () => {
  it.each<[string, Partial<NormalizedEvent>]>([
    ["injection", { type: "request", eventId: "92356927693813801", smtp: null, rule: "sparkpost-injection" }],
    ["delivery", { type: "delivered", eventId: "92356927693813802", smtp: null }],
    [
      "bounce-invalid-recipient",
      {
        type: "invalid",
        subtype: "mailbox_not_found",
        reason: "user_unknown",
        eventId: "92356927693813804",
        smtp: {
          code: "550",
          enhanced: "5.1.1",
          diagnostic:
            "550 5.1.1 <recipient@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
        },
      },
    ],
    [
      "bounce-mailbox-full",
      {
        type: "soft_bounce",
        subtype: "other",
        reason: "mailbox_full",
        smtp: expect.objectContaining({ code: "552" }),
      },
    ],
    [
      // A block says nothing about the recipient; a 5xx block is permanent (design §2.4).
      "bounce-mail-block",
      { type: "invalid", subtype: "sender_or_recipient_rejected", reason: "blocked" },
    ],
    ["bounce-soft-generic", { type: "soft_bounce", eventId: "92356927693813807" }],
    [
      "bounce-unsubscribe-reply",
      {
        type: "unsubscribe",
        subtype: null,
        reason: null,
        rule: "sparkpost-class-90",
        unsubscribeReason: null,
      },
    ],
    [
      "out-of-band",
      { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown", eventId: "92356927693813810" },
    ],
    [
      "policy-rejection",
      { type: "invalid", subtype: "blocklisted", reason: "suppressed", rule: "sparkpost-class-25" },
    ],
    [
      "spam-complaint",
      {
        type: "complaint",
        subtype: null,
        reason: null,
        feedbackType: "abuse",
        smtp: null,
        eventId: "92356927693813812",
      },
    ],
    [
      "list-unsubscribe",
      { type: "unsubscribe", rule: "sparkpost-list-unsubscribe", scope: "*", eventId: "92356927693813813" },
    ],
    [
      "link-unsubscribe",
      { type: "unsubscribe", rule: "sparkpost-link-unsubscribe", scope: "*", eventId: "92356927693813814" },
    ],
  ])("maps %s", (name, expected) => {
    // Prepare
    const body = fixture(name);
    // Act
    const result = parse(body);
    // Assess
    expect(result).toEqual({ events: [expect.objectContaining({ ...common, ...expected })], ignored: 0 });
  });

  it.each(["delay", "bounce-auto-reply", "open", "click", "generation-failure", "relay-delivery"])(
    "acknowledges %s and counts it as ignored",
    (name) => {
      expect(parse(fixture(name))).toEqual({ events: [], ignored: 1 });
    },
  );

  it.each([
    ["the ping batch", '[{"msys":{}}]'],
    ["the bare ping", '{"msys":{}}'],
  ])("answers %s with no events and nothing ignored", (_label, body) => {
    expect(parse(body)).toEqual({ events: [], ignored: 0 });
  });
});

describe("sparkpostAdapter.parse: batches", () => {
  const names = [
    "injection",
    "delivery",
    "open",
    "bounce-invalid-recipient",
    "spam-complaint",
    "link-unsubscribe",
    "ping",
    "click",
  ];

  it("fans a mixed batch out in order, counting what is outside the taxonomy", () => {
    // Prepare
    const body = names.flatMap((n) => fixture(n));
    // Act
    const result = parse(body);
    // Assess
    expect(result.events.map((e) => e.type)).toEqual([
      "request",
      "delivered",
      "invalid",
      "complaint",
      "unsubscribe",
    ]);
    expect(result.ignored).toBe(2);
  });

  it("emits an event repeated within one batch once", () => {
    const bounce = fixture("bounce-invalid-recipient");
    const result = parse([...bounce, ...bounce, ...bounce]);
    expect(result.events).toHaveLength(1);
    expect(result.ignored).toBe(0);
  });

  it("keeps one event per recipient: the same message to two recipients is two events", () => {
    const a = eventOf("bounce-invalid-recipient");
    const b = {
      ...a,
      event_id: "92356927693813899",
      rcpt_to: "other@example.org",
      raw_rcpt_to: "Other@Example.org",
    };
    const result = parse([element("message_event", a), element("message_event", b)]);
    expect(result.events.map((e) => e.recipient)).toEqual(["recipient@example.com", "other@example.org"]);
  });

  it("canonicalizes the recipient and falls back to raw_rcpt_to", () => {
    const a = { ...eventOf("delivery"), rcpt_to: " Jane.Doe@EXAMPLE.org " };
    const b = {
      ...eventOf("delivery"),
      event_id: "2",
      rcpt_to: undefined,
      raw_rcpt_to: '"Jo" <Jo@Example.ORG>',
    };
    const result = parse([element("message_event", a), element("message_event", b)]);
    expect(result.events.map((e) => e.recipient)).toEqual(["jane.doe@example.org", "jo@example.org"]);
  });

  it.each([
    ["malformed", "not an address"],
    ["missing", undefined],
  ])("skips a %s recipient and counts it as ignored", (_label, rcpt) => {
    const event = { ...eventOf("bounce-invalid-recipient"), rcpt_to: rcpt, raw_rcpt_to: rcpt };
    const result = parse([element("message_event", event), ...fixture("delivery")]);
    expect(result.events.map((e) => e.type)).toEqual(["delivered"]);
    expect(result.ignored).toBe(1);
  });

  it("reads the timestamp as unix seconds, a number or an ISO date, else uses the time received", () => {
    const at = (timestamp: unknown, id: string) =>
      element("message_event", { ...eventOf("delivery"), event_id: id, timestamp });
    const result = parse([
      at(1767261600, "a"),
      at("2026-01-02T00:00:00Z", "b"),
      at(null, "c"),
      at("1767261600.5", "d"),
    ]);
    expect(result.events.map((e) => e.occurredAt)).toEqual([
      "2026-01-01T10:00:00.000Z",
      "2026-01-02T00:00:00.000Z",
      "2026-11-20T10:00:00.000Z",
      "2026-01-01T10:00:00.500Z",
    ]);
  });

  it("keeps a not-spam complaint for the policy to ignore, and maps unknown feedback types to other", () => {
    const ev = (fbtype: unknown, id: string) =>
      element("message_event", { ...eventOf("spam-complaint"), fbtype, event_id: id });
    const result = parse([ev("not-spam", "a"), ev("auth-failure", "b"), ev(undefined, "c")]);
    expect(result.events.map((e) => e.feedbackType)).toEqual(["not-spam", "other", null]);
  });

  it("ignores unknown event types and classes", () => {
    const result = parse([
      element("message_event", { ...eventOf("delivery"), type: "sms_status" }),
      element("message_event", { ...eventOf("delivery"), type: "brand_new_type" }),
      element("ab_test_event", { type: "ab_test_completed" }),
      element("ingest_event", { type: "something" }),
    ]);
    expect(result).toEqual({ events: [], ignored: 4 });
  });
});

describe("sparkpostAdapter.parse: malformed bodies", () => {
  it.each([
    ["an empty body", ""],
    ["not JSON", "{nope"],
    ["an empty batch", "[]"],
    ["a number", "42"],
  ])("refuses %s", (_label, body) => {
    expect(parseError(body)).toBeInstanceOf(InputError);
  });

  it.each<[string, unknown, string]>([
    ["an element that is not an object", [1], "0"],
    ["an element without msys", [{ hello: "world" }], "0.msys"],
    ["msys that is not an object", [{ msys: [] }], "0.msys"],
    [
      "an event without event_id",
      [{ msys: {} }, element("message_event", { ...eventOf("delivery"), event_id: undefined })],
      "1.msys.message_event.event_id",
    ],
    [
      "an event without type",
      [element("unsubscribe_event", { ...eventOf("link-unsubscribe"), type: undefined })],
      "0.msys.unsubscribe_event.type",
    ],
    [
      "a timestamp that is not a date",
      [element("message_event", { ...eventOf("delivery"), timestamp: "yesterday" })],
      "0.msys.message_event.timestamp",
    ],
    ["an event that is not an object", [{ msys: { message_event: "bounce" } }], "0.msys.message_event"],
  ])("refuses %s, pointing at it", (_label, body, path) => {
    const error = parseError(body);
    expect(error.issues.map((i) => i.path)).toContain(path);
  });

  it("never throws anything but InputError, whatever the body", () => {
    const anyJson = fc.oneof(
      fc.json(),
      fc.array(
        fc.record({
          msys: fc.dictionary(
            fc.constantFrom("message_event", "unsubscribe_event", "track_event"),
            fc.jsonValue(),
          ),
        }),
      ),
      fc.array(
        fc.record({
          msys: fc.record({
            message_event: fc.record(
              {
                type: fc.constantFrom(
                  "bounce",
                  "out_of_band",
                  "policy_rejection",
                  "delivery",
                  "spam_complaint",
                  "x",
                ),
                event_id: fc.oneof(fc.string(), fc.integer()),
                timestamp: fc.oneof(fc.string(), fc.double(), fc.integer()),
                rcpt_to: fc.oneof(fc.string(), fc.emailAddress()),
                bounce_class: fc.oneof(
                  fc.string(),
                  fc.integer(),
                  fc.constantFrom("1", "10", "25", "60", "90"),
                ),
                error_code: fc.oneof(fc.string(), fc.integer()),
                raw_reason: fc.string(),
                fbtype: fc.string(),
              },
              { requiredKeys: [] },
            ),
          }),
        }),
      ),
    );
    fc.assert(
      fc.property(anyJson, (value) => {
        const body = typeof value === "string" ? value : JSON.stringify(value);
        try {
          const result = sparkpostAdapter.parse(request(body), context);
          for (const event of result.events) NormalizedEventSchema.parse(event);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("SparkPost bounce classes", () => {
  const noText = { code: null, enhanced: null, diagnostic: null };

  it.each<[number, string | null, string | null]>([
    [1, "soft_bounce", "other"],
    [10, "invalid", "mailbox_not_found"],
    [20, "soft_bounce", "other"],
    [21, "soft_bounce", "service_unreachable"],
    [22, "soft_bounce", "other"],
    [23, "soft_bounce", "other"],
    [24, "soft_bounce", "service_unreachable"],
    [25, "invalid", "blocklisted"],
    [26, "invalid", "blocklisted"],
    [30, "invalid", "other"],
    [40, "soft_bounce", "other"],
    [50, "soft_bounce", "ip_or_domain_rejected"],
    [51, "soft_bounce", "ip_or_domain_rejected"],
    [52, "soft_bounce", "spam_rejected"],
    [53, "soft_bounce", "other"],
    [54, "soft_bounce", "sender_or_recipient_rejected"],
  ])("class %i with no diagnostic → %s/%s under the class's rule", (code, type, subtype) => {
    const verdict = classifySparkPostBounce(bounceClassOf(String(code)), noText);
    expect(verdict).toMatchObject({ type, subtype, rule: `sparkpost-class-${code}` });
  });

  it("covers every documented class", () => {
    expect([...BOUNCE_CLASSES.keys()]).toEqual([
      1, 10, 20, 21, 22, 23, 24, 25, 26, 30, 40, 50, 51, 52, 53, 54, 60, 70, 80, 90, 100,
    ]);
    expect(BOUNCE_CLASSES.get(60)?.action).toBe("ignore");
    expect(BOUNCE_CLASSES.get(80)?.action).toBe("ignore");
    expect(BOUNCE_CLASSES.get(100)?.action).toBe("ignore");
    expect(BOUNCE_CLASSES.get(90)?.action).toBe("unsubscribe");
  });

  it.each([["60"], ["80"], ["100"]])("ignores a bounce of class %s", (cls) => {
    const event = { ...eventOf("bounce-invalid-recipient"), bounce_class: cls };
    expect(parse([element("message_event", event)])).toEqual({ events: [], ignored: 1 });
  });

  it("reads an unknown or missing class with the classifier alone", () => {
    const smtp = { code: "550", enhanced: "5.1.1", diagnostic: "550 5.1.1 user unknown" };
    expect(classifySparkPostBounce(bounceClassOf("999"), smtp)).toMatchObject({ reason: "user_unknown" });
    expect(classifySparkPostBounce(bounceClassOf(undefined), smtp)).toMatchObject({ reason: "user_unknown" });
    expect(bounceClassOf("ten")).toBeUndefined();
  });

  it("lets a diagnostic that proves a bad address win over a soft class", () => {
    const smtp = {
      code: "550",
      enhanced: "5.1.1",
      diagnostic: "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown",
    };
    expect(classifySparkPostBounce(bounceClassOf("1"), smtp)).toMatchObject({
      type: "invalid",
      reason: "user_unknown",
    });
  });

  it("keeps the class's reason when the diagnostic is generic", () => {
    const smtp = { code: "421", enhanced: "4.7.0", diagnostic: "421 4.7.0 IP not in whitelist" };
    expect(classifySparkPostBounce(bounceClassOf("51"), smtp)).toEqual({
      type: "soft_bounce",
      subtype: "ip_or_domain_rejected",
      reason: "blocked",
      rule: "sparkpost-class-51",
    });
  });

  it("does not read an admin failure that names another cause as a suppression", () => {
    const smtp = {
      code: "554",
      enhanced: "5.7.1",
      diagnostic: "554 5.7.1 [internal] Exceed Sending Limit (daily)",
    };
    const verdict = classifySparkPostBounce(bounceClassOf("25"), smtp);
    expect(verdict.reason).not.toBe("suppressed");
  });

  it.each([
    "554 [internal] Exceed Sending Limit (daily)",
    "554 [internal] Exceed Sending Limit (sandbox)",
    "554 [internal] Unconfigured Sending Domain <example.com>",
  ])("does not suppress on an admin failure naming a sender-side cause, even without a code: %s", (text) => {
    for (const cls of ["25", "26"]) {
      const verdict = classifySparkPostBounce(bounceClassOf(cls), {
        code: "554",
        enhanced: null,
        diagnostic: text,
      });
      expect(verdict).toEqual({
        type: "invalid",
        subtype: "other",
        reason: "undefined",
        rule: `sparkpost-class-${cls}`,
      });
    }
  });

  it("reads a policy rejection without class by its text", () => {
    const suppressed = {
      code: "554",
      enhanced: null,
      diagnostic: "554 5.7.1 recipient address suppressed due to customer policy",
    };
    const other = { code: null, enhanced: null, diagnostic: "Message generation rejected" };
    expect(classifySparkPostPolicyRejection(undefined, suppressed)).toMatchObject({
      subtype: "blocklisted",
      reason: "suppressed",
    });
    expect(classifySparkPostPolicyRejection(undefined, other)).toMatchObject({
      type: "invalid",
      subtype: "other",
      reason: "undefined",
    });
  });

  it("takes error_code as the reply code when the text has none", () => {
    const event = {
      ...eventOf("bounce-mailbox-full"),
      raw_reason: "Mailbox full",
      reason: "Mailbox full",
      error_code: 452,
    };
    const [result] = parse([element("message_event", event)]).events;
    expect(result?.smtp).toEqual({ code: "452", enhanced: null, diagnostic: "Mailbox full" });
  });
});

describe("isoOfTimestamp", () => {
  it.each<[string | number, string | null]>([
    ["1454442600", "2016-02-02T19:50:00.000Z"],
    [0, "1970-01-01T00:00:00.000Z"],
    ["2026-01-01T10:00:00+01:00", "2026-01-01T09:00:00.000Z"],
    ["-5", null],
    [1e20, null],
    ["", null],
    [Number.NaN, null],
  ])("%s → %s", (value, expected) => {
    expect(isoOfTimestamp(value)).toBe(expected);
  });
});

describe("sparkpostAdapter.verify: basic authentication", () => {
  const secretsOf =
    (values: Record<string, string>) =>
    (name: string): string | undefined =>
      values[name];
  const configured = secretsOf({
    SPARKPOST_WEBHOOK_USER: "sparkpost",
    SPARKPOST_WEBHOOK_PASSWORD: "s3cret:with-colon",
  });
  const ctx = (secrets = configured): VerifyContext => ({
    secrets,
    now: new Date(),
    replayGuard: async () => {
      throw new Error("SparkPost has no one-time token");
    },
  });
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const body = JSON.stringify(fixture("delivery"));

  async function refusal(req: WebhookRequest, context = ctx()): Promise<WebhookAuthError> {
    try {
      await sparkpostAdapter.verify(req, context);
    } catch (error) {
      expect(error).toBeInstanceOf(WebhookAuthError);
      return error as WebhookAuthError;
    }
    throw new Error("expected a refusal");
  }

  it("names its settings", () => {
    expect(sparkpostAdapter.provider).toBe("sparkpost");
    expect(sparkpostAdapter.secretNames).toEqual(["SPARKPOST_WEBHOOK_USER", "SPARKPOST_WEBHOOK_PASSWORD"]);
  });

  it.each([
    ["Basic", basic("sparkpost", "s3cret:with-colon")],
    ["lower-case basic", basic("sparkpost", "s3cret:with-colon").replace("Basic", "basic")],
  ])("accepts the right credentials (%s)", async (_label, authorization) => {
    await expect(sparkpostAdapter.verify(request(body, { authorization }), ctx())).resolves.toHaveProperty(
      "rawBody",
    );
  });

  it.each([
    ["a wrong password", { authorization: basic("sparkpost", "guess") }, "sparkpost-bad-credentials"],
    ["a wrong user", { authorization: basic("admin", "s3cret:with-colon") }, "sparkpost-bad-credentials"],
    [
      "a password with a suffix",
      { authorization: basic("sparkpost", "s3cret:with-colonX") },
      "sparkpost-bad-credentials",
    ],
    ["a bearer token", { authorization: "Bearer s3cret" }, "sparkpost-bad-credentials"],
    ["Basic without credentials", { authorization: "Basic " }, "sparkpost-bad-credentials"],
    ["not base64", { authorization: "Basic ***" }, "sparkpost-bad-credentials"],
    ["no Authorization header", {}, "sparkpost-missing-credentials"],
  ])("refuses %s with 401", async (_label, headers, slug) => {
    const error = await refusal(request(body, headers));
    expect(error).toMatchObject({ status: 401, slug });
  });

  it.each([
    ["SPARKPOST_WEBHOOK_USER", { SPARKPOST_WEBHOOK_PASSWORD: "p" }],
    ["SPARKPOST_WEBHOOK_PASSWORD", { SPARKPOST_WEBHOOK_USER: "u" }],
    ["SPARKPOST_WEBHOOK_USER", { SPARKPOST_WEBHOOK_USER: "  ", SPARKPOST_WEBHOOK_PASSWORD: "p" }],
  ])("refuses everything while %s is not set, naming it", async (name, values) => {
    const error = await refusal(request(body, { authorization: basic("u", "p") }), ctx(secretsOf(values)));
    expect(error).toMatchObject({ status: 401, slug: "sparkpost-not-configured" });
    expect(error.message).toContain(name);
  });

  it("parses what it verified through parseSparkPost as well", () => {
    expect(parseSparkPost(Buffer.from(body), context).events).toHaveLength(1);
  });
});
