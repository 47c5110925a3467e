/**
 * Issue #9, defects 3 and 7a, for every provider's parse: a huge diagnostic is stored capped at
 * `MAX_DIAGNOSTIC_CHARS`; an event id longer than `MAX_EVENT_ID_CHARS` is refused with an
 * `InputError`; a body nested 100 000 levels deep is refused with an `InputError` that says so
 * (Postmark's used to say "Maximum call stack size exceeded").
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { InputError } from "../../lambdas/core/errors.js";
import {
  MAX_DIAGNOSTIC_CHARS,
  MAX_EVENT_ID_CHARS,
  NormalizedEventSchema,
  type ParsedNotification,
} from "../../lambdas/core/events.js";
import { MAX_JSON_DEPTH } from "../../lambdas/core/json.js";
import { ADAPTERS, type Provider } from "../../lambdas/providers/registry.js";
import type { WebhookRequest } from "../../lambdas/providers/types.js";

/** The providers whose payloads are JSON (raw email has its own tests: test/providers/email/). */
type JsonProvider = Exclude<Provider, "email">;

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const ctx = { tenant: "acme", receivedAt: new Date("2026-11-24T12:00:00Z") };

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited freely by path below.
type Doc = any;
const fixture = (provider: JsonProvider, name: string): Doc =>
  JSON.parse(readFileSync(`${FIXTURES}${provider}/${name}.json`, "utf8"));

const request = (body: string | Buffer): WebhookRequest => ({
  rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body),
  headers: { "content-type": "application/json" },
  query: {},
});

function parse(provider: JsonProvider, body: string | Buffer): ParsedNotification {
  const result = ADAPTERS[provider].parseImport(request(body), ctx);
  for (const event of result.events) expect(NormalizedEventSchema.parse(event)).toEqual(event);
  return result;
}

