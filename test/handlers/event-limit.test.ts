/**
 * One limit on every ingest route (issue #9, defect 5): `MAX_EVENTS_PER_REQUEST + 1` events answer
 * 413 problem+json `too-many-events` before anything is stored, on `POST /v1/import/{provider}` for
 * every provider whose payload can carry many events, and on the signed `POST /webhooks/{provider}`
 * of every adapter (SES's webhook is covered by its own suite). A dry run of exactly the limit is
 * accepted, so the boundary is where the constant says.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_EVENTS_PER_REQUEST } from "../../lambdas/handlers/webhook-request.js";
import { ADAPTERS } from "../../lambdas/providers/registry.js";
import { sesRecipientCount } from "../../lambdas/providers/ses/index.js";
import { TooManyEventsError } from "../../lambdas/providers/types.js";
import { mailgunFixture, newSigningKey, signMailgun } from "../fixtures/mailgun/support.js";
import { FORM, newAppKey, sendcloudFixture, signSendCloud, toForm } from "../fixtures/sendcloud/support.js";
import { sendgridEvents, sendgridSigner } from "../fixtures/sendgrid/signing.js";
import { type Answer, call, expectProblem, useLocalServer } from "../local/http-helpers.js";

type Json = Record<string, unknown>;

const KEY = "test-key-event-limit";
const OVER = MAX_EVENTS_PER_REQUEST + 1;
const signer = sendgridSigner();
const MAILGUN_KEY = newSigningKey();
const SENDCLOUD_KEY = newAppKey();
const BASIC = { user: "limit-hook", password: "limit-password" };
const SECRETS = {
  SENDGRID_VERIFICATION_KEY: signer.verificationKey,
  MAILGUN_SIGNING_KEY: MAILGUN_KEY,
  SENDCLOUD_APP_KEY: SENDCLOUD_KEY,
  POSTMARK_WEBHOOK_USER: BASIC.user,
  POSTMARK_WEBHOOK_PASSWORD: BASIC.password,
  SPARKPOST_WEBHOOK_USER: BASIC.user,
  SPARKPOST_WEBHOOK_PASSWORD: BASIC.password,
};
const basicAuth = `Basic ${Buffer.from(`${BASIC.user}:${BASIC.password}`).toString("base64")}`;
const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/${path}.json`, import.meta.url), "utf8"));

/** `n` distinct recipients of one run, so no test sees another's suppressions. */
const recipients = (n: number, tag: string): string[] => {
  const run = randomBytes(3).toString("hex");
  return Array.from({ length: n }, (_, i) => `${tag}${i}.${run}@limit.example.org`);
};

/** Each provider's payload carrying one event per address (a single SES record / SendCloud request fans out). */
const PAYLOADS: Record<string, (to: readonly string[]) => unknown> = {
  sendgrid: (to) => {
    const [event] = sendgridEvents("bounce-invalid-address");
    const timestamp = Math.floor(Date.now() / 1000) - 60;
    return to.map((email, i) => ({ ...event, email, timestamp, sg_event_id: `limit-${email}-${i}` }));
  },
  mailgun: (to) => {
    const data = mailgunFixture("complained")["event-data"];
    return { items: to.map((recipient, i) => ({ ...data, id: `limit-${i}-${recipient}`, recipient })) };
  },
  postmark: (to) => {
    const record = fixture("postmark/spam-complaint") as Json;
    return to.map((Email, i) => ({ ...record, ID: 1_000_000 + i, MessageID: `limit-${Email}`, Email }));
  },
  sparkpost: (to) => {
    const [element] = fixture("sparkpost/bounce-invalid-recipient") as { msys: { message_event: Json } }[];
    const event = element?.msys.message_event ?? {};
    const timestamp = String(Math.floor(Date.now() / 1000) - 60);
    return to.map((rcpt, i) => ({
      msys: {
        message_event: {
          ...event,
          event_id: `limit-${i}-${rcpt}`,
          rcpt_to: rcpt,
          raw_rcpt_to: rcpt,
          timestamp,
        },
      },
    }));
  },
  sendcloud: (to) => {
    const fields = sendcloudFixture("request");
    const messageId = `${Date.now()}_limit_${randomBytes(3).toString("hex")}`;
    return {
      ...fields,
      timestamp: String(Date.now()),
      messageId,
      recipientArray: JSON.stringify(to),
      emailIds: JSON.stringify(to.map((r, i) => `${messageId}${i}$${r}`)),
    };
  },
  ses: (to) => {
    const record = fixture("ses/bounce-permanent-general") as { bounce: Json; mail: Json };
    const [first] = record.bounce.bouncedRecipients as Json[];
    return {
      ...record,
      bounce: {
        ...record.bounce,
        feedbackId: `limit-${randomBytes(4).toString("hex")}`,
        bouncedRecipients: to.map((emailAddress) => ({ ...first, emailAddress })),
      },
      mail: { ...record.mail, destination: to },
    };
  },
};

