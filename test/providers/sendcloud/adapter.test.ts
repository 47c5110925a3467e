import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../lambdas/core/errors.js";
import { type NormalizedEvent, NormalizedEventSchema } from "../../../lambdas/core/events.js";
import { typeFor } from "../../../lambdas/core/taxonomy.js";
import {
  canonicalFields,
  classifySendCloudBounce,
  listItems,
  SENDCLOUD_APP_KEY,
  SENDCLOUD_MAX_AGE_SECONDS,
  SUBSTAT_ROWS,
  sendcloudAdapter,
  sendcloudKind,
} from "../../../lambdas/providers/sendcloud/index.js";
import type { ReplayGuard, WebhookRequest } from "../../../lambdas/providers/types.js";
import { WebhookAuthError } from "../../../lambdas/providers/types.js";
import {
  FIXTURES,
  FORM,
  newAppKey,
  newToken,
  type SendCloudFields,
  sendcloudFixture,
  sendcloudSignatureOf,
  signSendCloud,
  toForm,
} from "../../fixtures/sendcloud/support.js";

const ctx = { tenant: "acme", receivedAt: new Date("2026-11-24T12:00:00Z") };

const formRequest = (fields: SendCloudFields | string): WebhookRequest => ({
  rawBody: Buffer.from(typeof fields === "string" ? fields : toForm(fields)),
  headers: { "content-type": FORM },
  query: {},
});

const jsonRequest = (body: unknown): WebhookRequest => ({
  rawBody: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
  headers: { "content-type": "application/json" },
  query: {},
});

function parse(request: WebhookRequest) {
  const result = sendcloudAdapter.parse(request, ctx);
  for (const event of result.events) expect(NormalizedEventSchema.parse(event)).toEqual(event);
  return result;
}

const parseFixture = (name: string) => parse(formRequest(sendcloudFixture(name)));

/** An in-memory replay guard like the store's: same token + same body passes, another body does not. */
function memoryGuard() {
  const seen = new Map<string, string>();
  const calls: { token: string; expiresAt: number }[] = [];
  let body = "";
  const guard: ReplayGuard = async (provider, token, expiresAt) => {
    calls.push({ token, expiresAt });
    const key = `${provider}|${token}`;
    const before = seen.get(key);
    if (before !== undefined) return before === body;
    seen.set(key, body);
    return true;
  };
  return { guard, calls, forBody: (b: string) => (body = b) };
}

