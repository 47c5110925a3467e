import { describe, expect, it } from "vitest";
import { InputError } from "../../../lambdas/core/errors.js";
import { type NormalizedEvent, NormalizedEventSchema } from "../../../lambdas/core/events.js";
import { parseSes, parseSesRecord } from "../../../lambdas/providers/ses/index.js";
import { type Json, sesFixture } from "../../support/ses-fixtures.js";

const opts = { tenant: "acme" };

/** The fields a test pins down; anything else is checked by the schema. */
type Expected = Partial<NormalizedEvent>;

function parse(name: string) {
  const result = parseSes(sesFixture(name), opts);
  for (const event of result.events) expect(NormalizedEventSchema.parse(event)).toEqual(event);
  return result;
}

describe("parseSes: classic bounces", () => {
  it.each<[string, Expected[]]>([
    [
      "bounce-permanent-general",
      [
        {
          recipient: "jane@example.com",
          type: "invalid",
          subtype: "mailbox_not_found",
          reason: "user_unknown",
          eventId: "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa068a-000000#jane@example.com",
          occurredAt: "2016-01-27T14:59:38.237Z",
          scope: "*",
          smtp: {
            code: "550",
            enhanced: "5.1.1",
            diagnostic: "smtp; 550 5.1.1 <jane@example.com>... User unknown",
          },
        },
      ],
    ],
    [
      "bounce-permanent-general-no-dsn",
      [
        {
          recipient: "jane@example.com",
          type: "invalid",
          subtype: "other",
          smtp: { code: null, enhanced: null, diagnostic: null },
        },
        {
          recipient: "richard@example.com",
          type: "invalid",
          subtype: "other",
          eventId: "00000137860315fd-869464a4-8680-4114-98d3-716fe35851f9-000000#richard@example.com",
        },
      ],
    ],
    [
      "bounce-permanent-noemail",
      [
        {
          recipient: "nobody@example.org",
          type: "invalid",
          subtype: "mailbox_not_found",
          reason: "user_unknown",
        },
      ],
    ],
    [
      "bounce-permanent-suppressed",
      [
        {
          recipient: "gone@example.org",
          type: "invalid",
          subtype: "blocklisted",
          reason: "suppressed",
          rule: "ses-suppressed",
          occurredAt: "2026-03-02T09:20:11.000Z",
        },
      ],
    ],
    [
      "bounce-permanent-on-account-suppression-list",
      [
        {
          recipient: "listed@example.org",
          type: "invalid",
          subtype: "blocklisted",
          reason: "suppressed",
          rule: "ses-on-account-suppression-list",
        },
      ],
    ],
    [
      "bounce-transient-mailboxfull",
      [
        {
          recipient: "full@example.org",
          type: "soft_bounce",
          subtype: "other",
          reason: "mailbox_full",
          rule: "ses-mailbox-full",
          smtp: {
            code: "452",
            enhanced: "4.2.2",
            diagnostic: "smtp; 452 4.2.2 The email account that you tried to reach is over quota.",
          },
        },
      ],
    ],
    [
      // SES said Transient, the DSN says 550 5.1.1: the DSN wins (design.md §2.5).
      "bounce-transient-general-550",
      [
        {
          recipient: "bob@example.org",
          type: "invalid",
          subtype: "mailbox_not_found",
          reason: "user_unknown",
        },
      ],
    ],
    [
      "bounce-undetermined",
      [
        {
          recipient: "maybe@example.org",
          type: "soft_bounce",
          subtype: "other",
          reason: "undefined",
          rule: "ses-undetermined",
        },
      ],
    ],
  ])("%s", (name, expected) => {
    // Act
    const { events, ignored, skipped } = parse(name);
    // Assess
    expect(events).toMatchObject(expected.map((e) => ({ tenant: "acme", provider: "ses", ...e })));
    expect(events).toHaveLength(expected.length);
    expect(ignored).toBe(0);
    expect(skipped).toEqual([]);
    for (const e of events) {
      expect(e.rule).toEqual(expect.any(String));
      expect(e.feedbackType).toBeNull();
      expect(e.resubscribe).toBe(false);
    }
  });
});