/** The payload of `provider` for these recipients. */
function payload(provider: string, to: readonly string[]): unknown {
  const build = PAYLOADS[provider];
  if (build === undefined) throw new Error(`no payload builder for ${provider}`);
  return build(to);
}

describe("the per-request event limit", () => {
  const running = useLocalServer(KEY, { secrets: SECRETS });

  const importPayload = (provider: string, body: unknown, dryRun = false) =>
    call(running().url, "POST", `/v1/import/${provider}${dryRun ? "?dryRun=true" : ""}`, { key: KEY, body });

  const expectNothingStored = async (addresses: readonly string[]) => {
    const verdict = await call(running().url, "POST", "/v1/check", {
      key: KEY,
      body: { addresses: [addresses[0], addresses.at(-1)] },
    });
    expect(verdict.status).toBe(200);
    expect(verdict.body.results).toEqual([
      expect.objectContaining({ suppressed: false }),
      expect.objectContaining({ suppressed: false }),
    ]);
  };

  const expectTooMany = (answer: Answer) => {
    expectProblem(answer, 413);
    expect(answer.body.type).toBe("https://suppression-service.dev/problems/too-many-events");
    expect(String(answer.body.detail)).toContain(`At most ${MAX_EVENTS_PER_REQUEST} events per request`);
  };

  it.each(Object.keys(PAYLOADS))(
    "POST /v1/import/%s: limit + 1 events → 413, nothing stored",
    async (provider) => {
      // Prepare
      const to = recipients(OVER, `${provider}-over`);
      // Act
      const answer = await importPayload(provider, payload(provider, to));
      // Assess
      expectTooMany(answer);
      await expectNothingStored(to);
    },
  );

  it.each(["sendgrid", "ses"])(
    "POST /v1/import/%s?dryRun=true: exactly the limit is accepted",
    async (provider) => {
      // Prepare
      const to = recipients(MAX_EVENTS_PER_REQUEST, `${provider}-at`);
      // Act
      const answer = await importPayload(provider, payload(provider, to), true);
      // Assess
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ dryRun: true, accepted: 0 });
      expect(answer.body.events).toHaveLength(MAX_EVENTS_PER_REQUEST);
    },
  );

  it("POST /v1/import/ses: an SQS event whose records add up to limit + 1 → 413", async () => {
    // Prepare
    const to = recipients(OVER, "ses-sqs");
    const records = [to.slice(0, 250), to.slice(250, 500), to.slice(500)].map((part) => ({
      eventSource: "aws:sqs",
      body: JSON.stringify(payload("ses", part)),
    }));
    // Act
    const answer = await importPayload("ses", { Records: records });
    // Assess
    expectTooMany(answer);
    await expectNothingStored(to);
  });

  it("POST /v1/import/ses: 100 000 bounced recipients are refused from their count, before parsing", async () => {
    // Prepare
    const record = payload("ses", ["a@limit.example.org"]) as { bounce: Json };
    const bouncedRecipients = Array.from({ length: 100_000 }, (_, i) => ({
      emailAddress: `r${i}@x.example`,
    }));
    // Act
    const answer = await importPayload("ses", { ...record, bounce: { ...record.bounce, bouncedRecipients } });
    // Assess
    expectTooMany(answer);
    expect(String(answer.body.detail)).toContain("got 100000 recipients");
  });

  describe("POST /webhooks/{provider}, signed", () => {
    const post = async (provider: string, body: string, headers: Record<string, string>) => {
      const res = await fetch(`${running().url}/webhooks/${provider}`, { method: "POST", headers, body });
      const text = await res.text();
      return {
        status: res.status,
        type: res.headers.get("content-type") ?? "",
        body: text ? JSON.parse(text) : {},
      };
    };
    const json = { "content-type": "application/json" };

    it("sendgrid: limit + 1 events → 413, nothing stored", async () => {
      const to = recipients(OVER, "hook-sendgrid");
      const body = JSON.stringify(payload("sendgrid", to));
      expectTooMany(await post("sendgrid", body, { ...json, ...signer.headers(body) }));
      await expectNothingStored(to);
    });

    it("sparkpost: limit + 1 events → 413, nothing stored", async () => {
      const to = recipients(OVER, "hook-sparkpost");
      const body = JSON.stringify(payload("sparkpost", to));
      expectTooMany(await post("sparkpost", body, { ...json, authorization: basicAuth }));
      await expectNothingStored(to);
    });

    it("postmark: limit + 1 records → 413, nothing stored", async () => {
      const to = recipients(OVER, "hook-postmark");
      const body = JSON.stringify(payload("postmark", to));
      expectTooMany(await post("postmark", body, { ...json, authorization: basicAuth }));
      await expectNothingStored(to);
    });

    it("mailgun: a signed body with limit + 1 items → 413, nothing stored", async () => {
      const to = recipients(OVER, "hook-mailgun");
      const signed = signMailgun(mailgunFixture("complained"), MAILGUN_KEY);
      const items = (payload("mailgun", to) as { items: Json[] }).items;
      const body = JSON.stringify({ signature: signed.signature, items });
      expectTooMany(await post("mailgun", body, json));
      await expectNothingStored(to);
    });

    it("sendcloud: a signed request to limit + 1 recipients → 413, nothing stored", async () => {
      const to = recipients(OVER, "hook-sendcloud");
      const fields = signSendCloud(payload("sendcloud", to) as Record<string, string>, SENDCLOUD_KEY);
      expectTooMany(await post("sendcloud", toForm(fields), { "content-type": FORM }));
      await expectNothingStored(to);
    });
  });
});