describe("sendcloudAdapter.parse: one fixture per event type and spelling", () => {
  it.each(FIXTURES)("%s → %s ×%i", (name, type, count) => {
    // Act
    const { events, ignored } = parseFixture(name);
    // Assess
    expect(events).toHaveLength(count);
    expect(ignored).toBe(type === "ignored" ? 1 : 0);
    for (const event of events) {
      expect(event).toMatchObject({ type, provider: "sendcloud", tenant: "acme", scope: "*" });
      expect(event.occurredAt).toBe("2026-02-12T18:26:12.000Z");
    }
  });

  it.each<[string, Partial<NormalizedEvent>]>([
    ["deliver", { type: "delivered", rule: "sendcloud-deliver", recipient: "jdoe@example.org", smtp: null }],
    ["report_spam", { type: "complaint", rule: "sendcloud-report-spam", feedbackType: null }],
    [
      "unsubscribe",
      {
        type: "unsubscribe",
        rule: "sendcloud-unsubscribe",
        scope: "*",
        unsubscribeReason: null,
        resubscribe: false,
      },
    ],
    [
      "invalid-406",
      {
        type: "invalid",
        subtype: "mailbox_not_found",
        reason: "user_unknown",
        smtp: {
          code: "550",
          enhanced: "5.1.1",
          diagnostic:
            "550 5.1.1 <jdoe@example.org>: Recipient address rejected: User unknown in virtual mailbox table\naddress does not exist",
        },
      },
    ],
    [
      "invalid-405",
      {
        type: "invalid",
        subtype: "sender_or_recipient_rejected",
        reason: "blocked",
        rule: "sendcloud-substat-405",
      },
    ],
    [
      "invalid-401",
      { type: "invalid", subtype: "blocklisted", reason: "suppressed", rule: "sendcloud-substat-401" },
    ],
    [
      "invalid-402",
      { type: "invalid", subtype: "unsubscribed", reason: "unsubscribed", rule: "sendcloud-substat-402" },
    ],
    [
      "invalid_email-overview",
      { type: "invalid", subtype: "mailbox_not_found", recipient: "jdoe@example.org" },
    ],
    [
      "soft_bounce-505",
      {
        type: "soft_bounce",
        subtype: "ip_or_domain_rejected",
        smtp: expect.objectContaining({ code: "421" }),
      },
    ],
    ["soft_bounce-509", { type: "soft_bounce", subtype: "other", reason: "mailbox_full" }],
    [
      "soft_bounce-lowercase",
      { type: "soft_bounce", subtype: "service_unreachable", recipient: "jdoe@example.org" },
    ],
  ])("%s", (name, expected) => {
    // Act
    const { events } = parseFixture(name);
    // Assess
    expect(events[0]).toMatchObject(expected);
  });

  it("fans a `request` out to one event per recipient, with each recipient's emailId", () => {
    // Prepare
    const fields = sendcloudFixture("request");
    const ids = JSON.parse(String(fields.emailIds)) as string[];
    // Act
    const { events } = parseFixture("request");
    // Assess
    expect(events.map((e) => e.recipient)).toEqual(["jdoe@example.org", "ann.lee@example.com"]);
    expect(events.map((e) => e.eventId)).toEqual([`${ids[0]}#request`, `${ids[1]}#request`]);
    expect(events.every((e) => e.rule === "sendcloud-request")).toBe(true);
  });

  it.each([
    ["a JSON list", '["a@example.org","b@example.org"]'],
    ["a Java-style list", "[a@example.org, b@example.org]"],
    ["a separated string", "a@example.org;b@example.org"],
  ])("reads recipientArray as %s", (_, list) => {
    // Prepare
    const fields = sendcloudFixture("request");
    fields.recipientArray = list;
    delete fields.emailIds;
    // Act
    const { events } = parse(formRequest(fields));
    // Assess
    expect(events.map((e) => e.recipient)).toEqual(["a@example.org", "b@example.org"]);
    expect(events[0]?.eventId).toBe(`${fields.messageId}#a@example.org#request`);
  });

  it("emits a recipient repeated in one request once, and skips malformed ones (counted)", () => {
    // Prepare
    const fields = sendcloudFixture("request");
    fields.recipientArray = JSON.stringify(["a@example.org", "A@Example.org", "not an address"]);
    delete fields.emailIds;
    // Act
    const { events, ignored } = parse(formRequest(fields));
    // Assess
    expect(events.map((e) => e.recipient)).toEqual(["a@example.org"]);
    expect(ignored).toBe(1);
  });

  it("takes the recipient from the emailId when the event has no recipient field", () => {
    // Prepare
    const fields = sendcloudFixture("report_spam");
    delete fields.recipient;
    // Act
    const { events } = parse(formRequest(fields));
    // Assess
    expect(events[0]?.recipient).toBe("jdoe@example.org");
  });

  it("accepts a JSON body (the English overview's format) and a JSON array on import", () => {
    // Prepare
    const one = sendcloudFixture("invalid-406");
    const two = sendcloudFixture("unsubscribe");
    // Act
    const single = parse(jsonRequest(one));
    const array = parse(jsonRequest([one, two, sendcloudFixture("open")]));
    // Assess
    expect(single.events).toHaveLength(1);
    expect(array.events.map((e) => e.type)).toEqual(["invalid", "unsubscribe"]);
    expect(array.ignored).toBe(1);
  });

  it("uses emailId + event as the id, the same for every retry (new token, new timestamp)", () => {
    // Prepare
    const key = newAppKey();
    const first = signSendCloud(sendcloudFixture("invalid-406"), key);
    const retry = signSendCloud(sendcloudFixture("invalid-406"), key, { timestamp: Date.now() + 180_000 });
    // Act
    const a = parse(formRequest(first)).events[0];
    const b = parse(formRequest(retry)).events[0];
    // Assess
    expect(a?.eventId).toBe(`${sendcloudFixture("invalid-406").emailId}#invalid`);
    expect(b?.eventId).toBe(a?.eventId);
  });

  it("gives the same event the same id whatever SendCloud page's spelling it came in", () => {
    const a = parseFixture("report_spam").events[0];
    const b = parseFixture("spam-report-overview").events[0];
    expect(b?.eventId).toBe(a?.eventId);
  });

  it("reads an unsubscribe reason given by id or label", () => {
    const fields = sendcloudFixture("unsubscribe");
    fields.reason = "这不是我订阅的";
    expect(parse(formRequest(fields)).events[0]?.unsubscribeReason).toBe("not_subscribed");
  });

  it("never uses the API_USER as the tenant", () => {
    const fields = sendcloudFixture("deliver");
    fields.apiUser = "other_tenant";
    expect(parse(formRequest(fields)).events[0]?.tenant).toBe("acme");
  });

  it("counts an event without any recipient as ignored", () => {
    const fields = sendcloudFixture("deliver");
    delete fields.recipient;
    fields.emailId = "no-recipient-here";
    expect(parse(formRequest(fields))).toEqual({ events: [], ignored: 1 });
  });
});

