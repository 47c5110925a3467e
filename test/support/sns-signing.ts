/**
 * Signs SNS HTTP(S) messages the way SNS does, with a real RSA key and a self-signed X.509
 * certificate made here, so the verifier runs against real signatures without AWS.
 *
 * Node's crypto can make keys but not certificates, so the certificate comes from the `openssl` CLI
 * (Debian's `openssl` package). The string to sign is written out again below, on purpose not shared
 * with `lambdas/providers/ses/sns-signature.ts`, so a mistake there cannot hide in both.
 *
 * @example
 * const identity = makeSigningIdentity();
 * const signed = signSns(asSnsHttp(record), identity, "2");
 * const fetcher = certificateFetcher({ [signed.SigningCertURL]: identity.certificatePem });
 */
import { execFileSync } from "node:child_process";
import { createPrivateKey, type KeyObject, sign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Json } from "./ses-fixtures.js";

export type SigningIdentity = {
  readonly privateKey: KeyObject;
  readonly certificatePem: string;
};

/** The certificate URL the signed documents carry unless told otherwise. */
export const TEST_CERT_URL =
  "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-7506a1e35b36ef5a444dd1a8e7cc3ed8.pem";

/**
 * A fresh RSA key and a self-signed certificate for it (CN=sns.amazonaws.com, valid from a day ago
 * for `days` days).
 */
export function makeSigningIdentity(options: { days?: number; bits?: number } = {}): SigningIdentity {
  const dir = mkdtempSync(join(tmpdir(), "sns-signing-"));
  try {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    try {
      execFileSync(
        "openssl",
        [
          ...["req", "-x509", "-newkey", `rsa:${options.bits ?? 2048}`, "-nodes", "-sha256"],
          ...[
            "-keyout",
            key,
            "-out",
            cert,
            "-days",
            String(options.days ?? 2),
            "-subj",
            "/CN=sns.amazonaws.com",
          ],
        ],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
    } catch (error) {
      throw new Error(
        "The SNS signing tests need the `openssl` CLI (Debian: apt-get install openssl) to make a self-signed certificate.",
        { cause: error },
      );
    }
    return { privateKey: createPrivateKey(readFileSync(key)), certificatePem: readFileSync(cert, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fields SNS signs per message type, in order (AWS "Verifying the signatures of Amazon SNS messages"). */
const SIGNED: Record<string, readonly string[]> = {
  Notification: ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
  SubscriptionConfirmation: [
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
  ],
  UnsubscribeConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
};

/**
 * `doc` signed by `identity` with SignatureVersion `version` (1 = SHA1withRSA, 2 = SHA256withRSA),
 * carrying `SigningCertURL` (default `TEST_CERT_URL`). Other fields are kept as they are.
 */
export function signSns(
  doc: Json,
  identity: SigningIdentity,
  version: "1" | "2" = "1",
  certUrl: string = TEST_CERT_URL,
): Json & { SigningCertURL: string; Signature: string } {
  const fields = SIGNED[String(doc.Type)];
  if (!fields) throw new Error(`cannot sign an SNS message of type ${String(doc.Type)}`);
  const text = fields
    .filter((key) => doc[key] !== undefined && doc[key] !== null)
    .map((key) => `${key}\n${String(doc[key])}\n`)
    .join("");
  const signature = sign(version === "1" ? "sha1" : "sha256", Buffer.from(text, "utf8"), identity.privateKey);
  return {
    ...doc,
    SignatureVersion: version,
    SigningCertURL: certUrl,
    Signature: signature.toString("base64"),
  };
}

/** An injected certificate fetcher that serves fixed PEMs and records every URL asked for. */
export type RecordingFetcher = ((url: string) => Promise<string>) & { readonly calls: string[] };

/** Serves `pems[url]`; an unknown URL fails like a network error would. */
export function certificateFetcher(pems: Readonly<Record<string, string>>): RecordingFetcher {
  const calls: string[] = [];
  const fetcher = async (url: string) => {
    calls.push(url);
    const pem = pems[url];
    if (pem === undefined) throw new Error(`no certificate at ${url}`);
    return pem;
  };
  return Object.assign(fetcher, { calls });
}

/** The current time as SNS writes it (`2026-11-24T14:00:00.123Z`), `offsetMs` from now. */
export function snsTimestamp(offsetMs = 0, now = Date.now()): string {
  return new Date(now + offsetMs).toISOString();
}
