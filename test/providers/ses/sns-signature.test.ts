import { describe, expect, it } from "vitest";
import { signingCertUrlProblem, subscribeUrlProblem } from "../../../lambdas/providers/ses/sns-cert-url.js";
import {
  cachingFetcher,
  SnsCertificateUnavailableError,
  SnsVerificationError,
  type SnsVerificationReason,
  stringToSign,
  type VerifyOptions,
  verifySnsMessage,
} from "../../../lambdas/providers/ses/sns-signature.js";
import {
  asSnsConfirmation,
  asSnsHttp,
  type Json,
  sesFixture,
  TOPIC_ARN,
} from "../../support/ses-fixtures.js";
import {
  certificateFetcher,
  makeSigningIdentity,
  signSns,
  snsTimestamp,
  TEST_CERT_URL,
} from "../../support/sns-signing.js";

const identity = makeSigningIdentity();
const NOW = new Date();
const fresh = (doc: Json): Json => ({ ...doc, Timestamp: snsTimestamp(-60_000, NOW.getTime()) });
const notification = (overrides: Json = {}): Json => ({
  ...fresh(asSnsHttp(sesFixture("bounce-permanent-general"))),
  ...overrides,
});

function setup(options: Partial<VerifyOptions> = {}) {
  const fetchCertificate = certificateFetcher({ [TEST_CERT_URL]: identity.certificatePem });
  const verify = (doc: unknown) =>
    verifySnsMessage(doc, { allowedTopicArns: [TOPIC_ARN], fetchCertificate, now: NOW, ...options });
  return { fetchCertificate, verify };
}

