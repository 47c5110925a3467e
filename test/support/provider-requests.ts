/**
 * Genuine and not-genuine webhook requests of every provider, made with keys and credentials
 * generated here (never real ones), for the tests that treat every provider alike: the adapter
 * conformance suite and the unsigned-parts properties. Each builder makes a fresh event (its own ids)
 * for the recipient it is given, dated now.
 *
 * @example
 * const server = await startLocalServer({ port: 0, dataDir: ":memory:", ...WEBHOOK_SERVER_OPTIONS });
 * const request = REQUESTS.sendgrid.genuine("jdoe@example.org");
 * await fetch(`${server.url}/webhooks/sendgrid`, { method: "POST", headers: request.headers, body: request.body });
 */
import { randomBytes, randomInt } from "node:crypto";
import type { LocalServerOptions } from "../../lambdas/local/server.js";
import { PROVIDERS, type Provider } from "../../lambdas/providers/registry.js";
import { createSesAdapter } from "../../lambdas/providers/ses/index.js";
import { newSigningKey, signMailgun } from "../fixtures/mailgun/support.js";
import { FORM, newAppKey, signSendCloud, toForm } from "../fixtures/sendcloud/support.js";
import { sendgridSigner } from "../fixtures/sendgrid/signing.js";
import { asSnsHttp, type Json, sesFixture, TOPIC_ARN } from "./ses-fixtures.js";
import {
  certificateFetcher,
  makeSigningIdentity,
  signSns,
  snsTimestamp,
  TEST_CERT_URL,
} from "./sns-signing.js";

/** One request as it travels: the provider in the path, headers, and the exact body. */
export type Posted = {
  readonly provider: string;
  readonly headers: Record<string, string>;
  readonly body: string;
};

/** What each provider's requests can be made as. */
export type RequestKinds = {
  /** Signed (or credentialed) as the provider does. */
  genuine(recipient: string): Posted;
  /** Signed with another key, or sent with wrong credentials. */
  forged(recipient: string): Posted;
  /** No signature or credentials at all. */
  unsigned(recipient: string): Posted;
  /** A body that is not the provider's format, signed (or credentialed) where the body is signed. */
  malformed(): Posted;
  /**
   * A captured signature used again outside what it vouches for, as requests sent in order: every
   * one but the last is genuine (accepted); the last is the replay, which must be refused. `null`
   * where the provider signs no time or token (basic auth: Postmark, SparkPost), so a replay is the
   * same bytes again, which the store counts as a duplicate.
   */
  replayed(recipient: string): readonly Posted[] | null;
};

const identity = makeSigningIdentity();
const otherIdentity = makeSigningIdentity();
const sendgrid = sendgridSigner();
const otherSendgrid = sendgridSigner();
const MAILGUN_KEY = newSigningKey();
const SENDCLOUD_KEY = newAppKey();
const PM_USER = `pm-${randomBytes(4).toString("hex")}`;
const PM_PASSWORD = randomBytes(18).toString("base64url");
const SP_USER = `sp-${randomBytes(4).toString("hex")}`;
const SP_PASSWORD = randomBytes(18).toString("base64url");

/** Local server options under which every `genuine` request is accepted. */
export const WEBHOOK_SERVER_OPTIONS: Pick<LocalServerOptions, "secrets" | "webhookOptions"> = {
  secrets: {
    SENDGRID_VERIFICATION_KEY: sendgrid.verificationKey,
    MAILGUN_SIGNING_KEY: MAILGUN_KEY,
    POSTMARK_WEBHOOK_USER: PM_USER,
    POSTMARK_WEBHOOK_PASSWORD: PM_PASSWORD,
    SPARKPOST_WEBHOOK_USER: SP_USER,
    SPARKPOST_WEBHOOK_PASSWORD: SP_PASSWORD,
    SENDCLOUD_APP_KEY: SENDCLOUD_KEY,
  },
  webhookOptions: {
    adapters: {
      ses: createSesAdapter({
        allowedTopicArns: () => [TOPIC_ARN],
        fetchCertificate: certificateFetcher({ [TEST_CERT_URL]: identity.certificatePem }),
        confirmSubscription: async () => undefined,
      }),
    },
  },
};

export const salt = (): string => randomBytes(5).toString("hex");
const nowS = () => Math.floor(Date.now() / 1000);
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** An SES fixture made fresh: dated `agoMs` before now, ids of its own, `from` replaced by `to`. */
export function sesRecord(name: string, from: string, to: string, agoMs = 60_000): Json {
  const text = JSON.stringify(sesFixture(name))
    .replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"/g, `"${snsTimestamp(-agoMs)}"`)
    .replaceAll("-000000", `-${salt()}`)
    .replaceAll(from, to);
  return JSON.parse(text) as Json;
}

