/**
 * SparkPost `rcpt_tags` → the event's `tags` (docs/providers/sparkpost.md, "Tags"): on
 * `message_event` and `unsubscribe_event` events; none → no `tags` key; malformed tags never refuse
 * the batch and are bounded.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../lambdas/core/events.js";
import { sparkpostAdapter } from "../../../lambdas/providers/sparkpost/index.js";
import type { WebhookRequest } from "../../../lambdas/providers/types.js";
import { expectValidTags, MALFORMED_TAG_LISTS } from "../shared/tag-cases.js";

const ctx = { tenant: "acme", receivedAt: new Date("2026-11-24T12:00:00Z") };

type Element = { msys: Record<string, Record<string, unknown>> };
const fixture = (name: string): Element[] =>
  JSON.parse(
    readFileSync(new URL(`../../fixtures/sparkpost/${name}.json`, import.meta.url), "utf8"),
  ) as Element[];

const request = (body: unknown): WebhookRequest => ({
  rawBody: Buffer.from(JSON.stringify(body)),
  headers: { "content-type": "application/json" },
  query: {},
});

function parse(body: unknown) {
  const result = sparkpostAdapter.parse(request(body), ctx);
  for (const event of result.events) expectValidTags(event);
  return result;
}

/** The fixture's one event (of whatever class) with `rcpt_tags` set to `value` (removed when undefined). */
function withTags(name: string, value: unknown): Element[] {
  const body = fixture(name);
  for (const payload of Object.values(body[0]?.msys ?? {})) {
    if (value === undefined) delete payload.rcpt_tags;
    else payload.rcpt_tags = value;
  }
  return body;
}

describe("sparkpost: rcpt_tags → tags", () => {
  it("a bounce keeps the recipient's tags, and the whole event is as expected", () => {
    const { events, ignored } = parse(fixture("bounce-invalid-recipient"));
    expect(ignored).toBe(0);
    expect(events).toEqual([
      {
        tenant: "acme",
        provider: "sparkpost",
        eventId: "92356927693813804",
        recipient: "recipient@example.com",
        type: "invalid",
        subtype: "mailbox_not_found",
        reason: "user_unknown",
        rule: expect.any(String),
        occurredAt: "2026-01-01T10:00:00.000Z",
        scope: "*",
        smtp: expect.objectContaining({ code: "550", enhanced: "5.1.1" }),
        feedbackType: null,
        unsubscribeReason: null,
        resubscribe: false,
        tags: ["male", "US"],
      } satisfies Record<keyof NormalizedEvent, unknown>,
    ]);
  });

  it.each([
    "injection",
    "delivery",
    "bounce-mailbox-full",
    "out-of-band",
    "policy-rejection",
    "spam-complaint",
    "list-unsubscribe",
    "link-unsubscribe",
  ])("%s: the event carries rcpt_tags", (name) => {
    const [event] = parse(fixture(name)).events;
    expect(event?.tags).toEqual(["male", "US"]);
  });

  it("each element of a batch keeps its own tags", () => {
    const body = [...withTags("delivery", ["a"]), ...withTags("list-unsubscribe", ["b", "c"])];
    expect(parse(body).events.map((e) => [e.type, e.tags])).toEqual([
      ["delivered", ["a"]],
      ["unsubscribe", ["b", "c"]],
    ]);
  });

  it("an event without rcpt_tags (or with `rcpt_tags: []`) has no `tags` key", () => {
    for (const value of [undefined, []]) {
      const [event] = parse(withTags("bounce-invalid-recipient", value)).events;
      expect(event?.type).toBe("invalid");
      expect(event).not.toHaveProperty("tags");
    }
  });

  it.each(MALFORMED_TAG_LISTS)(
    "malformed rcpt_tags (%s) are bounded and the event still counts",
    (_, value, expected) => {
      for (const name of ["bounce-invalid-recipient", "link-unsubscribe"]) {
        const { events, ignored } = parse(withTags(name, value));
        expect(events).toHaveLength(1);
        expect(ignored).toBe(0);
        expect(events[0]?.tags).toEqual(expected);
      }
    },
  );
});
