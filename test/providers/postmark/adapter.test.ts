import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { InputError } from "../../../lambdas/core/errors.js";
import { type NormalizedEvent, NormalizedEventSchema } from "../../../lambdas/core/events.js";
import {
  POSTMARK_BOUNCE_TYPES,
  POSTMARK_TYPE_CODES,
  POSTMARK_WEBHOOK_PASSWORD,
  POSTMARK_WEBHOOK_USER,
  postmarkAdapter,
} from "../../../lambdas/providers/postmark/index.js";
import { basicCredentials } from "../../../lambdas/providers/shared/basic-auth.js";
import {
  type VerifyContext,
  WebhookAuthError,
  type WebhookRequest,
} from "../../../lambdas/providers/types.js";

type Json = Record<string, unknown>;

const FIXTURES = new URL("../../fixtures/postmark/", import.meta.url);
/** The exact bytes of `test/fixtures/postmark/<name>.json` (big `ID`s keep their digits). */
const fixtureText = (name: string): string => readFileSync(new URL(`${name}.json`, FIXTURES), "utf8");
/** The fixture as an object (only for fixtures whose ids fit a number). */
const fixture = (name: string): Json => JSON.parse(fixtureText(name)) as Json;

const RECEIVED_AT = new Date("2026-11-20T10:00:00.000Z");
const request = (body: string | Buffer, headers: Record<string, string> = {}): WebhookRequest => ({
  rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8"),
  headers,
  query: {},
});

/** Parses a body and checks every event against the normalized schema. */
function parse(body: string | Json | unknown[]) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const result = postmarkAdapter.parse(request(text), { tenant: "acme", receivedAt: RECEIVED_AT });
  for (const event of result.events) expect(NormalizedEventSchema.parse(event)).toEqual(event);
  return result;
}