describe("sendcloudAdapter.parse: malformed input → InputError", () => {
  it.each<[string, WebhookRequest]>([
    ["an empty body", formRequest("")],
    ["malformed JSON", jsonRequest("{ this is not json")],
    ["a form without `event`", formRequest("recipient=jdoe%40example.org&emailId=x")],
    ["an empty JSON array (empty batch)", jsonRequest([])],
    ["a JSON array with a non-object", jsonRequest([1])],
    ["a request with no recipients", formRequest({ ...sendcloudFixture("request"), recipientArray: "[]" })],
    ["a non-numeric timestamp", formRequest({ ...sendcloudFixture("deliver"), timestamp: "yesterday" })],
    [
      "an event with nothing to identify it",
      formRequest({ event: "deliver", recipient: "jdoe@example.org" }),
    ],
  ])("%s", (_, request) => {
    expect(() => sendcloudAdapter.parse(request, ctx)).toThrow(InputError);
  });

  it("never throws anything but InputError on arbitrary bytes (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          for (const request of [formRequest(text), jsonRequest(text)]) {
            try {
              const result = sendcloudAdapter.parse(request, ctx);
              for (const event of result.events) NormalizedEventSchema.parse(event);
            } catch (error) {
              expect(error).toBeInstanceOf(InputError);
            }
          }
        },
      ),
    );
  });
});

describe("subStat codes → type / subtype / reason (docs/providers/sendcloud.md §6)", () => {
  const CODES: readonly [string, "invalid" | "soft_bounce", string, string][] = [
    ["401", "invalid", "blocklisted", "suppressed"],
    ["402", "invalid", "unsubscribed", "unsubscribed"],
    ["403", "invalid", "server_unreachable", "host_unknown"],
    ["404", "invalid", "bad_address_format", "bad_address_format"],
    ["405", "invalid", "sender_or_recipient_rejected", "blocked"],
    ["406", "invalid", "mailbox_not_found", "user_unknown"],
    ["407", "invalid", "spam", "spam_detected"],
    ["408", "invalid", "sender_or_recipient_rejected", "rejected"],
    ["409", "invalid", "other", "undefined"],
    ["503", "soft_bounce", "service_unreachable", "system_error"],
    ["505", "soft_bounce", "ip_or_domain_rejected", "blocked"],
    ["506", "soft_bounce", "mailbox_not_found", "suspend"],
    ["507", "soft_bounce", "spam_rejected", "spam_detected"],
    ["508", "soft_bounce", "sender_or_recipient_rejected", "rejected"],
    ["509", "soft_bounce", "other", "undefined"],
  ];

  it.each(CODES)("%s without a diagnostic → %s/%s (%s)", (code, kind, subtype, reason) => {
    // Act
    const verdict = classifySendCloudBounce(kind, code, null);
    // Assess
    expect(verdict).toEqual({ type: kind, subtype, reason, rule: `sendcloud-substat-${code}` });
    expect(typeFor(verdict.reason, kind === "invalid")).toEqual({ type: kind, subtype });
  });

  it("covers every row of the table, each consistent with design.md §2.4", () => {
    expect([...SUBSTAT_ROWS.keys()].sort()).toEqual(CODES.map(([c]) => c).sort());
    for (const row of SUBSTAT_ROWS.values()) {
      expect(typeFor(row.reason, row.type === "invalid")).toEqual({ type: row.type, subtype: row.subtype });
    }
  });

  it.each<[string, "invalid" | "soft_bounce", string, string]>([
    ["406", "invalid", "550 5.1.6 Recipient addresses has moved", "has_moved"],
    ["408", "invalid", "550 5.7.1 Relaying denied", "no_relaying"],
    ["503", "soft_bounce", "421 4.4.2 Connection timed out", "expired"],
    ["505", "soft_bounce", "421 4.7.0 Too many connections from your IP", "too_many_conn"],
    ["509", "soft_bounce", "452 4.2.2 Mailbox full", "mailbox_full"],
  ])("%s refines its reason from the diagnostic %s: %s", (code, kind, cause, reason) => {
    // Act
    const verdict = classifySendCloudBounce(kind, code, { code: null, enhanced: null, diagnostic: cause });
    // Assess
    expect(verdict.reason).toBe(reason);
    expect(verdict.subtype).toBe(SUBSTAT_ROWS.get(code)?.subtype);
    expect(verdict.rule).not.toMatch(/^sendcloud-/);
  });

  it("keeps the code's row when the diagnostic points elsewhere (subtype always from the code)", () => {
    // 506 (soft mailbox_not_found) with a hard "user unknown" text stays soft_bounce/mailbox_not_found
    const soft = classifySendCloudBounce("soft_bounce", "506", {
      code: "550",
      enhanced: "5.1.1",
      diagnostic: "550 5.1.1 User unknown",
    });
    // 405 keeps `blocked` whatever the text says
    const blocked = classifySendCloudBounce("invalid", "405", {
      code: "550",
      enhanced: null,
      diagnostic: "550 spam detected",
    });
    expect(soft).toMatchObject({ type: "soft_bounce", subtype: "mailbox_not_found", reason: "suspend" });
    expect(blocked).toMatchObject({ subtype: "sender_or_recipient_rejected", reason: "blocked" });
  });

  it.each<[string | null, string]>([
    [null, "sendcloud-substat-missing"],
    ["999", "sendcloud-substat-unknown"],
    ["503", "sendcloud-substat-unknown"], // a soft code on an invalid event
  ])("subStat %s on an invalid event → invalid/other (%s)", (code, rule) => {
    expect(classifySendCloudBounce("invalid", code, null)).toEqual({
      type: "invalid",
      subtype: "other",
      reason: "undefined",
      rule,
    });
  });

  it("the subtype always matches the code's row, whatever the diagnostic (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CODES), fc.string({ maxLength: 200 }), ([code, kind, subtype], text) => {
        const verdict = classifySendCloudBounce(kind, code, { code: null, enhanced: null, diagnostic: text });
        expect(verdict.type).toBe(kind);
        expect(verdict.subtype).toBe(subtype);
        expect(typeFor(verdict.reason, kind === "invalid")).toEqual({ type: kind, subtype });
      }),
    );
  });
});