describe("sesRecipientCount, and the SES import counting recipients before it parses", () => {
  const record = (n: number) => payload("ses", recipients(n, "count"));

  it("counts recipients through every SES envelope", () => {
    // Prepare
    const bare = record(3);
    const sns = {
      Type: "Notification",
      TopicArn: "arn:aws:sns:us-east-1:1:t",
      Message: JSON.stringify(bare),
    };
    const sqs = {
      Records: [
        { eventSource: "aws:sqs", body: JSON.stringify(sns) },
        { eventSource: "aws:sqs", body: JSON.stringify(bare) },
      ],
    };
    const lambda = { Records: [{ EventSource: "aws:sns", Sns: { Message: JSON.stringify(bare) } }] };
    const eventBridge = { source: "aws.ses", "detail-type": "Email Bounced", detail: bare };
    const complaint = { eventType: "Complaint", complaint: { complainedRecipients: [{}, {}] } };
    const delivery = { notificationType: "Delivery", delivery: { recipients: ["a@b.example"] } };
    // Act / Assess
    expect(sesRecipientCount(bare)).toBe(3);
    expect(sesRecipientCount(JSON.stringify(sns))).toBe(3);
    expect(sesRecipientCount(sqs)).toBe(6);
    expect(sesRecipientCount(lambda)).toBe(3);
    expect(sesRecipientCount(eventBridge)).toBe(3);
    expect(sesRecipientCount(complaint)).toBe(2);
    expect(sesRecipientCount(delivery)).toBe(1);
    expect(sesRecipientCount({ Message: "not json" })).toBe(0);
    expect(sesRecipientCount(null)).toBe(0);
  });

  it("refuses more recipients than the limit before parsing, and lets the limit through", () => {
    const parseImport = (body: unknown) =>
      ADAPTERS.ses.parseImport(
        { rawBody: Buffer.from(JSON.stringify(body)), headers: {}, query: {} },
        { tenant: "t", receivedAt: new Date(), maxEvents: MAX_EVENTS_PER_REQUEST },
      );
    expect(parseImport(record(MAX_EVENTS_PER_REQUEST)).events).toHaveLength(MAX_EVENTS_PER_REQUEST);
    expect(() => parseImport(record(OVER))).toThrow(TooManyEventsError);
    expect(() => parseImport(record(OVER))).toThrow(`got ${OVER} recipients`);
  });
});