const parseError = (body: string | Buffer): InputError => {
  try {
    postmarkAdapter.parse(request(body), { tenant: "acme", receivedAt: RECEIVED_AT });
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
};

// ── verify ───────────────────────────────────────────────────────────────────────────────────────

const USER = "postmark-hook";
const PASSWORD = "c0rrect-horse:battery staple";
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;

function verifyContext(
  secrets: Record<string, string> = {},
): VerifyContext & { guard: ReturnType<typeof vi.fn> } {
  const all: Record<string, string> = {
    [POSTMARK_WEBHOOK_USER]: USER,
    [POSTMARK_WEBHOOK_PASSWORD]: PASSWORD,
    ...secrets,
  };
  const guard = vi.fn(async () => true);
  return { secrets: (name) => all[name], now: RECEIVED_AT, replayGuard: guard, guard };
}

async function refusal(req: WebhookRequest, ctx = verifyContext()): Promise<WebhookAuthError> {
  try {
    await postmarkAdapter.verify(req, ctx);
  } catch (error) {
    if (error instanceof WebhookAuthError) return error;
    throw error;
  }
  throw new Error("expected a WebhookAuthError");
}

describe("postmarkAdapter.verify (basic auth)", () => {
  const body = fixtureText("bounce-hard");

  it("accepts the configured user and password, whatever the scheme's case, without a replay claim", async () => {
    // Prepare
    const ctx = verifyContext();
    // Act
    await postmarkAdapter.verify(request(body, { authorization: basic(USER, PASSWORD) }), ctx);
    await postmarkAdapter.verify(
      request(body, { authorization: basic(USER, PASSWORD).replace("Basic", "basic") }),
      ctx,
    );
    // Assess: Postmark has no one-time token, so nothing is claimed
    expect(ctx.guard).not.toHaveBeenCalled();
  });

  it.each<[string, Record<string, string>, string]>([
    ["no Authorization header", {}, "postmark-missing-credentials"],
    ["an empty Authorization header", { authorization: "  " }, "postmark-missing-credentials"],
    ["a bearer token", { authorization: `Bearer ${PASSWORD}` }, "postmark-bad-credentials"],
    [
      "basic auth without a colon",
      { authorization: `Basic ${Buffer.from(USER).toString("base64")}` },
      "postmark-bad-credentials",
    ],
    ["basic auth that is not base64", { authorization: "Basic !!!" }, "postmark-bad-credentials"],
    ["the wrong user", { authorization: basic("someone-else", PASSWORD) }, "postmark-bad-credentials"],
    ["the wrong password", { authorization: basic(USER, "guess") }, "postmark-bad-credentials"],
    ["user and password swapped", { authorization: basic(PASSWORD, USER) }, "postmark-bad-credentials"],
    [
      "a password with a trailing byte",
      { authorization: basic(USER, `${PASSWORD}x`) },
      "postmark-bad-credentials",
    ],
    [
      "two Authorization headers joined",
      { authorization: `${basic(USER, PASSWORD)}, ${basic(USER, PASSWORD)}` },
      "postmark-bad-credentials",
    ],
  ])("refuses %s with 403", async (_name, headers, slug) => {
    // Act
    const error = await refusal(request(body, headers));
    // Assess
    expect(error).toMatchObject({ status: 403, slug });
  });

  it.each([POSTMARK_WEBHOOK_USER, POSTMARK_WEBHOOK_PASSWORD])(
    "refuses every request with 403 naming %s when it is not set",
    async (name) => {
      // Prepare
      const ctx = verifyContext({ [name]: "" });
      // Act
      const error = await refusal(request(body, { authorization: basic(USER, PASSWORD) }), ctx);
      // Assess
      expect(error).toMatchObject({ status: 403, slug: "postmark-not-configured" });
      expect(error.message).toContain(name);
    },
  );

  it("refuses any credentials but the configured ones (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (user, password) => {
        fc.pre(!(user === USER && password === PASSWORD) && !user.includes(":"));
        const error = await refusal(request(body, { authorization: basic(user, password) }));
        expect(error.status).toBe(403);
      }),
      { numRuns: 200 },
    );
  });

  it("never throws anything but a 403 refusal for an arbitrary header (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (header) => {
        const error = await refusal(request(body, { authorization: header }));
        expect(error.status).toBe(403);
      }),
      { numRuns: 300 },
    );
  });

  it("reads user and password split at the first colon", () => {
    expect(basicCredentials(basic("u", "p:a:ss"))).toEqual({ user: "u", password: "p:a:ss" });
    expect(basicCredentials(undefined)).toBeNull();
  });
});

// ── parse: one fixture per record type ──────────────────────────────────────────────────────────

