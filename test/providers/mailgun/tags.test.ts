/**
 * Mailgun `event-data.tags` → the event's `tags` (docs/providers/mailgun.md, "Tags"): in a signed
 * webhook, a bare event and an Events API page alike; none → no `tags` key; malformed tags never
 * refuse the event and are bounded.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../lambdas/core/events.js";
import { mailgunAdapter } from "../../../lambdas/providers/mailgun/index.js";
import type { WebhookRequest } from "../../../lambdas/providers/types.js";
import {
  mailgunFixture,
  newSigningKey,
  signMailgun,
  WEBHOOK_FIXTURES,
} from "../../fixtures/mailgun/support.js";
import { expectValidTags, MALFORMED_TAG_LISTS } from "../shared/tag-cases.js";

const ctx = { tenant: "acme", receivedAt: new Date("2026-11-24T12:00:00Z") };

const request = (body: unknown): WebhookRequest => ({
  rawBody: Buffer.from(JSON.stringify(body)),
  headers: { "content-type": "application/json" },
  query: {},
});

function parse(body: unknown) {
  const result = mailgunAdapter.parse(request(body), ctx);
  for (const event of result.events) expectValidTags(event);
  return result;
}

/** The permanent-bounce webhook with `event-data.tags` set to `value` (removed when undefined). */
function withTags(value: unknown) {
  const body = mailgunFixture("failed-permanent-bounce");
  if (value === undefined) delete body["event-data"].tags;
  else body["event-data"].tags = value;
  return body;
}

describe("mailgun: event-data.tags → tags", () => {
  it("a permanent bounce keeps its tags, and the whole event is as expected", () => {
    const { events, ignored } = parse(mailgunFixture("failed-permanent-bounce"));
    expect(ignored).toBe(0);
    expect(events).toEqual([
      {
        tenant: "acme",
        provider: "mailgun",
        eventId: "G9Bn5sl1TC6nu79C8C0bwg#1763990000.512345",
        recipient: "nobody@example.org",
        type: "invalid",
        subtype: "mailbox_not_found",
        reason: "user_unknown",
        rule: expect.any(String),
        occurredAt: "2025-11-24T13:13:20.512Z",
        scope: "*",
        smtp: expect.objectContaining({ code: "550", enhanced: "5.1.1" }),
        feedbackType: null,
        unsubscribeReason: null,
        resubscribe: false,
        tags: ["newsletter"],
      } satisfies Record<keyof NormalizedEvent, unknown>,
    ]);
  });

  it.each(WEBHOOK_FIXTURES.filter((name) => name !== "opened" && name !== "clicked"))(
    "%s: the event carries the message's tags",
    (name) => {
      const [event] = parse(mailgunFixture(name)).events;
      expect(event?.tags).toEqual(["newsletter"]);
    },
  );

  it("several tags keep their order; repeats are kept once", () => {
    expect(parse(withTags(["newsletter", "weekly", "newsletter", " promo "])).events[0]?.tags).toEqual([
      "newsletter",
      "weekly",
      "promo",
    ]);
  });

  it("every event of an Events API page (the import shape) carries its tags", () => {
    const page = { items: [mailgunFixture("delivered")["event-data"], withTags(["a", "b"])["event-data"]] };
    const { events } = mailgunAdapter.parseImport(request(page), ctx);
    expect(events.map((e) => e.tags)).toEqual([["newsletter"], ["a", "b"]]);
  });

  it("a bare event (no `event-data` wrapper) is read the same way", () => {
    expect(parse(withTags(["bare"])["event-data"]).events[0]?.tags).toEqual(["bare"]);
  });

  it("an event without tags (or with `tags: []`) has no `tags` key", () => {
    for (const value of [undefined, []]) {
      const [event] = parse(withTags(value)).events;
      expect(event?.type).toBe("invalid");
      expect(event).not.toHaveProperty("tags");
    }
  });

  it.each(MALFORMED_TAG_LISTS)(
    "malformed tags (%s) are bounded and the event still counts",
    (_, value, expected) => {
      const { events, ignored } = parse(withTags(value));
      expect(events).toHaveLength(1);
      expect(ignored).toBe(0);
      expect(events[0]?.tags).toEqual(expected);
    },
  );

  it("a signed webhook keeps the tags (verify, then parse)", async () => {
    const key = newSigningKey();
    const body = signMailgun(withTags(["signed", "webhook"]), key);
    const context = {
      secrets: (name: string) => (name === "MAILGUN_SIGNING_KEY" ? key : undefined),
      now: new Date(),
      replayGuard: async () => true,
    };
    const verified = await mailgunAdapter.verify(request(body), context);
    expect(mailgunAdapter.parse(verified, ctx).events[0]?.tags).toEqual(["signed", "webhook"]);
  });
});
