/**
 * SES `mail.tags` → the event's `tags` (docs/providers/ses.md §1.8, "Tags"): `name:value`, one per
 * value; the sender's own tags kept, of SES's automatic ones only `ses:configuration-set` (source IP
 * is personal data, the rest infrastructure data); classic notifications (no tags) → no `tags` key;
 * malformed tags never refuse the record and are bounded. Every delivery shape gives the same tags.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../lambdas/core/events.js";
import { MAX_TAG_CHARS, MAX_TAGS } from "../../../lambdas/core/limits.js";
import {
  parseSes,
  parseSesRecord,
  SES_KEPT_AUTO_TAG,
  sesAdapter,
  sesTags,
} from "../../../lambdas/providers/ses/index.js";
import { allShapes, type Json, sesFixture, TOPIC_ARN } from "../../support/ses-fixtures.js";
import { expectValidTags, LONG_TAG, MANY_TAGS } from "../shared/tag-cases.js";

const opts = { tenant: "acme", receivedAt: new Date("2026-11-24T12:00:00Z") };

function parse(record: Json) {
  const result = parseSesRecord(record, opts);
  for (const event of result.events) expectValidTags(event);
  return result;
}

/** A fixture with `mail.tags` set to `value` (removed when undefined). */
function withTags(name: string, value: unknown): Json {
  const record = sesFixture(name);
  const mail = record.mail as Json;
  if (value === undefined) delete mail.tags;
  else mail.tags = value;
  return record;
}

describe("ses: mail.tags → tags", () => {
  it("a Delivery keeps the configuration set and the sender's tags, and the whole event is as expected", () => {
    const { events, ignored } = parse(sesFixture("ep-delivery"));
    expect(ignored).toBe(0);
    expect(events).toEqual([
      {
        tenant: "acme",
        provider: "ses",
        eventId:
          "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000#delivery#recipient@example.com",
        recipient: "recipient@example.com",
        type: "delivered",
        subtype: null,
        reason: null,
        rule: "ses-delivery",
        occurredAt: "2016-10-19T23:21:04.133Z",
        scope: "*",
        smtp: null,
        feedbackType: null,
        unsubscribeReason: null,
        resubscribe: false,
        tags: ["ses:configuration-set:ConfigSet", "myCustomTag1:myCustomTagValue1"],
      } satisfies NormalizedEvent,
    ]);
  });

  it("drops ses:source-ip (personal data) and every other automatic tag", () => {
    const tags = parse(sesFixture("ep-delivery")).events[0]?.tags ?? [];
    expect(tags.some((t) => t.includes("192.0.2.0"))).toBe(false);
    for (const dropped of [
      "ses:source-ip",
      "ses:outgoing-ip",
      "ses:from-domain",
      "ses:caller-identity",
      "ses:operation",
    ]) {
      expect(tags.some((t) => t.startsWith(`${dropped}:`))).toBe(false);
    }
    expect(tags).toContain(`${SES_KEPT_AUTO_TAG}:ConfigSet`);
  });

  it.each([
    ["ep-bounce", "invalid"],
    ["ep-complaint", "complaint"],
    ["ep-send", "request"],
    ["ep-subscription-topic", "unsubscribe"],
    ["ep-subscription-unsubscribe-all", "unsubscribe"],
    ["bounce-permanent-on-account-suppression-list", "invalid"],
  ])("%s: every event carries the record's tags", (name, type) => {
    const { events } = parse(sesFixture(name));
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event.type).toBe(type);
      expect(event.tags?.[0]).toBe("ses:configuration-set:ConfigSet");
    }
  });

  it("one tag per value, in SES's order; an automatic tag SES adds later is dropped too", () => {
    const record = withTags("ep-bounce", {
      campaign: ["spring", "promo", "spring"],
      "ses:configuration-set": ["Marketing"],
      "ses:some-new-auto-tag": ["x"],
      "SES:Source-IP": ["203.0.113.9"],
      tier: [" gold "],
    });
    expect(parse(record).events[0]?.tags).toEqual([
      "campaign:spring",
      "campaign:promo",
      "ses:configuration-set:Marketing",
      "tier:gold",
    ]);
  });

  it.each(["bounce-permanent-general", "complaint-abuse", "delivery"])(
    "%s (a classic notification, no mail.tags): no `tags` key",
    (name) => {
      const { events } = parse(sesFixture(name));
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) expect(event).not.toHaveProperty("tags");
    },
  );

  it("a record whose only tags are dropped automatic ones has no `tags` key", () => {
    const record = withTags("ep-bounce", { "ses:source-ip": ["192.0.2.0"], "ses:operation": ["SendEmail"] });
    expect(parse(record).events[0]).not.toHaveProperty("tags");
  });

  it.each<[string, unknown, string[] | undefined]>([
    ["a list instead of a map", ["campaign:spring"], undefined],
    ["a string instead of a map", "campaign:spring", undefined],
    ["null", null, undefined],
    ["numbers as values", { campaign: [1, 2], kept: ["yes"] }, ["kept:yes"]],
    ["nested objects as values", { campaign: [{ a: 1 }, ["nested"]], kept: ["yes"] }, ["kept:yes"]],
    ["an object as the value list", { campaign: { a: "b" } }, undefined],
    ["one string instead of a value list", { campaign: "spring" }, ["campaign:spring"]],
    ["empty names and values", { "": ["x"], " ": ["y"], campaign: ["", "  "] }, undefined],
    ["500 values", { campaign: MANY_TAGS }, MANY_TAGS.slice(0, MAX_TAGS).map((t) => `campaign:${t}`)],
    ["a 10 000-character value", { campaign: [LONG_TAG] }, [`campaign:${LONG_TAG}`.slice(0, MAX_TAG_CHARS)]],
  ])("malformed mail.tags (%s) are bounded and the record still gives its events", (_, value, expected) => {
    const { events, ignored } = parse(withTags("ep-bounce", value));
    expect(events).toHaveLength(1);
    expect(ignored).toBe(0);
    expect(events[0]?.tags).toEqual(expected);
  });

  it("every delivery shape (SNS, SNS → Lambda, SQS, EventBridge) gives the same tags", () => {
    const record = sesFixture("ep-bounce");
    for (const [label, body] of allShapes(record)) {
      const { events } = parseSes(body, opts);
      expect({ label, tags: events.map((e) => e.tags) }).toEqual({
        label,
        tags: [["ses:configuration-set:ConfigSet"]],
      });
    }
  });

  it("the SNS webhook path (the verified Message) keeps the tags", () => {
    const message = JSON.stringify(
      withTags("ep-complaint", { "ses:configuration-set": ["Tx"], flow: ["reset"] }),
    );
    const { events } = sesAdapter.parse(
      {
        type: "Notification",
        messageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
        topicArn: TOPIC_ARN,
        timestamp: "2026-11-24T12:00:00.000Z",
        signatureVersion: "1",
        certHost: "sns.us-east-1.amazonaws.com",
        subscribeUrl: null,
        token: null,
        message,
        subject: null,
      },
      opts,
    );
    expect(events.map((e) => [e.type, e.tags])).toEqual([
      ["complaint", ["ses:configuration-set:Tx", "flow:reset"]],
    ]);
  });

  it("sesTags: name:value pairs, undefined when none", () => {
    expect(sesTags({ a: ["1"], "ses:from-domain": ["example.com"] })).toEqual(["a:1"]);
    expect(sesTags({})).toBeUndefined();
    expect(sesTags(undefined)).toBeUndefined();
  });
});