describe("parseSes: complaints, deliveries, sends", () => {
  it.each<[string, Expected[]]>([
    [
      "complaint-abuse",
      [
        {
          recipient: "richard@example.com",
          type: "complaint",
          subtype: null,
          reason: null,
          feedbackType: "abuse",
          eventId: "000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000#richard@example.com",
          occurredAt: "2016-01-27T14:59:38.237Z",
          scope: "*",
          smtp: null,
        },
      ],
    ],
    [
      "complaint-no-feedback-type",
      [
        { recipient: "richard@example.com", type: "complaint", feedbackType: null },
        { recipient: "mary@example.com", type: "complaint", feedbackType: null },
      ],
    ],
    // Kept as a complaint: the policy ignores `not-spam` (policy.complaint.ignoreFeedbackTypes).
    ["complaint-not-spam", [{ recipient: "pat@example.org", type: "complaint", feedbackType: "not-spam" }]],
    [
      "delivery",
      [
        {
          recipient: "jane@example.com",
          type: "delivered",
          subtype: null,
          reason: null,
          eventId: "0000014644fe5ef6-9a483358-9170-4cb4-a269-f5dcdf415321-000000#delivery#jane@example.com",
          occurredAt: "2016-01-27T14:59:38.237Z",
          scope: "*",
          smtp: null,
        },
      ],
    ],
    [
      "ep-bounce",
      [
        {
          recipient: "recipient@example.com",
          type: "invalid",
          subtype: "mailbox_not_found",
          reason: "user_unknown",
          eventId: "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000#recipient@example.com",
          occurredAt: "2017-08-05T00:41:02.669Z",
          smtp: { code: "550", enhanced: "5.1.1", diagnostic: "smtp; 550 5.1.1 user unknown" },
        },
      ],
    ],
    ["ep-complaint", [{ recipient: "recipient@example.com", type: "complaint", feedbackType: "abuse" }]],
    [
      "ep-delivery",
      [
        {
          recipient: "recipient@example.com",
          type: "delivered",
          occurredAt: "2016-10-19T23:21:04.133Z",
          eventId:
            "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000#delivery#recipient@example.com",
        },
      ],
    ],
    [
      // Three destinations, one of them a case variant of the first: two events.
      "ep-send",
      [
        {
          recipient: "recipient@example.com",
          type: "request",
          occurredAt: "2016-10-14T05:02:16.645Z",
          eventId: "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000#send#recipient@example.com",
        },
        {
          recipient: "second@example.org",
          type: "request",
          eventId: "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000#send#second@example.org",
        },
      ],
    ],
  ])("%s", (name, expected) => {
    const { events, ignored } = parse(name);
    expect(events).toMatchObject(
      expected.map((e) => ({ tenant: "acme", provider: "ses", scope: "*", ...e })),
    );
    expect(events).toHaveLength(expected.length);
    expect(ignored).toBe(0);
    for (const e of events) expect(e.rule).toEqual(expect.any(String));
  });
});

