/**
 * Nothing outside what a provider signs may change what is ingested (issue #9, defect 1).
 *
 * For every webhook: a genuine request, signed with keys made here, is posted with one unsigned part
 * added or changed — an extra header, a query string, a member SNS never sends, an unsigned SNS
 * member, or (Mailgun and SendCloud, which sign only `timestamp + token`) the body under a token
 * already used. The answer must be a 4xx refusal, or a 200 whose events are exactly those of the
 * signed part (computed here with the provider's own parser on the genuine request). Runs over real
 * sockets against the local server on its embedded store, with a fixed seed.
 */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { adapterOf } from "../../lambdas/providers/registry.js";
import { parseSes } from "../../lambdas/providers/ses/index.js";
import type { WebhookRequest } from "../../lambdas/providers/types.js";
import { toForm } from "../fixtures/sendcloud/support.js";
import { call, useLocalServer } from "../local/http-helpers.js";
import {
  type Posted,
  REQUESTS,
  salt,
  sesPosted,
  sesRecord,
  signedSns,
  WEBHOOK_SERVER_OPTIONS,
} from "../support/provider-requests.js";
import { snsTimestamp } from "../support/sns-signing.js";

const API_KEY = "test-key-unsigned-parts";
const SEED = 20261201;
const RUNS = 25;

/** What an event is, for comparing what was ingested with what was signed. */
type EventKey = { eventId: string; recipient: string; type: string };

/** The events a provider's parser reads from the genuine request: the signed part's events. */
function signedEvents(posted: Posted): EventKey[] {
  const request: WebhookRequest = { rawBody: Buffer.from(posted.body), headers: posted.headers, query: {} };
  const context = { tenant: "default", receivedAt: new Date() };
  const parsed =
    posted.provider === "ses"
      ? parseSes(JSON.parse(String(JSON.parse(posted.body).Message)), context)
      : adapterOf(posted.provider)?.parseImport(request, context);
  // Every provider with webhook requests parses synchronously (raw email, which does not, has none).
  if (parsed === undefined || parsed instanceof Promise)
    throw new Error(`no synchronous parser for ${posted.provider}`);
  return parsed.events.map(({ eventId, recipient, type }) => ({ eventId, recipient, type }));
}

const keysOf = (events: unknown): EventKey[] =>
  (events as EventKey[]).map(({ eventId, recipient, type }) => ({ eventId, recipient, type }));

/** What a forger would slip in: a complaint, dated now, for the victim. */
const sesComplaint = (victim: string) => sesRecord("complaint-abuse", "richard@example.com", victim);
const sesDelivery = (recipient: string) => sesRecord("delivery", "jane@example.com", recipient);
const sesBounce = (recipient: string) => sesRecord("bounce-permanent-general", "jane@example.com", recipient);

/** A fresh, genuinely signed request of each provider, for one recipient of its own. */
const GENUINE: Record<string, (recipient: string) => Posted> = Object.fromEntries(
  Object.entries(REQUESTS).map(([provider, kinds]) => [provider, kinds.genuine]),
);

/** Headers each provider reads (signature, credentials, type): changing them is not "unsigned". */
const READ_HEADERS = new Set([
  "authorization",
  "content-type",
  "content-length",
  "host",
  "x-amz-sns-message-type",
  "x-twilio-email-event-webhook-signature",
  "x-twilio-email-event-webhook-timestamp",
]);

const headerName = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,24}$/)
  .filter(
    (name) => !READ_HEADERS.has(name) && !name.startsWith("connection") && name !== "transfer-encoding",
  );
const headerValue = fc.stringMatching(/^[!-~][ -~]{0,60}$/);
const unsignedHeaders = fc.dictionary(headerName, headerValue, { maxKeys: 6 });
const queryParams = fc.dictionary(
  fc.oneof(fc.constantFrom("dryRun", "provider", "tenant", "scope", "Records"), fc.string({ maxLength: 12 })),
  fc.string({ maxLength: 40 }),
  { maxKeys: 5 },
);

