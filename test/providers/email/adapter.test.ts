/**
 * The `email` provider (lambdas/providers/email/adapter.ts): a raw DSN and an ARF report through the
 * adapter, `POST /v1/import/email` over HTTP against the local server (dry run and stored), the
 * refusals (too large 413, unreadable 400, never a 500), and `POST /webhooks/email`, which refuses
 * every request.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../lambdas/core/errors.js";
import { NormalizedEventSchema } from "../../../lambdas/core/events.js";
import { providerProblem } from "../../../lambdas/handlers/webhook-request.js";
import {
  EMAIL_WEBHOOK_SLUG,
  EmailParseError,
  EmailTooLargeError,
  emailAdapter,
  MAX_EMAIL_BYTES,
  rawReportId,
} from "../../../lambdas/providers/email/index.js";
import { ADAPTERS } from "../../../lambdas/providers/registry.js";
import { WebhookAuthError, type WebhookRequest } from "../../../lambdas/providers/types.js";
import { call, expectProblem, useLocalServer } from "../../local/http-helpers.js";

const FIXTURES = new URL("../../fixtures/email/", import.meta.url);
const fixture = (name: string): Buffer => readFileSync(new URL(name, FIXTURES));
const DSN = fixture("dsn-user-unknown.eml");
const ARF = fixture("arf-abuse.eml");
const RECEIVED_AT = new Date("2026-11-20T12:00:00.000Z");
const context = { tenant: "acme", receivedAt: RECEIVED_AT };
const request = (body: Buffer | string): WebhookRequest => ({
  rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body),
  headers: { "content-type": "message/rfc822" },
  query: {},
});

async function parse(body: Buffer | string) {
  const result = await emailAdapter.parseImport(request(body), context);
  for (const event of result.events) expect(NormalizedEventSchema.parse(event)).toEqual(event);
  return result;
}

describe("the email adapter", () => {
  it("is the registry's email provider, with no secret and no setting", () => {
    expect(ADAPTERS.email).toBe(emailAdapter);
    expect(emailAdapter.provider).toBe("email");
    expect(emailAdapter.secretNames).toEqual([]);
    expect(emailAdapter.settingNames).toEqual([]);
  });

  it("reads a DSN: one hard bounce for its recipient, keyed by the report's Message-ID", async () => {
    const { events, ignored } = await parse(DSN);
    expect(ignored).toBe(0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      tenant: "acme",
      provider: "email",
      recipient: "jdoe@example.org",
      type: "invalid",
      subtype: "mailbox_not_found",
      reason: "user_unknown",
      scope: "*",
      eventId: "<20261120100001.3F2A81C0042@mx.sender.example.com>#jdoe@example.org",
      smtp: { code: "550", enhanced: "5.1.1" },
    });
  });

  it("reads an ARF report: one complaint with its feedback type", async () => {
    const { events, ignored } = await parse(ARF);
    expect(ignored).toBe(0);
    expect(events).toEqual([
      expect.objectContaining({
        provider: "email",
        recipient: "richard@example.com",
        type: "complaint",
        feedbackType: "abuse",
        rule: "arf-complaint",
        eventId: "<fbl-7f3a9c@isp.example.net>#richard@example.com",
      }),
    ]);
  });

  it("keys a report without Message-ID by the SHA-256 of its raw bytes, the same on every import", async () => {
    const raw = Buffer.from(DSN.toString("latin1").replace(/^Message-Id: .*\r\n/im, ""), "latin1");
    const first = await parse(raw);
    const again = await parse(raw);
    const id = rawReportId(raw);
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.events[0]?.eventId).toBe(`${id}#jdoe@example.org`);
    expect(again.events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
  });

  it("acknowledges a message that is no report as ignored", async () => {
    const result = await parse("From: a@example.org\r\nSubject: hello\r\n\r\nJust a note.\r\n");
    expect(result).toEqual({ events: [], ignored: 1 });
  });

  it("refuses an empty body with an InputError", async () => {
    await expect(parse("")).rejects.toBeInstanceOf(InputError);
    await expect(parse("  \r\n")).rejects.toBeInstanceOf(InputError);
  });

  it("refuses an email over MAX_EMAIL_BYTES with EmailTooLargeError, answered 413", async () => {
    const error = await parse(Buffer.alloc(MAX_EMAIL_BYTES + 1, "a")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailTooLargeError);
    expect(providerProblem(error)).toMatchObject({ status: 413, slug: "email-too-large" });
  });

  it("answers EmailParseError with 400 email-unparseable", () => {
    expect(providerProblem(new EmailParseError("unreadable MIME: x"))).toMatchObject({
      status: 400,
      slug: "email-unparseable",
    });
  });

  it("refuses every webhook before reading anything: there is nothing to verify an email by", async () => {
    const verifyContext = { secrets: () => "x", now: RECEIVED_AT, replayGuard: async () => true };
    const refusal = await emailAdapter.verify(request(DSN), verifyContext).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(WebhookAuthError);
    expect(refusal).toMatchObject({ status: 403, slug: EMAIL_WEBHOOK_SLUG });
    expect((refusal as Error).message).toContain("POST /v1/import/email");
  });
});

describe("POST /v1/import/email over HTTP", () => {
  const KEY = "test-key-email-import";
  const running = useLocalServer(KEY);
  const importEmail = (body: Buffer | string, query = "") =>
    call(running().url, "POST", `/v1/import/email${query}`, {
      key: KEY,
      raw: body,
      contentType: "message/rfc822",
    });

  it("dry run: answers the DSN's events and decisions, storing nothing", async () => {
    const answer = await importEmail(DSN, "?dryRun=true");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ dryRun: true, accepted: 0, ignored: 0 });
    expect(answer.body.events).toEqual([
      expect.objectContaining({ provider: "email", recipient: "jdoe@example.org", type: "invalid" }),
    ]);
    const check = await call(running().url, "POST", "/v1/check", {
      key: KEY,
      body: { addresses: ["jdoe@example.org"] },
    });
    expect(check.body.suppressedCount).toBe(0);
  });

  it("stores the ARF complaint once; the same email again is a duplicate", async () => {
    const first = await importEmail(ARF);
    const again = await importEmail(ARF);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
    const check = await call(running().url, "POST", "/v1/check", {
      key: KEY,
      body: { addresses: ["richard@example.com"] },
    });
    expect(check.body.suppressedCount).toBe(1);
  });

  it("answers a body too large with 413, never 500", async () => {
    const answer = await importEmail(Buffer.alloc(MAX_EMAIL_BYTES + 1, "a"));
    expectProblem(answer, 413);
  });

  it("answers garbage with a 400 problem or an ignored summary, never 500", async () => {
    for (const body of [
      Buffer.from([0, 159, 146, 150, 255, 0, 1]),
      "not an email at all",
      "Content-Type: multipart/report; boundary=x\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\n\r\n--x--",
      "",
    ]) {
      const answer = await importEmail(body, "?dryRun=true");
      expect(answer.status, String(body)).toBeLessThan(500);
      if (answer.status === 200) expect(answer.body).toMatchObject({ accepted: 0, ignored: 1 });
      else expectProblem(answer, 400);
    }
  });

  it("refuses POST /webhooks/email, whatever it carries, naming the import route", async () => {
    const answer = await call(running().url, "POST", "/webhooks/email", {
      raw: DSN,
      contentType: "message/rfc822",
    });
    expectProblem(answer, 403);
    expect(String(answer.body.detail)).toContain("POST /v1/import/email");
    expect(String(answer.body.type)).toContain(EMAIL_WEBHOOK_SLUG);
  });
});
