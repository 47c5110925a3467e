/**
 * `POST /webhooks/ses` over real sockets (the local server), with SNS messages signed in the test by
 * a generated key and self-signed certificate, served through an injected certificate fetcher.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type LocalServer, type LocalServerOptions, startLocalServer } from "../../lambdas/local/server.js";
import { createSesAdapter } from "../../lambdas/providers/ses/index.js";
import { type Answer, call, expectProblem, withFlakyStore } from "../local/http-helpers.js";
import { asSnsConfirmation, asSnsHttp, type Json, sesFixture, TOPIC_ARN } from "../support/ses-fixtures.js";
import {
  certificateFetcher,
  makeSigningIdentity,
  type RecordingFetcher,
  signSns,
  snsTimestamp,
  TEST_CERT_URL,
} from "../support/sns-signing.js";

const KEY = "test-key-webhook";
const identity = makeSigningIdentity();

/** A bounce for `recipient`, dated now, with ids unique to `salt` (so it is not a duplicate of another test's). */
function bounce(salt: string, recipient = `${salt}@example.org`): Json {
  const text = JSON.stringify(sesFixture("bounce-permanent-general"))
    .replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"/g, `"${snsTimestamp(-60_000)}"`)
    .replaceAll("-000000", `-${salt}`)
    .replaceAll("jane@example.com", recipient);
  return JSON.parse(text) as Json;
}

/** A signed SNS Notification carrying `record`, stamped now. */
const notification = (record: Json, version: "1" | "2" = "1", overrides: Json = {}) =>
  signSns({ ...asSnsHttp(record), Timestamp: snsTimestamp(-1000), ...overrides }, identity, version);

const confirmation = (
  type: "SubscriptionConfirmation" | "UnsubscribeConfirmation" = "SubscriptionConfirmation",
) => signSns({ ...asSnsConfirmation(type), Timestamp: snsTimestamp(-1000) }, identity, "2");

/** POSTs `doc` as SNS does: `text/plain`, with the `x-amz-sns-*` headers (the type header overridable). */
async function deliver(
  server: LocalServer,
  doc: Json | string,
  options: { type?: string | null; provider?: string } = {},
): Promise<Answer> {
  const body = typeof doc === "string" ? doc : JSON.stringify(doc);
  const parsed = typeof doc === "string" ? {} : doc;
  const type = options.type === undefined ? String(parsed.Type) : options.type;
  const headers: Record<string, string> = {
    "content-type": "text/plain; charset=UTF-8",
    "user-agent": "Amazon Simple Notification Service Agent",
    "x-amz-sns-message-id": String(parsed.MessageId ?? ""),
    "x-amz-sns-topic-arn": String(parsed.TopicArn ?? ""),
  };
  if (type !== null) headers["x-amz-sns-message-type"] = type;
  const res = await fetch(`${server.url}/webhooks/${options.provider ?? "ses"}`, {
    method: "POST",
    headers,
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    body: text ? JSON.parse(text) : {},
  };
}

type Seams = { fetcher: RecordingFetcher; confirmed: string[]; confirmFails: boolean };

/** A local server whose webhook fetches certificates and confirms subscriptions through the test. */
function useWebhookServer(extra: Partial<LocalServerOptions> = {}, topics: string[] | null = [TOPIC_ARN]) {
  const seams: Seams = {
    fetcher: certificateFetcher({ [TEST_CERT_URL]: identity.certificatePem }),
    confirmed: [],
    confirmFails: false,
  };
  let server: LocalServer | undefined;
  beforeAll(async () => {
    server = await startLocalServer({
      port: 0,
      dataDir: ":memory:",
      apiKey: KEY,
      logLevel: "SILENT",
      ...extra,
      webhookOptions: {
        adapters: {
          ses: createSesAdapter({
            ...(topics ? { allowedTopicArns: () => topics } : {}),
            fetchCertificate: (url) => seams.fetcher(url),
            confirmSubscription: async (url) => {
              seams.confirmed.push(url);
              if (seams.confirmFails) throw new Error("SNS unreachable");
            },
          }),
        },
      },
    });
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    seams.fetcher.calls.length = 0;
    seams.confirmed.length = 0;
    seams.confirmFails = false;
  });
  return {
    seams,
    running: () => {
      if (!server) throw new Error("the local server is not started yet");
      return server;
    },
  };
}

describe("POST /webhooks/ses: signed notifications are ingested", () => {
  const { seams, running } = useWebhookServer();
  const check = (addresses: string[]) =>
    call(running().url, "POST", "/v1/check", { key: KEY, body: { addresses } });

  it.each(["1", "2"] as const)("ingests a bounce signed with SignatureVersion %s", async (version) => {
    const record = bounce(`v${version}`);
    const answer = await deliver(running(), notification(record, version));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      accepted: 1,
      duplicates: 0,
      dryRun: false,
      events: [{ recipient: `v${version}@example.org`, type: "invalid", provider: "ses" }],
      decisions: [{ action: "suppress", cause: "bounce", outcome: "suppressed" }],
    });
    expect(seams.fetcher.calls).toEqual([TEST_CERT_URL]);
    expect((await check([`v${version}@example.org`])).body).toMatchObject({ suppressedCount: 1 });
  });

  it("counts SNS's redelivery of the same message as a duplicate", async () => {
    const doc = notification(bounce("redelivered"));
    const first = await deliver(running(), doc);
    const again = await deliver(running(), doc);
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it("confirms a verified SubscriptionConfirmation by visiting its SubscribeURL exactly once", async () => {
    const doc = confirmation();
    const answer = await deliver(running(), doc);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      sns: "SubscriptionConfirmation",
      topicArn: TOPIC_ARN,
      messageId: doc.MessageId,
      confirmed: true,
    });
    expect(seams.confirmed).toEqual([doc.SubscribeURL]);
  });

  it("logs an UnsubscribeConfirmation and visits nothing", async () => {
    const doc = confirmation("UnsubscribeConfirmation");
    const answer = await deliver(running(), doc);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ sns: "UnsubscribeConfirmation", confirmed: false });
    expect(seams.confirmed).toEqual([]);
  });
});

