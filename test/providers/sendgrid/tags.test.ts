/**
 * SendGrid `category` → the event's `tags` (docs/providers/sendgrid.md, "Tags"): a string or an
 * array of strings, on every event of the message; none → no `tags` key; malformed categories never
 * refuse the batch and are bounded.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../lambdas/core/events.js";
import { sendgridAdapter } from "../../../lambdas/providers/sendgrid/index.js";
import type { WebhookRequest } from "../../../lambdas/providers/types.js";
import { sendgridEvents, sendgridFixture, sendgridSigner } from "../../fixtures/sendgrid/signing.js";
import { expectValidTags, MALFORMED_TAG_LISTS } from "../shared/tag-cases.js";

const ctx = { tenant: "acme", receivedAt: new Date("2026-11-24T12:00:00Z") };

const request = (body: Buffer | string, headers: Record<string, string> = {}): WebhookRequest => ({
  rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body),
  headers: { "content-type": "application/json", ...headers },
  query: {},
});

function parse(body: Buffer | string | unknown[]) {
  const raw = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const result = sendgridAdapter.parse(request(raw), ctx);
  for (const event of result.events) expectValidTags(event);
  return result;
}

/** The `processed` fixture's one event, with `category` set to `value` (removed when undefined). */
function withCategory(value: unknown): Record<string, unknown>[] {
  const [event] = sendgridEvents("processed");
  if (value === undefined) delete event?.category;
  else if (event) event.category = value;
  return [event ?? {}];
}

describe("sendgrid: category → tags", () => {
  it("an array of categories (the fixture's) becomes the tags, and the whole event is as expected", () => {
    const { events, ignored } = parse(sendgridFixture("processed"));
    expect(ignored).toBe(0);
    expect(events).toEqual([
      {
        tenant: "acme",
        provider: "sendgrid",
        eventId: "cHJvY2Vzc2VkLTE",
        recipient: "jdoe@example.org",
        type: "request",
        subtype: null,
        reason: null,
        rule: "sendgrid-processed",
        occurredAt: "2025-11-24T13:13:20.000Z",
        scope: "*",
        smtp: null,
        feedbackType: null,
        unsubscribeReason: null,
        resubscribe: false,
        tags: ["newsletter", "weekly"],
      } satisfies NormalizedEvent,
    ]);
  });

  it("one category sent as a string is one tag", () => {
    expect(parse(withCategory("cat facts")).events[0]?.tags).toEqual(["cat facts"]);
  });

  it("every event of a mixed batch carries its message's categories", () => {
    const { events } = parse(sendgridFixture("batch-mixed"));
    expect(events.length).toBeGreaterThan(1);
    for (const event of events) expect(event.tags).toEqual(["newsletter", "weekly"]);
  });

  it("an event without a category has no `tags` key", () => {
    const [event] = parse(withCategory(undefined)).events;
    expect(event).toBeDefined();
    expect(event).not.toHaveProperty("tags");
  });

  it.each(MALFORMED_TAG_LISTS)(
    "malformed categories (%s) are bounded and the event still counts",
    (_, value, expected) => {
      const { events, ignored } = parse(withCategory(value));
      expect(events).toHaveLength(1);
      expect(ignored).toBe(0);
      expect(events[0]?.tags).toEqual(expected);
      if (expected === undefined) expect(events[0]).not.toHaveProperty("tags");
    },
  );

  it("a signed webhook keeps the categories (verify, then parse)", async () => {
    const signer = sendgridSigner();
    const body = sendgridFixture("spamreport");
    const now = new Date();
    const signed = request(body, signer.headers(body, Math.floor(now.getTime() / 1000)));
    const context = {
      secrets: (name: string) => (name === "SENDGRID_VERIFICATION_KEY" ? signer.verificationKey : undefined),
      now,
      replayGuard: async () => true,
    };
    const verified = await sendgridAdapter.verify(signed, context);
    const { events } = sendgridAdapter.parse(verified, ctx);
    expect(events.map((e) => [e.type, e.tags])).toEqual([["complaint", ["newsletter", "weekly"]]]);
  });
});