describe("parseSes: subscriptions", () => {
  const id = (ts: string, scope: string) =>
    `EXAMPLEe4bccb684-777bc8de-afa7-4970-92b0-f515137b1497-000000#subscription#${ts}#recipient@example.com#${scope}`;

  it.each<[string, Expected[]]>([
    [
      "ep-subscription-unsubscribe-all",
      [
        {
          type: "unsubscribe",
          scope: "ContactListName",
          resubscribe: false,
          occurredAt: "2022-01-12T01:00:17.910Z",
          eventId: id("2022-01-12T01:00:17.910Z", "ContactListName"),
        },
      ],
    ],
    [
      "ep-subscription-topic",
      [
        { type: "unsubscribe", scope: "ContactListName/ProductUpdates", resubscribe: false },
        {
          type: "unsubscribe",
          scope: "ContactListName/Offers",
          resubscribe: true,
          eventId: id("2022-01-12T01:05:00.000Z", "ContactListName/Offers"),
        },
      ],
    ],
    [
      // unsubscribeAll true → false: the list is lifted, and the topic still OptOut is now recorded.
      "ep-subscription-resubscribe",
      [
        { type: "unsubscribe", scope: "ContactListName", resubscribe: true },
        { type: "unsubscribe", scope: "ContactListName/Events", resubscribe: false },
      ],
    ],
  ])("%s", (name, expected) => {
    const { events, ignored } = parse(name);
    expect(events).toMatchObject(
      expected.map((e) => ({
        recipient: "recipient@example.com",
        subtype: null,
        reason: null,
        smtp: null,
        feedbackType: null,
        unsubscribeReason: null,
        ...e,
      })),
    );
    expect(events).toHaveLength(expected.length);
    expect(ignored).toBe(0);
  });

  it("yields nothing (one ignored) when no preference changed", () => {
    const record = sesFixture("ep-subscription-topic");
    const sub = record.subscription as Json;
    sub.oldTopicPreferences = sub.newTopicPreferences;
    expect(parseSesRecord(record, opts)).toEqual({ events: [], ignored: 1, skipped: [] });
  });

  it("fans out to every destination", () => {
    const record = sesFixture("ep-subscription-unsubscribe-all");
    (record.mail as Json).destination = ["a@example.org", "b@example.org"];
    const { events } = parseSesRecord(record, opts);
    expect(events.map((e) => [e.recipient, e.scope])).toEqual([
      ["a@example.org", "ContactListName"],
      ["b@example.org", "ContactListName"],
    ]);
  });

  it("refuses a contact list name that cannot be a scope", () => {
    const record = sesFixture("ep-subscription-unsubscribe-all");
    (record.subscription as Json).contactList = "news/letter";
    expect(() => parseSesRecord(record, opts)).toThrow(InputError);
  });
});

describe("parseSes: ignored types", () => {
  it.each([
    "ep-open",
    "ep-click",
    "ep-reject",
    "ep-delivery-delay",
    "ep-rendering-failure",
    "sns-subscription-succeeded",
  ])("%s → no events, ignored 1", (name) => {
    expect(parse(name)).toMatchObject({ events: [], ignored: 1, skipped: [] });
  });

  it("ignores an event type SES adds later", () => {
    const record = { ...sesFixture("ep-open"), eventType: "Teleport" };
    expect(parseSesRecord(record, opts)).toEqual({ events: [], ignored: 1, skipped: [] });
  });
});