describe("names and casing", () => {
  it.each([
    ["deliver", "deliver"],
    ["Delivered", "deliver"],
    ["report_spam", "report_spam"],
    ["spam-report", "report_spam"],
    ["INVALID_EMAIL", "invalid"],
    ["soft-bounce", "soft_bounce"],
    ["18", "request"],
    ["5", "soft_bounce"],
    ["open", null],
    ["click", null],
    ["route", null],
  ])("event %s → %s", (name, kind) => {
    expect(sendcloudKind(name)).toBe(kind);
  });

  it("canonicalizes field names case-insensitively, ignoring _ and -", () => {
    expect(
      canonicalFields({
        EventType: "invalid",
        email_id: "e",
        SUB_STAT: "406",
        SubStatDesc: "x",
        email: "a@b.org",
      }),
    ).toMatchObject({
      event: "invalid",
      emailId: "e",
      subStat: "406",
      subStatDesc: "x",
      recipient: "a@b.org",
    });
  });

  it("reads list fields however serialized", () => {
    expect(listItems('["a", "b"]')).toEqual(["a", "b"]);
    expect(listItems("[a, b]")).toEqual(["a", "b"]);
    expect(listItems(["a", " b "])).toEqual(["a", "b"]);
    expect(listItems("")).toEqual([]);
  });
});

