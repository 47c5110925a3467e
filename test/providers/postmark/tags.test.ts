/**
 * Postmark `Tag` → the event's `tags` (docs/providers/postmark.md, "Tags"): one string on every
 * record type we read; `""`, `null` or none → no `tags` key; a malformed `Tag` never refuses the
 * record and is bounded.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../lambdas/core/events.js";
import { MAX_TAG_CHARS } from "../../../lambdas/core/limits.js";
import { postmarkAdapter } from "../../../lambdas/providers/postmark/index.js";
import type { WebhookRequest } from "../../../lambdas/providers/types.js";
import { expectValidTags, LONG_TAG, MALFORMED_TAG_LISTS } from "../shared/tag-cases.js";

const ctx = { tenant: "acme", receivedAt: new Date("2026-11-24T12:00:00Z") };

/** The exact text of a fixture (int64 `ID`s keep their digits). */
const fixtureText = (name: string): string =>
  readFileSync(new URL(`../../fixtures/postmark/${name}.json`, import.meta.url), "utf8");

const request = (body: string): WebhookRequest => ({
  rawBody: Buffer.from(body),
  headers: { "content-type": "application/json" },
  query: {},
});

function parse(body: string) {
  const result = postmarkAdapter.parse(request(body), ctx);
  for (const event of result.events) expectValidTags(event);
  return result;
}

/** The fixture's text with its `"Tag"` member set to `value` (removed when undefined); the rest untouched. */
function withTag(name: string, value: unknown): string {
  const text = fixtureText(name);
  const member = /\n\s*"Tag": (?:"[^"]*"|null),?/;
  expect(text).toMatch(member);
  return value === undefined
    ? text.replace(member, "")
    : text.replace(/("Tag": )(?:"[^"]*"|null)/, (_, head: string) => `${head}${JSON.stringify(value)}`);
}

describe("postmark: Tag → tags", () => {
  it("a hard bounce keeps its tag, and the whole event is as expected", () => {
    const { events, ignored } = parse(fixtureText("bounce-hard"));
    expect(ignored).toBe(0);
    expect(events).toEqual([
      {
        tenant: "acme",
        provider: "postmark",
        eventId: "4323372036854775807",
        recipient: "john.doe@example.com",
        type: "invalid",
        subtype: "mailbox_not_found",
        reason: "user_unknown",
        rule: expect.any(String),
        occurredAt: "2019-11-05T16:33:54.907Z",
        scope: "*",
        smtp: expect.objectContaining({ code: "550", enhanced: "5.1.1" }),
        feedbackType: null,
        unsubscribeReason: null,
        resubscribe: false,
        tags: ["welcome"],
      } satisfies Record<keyof NormalizedEvent, unknown>,
    ]);
  });

  it.each([
    ["spam-complaint", "complaint", "Test"],
    ["bounce-hard-test", "invalid", "Test"],
    ["subscription-change-unsubscribe", "unsubscribe", "newsletter"],
    ["subscription-change-hard-bounce", "invalid", "my-tag"],
    ["delivery", "delivered", "welcome-email"],
  ])("%s: the %s event carries the Tag", (name, type, tag) => {
    const { events } = parse(fixtureText(name));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type, tags: [tag] });
  });

  it.each([
    "bounce-bad-email-address",
    "bounce-transient",
    "subscription-change-manual-customer",
    "subscription-change-reactivated",
  ])("%s: an empty or null Tag gives no `tags` key", (name) => {
    const [event] = parse(fixtureText(name)).events;
    expect(event).toBeDefined();
    expect(event).not.toHaveProperty("tags");
  });

  it("a record without a Tag member has no `tags` key", () => {
    const [event] = parse(withTag("delivery", undefined)).events;
    expect(event?.type).toBe("delivered");
    expect(event).not.toHaveProperty("tags");
  });

  it("the tag is trimmed; a blank one is none", () => {
    expect(parse(withTag("delivery", "  welcome  ")).events[0]?.tags).toEqual(["welcome"]);
    expect(parse(withTag("delivery", "   ")).events[0]).not.toHaveProperty("tags");
  });

  it("the bounces of a Bounces API page (an import) carry their tags", () => {
    const page = {
      TotalCount: 1,
      Bounces: [{ ...JSON.parse(fixtureText("bounce-transient")), Tag: "digest" }],
    };
    delete page.Bounces[0].RecordType;
    const { events } = postmarkAdapter.parseImport(request(JSON.stringify(page)), ctx);
    expect(events.map((e) => e.tags)).toEqual([["digest"]]);
  });

  it("a 10 000-character Tag is cut to MAX_TAG_CHARS", () => {
    expect(parse(withTag("spam-complaint", LONG_TAG)).events[0]?.tags).toEqual([
      LONG_TAG.slice(0, MAX_TAG_CHARS),
    ]);
  });

  it.each(MALFORMED_TAG_LISTS)(
    "a malformed Tag (%s) is bounded and the record still counts",
    (_, value, expected) => {
      for (const name of ["bounce-hard", "spam-complaint", "subscription-change-unsubscribe", "delivery"]) {
        const { events, ignored } = parse(withTag(name, value));
        expect(events).toHaveLength(1);
        expect(ignored).toBe(0);
        expect(events[0]?.tags).toEqual(expected);
      }
    },
  );
});