describe("parseSesRecord: details", () => {
  it("gives each bounced recipient its own DSN", () => {
    const record = sesFixture("bounce-permanent-general");
    (record.bounce as Json).bouncedRecipients = [
      { emailAddress: "jane@example.com", status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 user unknown" },
      { emailAddress: "mary@example.com", status: "5.2.2", diagnosticCode: "smtp; 552 5.2.2 mailbox full" },
    ];
    const { events } = parseSesRecord(record, opts);
    expect(events.map((e) => [e.recipient, e.type, e.reason, e.smtp?.code, e.smtp?.enhanced])).toEqual([
      ["jane@example.com", "invalid", "user_unknown", "550", "5.1.1"],
      ["mary@example.com", "soft_bounce", "mailbox_full", "552", "5.2.2"],
    ]);
  });

  it.each([
    ["auth-failure", "other"],
    ["ABUSE", "abuse"],
    ["fraud", "fraud"],
    ["virus", "virus"],
    ["opt-out", "other"],
    ["", null],
    [null, null],
  ])("maps complaintFeedbackType %j to %j", (raw, expected) => {
    const record = sesFixture("complaint-abuse");
    (record.complaint as Json).complaintFeedbackType = raw;
    expect(parseSesRecord(record, opts).events[0]?.feedbackType).toBe(expected);
  });

  it.each([
    ["MessageTooLarge", "smtp; 552 5.3.4 Message size exceeds fixed limit", "mesg_too_big", "other"],
    ["ContentRejected", "smtp; 554 5.7.1 Message rejected due to content", "spam_detected", "spam_rejected"],
    [
      "AttachmentRejected",
      "smtp; 552 5.7.0 Our system detected an illegal attachment",
      "content_error",
      "other",
    ],
    ["MailboxFull", "smtp; 552 5.2.2 Quota exceeded", "mailbox_full", "other"],
  ])("maps Transient/%s to a soft %s", (subType, diagnostic, reason, subtype) => {
    const record = sesFixture("bounce-transient-mailboxfull");
    Object.assign(record.bounce as Json, { bounceSubType: subType });
    Object.assign(((record.bounce as Json).bouncedRecipients as Json[])[0] as Json, {
      diagnosticCode: diagnostic,
      status: diagnostic.split(" ")[2],
    });
    expect(parseSesRecord(record, opts).events[0]).toMatchObject({ type: "soft_bounce", reason, subtype });
  });

  it("lets the DSN overrule a Transient subtype when it proves the mailbox does not exist", () => {
    const record = sesFixture("bounce-transient-mailboxfull");
    Object.assign(((record.bounce as Json).bouncedRecipients as Json[])[0] as Json, {
      status: "5.1.1",
      diagnosticCode: "smtp; 550 5.1.1 No such user",
    });
    expect(parseSesRecord(record, opts).events[0]).toMatchObject({ type: "invalid", reason: "user_unknown" });
  });

  it("keeps NoEmail's user_unknown when the DSN only has a generic code", () => {
    const record = sesFixture("bounce-permanent-noemail");
    Object.assign(((record.bounce as Json).bouncedRecipients as Json[])[0] as Json, {
      status: "5.0.0",
      diagnosticCode: "smtp; 550 5.0.0",
    });
    expect(parseSesRecord(record, opts).events[0]).toMatchObject({
      type: "invalid",
      reason: "user_unknown",
      rule: "ses-no-email",
    });
  });

  it("never makes an Undetermined bounce invalid", () => {
    const record = sesFixture("bounce-undetermined");
    (record.bounce as Json).bouncedRecipients = [
      { emailAddress: "maybe@example.org", status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 user unknown" },
    ];
    expect(parseSesRecord(record, opts).events[0]?.type).toBe("soft_bounce");
  });

  it("falls back to mail.timestamp, then receivedAt, for occurredAt", () => {
    const record = sesFixture("bounce-undetermined");
    delete (record.bounce as Json).timestamp;
    expect(parseSesRecord(record, opts).events[0]?.occurredAt).toBe("2026-03-03T12:59:58.000Z");
    delete (record.mail as Json).timestamp;
    const receivedAt = new Date("2026-05-01T00:00:00Z");
    expect(parseSesRecord(record, { ...opts, receivedAt }).events[0]?.occurredAt).toBe(
      "2026-05-01T00:00:00.000Z",
    );
  });

  it("normalizes an offset timestamp to UTC ISO", () => {
    const record = sesFixture("delivery");
    (record.delivery as Json).timestamp = "2016-01-27T16:59:38.237+02:00";
    expect(parseSesRecord(record, opts).events[0]?.occurredAt).toBe("2016-01-27T14:59:38.237Z");
  });

  it("canonicalizes recipients, skips malformed ones and counts them as ignored", () => {
    const record = sesFixture("bounce-permanent-general-no-dsn");
    (record.bounce as Json).bouncedRecipients = [
      { emailAddress: "Jane Doe <JANE@Example.COM>" },
      { emailAddress: "not an address" },
      { emailAddress: "jane@example.com" },
    ];
    const result = parseSesRecord(record, opts);
    expect(result.events.map((e) => e.recipient)).toEqual(["jane@example.com"]);
    expect(result.ignored).toBe(1);
    expect(result.skipped).toEqual([
      {
        path: "bounce.bouncedRecipients.1.emailAddress",
        recipient: "not an address",
        problem: expect.any(String),
      },
    ]);
  });

  it("keeps event ids within 512 characters, distinct and stable", () => {
    const record = sesFixture("ep-subscription-topic");
    (record.mail as Json).messageId = "m".repeat(256);
    (record.mail as Json).destination = [`${"l".repeat(64)}@${"d".repeat(60)}.${"e".repeat(60)}.example`];
    const sub = record.subscription as Json;
    sub.contactList = "c".repeat(100);
    const parse = () => parseSesRecord(record, opts).events;
    const events = parse();
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e.eventId.length).toBeLessThanOrEqual(512);
      expect(NormalizedEventSchema.safeParse(e).success).toBe(true);
    }
    expect(events[0]?.eventId).not.toBe(events[1]?.eventId);
    expect(parse().map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
  });
});