/** A signed SNS Notification carrying `record` (by `by`, default the trusted identity), sent `agoMs` ago. */
export const signedSns = (record: Json, by = identity, agoMs = 1000): Json =>
  signSns({ ...asSnsHttp(record), Timestamp: snsTimestamp(-agoMs), MessageId: salt() }, by, "2");

/** How SNS posts a document: `text/plain`, with the type header. */
export const sesPosted = (doc: Json): Posted => ({
  provider: "ses",
  headers: { "content-type": "text/plain; charset=UTF-8", "x-amz-sns-message-type": String(doc.Type) },
  body: JSON.stringify(doc),
});

const sesBounce = (recipient: string) => sesRecord("bounce-permanent-general", "jane@example.com", recipient);

function sendgridBody(recipient: string): string {
  return JSON.stringify([
    {
      email: recipient,
      event: "bounce",
      type: "bounce",
      reason: "550 5.1.1 The email account that you tried to reach does not exist",
      status: "5.1.1",
      timestamp: nowS() - 60,
      sg_event_id: `sg-${salt()}`,
      sg_message_id: `m-${salt()}`,
    },
  ]);
}

/** A Mailgun token and timestamp to sign two bodies with (a replay of the first one's signature). */
type Signing = { readonly timestamp: number; readonly token: string };
const oneSigning = (timestamp: number): Signing => ({ timestamp, token: randomBytes(25).toString("hex") });

function mailgunBody(recipient: string, key = MAILGUN_KEY, signing?: Signing): string {
  const body = signMailgun(
    {
      signature: {},
      "event-data": {
        event: "failed",
        severity: "permanent",
        reason: "bounce",
        id: `mg-${salt()}`,
        recipient,
        "delivery-status": { code: 550, message: "5.1.1 user unknown", description: "" },
      },
    },
    key,
    signing ?? {},
  );
  return JSON.stringify(body);
}

function postmarkBody(recipient: string): string {
  return JSON.stringify({
    RecordType: "Bounce",
    ID: randomInt(1, 2 ** 47),
    Type: "HardBounce",
    TypeCode: 1,
    MessageID: `${salt()}-0000-0000-0000-000000000000`,
    Email: recipient,
    BouncedAt: new Date(Date.now() - 60_000).toISOString(),
    Details: "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    Inactive: true,
    CanActivate: true,
    MessageStream: "outbound",
  });
}

function sparkpostBody(recipient: string): string {
  return JSON.stringify([
    {
      msys: {
        message_event: {
          type: "bounce",
          bounce_class: "10",
          event_id: `sp-${salt()}`,
          rcpt_to: recipient,
          raw_rcpt_to: recipient,
          raw_reason: "550 5.1.1 <user>... User unknown",
          reason: "550 5.1.1 ...@... User unknown",
          timestamp: String(nowS() - 60),
        },
      },
    },
  ]);
}

function sendcloudFields(recipient: string, key = SENDCLOUD_KEY, signing?: Signing): Record<string, string> {
  return signSendCloud(
    {
      event: "invalid",
      message: "invalid",
      emailId: `${salt()}$${recipient}`,
      recipient,
      subStat: "406",
      subStatDesc: "user not exist",
    },
    key,
    signing ?? {},
  );
}

const json = { "content-type": "application/json" };

/**
 * Providers whose webhook refuses every request: a raw email carries nothing to verify it by
 * (docs/providers/email.md), so it comes only through `POST /v1/import/email`.
 */
export const WEBHOOKLESS_PROVIDERS: readonly Provider[] = ["email"];

/** The providers that accept webhooks, in the registry's order: those `REQUESTS` has requests for. */
export const WEBHOOK_PROVIDERS = PROVIDERS.filter((p) => !WEBHOOKLESS_PROVIDERS.includes(p));