async function refusal(promise: Promise<unknown>): Promise<SnsVerificationReason> {
  const error = await promise.then(
    () => {
      throw new Error("verification passed");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SnsVerificationError);
  return (error as SnsVerificationError).reason;
}

describe("verifySnsMessage: real signatures (self-signed key, injected fetcher)", () => {
  it.each(["1", "2"] as const)("accepts a Notification signed with SignatureVersion %s", async (version) => {
    const { fetchCertificate, verify } = setup();
    const doc = signSns(notification(), identity, version);
    const verified = await verify(doc);
    expect(verified).toMatchObject({
      type: "Notification",
      topicArn: TOPIC_ARN,
      messageId: doc.MessageId,
      signatureVersion: version,
      certHost: "sns.us-east-1.amazonaws.com",
      subscribeUrl: null,
    });
    expect(fetchCertificate.calls).toEqual([TEST_CERT_URL]);
  });

  it("accepts a Subject, and a null Subject is left out of the signed string", async () => {
    const { verify } = setup();
    await expect(
      verify(signSns(notification({ Subject: "Amazon SES Email Event" }), identity)),
    ).resolves.toBeTruthy();
    await expect(verify(signSns(notification({ Subject: null }), identity, "2"))).resolves.toBeTruthy();
  });

  it.each(["SubscriptionConfirmation", "UnsubscribeConfirmation"] as const)(
    "accepts a signed %s and returns its SubscribeURL and Token",
    async (type) => {
      const { verify } = setup();
      const doc = signSns(fresh(asSnsConfirmation(type)), identity, "2");
      const verified = await verify(doc);
      expect(verified).toMatchObject({ type, subscribeUrl: doc.SubscribeURL, token: doc.Token });
    },
  );

  it("signs over decoded values: a Message with real newlines and unicode verifies", async () => {
    const { verify } = setup();
    const doc = signSns(notification({ Message: '{"a":"line 1\\nline 2","b":"ünïcødé ✓"}\n' }), identity);
    await expect(verify(JSON.parse(JSON.stringify(doc)))).resolves.toBeTruthy();
  });

  it("ignores UnsubscribeURL and MessageAttributes (not signed)", async () => {
    const { verify } = setup();
    const doc = signSns(notification(), identity);
    await expect(
      verify({ ...doc, UnsubscribeURL: "https://elsewhere.example/", MessageAttributes: {} }),
    ).resolves.toBeTruthy();
  });

  it.each([
    ["Message", { Message: '{"notificationType":"Bounce"}' }],
    ["MessageId", { MessageId: "another-id" }],
    ["Timestamp", { Timestamp: snsTimestamp(-30_000, NOW.getTime()) }],
    ["Subject added", { Subject: "added" }],
    [
      "Type",
      { Type: "UnsubscribeConfirmation", Token: "t", SubscribeURL: "https://sns.us-east-1.amazonaws.com/" },
    ],
  ])("refuses a tampered %s after fetching the certificate", async (_name, change) => {
    const { fetchCertificate, verify } = setup();
    const signed = signSns(notification(), identity);
    const tampered: Record<string, unknown> = { ...signed, ...change };
    // A confirmation has no UnsubscribeURL (it would be refused as unexpected): this is about the signature.
    if (tampered.Type !== "Notification") delete tampered.UnsubscribeURL;
    expect(await refusal(verify(tampered))).toBe("bad-signature");
    expect(fetchCertificate.calls.length).toBeLessThanOrEqual(1);
  });

  it.each([
    ["Records", [{ eventSource: "aws:sqs", body: "{}" }]],
    ["detail", {}],
    ["Token", "t"],
    ["SubscribeURL", "https://sns.us-east-1.amazonaws.com/"],
    ["__proto__x", null],
  ])(
    "refuses a Notification with a member SNS never sends (%s), before any certificate is fetched",
    async (name, value) => {
      const { fetchCertificate, verify } = setup();
      const signed = signSns(notification(), identity);
      expect(await refusal(verify({ ...signed, [name]: value }))).toBe("unexpected-member");
      expect(fetchCertificate.calls).toEqual([]);
    },
  );

  it("refuses a confirmation carrying a Notification's UnsubscribeURL", async () => {
    const { verify } = setup();
    const signed = signSns(
      { ...asSnsConfirmation(), Timestamp: snsTimestamp(-1000, NOW.getTime()) },
      identity,
      "2",
    );
    expect(await refusal(verify({ ...signed, UnsubscribeURL: "https://sns.us-east-1.amazonaws.com/" }))).toBe(
      "unexpected-member",
    );
  });

  it("stringToSign signs nothing for a Type that is not a message type, prototype names included", () => {
    for (const type of ["constructor", "toString", "__proto__", 7])
      expect(stringToSign({ Type: type, Message: "m" })).toBe("");
  });

  it("returns the signed Message and Subject, the only content a caller may read", async () => {
    const { verify } = setup();
    const doc = notification();
    const verified = await verify(
      signSns({ ...doc, Subject: "Amazon SES Email Event Notification" }, identity),
    );
    expect(verified.message).toBe(doc.Message);
    expect(verified.subject).toBe("Amazon SES Email Event Notification");
  });

  it("refuses a signature made with another key for the same certificate URL", async () => {
    const other = makeSigningIdentity();
    const { verify } = setup();
    expect(await refusal(verify(signSns(notification(), other, "2")))).toBe("bad-signature");
  });

  it("refuses a v1 signature presented as v2 and vice versa", async () => {
    const { verify } = setup();
    const v1 = signSns(notification(), identity, "1");
    const v2 = signSns(notification(), identity, "2");
    expect(await refusal(verify({ ...v1, SignatureVersion: "2" }))).toBe("bad-signature");
    expect(await refusal(verify({ ...v2, SignatureVersion: "1" }))).toBe("bad-signature");
  });

  it("refuses an expired certificate and a body that is not a certificate", async () => {
    const expired = setup({ now: new Date(NOW.getTime() + 5 * 86_400_000) });
    const later = snsTimestamp(5 * 86_400_000 - 1000, NOW.getTime());
    const doc = signSns(notification({ Timestamp: later }), identity);
    expect(await refusal(expired.verify(doc))).toBe("certificate");
    const junk = verifySnsMessage(signSns(notification(), identity), {
      allowedTopicArns: [TOPIC_ARN],
      fetchCertificate: async () => "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n",
      now: NOW,
    });
    expect(await refusal(junk)).toBe("certificate");
  });

  it("reports a fetch that fails for a network reason as unavailable (for a retry)", async () => {
    const promise = verifySnsMessage(signSns(notification(), identity), {
      allowedTopicArns: [TOPIC_ARN],
      fetchCertificate: async () => {
        throw new TypeError("fetch failed");
      },
      now: NOW,
    });
    await expect(promise).rejects.toBeInstanceOf(SnsCertificateUnavailableError);
  });
});

describe("verifySnsMessage: refused before any fetch", () => {
  const signed = () => signSns(notification(), identity);
  const S3 = "https://s3.amazonaws.com/bucket/SimpleNotificationService-7506a1e35b36ef5a444dd1a8e7cc3ed8.pem";

  it.each<[string, () => unknown, SnsVerificationReason, Partial<VerifyOptions>?]>([
    ["no allowlist configured", signed, "not-configured", { allowedTopicArns: [] }],
    [
      "a topic of another account",
      () => signSns(notification({ TopicArn: TOPIC_ARN.replace("123456789012", "999999999999") }), identity),
      "topic-not-allowed",
    ],
    ["no TopicArn", () => ({ ...signed(), TopicArn: undefined }), "topic-not-allowed"],
    [
      "a header that disagrees with the Type",
      signed,
      "type-mismatch",
      { messageTypeHeader: "SubscriptionConfirmation" },
    ],
    ["SignatureVersion 3", () => ({ ...signed(), SignatureVersion: "3" }), "signature-version"],
    ["SignatureVersion as a number", () => ({ ...signed(), SignatureVersion: 1 }), "missing-signature"],
    ["no Signature", () => ({ ...signed(), Signature: undefined }), "missing-signature"],
    ["no SigningCertURL", () => ({ ...signed(), SigningCertURL: undefined }), "missing-signature"],
    ["a Signature that is not base64", () => ({ ...signed(), Signature: "not base64!" }), "bad-signature"],
    [
      "a foreign cert host",
      () => signSns(notification(), identity, "1", "https://evil.example/SimpleNotificationService-abc.pem"),
      "cert-url",
    ],
    ["an S3 cert URL", () => signSns(notification(), identity, "1", S3), "cert-url"],
    [
      "a bucket named sns on S3",
      () =>
        signSns(
          notification(),
          identity,
          "1",
          "https://sns.s3-us-west-2.amazonaws.com/SimpleNotificationService-abc.pem",
        ),
      "cert-url",
    ],
    [
      "a query-string cert URL",
      () => signSns(notification(), identity, "1", `${TEST_CERT_URL}?x=1`),
      "cert-url",
    ],
    [
      "an HTTP cert URL",
      () => signSns(notification(), identity, "1", TEST_CERT_URL.replace("https:", "http:")),
      "cert-url",
    ],
    [
      "a Timestamp two hours old",
      () => signSns(notification({ Timestamp: snsTimestamp(-2 * 3_600_000, NOW.getTime()) }), identity),
      "stale",
    ],
    [
      "a Timestamp an hour ahead",
      () => signSns(notification({ Timestamp: snsTimestamp(3_600_000, NOW.getTime()) }), identity),
      "stale",
    ],
    ["an unknown Type", () => ({ ...signed(), Type: "Bounce" }), "malformed"],
    ["an array", () => [signed()], "malformed"],
  ])("%s", async (_name, make, reason, options) => {
    const { fetchCertificate, verify } = setup(options);
    expect(await refusal(verify(make()))).toBe(reason);
    expect(fetchCertificate.calls).toEqual([]);
  });

  it("checks the topic before anything else (a forged, unsigned, malformed message from another topic)", async () => {
    const { verify } = setup();
    expect(await refusal(verify({ TopicArn: "arn:aws:sns:us-east-1:999999999999:x", Type: "nope" }))).toBe(
      "topic-not-allowed",
    );
  });
});

describe("signingCertUrlProblem", () => {
  it.each([
    TEST_CERT_URL,
    "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-3242f4a5f3c3bd3f8be0f2b8e33f6c68.pem",
    "https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem",
    "https://sns.ap-southeast-5.amazonaws.com/SimpleNotificationService-abc.pem",
  ])("accepts %s", (url) => {
    expect(signingCertUrlProblem(url)).toBeNull();
  });

  it.each([
    ["http", TEST_CERT_URL.replace("https:", "http:")],
    ["query", `${TEST_CERT_URL}?a=b`],
    ["empty query", `${TEST_CERT_URL}?`],
    ["fragment", `${TEST_CERT_URL}#x`],
    ["user info", TEST_CERT_URL.replace("https://", "https://user@")],
    ["port", TEST_CERT_URL.replace(".com/", ".com:443/")],
    ["other port", TEST_CERT_URL.replace(".com/", ".com:8443/")],
    ["dot segments", TEST_CERT_URL.replace(".com/", ".com/x/../")],
    ["percent-encoded path", TEST_CERT_URL.replace("Simple", "%53imple")],
    ["upper-case host", TEST_CERT_URL.replace("sns.us-east-1", "SNS.us-east-1")],
    ["trailing dot host", TEST_CERT_URL.replace(".com/", ".com./")],
    ["host suffix", TEST_CERT_URL.replace(".com/", ".com.evil.example/")],
    ["backslash trick", "https://evil.example\\@sns.us-east-1.amazonaws.com/SimpleNotificationService-a.pem"],
    ["S3", "https://s3.amazonaws.com/sns.us-east-1.amazonaws.com/SimpleNotificationService-a.pem"],
    ["S3 bucket sns", "https://sns.s3.amazonaws.com/SimpleNotificationService-a.pem"],
    ["S3 legacy regional", "https://sns.s3-external-1.amazonaws.com/SimpleNotificationService-a.pem"],
    ["other path", "https://sns.us-east-1.amazonaws.com/cert.pem"],
    ["nested path", "https://sns.us-east-1.amazonaws.com/a/SimpleNotificationService-a.pem"],
    ["not .pem", "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-a.pem.txt"],
    ["not a URL", "sns.us-east-1.amazonaws.com/SimpleNotificationService-a.pem"],
  ])("refuses %s", (_name, url) => {
    expect(signingCertUrlProblem(url)).toEqual(expect.any(String));
  });
});

describe("subscribeUrlProblem", () => {
  const certHost = "sns.us-east-1.amazonaws.com";
  const good = asSnsConfirmation().SubscribeURL as string;

  it("accepts the confirmation URL on the certificate's host for our topic", () => {
    expect(subscribeUrlProblem(good, { certHost, topicArn: TOPIC_ARN })).toBeNull();
  });

  it.each([
    ["another SNS region", good.replace("us-east-1.amazonaws", "eu-west-1.amazonaws")],
    ["a foreign host", good.replace(certHost, "evil.example")],
    ["http", good.replace("https:", "http:")],
    ["another action", good.replace("ConfirmSubscription", "Unsubscribe")],
    ["another topic", good.replace(`TopicArn=${TOPIC_ARN}`, "TopicArn=arn:aws:sns:us-east-1:999999999999:x")],
    ["no token", good.replace(/&Token=.*$/, "")],
    ["a path", good.replace(".com/?", ".com/x?")],
  ])("refuses %s", (_name, url) => {
    expect(subscribeUrlProblem(url, { certHost, topicArn: TOPIC_ARN })).toEqual(expect.any(String));
  });
});

describe("stringToSign", () => {
  it("joins the type's fields in order, leaving out a null Subject and unsigned keys", () => {
    expect(
      stringToSign({
        Type: "Notification",
        TopicArn: "arn",
        Timestamp: "t",
        Subject: null,
        MessageId: "id",
        Message: "m\nn",
        UnsubscribeURL: "u",
      }),
    ).toBe("Message\nm\nn\nMessageId\nid\nTimestamp\nt\nTopicArn\narn\nType\nNotification\n");
  });
});

describe("cachingFetcher", () => {
  it("fetches each URL once, shares concurrent fetches, and does not keep failures", async () => {
    let calls = 0;
    let failNext = true;
    const fetcher = cachingFetcher(async (url) => {
      calls++;
      if (url.endsWith("flaky") && failNext) {
        failNext = false;
        throw new Error("down");
      }
      return `pem for ${url}`;
    }, 2);
    await Promise.all([fetcher("a"), fetcher("a")]);
    await fetcher("a");
    expect(calls).toBe(1);
    await expect(fetcher("flaky")).rejects.toThrow("down");
    await expect(fetcher("flaky")).resolves.toBe("pem for flaky");
    expect(calls).toBe(3);
    await fetcher("c"); // evicts the oldest ("a")
    await fetcher("a");
    expect(calls).toBe(5);
  });
});