describe("sendcloudAdapter.verify", () => {
  const key = newAppKey();
  const secrets = (name: string) => (name === SENDCLOUD_APP_KEY ? key : undefined);
  const now = () => new Date();

  async function verify(request: WebhookRequest, guard = memoryGuard(), at = now()) {
    guard.forBody(request.rawBody.toString("utf8"));
    return sendcloudAdapter.verify(request, { secrets, now: at, replayGuard: guard.guard });
  }

  async function refusal(promise: Promise<unknown>, slug: string) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebhookAuthError);
    expect(error).toMatchObject({ status: 401, slug });
  }

  it("accepts a genuine form post and remembers its token until timestamp + the window", async () => {
    // Prepare
    const fields = signSendCloud(sendcloudFixture("invalid-406"), key);
    const guard = memoryGuard();
    // Act
    await verify(formRequest(fields), guard);
    // Assess
    expect(guard.calls).toEqual([
      {
        token: fields.token,
        expiresAt: Math.floor(Number(fields.timestamp) / 1000) + SENDCLOUD_MAX_AGE_SECONDS,
      },
    ]);
  });

  it("accepts a genuine JSON post with a numeric timestamp", async () => {
    const fields = signSendCloud(sendcloudFixture("deliver"), key);
    await verify(jsonRequest({ ...fields, timestamp: Number(fields.timestamp) }));
  });

  it("accepts the same request again (SendCloud retrying), refuses its token with another body", async () => {
    // Prepare
    const guard = memoryGuard();
    const fields = signSendCloud(sendcloudFixture("deliver"), key);
    const forged = {
      ...sendcloudFixture("report_spam"),
      timestamp: String(fields.timestamp),
      token: String(fields.token),
      signature: String(fields.signature),
    };
    // Act
    await verify(formRequest(fields), guard);
    await verify(formRequest(fields), guard);
    // Assess
    await refusal(verify(formRequest(forged), guard), "sendcloud-replayed-token");
  });

  it("refuses a signature made with another key", async () => {
    const fields = signSendCloud(sendcloudFixture("deliver"), newAppKey());
    await refusal(verify(formRequest(fields)), "sendcloud-bad-signature");
  });

  it("refuses a tampered timestamp or token", async () => {
    const a = signSendCloud(sendcloudFixture("deliver"), key);
    a.timestamp = String(Number(a.timestamp) - 1000);
    const b = signSendCloud(sendcloudFixture("deliver"), key);
    b.token = newToken();
    await refusal(verify(formRequest(a)), "sendcloud-bad-signature");
    await refusal(verify(formRequest(b)), "sendcloud-bad-signature");
  });

  it("refuses stale and future timestamps", async () => {
    const stale = signSendCloud(sendcloudFixture("deliver"), key, {
      timestamp: Date.now() - (SENDCLOUD_MAX_AGE_SECONDS + 60) * 1000,
    });
    const future = signSendCloud(sendcloudFixture("deliver"), key, { timestamp: Date.now() + 10 * 60_000 });
    await refusal(verify(formRequest(stale)), "sendcloud-stale-timestamp");
    await refusal(verify(formRequest(future)), "sendcloud-stale-timestamp");
  });

  it("accepts a timestamp in seconds too", async () => {
    const fields = signSendCloud(sendcloudFixture("deliver"), key, {
      timestamp: Math.floor(Date.now() / 1000),
    });
    await verify(formRequest(fields));
  });

  it.each<[string, WebhookRequest]>([
    ["no signature fields", formRequest(sendcloudFixture("deliver"))],
    ["an empty body", formRequest("")],
    ["malformed JSON", jsonRequest("{ nope")],
    [
      "a JSON array of events (import shape)",
      jsonRequest([
        signSendCloud(sendcloudFixture("deliver"), key),
        signSendCloud(sendcloudFixture("open"), key),
      ]),
    ],
    [
      "a non-hex signature",
      formRequest({ ...signSendCloud(sendcloudFixture("deliver"), key), signature: "zz" }),
    ],
  ])("refuses %s", async (_, request) => {
    await expect(verify(request)).rejects.toMatchObject({ status: 401, name: "WebhookAuthError" });
  });

  it("refuses everything with 401 naming the setting when SENDCLOUD_APP_KEY is unset", async () => {
    const fields = signSendCloud(sendcloudFixture("deliver"), key);
    const error = await sendcloudAdapter
      .verify(formRequest(fields), {
        secrets: () => undefined,
        now: new Date(),
        replayGuard: memoryGuard().guard,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, slug: "sendcloud-not-configured" });
    expect(String((error as Error).message)).toContain(SENDCLOUD_APP_KEY);
  });

  it("refuses any signature but the right one (property)", async () => {
    const token = newToken();
    const ts = String(Date.now());
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[0-9a-f]{64}$/), async (signature) => {
        fc.pre(signature !== sendcloudSignatureOf(key, ts, token));
        const fields = { ...sendcloudFixture("deliver"), timestamp: ts, token, signature };
        await expect(verify(formRequest(fields))).rejects.toBeInstanceOf(WebhookAuthError);
      }),
      { numRuns: 50 },
    );
  });
});