describe("POST /webhooks/ses: refusals", () => {
  const { seams, running } = useWebhookServer();
  const S3_URL =
    "https://s3.amazonaws.com/attacker/SimpleNotificationService-7506a1e35b36ef5a444dd1a8e7cc3ed8.pem";
  const FOREIGN = `arn:aws:sns:us-east-1:999999999999:ses-notifications`;

  it.each<[string, () => Json, number, string]>([
    [
      "a topic of another account",
      () => notification(bounce("f1"), "1", { TopicArn: FOREIGN }),
      401,
      "sns-topic-not-allowed",
    ],
    [
      "a foreign cert host",
      () =>
        signSns(
          { ...asSnsHttp(bounce("f2")), Timestamp: snsTimestamp() },
          identity,
          "1",
          "https://evil.example/SimpleNotificationService-a.pem",
        ),
      401,
      "sns-cert-url",
    ],
    [
      "an S3 cert URL",
      () => signSns({ ...asSnsHttp(bounce("f3")), Timestamp: snsTimestamp() }, identity, "2", S3_URL),
      401,
      "sns-cert-url",
    ],
    [
      "a query-string cert URL",
      () =>
        signSns(
          { ...asSnsHttp(bounce("f4")), Timestamp: snsTimestamp() },
          identity,
          "1",
          `${TEST_CERT_URL}?Action=x`,
        ),
      401,
      "sns-cert-url",
    ],
    [
      "an HTTP cert URL",
      () =>
        signSns(
          { ...asSnsHttp(bounce("f5")), Timestamp: snsTimestamp() },
          identity,
          "1",
          TEST_CERT_URL.replace("https:", "http:"),
        ),
      401,
      "sns-cert-url",
    ],
    [
      "SignatureVersion 3",
      () => ({ ...notification(bounce("f6")), SignatureVersion: "3" }),
      401,
      "sns-signature-version",
    ],
    ["no signature (raw delivery)", () => bounce("f7"), 401, "sns-topic-not-allowed"],
    [
      "a message older than an hour",
      () => notification(bounce("f8"), "2", { Timestamp: snsTimestamp(-3_700_000) }),
      401,
      "sns-stale",
    ],
  ])("refuses %s with %i and fetches nothing", async (_name, make, status, slug) => {
    const answer = await deliver(running(), make(), { type: "Notification" });
    expectProblem(answer, status);
    expect(answer.body.type).toBe(`https://suppression-service.dev/problems/${slug}`);
    expect(seams.fetcher.calls).toEqual([]);
  });

  it("refuses a tampered field (the signature check needs the certificate) and stores nothing", async () => {
    const doc = notification(bounce("tampered", "victim@example.org"));
    const forged = {
      ...doc,
      Message: String(doc.Message).replaceAll("victim@example.org", "other@example.org"),
    };
    const answer = await deliver(running(), forged);
    expectProblem(answer, 401);
    expect(answer.body.type).toMatch(/sns-bad-signature$/);
    const checked = await call(running().url, "POST", "/v1/check", {
      key: KEY,
      body: { addresses: ["victim@example.org", "other@example.org"] },
    });
    expect(checked.body).toMatchObject({ suppressedCount: 0 });
  });

  it.each([
    ["another type", "SubscriptionConfirmation"],
    ["no header", null],
  ])("answers 400 when the message-type header is missing or disagrees (%s)", async (_name, type) => {
    const answer = await deliver(running(), notification(bounce("hdr")), { type });
    expectProblem(answer, 400);
    expect(seams.fetcher.calls).toEqual([]);
  });

  it("answers 400 to a body that is not JSON and 404 to an unknown provider", async () => {
    expectProblem(await deliver(running(), "{not json", { type: "Notification" }), 400);
    const unknown = await deliver(running(), notification(bounce("p")), { provider: "sendgrid-nope" });
    expectProblem(unknown, 404);
    expect(unknown.body.detail).toContain("supported: ses");
  });

  it("never confirms a forged or misdirected SubscriptionConfirmation", async () => {
    const good = confirmation();
    const cases: [Json, string][] = [
      [{ ...good, Signature: confirmation("UnsubscribeConfirmation").Signature }, "sns-bad-signature"],
      [
        signSns({ ...asSnsConfirmation(), Timestamp: snsTimestamp(), TopicArn: FOREIGN }, identity, "2"),
        "sns-topic-not-allowed",
      ],
      [
        signSns({ ...good, SubscribeURL: "https://evil.example/?Action=ConfirmSubscription" }, identity, "2"),
        "sns-subscribe-url",
      ],
      [
        signSns(
          {
            ...good,
            SubscribeURL: String(good.SubscribeURL).replace("us-east-1.amazonaws", "eu-west-1.amazonaws"),
          },
          identity,
          "2",
        ),
        "sns-subscribe-url",
      ],
      [makeUnsigned(good), "sns-missing-signature"],
    ];
    for (const [doc, slug] of cases) {
      const answer = await deliver(running(), doc);
      expectProblem(answer, 401);
      expect(answer.body.type).toBe(`https://suppression-service.dev/problems/${slug}`);
    }
    expect(seams.confirmed).toEqual([]);
  });

  it("answers 503 when the certificate cannot be fetched or SNS does not confirm (SNS retries 5xx)", async () => {
    seams.fetcher = certificateFetcher({});
    const noCert = await deliver(running(), notification(bounce("nocert")));
    expectProblem(noCert, 503);
    seams.fetcher = certificateFetcher({ [TEST_CERT_URL]: identity.certificatePem });
    seams.confirmFails = true;
    expectProblem(await deliver(running(), confirmation()), 503);
    expect(seams.confirmed).toHaveLength(1);
  });
});