/** Every webhook provider's requests, keyed by the provider in the path. */
export const REQUESTS: Readonly<Record<string, RequestKinds>> = {
  ses: {
    genuine: (recipient) => sesPosted(signedSns(sesBounce(recipient))),
    forged: (recipient) => sesPosted(signedSns(sesBounce(recipient), otherIdentity)),
    unsigned: (recipient) => {
      const {
        Signature: _s,
        SignatureVersion: _v,
        SigningCertURL: _u,
        ...rest
      } = signedSns(sesBounce(recipient));
      return sesPosted(rest);
    },
    malformed: () => sesPosted(signedSns({ hello: "world" })),
    // SNS signs its Timestamp; a message over an hour old (SNS stops retrying by then) is a replay.
    replayed: (recipient) => [sesPosted(signedSns(sesBounce(recipient), identity, 2 * 3600_000))],
  },
  sendgrid: {
    genuine: (recipient) => {
      const body = sendgridBody(recipient);
      return { provider: "sendgrid", headers: { ...json, ...sendgrid.headers(body) }, body };
    },
    forged: (recipient) => {
      const body = sendgridBody(recipient);
      return { provider: "sendgrid", headers: { ...json, ...otherSendgrid.headers(body) }, body };
    },
    unsigned: (recipient) => ({ provider: "sendgrid", headers: json, body: sendgridBody(recipient) }),
    malformed: () => {
      const body = '{"not":"an array of events"}';
      return { provider: "sendgrid", headers: { ...json, ...sendgrid.headers(body) }, body };
    },
    // The signed timestamp is older than SendGrid's 24 h retry span.
    replayed: (recipient) => {
      const body = sendgridBody(recipient);
      return [
        { provider: "sendgrid", headers: { ...json, ...sendgrid.headers(body, nowS() - 2 * 86_400) }, body },
      ];
    },
  },
  mailgun: {
    genuine: (recipient) => ({ provider: "mailgun", headers: json, body: mailgunBody(recipient) }),
    forged: (recipient) => ({
      provider: "mailgun",
      headers: json,
      body: mailgunBody(recipient, newSigningKey()),
    }),
    unsigned: (recipient) => {
      const doc = JSON.parse(mailgunBody(recipient)) as Json;
      delete doc.signature;
      return { provider: "mailgun", headers: json, body: JSON.stringify(doc) };
    },
    malformed: () => ({ provider: "mailgun", headers: json, body: "[1, 2, 3" }),
    // Mailgun signs timestamp + token, not the body: its token again, on another event.
    replayed: (recipient) => {
      const signing = oneSigning(nowS());
      return [
        { provider: "mailgun", headers: json, body: mailgunBody(`first-${recipient}`, MAILGUN_KEY, signing) },
        { provider: "mailgun", headers: json, body: mailgunBody(recipient, MAILGUN_KEY, signing) },
      ];
    },
  },
  postmark: {
    genuine: (recipient) => ({
      provider: "postmark",
      headers: { ...json, authorization: basic(PM_USER, PM_PASSWORD) },
      body: postmarkBody(recipient),
    }),
    forged: (recipient) => ({
      provider: "postmark",
      headers: { ...json, authorization: basic(PM_USER, `${PM_PASSWORD}x`) },
      body: postmarkBody(recipient),
    }),
    unsigned: (recipient) => ({ provider: "postmark", headers: json, body: postmarkBody(recipient) }),
    malformed: () => ({
      provider: "postmark",
      headers: { ...json, authorization: basic(PM_USER, PM_PASSWORD) },
      body: '{"RecordType": 42}',
    }),
    replayed: () => null,
  },
  sparkpost: {
    genuine: (recipient) => ({
      provider: "sparkpost",
      headers: { ...json, authorization: basic(SP_USER, SP_PASSWORD) },
      body: sparkpostBody(recipient),
    }),
    forged: (recipient) => ({
      provider: "sparkpost",
      headers: { ...json, authorization: basic("someone", SP_PASSWORD) },
      body: sparkpostBody(recipient),
    }),
    unsigned: (recipient) => ({ provider: "sparkpost", headers: json, body: sparkpostBody(recipient) }),
    malformed: () => ({
      provider: "sparkpost",
      headers: { ...json, authorization: basic(SP_USER, SP_PASSWORD) },
      body: '{"msys": "not a batch"}',
    }),
    replayed: () => null,
  },
  sendcloud: {
    genuine: (recipient) => ({
      provider: "sendcloud",
      headers: { "content-type": FORM },
      body: toForm(sendcloudFields(recipient)),
    }),
    forged: (recipient) => ({
      provider: "sendcloud",
      headers: { "content-type": FORM },
      body: toForm(sendcloudFields(recipient, newAppKey())),
    }),
    unsigned: (recipient) => {
      const { token: _t, signature: _s, ...fields } = sendcloudFields(recipient);
      return { provider: "sendcloud", headers: { "content-type": FORM }, body: toForm(fields) };
    },
    malformed: () => ({ provider: "sendcloud", headers: json, body: "[1, 2, 3" }),
    // SendCloud signs timestamp + token, not the fields: its token again, on another event.
    replayed: (recipient) => {
      const signing = oneSigning(Date.now());
      const posted = (to: string): Posted => ({
        provider: "sendcloud",
        headers: { "content-type": FORM },
        body: toForm(sendcloudFields(to, SENDCLOUD_KEY, signing)),
      });
      return [posted(`first-${recipient}`), posted(recipient)];
    },
  },
};