describe("postmarkAdapter.parse: fixtures", () => {
  it.each<[string, Partial<NormalizedEvent>[], number]>([
    [
      "bounce-hard",
      [
        {
          tenant: "acme",
          provider: "postmark",
          recipient: "john.doe@example.com",
          type: "invalid",
          subtype: "mailbox_not_found",
          reason: "user_unknown",
          eventId: "4323372036854775807",
          occurredAt: "2019-11-05T16:33:54.907Z",
          scope: "*",
          smtp: {
            code: "550",
            enhanced: "5.1.1",
            diagnostic: expect.stringMatching(/^smtp;550 5\.1\.1 The email account/),
          },
          feedbackType: null,
          unsubscribeReason: null,
          resubscribe: false,
        },
      ],
      0,
    ],
    [
      "bounce-hard-test",
      [
        {
          recipient: "john@example.com",
          type: "invalid",
          subtype: "mailbox_not_found",
          reason: "user_unknown",
          rule: "postmark-hard-bounce",
          eventId: "42",
          occurredAt: "2014-08-01T17:28:10.273Z",
          smtp: { code: null, enhanced: null, diagnostic: "Test bounce details" },
        },
      ],
      0,
    ],
    [
      "bounce-soft-mailbox-full",
      [
        {
          recipient: "full.mailbox@example.org",
          type: "soft_bounce",
          subtype: "other",
          reason: "mailbox_full",
          eventId: "3719297970",
          smtp: { code: "452", enhanced: "4.2.2", diagnostic: expect.any(String) },
        },
      ],
      0,
    ],
    [
      "bounce-transient",
      [
        {
          recipient: "slow.host@example.org",
          type: "soft_bounce",
          subtype: "service_unreachable",
          reason: "network_error",
          rule: "postmark-transient",
        },
      ],
      0,
    ],
    [
      "bounce-blocked",
      [
        {
          recipient: "blocked@example.net",
          type: "invalid",
          subtype: "sender_or_recipient_rejected",
          scope: "*",
        },
      ],
      0,
    ],
    [
      "bounce-bad-email-address",
      [
        {
          recipient: "no.such.mailbox@example.com",
          type: "invalid",
          subtype: "bad_address_format",
          reason: "bad_address_format",
          rule: "postmark-bad-email-address",
        },
      ],
      0,
    ],
    ["bounce-unsubscribe-no-email", [], 1],
    ["bounce-autoresponder", [], 1],
    [
      "spam-complaint",
      [
        {
          recipient: "complainer@example.com",
          type: "complaint",
          subtype: null,
          reason: null,
          rule: "postmark-spam-complaint",
          eventId: "3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a#SpamComplaint",
          feedbackType: null,
          scope: "*",
          smtp: null,
        },
      ],
      0,
    ],
    [
      "subscription-change-unsubscribe",
      [
        {
          recipient: "reader@example.org",
          type: "unsubscribe",
          rule: "postmark-unsubscribed",
          scope: "stream-broadcast",
          resubscribe: false,
          occurredAt: "2020-02-01T10:53:34.416Z",
          eventId:
            "4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b#SubscriptionChange#2020-02-01T10:53:34.416071Z#broadcast",
        },
      ],
      0,
    ],
    [
      "subscription-change-reactivated",
      [
        {
          recipient: "reader@example.org",
          type: "unsubscribe",
          rule: "postmark-reactivated",
          scope: "stream-broadcast",
          resubscribe: true,
          eventId: "-#SubscriptionChange#2020-02-03T08:00:00.000000Z#broadcast",
        },
      ],
      0,
    ],
    [
      "subscription-change-hard-bounce",
      [
        {
          recipient: "hard-bounce@example.com",
          type: "invalid",
          subtype: "blocklisted",
          reason: "suppressed",
          rule: "postmark-suppressed-hard-bounce",
          scope: "*",
        },
      ],
      0,
    ],
    [
      "subscription-change-spam-complaint",
      [
        {
          recipient: "complainer@example.net",
          type: "complaint",
          rule: "postmark-suppressed-spam-complaint",
          scope: "*",
        },
      ],
      0,
    ],
    [
      "subscription-change-manual-customer",
      [
        {
          recipient: "do-not-mail@example.com",
          type: "unsubscribe",
          rule: "postmark-manual-suppression",
          scope: "*",
          resubscribe: false,
        },
      ],
      0,
    ],
    [
      "delivery",
      [
        {
          recipient: "john@example.com",
          type: "delivered",
          rule: "postmark-delivery",
          eventId: "883953f4-6105-42a2-a16a-77a8eac79483#Delivery",
          scope: "*",
          smtp: null,
        },
      ],
      0,
    ],
    ["open", [], 1],
    ["click", [], 1],
  ])("%s", (name, expected, ignored) => {
    // Act
    const result = parse(fixtureText(name));
    // Assess
    expect(result.ignored).toBe(ignored);
    expect(result.events).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(result.events[i]).toMatchObject(e);
    });
  });

  it("keeps every digit of an int64 bounce ID, and ignores an `ID` inside Metadata", () => {
    const [event] = parse(fixtureText("bounce-hard")).events;
    expect(event?.eventId).toBe("4323372036854775807");
    expect(Number.isSafeInteger(Number(event?.eventId))).toBe(false);
  });

  it("reads a Bounces API page (import backfill) as bounces", () => {
    const result = parse(fixtureText("bounces-api-page"));
    expect(result.events.map((e) => [e.recipient, e.type, e.subtype, e.eventId])).toEqual([
      ["zaphod@example.com", "invalid", "mailbox_not_found", "692560173"],
      ["arthur@example.org", "soft_bounce", "service_unreachable", "676862817"],
    ]);
  });
});