function refusal(provider: JsonProvider, body: string | Buffer): InputError {
  try {
    parse(provider, body);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

/** A reply the classifier reads as user_unknown, then 420 KB of transcript. */
const HEAD = "550 5.1.1 <jdoe@example.org>: Recipient address rejected: User unknown";
const HUGE = `${HEAD} ${"x".repeat(420 * 1024)}`;
const LONG_ID = "i".repeat(100_000);

/** Per provider: a bounce fixture with its diagnostic set to `text`, and one with its id set to `id`. */
const CASES: Record<JsonProvider, { diagnostic(text: string): Doc; eventId(id: string): Doc }> = {
  ses: {
    diagnostic: (text) => {
      const body = fixture("ses", "bounce-permanent-general");
      body.bounce.bouncedRecipients[0].diagnosticCode = `smtp; ${text}`;
      return body;
    },
    eventId: (id) => {
      const body = fixture("ses", "bounce-permanent-general");
      body.bounce.feedbackId = id;
      return body;
    },
  },
  sendgrid: {
    diagnostic: (text) => {
      const body = fixture("sendgrid", "bounce-invalid-address");
      body[0].reason = text;
      return body;
    },
    eventId: (id) => {
      const body = fixture("sendgrid", "bounce-invalid-address");
      body[0].sg_event_id = id;
      return body;
    },
  },
  mailgun: {
    diagnostic: (text) => {
      const body = fixture("mailgun", "failed-permanent-bounce");
      body["event-data"]["delivery-status"].message = text;
      return body;
    },
    eventId: (id) => {
      const body = fixture("mailgun", "failed-permanent-bounce");
      body["event-data"].id = id;
      return body;
    },
  },
  postmark: {
    diagnostic: (text) => ({ ...fixture("postmark", "bounce-hard"), Details: `smtp;${text}` }),
    eventId: (id) => ({ ...fixture("postmark", "delivery"), MessageID: id }),
  },
  sparkpost: {
    diagnostic: (text) => {
      const body = fixture("sparkpost", "bounce-invalid-recipient");
      body[0].msys.message_event.raw_reason = text;
      return body;
    },
    eventId: (id) => {
      const body = fixture("sparkpost", "bounce-invalid-recipient");
      body[0].msys.message_event.event_id = id;
      return body;
    },
  },
  sendcloud: {
    diagnostic: (text) => ({ ...fixture("sendcloud", "invalid-406"), cause: text }),
    eventId: (id) => ({ ...fixture("sendcloud", "invalid-406"), emailId: `${id}$jdoe@example.org` }),
  },
};
const PROVIDERS = Object.keys(CASES) as JsonProvider[];

describe.each(PROVIDERS)("%s: limits of what is stored", (provider) => {
  const cases = CASES[provider];

  it("stores a 420 KB diagnostic cut to MAX_DIAGNOSTIC_CHARS, classified from what is kept", () => {
    // Act
    const { events } = parse(provider, JSON.stringify(cases.diagnostic(HUGE)));
    // Assess
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event.smtp?.diagnostic?.length).toBe(MAX_DIAGNOSTIC_CHARS);
      expect(event.smtp?.diagnostic).toContain(HEAD);
      expect(event.type).toBe("invalid");
    }
  });

  it("keeps a diagnostic of exactly MAX_DIAGNOSTIC_CHARS whole", () => {
    const text = `${HEAD} ${"y".repeat(MAX_DIAGNOSTIC_CHARS)}`.slice(0, MAX_DIAGNOSTIC_CHARS - 8);
    const { events } = parse(provider, JSON.stringify(cases.diagnostic(text)));
    for (const event of events) expect(event.smtp?.diagnostic).toContain(text);
  });

  it("refuses a 100 KB event id with an InputError", () => {
    // Act
    const error = refusal(provider, JSON.stringify(cases.eventId(LONG_ID)));
    // Assess
    expect(error.message.length).toBeLessThan(300);
    expect(JSON.stringify(error.issues).length).toBeLessThan(2000);
  });

  it.each([
    ["arrays", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
    ["objects", `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`],
    ["mixed, unclosed", '[{"a":'.repeat(50_000)],
  ])("refuses 100 000-deep %s with an InputError that says so", (_kind, body) => {
    // Act
    const error = refusal(provider, body);
    // Assess
    expect(error.message).toMatch(new RegExp(`nested deeper than ${MAX_JSON_DEPTH} levels`));
    expect(error.message).not.toMatch(/stack|RangeError|internal/i);
  });

  it("refuses a valid payload carrying a 100 000-deep value in a field we do not read", () => {
    // Arrange: the deep value is valid JSON, spliced in as text (JSON.stringify would recurse).
    const valid = JSON.stringify(cases.diagnostic(HEAD));
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const body = valid.startsWith("[")
      ? valid.replace(/^\[\{/, `[{"extra":${deep},`)
      : valid.replace(/^\{/, `{"extra":${deep},`);
    // Act
    const error = refusal(provider, body);
    // Assess
    expect(error.message).toMatch(/nested deeper than/);
  });

  it(`accepts a payload nested exactly ${MAX_JSON_DEPTH} levels deep, refuses one level more`, () => {
    const valid = JSON.stringify(cases.diagnostic(HEAD));
    // The extra member goes into the first object: level 1 of an object body, 2 of a batch.
    const outer = valid.startsWith("[") ? 2 : 1;
    const withExtra = (depth: number): string => {
      const deep = `${"[".repeat(depth)}${"]".repeat(depth)}`;
      return valid.startsWith("[")
        ? valid.replace(/^\[\{/, `[{"extra":${deep},`)
        : valid.replace(/^\{/, `{"extra":${deep},`);
    };
    expect(parse(provider, withExtra(MAX_JSON_DEPTH - outer)).events.length).toBeGreaterThan(0);
    expect(refusal(provider, withExtra(MAX_JSON_DEPTH - outer + 1)).message).toMatch(/nested deeper than/);
  });
});

describe("sendcloud: list fields", () => {
  it("refuses a `request` whose emailIds item would make an event id over MAX_EVENT_ID_CHARS", () => {
    const body = {
      ...fixture("sendcloud", "request"),
      emailIds: JSON.stringify([
        `${"e".repeat(MAX_EVENT_ID_CHARS)}$jdoe@example.org`,
        "e2$ann.lee@example.com",
      ]),
    };
    const error = refusal("sendcloud", JSON.stringify(body));
    expect(error.issues).toEqual([expect.objectContaining({ path: "emailIds" })]);
  });

  it("reads a 100 000-deep recipientArray string as no list, without overflowing the stack", () => {
    const body = {
      ...fixture("sendcloud", "request"),
      recipientArray: `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
    };
    const result = parse("sendcloud", JSON.stringify(body));
    expect(result.events).toEqual([]);
  });
});