describe("webhooks: nothing outside what a provider signs changes what is ingested", () => {
  const running = useLocalServer(API_KEY, WEBHOOK_SERVER_OPTIONS);

  const post = (
    posted: Posted,
    query: Record<string, string> = {},
    extraHeaders: Record<string, string> = {},
  ) => {
    const search = new URLSearchParams(query).toString();
    return call(running().url, "POST", `/webhooks/${posted.provider}${search ? `?${search}` : ""}`, {
      raw: posted.body,
      contentType: posted.headers["content-type"] ?? "application/json",
      headers: { ...extraHeaders, ...posted.headers },
    });
  };
  const isSuppressed = async (address: string, scope?: string) => {
    const body = { addresses: [address], ...(scope ? { scope } : {}) };
    const answer = await call(running().url, "POST", "/v1/check", { key: API_KEY, body });
    return answer.body.suppressedCount === 1;
  };

  it("refuses a genuine SNS message with a forged `Records` member, and ingests nothing of it", async () => {
    // Prepare: a genuine Delivery notification, and a complaint for the victim slipped in beside it.
    const victim = `victim-${salt()}@example.org`;
    const doc = signedSns(sesDelivery(`sender-${salt()}@example.org`));
    const forged = {
      ...doc,
      Records: [{ eventSource: "aws:sqs", body: JSON.stringify(sesComplaint(victim)) }],
    };
    // Act
    const answers = [
      await post(sesPosted(forged)),
      await post(sesPosted(forged)),
      await post(sesPosted(forged)),
    ];
    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(String(answer.body.type)).toMatch(/sns-unexpected-member$/);
      expect(String(answer.body.detail)).toContain('"Records"');
    }
    expect(await isSuppressed(victim)).toBe(false);
    // The genuine message alone is still accepted, and is exactly its signed delivery.
    const genuine = await post(sesPosted(doc));
    expect(genuine.status).toBe(200);
    expect(keysOf(genuine.body.events)).toEqual(signedEvents(sesPosted(doc)));
  });

  it("cannot lift an unsubscribe with a forged resubscribe beside a genuine message", async () => {
    const address = `unsub-${salt()}@example.org`;
    const unsubscribe = sesRecord(
      "ep-subscription-unsubscribe-all",
      "recipient@example.com",
      address,
      120_000,
    );
    expect((await post(sesPosted(signedSns(unsubscribe)))).status).toBe(200);
    // The fixture's contact list is the scope of its unsubscribe.
    expect(await isSuppressed(address, "ContactListName")).toBe(true);
    const resubscribe = sesRecord("ep-subscription-resubscribe", "recipient@example.com", address, 30_000);
    const carrier = signedSns(sesDelivery(`other-${salt()}@example.org`));
    const forged = { ...carrier, Records: [{ eventSource: "aws:sqs", body: JSON.stringify(resubscribe) }] };
    expect((await post(sesPosted(forged))).status).toBe(400);
    expect(await isSuppressed(address, "ContactListName")).toBe(true);
  });

  it("SNS: any member SNS never sends is refused, whatever its name and value", async () => {
    const known = new Set(Object.keys(signedSns(sesBounce("k@example.org"))));
    known.add("Subject").add("MessageAttributes");
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 20 }).filter((name) => !known.has(name)),
        fc.jsonValue({ maxDepth: 3 }),
        async (name, value) => {
          const recipient = `extra-${salt()}@example.org`;
          const doc = { ...signedSns(sesBounce(recipient)), [name]: value };
          const answer = await post(sesPosted(doc));
          expect(answer.status).toBe(400);
          expect(String(answer.body.type)).toMatch(/sns-unexpected-member$/);
          expect(await isSuppressed(recipient)).toBe(false);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("SNS: the unsigned members SNS does send (UnsubscribeURL, MessageAttributes) change nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }),
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 10 }),
          fc.record({ Type: fc.constant("String"), Value: fc.string() }),
          {
            maxKeys: 3,
          },
        ),
        async (unsubscribeUrl, attributes) => {
          const genuine = GENUINE.ses?.(`attrs-${salt()}@example.org`) as Posted;
          const doc = {
            ...JSON.parse(genuine.body),
            UnsubscribeURL: unsubscribeUrl,
            MessageAttributes: attributes,
          };
          const answer = await post(sesPosted(doc));
          expect(answer.status).toBe(200);
          expect(keysOf(answer.body.events)).toEqual(signedEvents(genuine));
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("SNS: a changed signed member is refused", async () => {
    const signed = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn"] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...signed),
        fc.string({ minLength: 1, maxLength: 40 }),
        async (member, text) => {
          const recipient = `changed-${salt()}@example.org`;
          const doc = signedSns(sesBounce(recipient));
          const changed =
            member === "Message"
              ? { ...doc, Message: JSON.stringify(sesComplaint(`victim-${salt()}@example.org`)) }
              : member === "Timestamp"
                ? { ...doc, Timestamp: snsTimestamp(-2000) }
                : { ...doc, [member]: `${String(doc[member] ?? "")}${text}` };
          const answer = await post(sesPosted(changed));
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
          expect(await isSuppressed(recipient)).toBe(false);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it.each(Object.keys(GENUINE))(
    "%s: added headers and a query string give a refusal or exactly the signed events",
    async (provider) => {
      const genuineOf = GENUINE[provider] as (recipient: string) => Posted;
      await fc.assert(
        fc.asyncProperty(unsignedHeaders, queryParams, async (headers, query) => {
          const genuine = genuineOf(`hq-${salt()}@example.org`);
          const answer = await post(genuine, query, headers);
          if (answer.status === 200) expect(keysOf(answer.body.events)).toEqual(signedEvents(genuine));
          else {
            expect(answer.status).toBeGreaterThanOrEqual(400);
            expect(answer.status).toBeLessThan(500);
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
  );

  it("sendgrid: any change to the signed body is refused", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (position, delta) => {
        const recipient = `sgbody-${salt()}@example.org`;
        const genuine = GENUINE.sendgrid?.(recipient) as Posted;
        const bytes = Buffer.from(genuine.body);
        const at = position % bytes.length;
        bytes[at] = ((bytes[at] as number) + delta) % 256;
        const answer = await post({ ...genuine, body: bytes.toString("latin1") });
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(await isSuppressed(recipient)).toBe(false);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  /**
   * Mailgun and SendCloud sign only `timestamp + token`, by their design: the event itself is not
   * signed. The replay guard binds a token to the first body it came with, so once the genuine
   * request is in, no other body can ride on its signature.
   */
  it.each([
    [
      "mailgun",
      (body: string, victim: string) => {
        const doc = JSON.parse(body);
        doc["event-data"].recipient = victim;
        return JSON.stringify(doc);
      },
    ],
    [
      "sendcloud",
      (body: string, victim: string) => {
        const fields = Object.fromEntries(new URLSearchParams(body));
        fields.recipient = victim;
        fields.emailId = `${salt()}$${victim}`;
        return toForm(fields);
      },
    ],
  ] as const)("%s: another body under a token already used is refused", async (provider, retarget) => {
    const genuineOf = GENUINE[provider] as (recipient: string) => Posted;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), async (reorder) => {
        const genuine = genuineOf(`tok-${salt()}@example.org`);
        const victim = `victim-${salt()}@example.org`;
        const first = await post(genuine);
        expect(first.status).toBe(200);
        expect(keysOf(first.body.events)).toEqual(signedEvents(genuine));
        const body = retarget(genuine.body, victim);
        const forged = reorder ? `${body}&` : body;
        const answer = await post({ ...genuine, body: provider === "mailgun" ? body : forged });
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(await isSuppressed(victim)).toBe(false);
      }),
      { seed: SEED, numRuns: 10 },
    );
  });
});