// ── parse: every bounce Type ─────────────────────────────────────────────────────────────────────

const bounceOf = (fields: Json): Json => ({
  ...fixture("bounce-hard-test"),
  MessageStream: "broadcast",
  Details: "",
  Inactive: false,
  ...fields,
});

describe("postmarkAdapter.parse: every bounce Type", () => {
  type Outcome = (Pick<NormalizedEvent, "type" | "subtype" | "reason"> & { scope?: string }) | "ignored";
  const table: [string, Outcome][] = [
    ["HardBounce", { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" }],
    ["Transient", { type: "soft_bounce", subtype: "service_unreachable", reason: "network_error" }],
    ["Unsubscribe", { type: "unsubscribe", subtype: null, reason: null, scope: "stream-broadcast" }],
    ["Subscribe", "ignored"],
    ["AutoResponder", "ignored"],
    ["AddressChange", "ignored"],
    ["DnsError", { type: "soft_bounce", subtype: "service_unreachable", reason: "network_error" }],
    ["SpamNotification", { type: "soft_bounce", subtype: "spam_rejected", reason: "spam_detected" }],
    ["OpenRelayTest", "ignored"],
    ["Unknown", { type: "soft_bounce", subtype: "other", reason: "undefined" }],
    ["SoftBounce", { type: "soft_bounce", subtype: "other", reason: "undefined" }],
    ["VirusNotification", { type: "soft_bounce", subtype: "spam_rejected", reason: "virus_detected" }],
    ["ChallengeVerification", "ignored"],
    ["BadEmailAddress", { type: "invalid", subtype: "bad_address_format", reason: "bad_address_format" }],
    ["SpamComplaint", { type: "complaint", subtype: null, reason: null, scope: "*" }],
    ["ManuallyDeactivated", { type: "invalid", subtype: "blocklisted", reason: "suppressed" }],
    ["Unconfirmed", "ignored"],
    ["Blocked", { type: "soft_bounce", subtype: "ip_or_domain_rejected", reason: "blocked" }],
    ["SMTPApiError", "ignored"],
    ["InboundError", "ignored"],
    ["DMARCPolicy", { type: "soft_bounce", subtype: "ip_or_domain_rejected", reason: "auth_failure" }],
    ["TemplateRenderingFailed", "ignored"],
  ];

  it("covers every type Postmark documents, and each TypeCode names one", () => {
    expect(table.map(([type]) => type).sort()).toEqual([...POSTMARK_BOUNCE_TYPES.keys()].sort());
    expect([...POSTMARK_TYPE_CODES.values()].sort()).toEqual([...POSTMARK_BOUNCE_TYPES.keys()].sort());
  });

  it.each(table)("%s (no details)", (type, outcome) => {
    // Act
    const result = parse(bounceOf({ Type: type }));
    // Assess
    if (outcome === "ignored") {
      expect(result).toEqual({ events: [], ignored: 1 });
      return;
    }
    expect(result.ignored).toBe(0);
    expect(result.events).toEqual([expect.objectContaining({ scope: "*", eventId: "42", ...outcome })]);
  });

  it.each([...POSTMARK_TYPE_CODES].map(([code, type]) => [String(code), type]))(
    "reads TypeCode %s as %s when Type is missing",
    (code, type) => {
      const byCode = parse(bounceOf({ Type: undefined, TypeCode: Number(code) }));
      const byType = parse(bounceOf({ Type: type }));
      expect(byCode).toEqual(byType);
    },
  );

  it("prefers Type over TypeCode (Postmark's SpamComplaint example carries TypeCode 512)", () => {
    const [event] = parse(bounceOf({ Type: "SpamComplaint", TypeCode: 512 })).events;
    expect(event).toMatchObject({ type: "complaint" });
  });

  it("reads an unrecognized Type like Unknown: soft, unless the reply says more", () => {
    expect(parse(bounceOf({ Type: "SomethingNew", TypeCode: 999999 })).events[0]).toMatchObject({
      type: "soft_bounce",
      subtype: "other",
      rule: "postmark-unrecognized-type",
    });
    expect(
      parse(bounceOf({ Type: "SomethingNew", Details: "550 5.1.1 <a@example.com>: User unknown" })).events[0],
    ).toMatchObject({ type: "invalid", subtype: "mailbox_not_found" });
  });

  it("lets Details refine the type, and cross-checks it", () => {
    // A soft bounce whose reply is a permanent user-unknown is invalid; a hard bounce for a full mailbox is soft.
    expect(
      parse(bounceOf({ Type: "SoftBounce", Details: "smtp;550 5.1.1 No such user here" })).events[0],
    ).toMatchObject({ type: "invalid", reason: "user_unknown" });
    expect(
      parse(bounceOf({ Type: "HardBounce", Details: "smtp;552 5.2.2 Mailbox full" })).events[0],
    ).toMatchObject({ type: "soft_bounce", reason: "mailbox_full" });
    expect(
      parse(
        bounceOf({ Type: "DnsError", Details: "smtp;550 Host or domain name not found. Name service error" }),
      ).events[0],
    ).toMatchObject({ type: "invalid", subtype: "server_unreachable" });
  });

  it("never classifies Postmark's fixed Description", () => {
    const [event] = parse(
      bounceOf({
        Type: "SoftBounce",
        Description: "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
      }),
    ).events;
    expect(event).toMatchObject({ type: "soft_bounce", reason: "undefined" });
  });

  it("makes a soft type permanent when Postmark deactivated the address (Inactive)", () => {
    expect(parse(bounceOf({ Type: "Blocked", Inactive: true })).events[0]).toMatchObject({
      type: "invalid",
      subtype: "sender_or_recipient_rejected",
      reason: "blocked",
    });
    expect(parse(bounceOf({ Type: "DMARCPolicy", Inactive: true })).events[0]).toMatchObject({
      type: "invalid",
      subtype: "sender_or_recipient_rejected",
      reason: "auth_failure",
    });
  });

  it("scopes an Unsubscribe bounce to its stream, and the default stream to all mail", () => {
    expect(parse(bounceOf({ Type: "Unsubscribe", MessageStream: "outbound" })).events[0]).toMatchObject({
      type: "unsubscribe",
      scope: "*",
    });
    expect(parse(bounceOf({ Type: "Unsubscribe", MessageStream: undefined })).events[0]).toMatchObject({
      scope: "*",
    });
  });
});

// ── parse: subscription changes, batches, bad input ──────────────────────────────────────────────

describe("postmarkAdapter.parse: subscription changes", () => {
  it("gives an unsubscribe and a later reactivation of the same message different ids", () => {
    const unsubscribe = fixture("subscription-change-unsubscribe");
    const reactivate = {
      ...unsubscribe,
      SuppressSending: false,
      ChangedAt: "2020-02-05T00:00:00Z",
      Tag: null,
    };
    const result = parse([unsubscribe, reactivate]);
    expect(result.events.map((e) => [e.type, e.resubscribe, e.scope])).toEqual([
      ["unsubscribe", false, "stream-broadcast"],
      ["unsubscribe", true, "stream-broadcast"],
    ]);
    expect(result.events[0]?.eventId).not.toBe(result.events[1]?.eventId);
  });

  it("reactivates in the stream's scope whatever the suppression reason was", () => {
    const event = parse({
      ...fixture("subscription-change-hard-bounce"),
      SuppressSending: false,
      MessageStream: "billing",
    }).events[0];
    expect(event).toMatchObject({ type: "unsubscribe", resubscribe: true, scope: "stream-billing" });
  });
});

describe("postmarkAdapter.parse: batches and bad input", () => {
  it("emits a record repeated in one body once", () => {
    const record = fixture("delivery");
    expect(parse([record, record, fixture("open")])).toMatchObject({
      ignored: 1,
      events: [{ type: "delivered" }],
    });
  });

  it("skips and counts a malformed recipient", () => {
    const result = parse([
      { ...fixture("delivery"), Recipient: "not an address" },
      fixture("spam-complaint"),
    ]);
    expect(result.ignored).toBe(1);
    expect(result.events.map((e) => e.type)).toEqual(["complaint"]);
  });

  it("uses receivedAt when a bounce has no BouncedAt", () => {
    expect(parse(bounceOf({ BouncedAt: null })).events[0]?.occurredAt).toBe(RECEIVED_AT.toISOString());
  });

  it.each<[string, string, string[]]>([
    ["an empty body", "", []],
    ["a body that is not JSON", '{"RecordType":', []],
    ["an empty array", "[]", []],
    ["an empty Bounces page", '{"TotalCount":0,"Bounces":[]}', []],
    ["a JSON string", '"Bounce"', [""]],
    ["an inbound message (no RecordType)", '{"From":"a@example.com","TextBody":"hi"}', ["RecordType"]],
    ["a bounce without ID", JSON.stringify({ ...fixture("bounce-hard-test"), ID: undefined }), ["ID"]],
    ["a bounce with a fractional ID", JSON.stringify({ ...fixture("bounce-hard-test"), ID: 4.5 }), ["ID"]],
    [
      "a bounce with a bad date",
      JSON.stringify({ ...fixture("bounce-hard-test"), BouncedAt: "yesterday" }),
      ["BouncedAt"],
    ],
    [
      "a subscription change without SuppressSending",
      JSON.stringify({ ...fixture("subscription-change-unsubscribe"), SuppressSending: "yes" }),
      ["SuppressSending"],
    ],
    [
      "a stream that cannot be a scope",
      JSON.stringify({ ...fixture("subscription-change-unsubscribe"), MessageStream: "a/b" }),
      ["MessageStream"],
    ],
    [
      "a batch with one bad record",
      JSON.stringify([fixture("delivery"), { RecordType: "Delivery" }]),
      ["1.MessageID", "1.Recipient"],
    ],
  ])("refuses %s with an InputError", (_name, body, paths) => {
    const error = parseError(body);
    for (const path of paths) expect(error.issues.map((i) => i.path)).toContain(path);
  });

  it("never throws anything but InputError, and only emits valid events (property)", () => {
    const record = fc.record(
      {
        RecordType: fc.constantFrom("Bounce", "SpamComplaint", "SubscriptionChange", "Delivery", "Open", "X"),
        ID: fc.oneof(fc.nat(), fc.string()),
        Type: fc.constantFrom(...POSTMARK_BOUNCE_TYPES.keys(), "Nope"),
        TypeCode: fc.integer(),
        MessageID: fc.option(fc.uuid()),
        MessageStream: fc.option(fc.constantFrom("outbound", "broadcast", "x y", "")),
        Email: fc.option(fc.oneof(fc.emailAddress(), fc.string())),
        Recipient: fc.oneof(fc.emailAddress(), fc.string()),
        Details: fc.option(fc.string()),
        BouncedAt: fc.option(fc.constantFrom("2024-01-01T00:00:00Z", "nope")),
        ChangedAt: fc.constantFrom("2024-01-01T00:00:00.1234567Z", "x"),
        SuppressSending: fc.boolean(),
        SuppressionReason: fc.option(fc.constantFrom("HardBounce", "SpamComplaint", "ManualSuppression")),
        Inactive: fc.option(fc.boolean()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(record, fc.array(record, { maxLength: 5 }), fc.jsonValue()), (body) => {
        try {
          parse(JSON.stringify(body) ?? "");
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
