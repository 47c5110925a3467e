/**
 * SendCloud `labelId` → the event's `tags` (docs/providers/sendcloud.md, "Tags"): the id as a
 * string (`"12345"`, not prefixed), from a form or a JSON body, in any spelling; `0` (SendCloud's
 * "no label"), empty or none → no `tags` key; a malformed `labelId` never refuses the event.
 */
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../lambdas/core/events.js";
import { MAX_TAG_CHARS, MAX_TAGS } from "../../../lambdas/core/limits.js";
import {
  SENDCLOUD_APP_KEY,
  sendcloudAdapter,
  sendcloudTags,
} from "../../../lambdas/providers/sendcloud/index.js";
import type { WebhookRequest } from "../../../lambdas/providers/types.js";
import {
  FIXTURES,
  FORM,
  newAppKey,
  type SendCloudFields,
  sendcloudFixture,
  signSendCloud,
  toForm,
} from "../../fixtures/sendcloud/support.js";
import { expectValidTags, LONG_TAG, MANY_TAGS } from "../shared/tag-cases.js";

const ctx = { tenant: "acme", receivedAt: new Date("2026-11-24T12:00:00Z") };

const formRequest = (fields: SendCloudFields | string): WebhookRequest => ({
  rawBody: Buffer.from(typeof fields === "string" ? fields : toForm(fields)),
  headers: { "content-type": FORM },
  query: {},
});
const jsonRequest = (body: unknown): WebhookRequest => ({
  rawBody: Buffer.from(JSON.stringify(body)),
  headers: { "content-type": "application/json" },
  query: {},
});

function parse(request: WebhookRequest) {
  const result = sendcloudAdapter.parse(request, ctx);
  for (const event of result.events) expectValidTags(event);
  return result;
}

/** A fixture's fields with `labelId` set to `value` (removed when undefined). */
function withLabel(name: string, value: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = sendcloudFixture(name);
  if (value === undefined) delete fields.labelId;
  else fields.labelId = value;
  return fields;
}

describe("sendcloud: labelId → tags", () => {
  it("a form-posted invalid event keeps its label id as a string, and the whole event is as expected", () => {
    const { events, ignored } = parse(formRequest({ ...sendcloudFixture("invalid-406"), labelId: "12345" }));
    expect(ignored).toBe(0);
    expect(events).toEqual([
      {
        tenant: "acme",
        provider: "sendcloud",
        eventId: expect.stringMatching(/#invalid$/),
        recipient: "jdoe@example.org",
        type: "invalid",
        subtype: expect.any(String),
        reason: expect.any(String),
        rule: expect.any(String),
        occurredAt: expect.any(String),
        scope: "*",
        smtp: expect.anything(),
        feedbackType: null,
        unsubscribeReason: null,
        resubscribe: false,
        tags: ["12345"],
      } satisfies Record<keyof NormalizedEvent, unknown>,
    ]);
  });

  it("a number in a JSON body is the same tag", () => {
    expect(parse(jsonRequest(withLabel("deliver", 12345))).events[0]?.tags).toEqual(["12345"]);
  });

  it("any spelling of the field is read (`label_id`, `LabelId`)", () => {
    for (const name of ["label_id", "LabelId", "labelid"]) {
      const fields = withLabel("deliver", undefined);
      fields[name] = "777";
      expect(parse(jsonRequest(fields)).events[0]?.tags).toEqual(["777"]);
    }
  });

  it("every recipient of a `request` carries the label", () => {
    const { events } = parse(formRequest({ ...sendcloudFixture("request"), labelId: "42" }));
    expect(events).toHaveLength(2);
    for (const event of events) expect(event.tags).toEqual(["42"]);
  });

  it.each(FIXTURES.filter(([, type]) => type !== "ignored"))(
    "%s: the fixture's labelId 0 (no label) gives no `tags` key",
    (name) => {
      const { events } = parse(formRequest(sendcloudFixture(name)));
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) expect(event).not.toHaveProperty("tags");
    },
  );

  it.each<[string, unknown]>([
    ["absent", undefined],
    ["0 as a number", 0],
    ["00", "00"],
    ["an empty string", ""],
    ["white space", "   "],
  ])("labelId %s gives no `tags` key", (_, value) => {
    const [event] = parse(jsonRequest(withLabel("report_spam", value))).events;
    expect(event?.type).toBe("complaint");
    expect(event).not.toHaveProperty("tags");
  });

  it.each<[string, unknown, string[] | undefined]>([
    ["an object", { id: 1 }, undefined],
    ["a nested list", [[1, 2]], undefined],
    ["a boolean", true, undefined],
    ["a list of numbers", [1, 2, 0, 3.5], ["1", "2", "3.5"]],
    ["500 ids", MANY_TAGS, MANY_TAGS.slice(0, MAX_TAGS)],
    ["a 10 000-character id", LONG_TAG, [LONG_TAG.slice(0, MAX_TAG_CHARS)]],
  ])("a malformed labelId (%s) is bounded and the event still counts", (_, value, expected) => {
    const { events, ignored } = parse(jsonRequest(withLabel("soft_bounce-503", value)));
    expect(events).toHaveLength(1);
    expect(ignored).toBe(0);
    expect(events[0]?.tags).toEqual(expected);
  });

  it("a label id repeated in a form is one tag", () => {
    const form = `${toForm(withLabel("deliver", undefined) as SendCloudFields)}&labelId=9&labelId=9`;
    expect(parse(formRequest(form)).events[0]?.tags).toEqual(["9"]);
  });

  it("a signed webhook keeps the label (verify, then parse)", async () => {
    const key = newAppKey();
    const fields = signSendCloud({ ...sendcloudFixture("invalid-401"), labelId: "5150" }, key);
    const context = {
      secrets: (name: string) => (name === SENDCLOUD_APP_KEY ? key : undefined),
      now: new Date(),
      replayGuard: async () => true,
    };
    const verified = await sendcloudAdapter.verify(formRequest(fields), context);
    expect(sendcloudAdapter.parse(verified, ctx).events[0]?.tags).toEqual(["5150"]);
  });

  it("sendcloudTags: the id as a string; 0 is none", () => {
    expect(sendcloudTags(12345)).toEqual(["12345"]);
    expect(sendcloudTags(" 12345 ")).toEqual(["12345"]);
    expect(sendcloudTags("0")).toBeUndefined();
    expect(sendcloudTags(undefined)).toBeUndefined();
  });
});