function makeUnsigned(doc: Json): Json {
  const { Signature: _s, SignatureVersion: _v, SigningCertURL: _c, ...rest } = doc;
  return rest;
}

describe("POST /webhooks/ses: SNS_TOPIC_ARNS from the environment", () => {
  const { seams, running } = useWebhookServer({}, null);
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("answers 401 naming SNS_TOPIC_ARNS when it is not set, and fetches nothing", async () => {
    vi.stubEnv("SNS_TOPIC_ARNS", "");
    const answer = await deliver(running(), notification(bounce("unset")));
    expectProblem(answer, 401);
    expect(answer.body.detail).toContain("SNS_TOPIC_ARNS");
    expect(seams.fetcher.calls).toEqual([]);
  });

  it("accepts a topic listed in SNS_TOPIC_ARNS (comma-separated, read at request time)", async () => {
    vi.stubEnv("SNS_TOPIC_ARNS", ` arn:aws:sns:eu-west-1:123456789012:other , ${TOPIC_ARN}`);
    const answer = await deliver(running(), notification(bounce("env")));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 1 });
  });
});

describe("POST /webhooks/ses when the store is down", () => {
  it("answers 503 (so SNS retries), then the retry stores the event once", async () => {
    const fetcher = certificateFetcher({ [TEST_CERT_URL]: identity.certificatePem });
    await withFlakyStore(
      KEY,
      {
        webhookOptions: {
          adapters: {
            ses: createSesAdapter({ allowedTopicArns: () => [TOPIC_ARN], fetchCertificate: fetcher }),
          },
        },
      },
      async (server, proxy) => {
        const doc = notification(bounce("outage"));
        proxy.fail("down");
        const failed = await deliver(server, doc);
        expectProblem(failed, 503);
        proxy.heal();
        const retried = await deliver(server, doc);
        const again = await deliver(server, doc);
        expect(retried.status).toBe(200);
        expect(retried.body).toMatchObject({ accepted: 1, duplicates: 0 });
        expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
      },
    );
  });
});
