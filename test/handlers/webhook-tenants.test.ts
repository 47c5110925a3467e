/**
 * `POST /webhooks/{provider}/{tenant}` over real sockets: each tenant's webhooks are checked with
 * that tenant's own secrets and settings (`tenantSecrets`, what `TENANT_SECRETS` / the secret's
 * `tenants` member hold) and store under that tenant only; `/webhooks/{provider}` is tenant
 * `default`. Mailgun stands for the signed ESPs; SES for the SNS topic setting.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSesAdapter } from "../../lambdas/providers/ses/index.js";
import { mailgunFixture, newSigningKey, signMailgun } from "../fixtures/mailgun/support.js";
import { call, expectProblem, useLocalServer } from "../local/http-helpers.js";
import { asSnsHttp, type Json, sesFixture } from "../support/ses-fixtures.js";
import {
  certificateFetcher,
  makeSigningIdentity,
  signSns,
  snsTimestamp,
  TEST_CERT_URL,
} from "../support/sns-signing.js";

const KEY = "test-key-webhook-tenants";
const DEFAULT_KEY = newSigningKey();
const ACME_KEY = newSigningKey();
const DEFAULT_TOPIC = "arn:aws:sns:eu-west-1:111122223333:ses-default";
const ACME_TOPIC = "arn:aws:sns:eu-west-1:444455556666:ses-acme";
const identity = makeSigningIdentity();

/** A Mailgun permanent failure for a fresh recipient, signed with `key`. */
function mailgunBounce(key: string): { body: unknown; recipient: string } {
  const body = mailgunFixture("failed-permanent-bounce");
  const salt = randomBytes(4).toString("hex");
  const recipient = `tenant-${salt}@example.org`;
  body["event-data"].id = `${String(body["event-data"].id)}-${salt}`;
  body["event-data"].recipient = recipient;
  return { body: signMailgun(body, key), recipient };
}

/** An SES permanent bounce for a fresh recipient, in a signed SNS notification of `topic`. */
function sesBounce(topic: string): { doc: Json; recipient: string } {
  const salt = randomBytes(4).toString("hex");
  const recipient = `ses-${salt}@example.org`;
  const text = JSON.stringify(sesFixture("bounce-permanent-general"))
    .replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"/g, `"${snsTimestamp(-60_000)}"`)
    .replaceAll("-000000", `-${salt}`)
    .replaceAll("jane@example.com", recipient);
  const record = JSON.parse(text) as Json;
  const doc = signSns(
    { ...asSnsHttp(record), TopicArn: topic, Timestamp: snsTimestamp(-1000) },
    identity,
    "2",
  );
  return { doc, recipient };
}

describe("POST /webhooks/{provider}/{tenant} over HTTP", () => {
  const running = useLocalServer(KEY, {
    secrets: { MAILGUN_SIGNING_KEY: DEFAULT_KEY, SNS_TOPIC_ARNS: DEFAULT_TOPIC },
    tenantSecrets: { acme: { MAILGUN_SIGNING_KEY: ACME_KEY, SNS_TOPIC_ARNS: ACME_TOPIC } },
    webhookOptions: {
      adapters: {
        ses: createSesAdapter({
          fetchCertificate: certificateFetcher({ [TEST_CERT_URL]: identity.certificatePem }),
        }),
      },
    },
  });
  const post = (path: string, body: unknown) => call(running().url, "POST", path, { body });
  const postSns = (path: string, doc: Json) =>
    call(running().url, "POST", path, {
      raw: JSON.stringify(doc),
      contentType: "text/plain; charset=UTF-8",
      headers: { "x-amz-sns-message-type": String(doc.Type) },
    });
  /** Whether `address` is suppressed for `tenant` (the bootstrap key acts for any tenant). */
  const suppressedFor = async (tenant: string, address: string): Promise<boolean> => {
    const answer = await call(running().url, "POST", "/v1/check", {
      key: KEY,
      body: { addresses: [address] },
      headers: { "x-tenant": tenant },
    });
    expect(answer.status).toBe(200);
    return Number(answer.body.suppressedCount) === 1;
  };

  it("ingests a tenant's webhook signed with its own secret, for that tenant only", async () => {
    const { body, recipient } = mailgunBounce(ACME_KEY);
    const answer = await post("/webhooks/mailgun/acme", body);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 1 });
    expect(await suppressedFor("acme", recipient)).toBe(true);
    expect(await suppressedFor("default", recipient)).toBe(false);
  });

  it("keeps /webhooks/{provider} as tenant default, with the default secrets", async () => {
    const { body, recipient } = mailgunBounce(DEFAULT_KEY);
    expect((await post("/webhooks/mailgun", body)).status).toBe(200);
    expect(await suppressedFor("default", recipient)).toBe(true);
    expect(await suppressedFor("acme", recipient)).toBe(false);
  });

  it("refuses another tenant's signature, and a tenant without secrets (never the default's)", async () => {
    const signedByDefault = mailgunBounce(DEFAULT_KEY);
    expectProblem(await post("/webhooks/mailgun/acme", signedByDefault.body), 406);
    expect(await suppressedFor("acme", signedByDefault.recipient)).toBe(false);
    const unconfigured = await post("/webhooks/mailgun/zeta", mailgunBounce(DEFAULT_KEY).body);
    expectProblem(unconfigured, 406);
    expect(String(unconfigured.body.detail)).toContain("MAILGUN_SIGNING_KEY");
  });

  it("answers 404 for a tenant id that cannot exist, and for an unknown provider", async () => {
    const { body } = mailgunBounce(ACME_KEY);
    expectProblem(await post("/webhooks/mailgun/Not_A%20Tenant", body), 404);
    expectProblem(await post("/webhooks/nope/acme", body), 404);
  });

  it("checks SES messages against the tenant's own SNS topics", async () => {
    const own = sesBounce(ACME_TOPIC);
    const accepted = await postSns("/webhooks/ses/acme", own.doc);
    expect(accepted.status).toBe(200);
    expect(await suppressedFor("acme", own.recipient)).toBe(true);
    expect(await suppressedFor("default", own.recipient)).toBe(false);

    const defaultsTopic = sesBounce(DEFAULT_TOPIC);
    expectProblem(await postSns("/webhooks/ses/acme", defaultsTopic.doc), 401);
    expectProblem(await postSns("/webhooks/ses/zeta", sesBounce(DEFAULT_TOPIC).doc), 401);
    expect((await postSns("/webhooks/ses", defaultsTopic.doc)).status).toBe(200);
    expect(await suppressedFor("default", defaultsTopic.recipient)).toBe(true);
  });
});
