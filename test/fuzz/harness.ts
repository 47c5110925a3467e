/**
 * The fuzz suite's harness: run settings (seed, runs), the local server with every provider's
 * secrets, signing of mutated documents the way each provider signs, one request over a real
 * socket, and the properties every answer must have.
 *
 * The properties (issue #9): never a 5xx; a 4xx is `application/problem+json` with RFC 9457's
 * `type`, `title`, `status` (the HTTP status), `detail`; a 2xx is JSON; nothing internal (stack
 * overflow, TypeError text, source paths) in an answer; an answer within `ANSWER_TIMEOUT_MS`; and
 * the process keeps serving (no uncaught exception, `/healthz` still answers).
 */
import { createHmac, randomBytes } from "node:crypto";
import fc from "fast-check";
import { MAX_EVENTS_PER_REQUEST } from "../../lambdas/handlers/webhook-request.js";
import { type LocalServer, startLocalServer } from "../../lambdas/local/server.js";
import { createSesAdapter } from "../../lambdas/providers/ses/index.js";
import { type SendgridSigner, sendgridSigner } from "../fixtures/sendgrid/signing.js";
import { TOPIC_ARN } from "../support/ses-fixtures.js";
import {
  certificateFetcher,
  makeSigningIdentity,
  type SigningIdentity,
  signSns,
  snsTimestamp,
  TEST_CERT_URL,
} from "../support/sns-signing.js";
import { type Doc, encodeForm, encodeJson, formValueBytes, type Json, Raw } from "./generators.js";

// ── Settings ────────────────────────────────────────────────────────────────────────────────────

/**
 * `FUZZ_RUNS` (runs per property) makes the run long; `FUZZ_SEED` replays one. A long run without a
 * seed draws a random one (printed, and in every failure), so each long run explores new cases
 * while `npm test` stays the same fixed, bounded run.
 */
export const FUZZ_RUNS = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : undefined;
export const FUZZ_SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : FUZZ_RUNS !== undefined
    ? Math.floor(Math.random() * 2 ** 31)
    : 20_260_009;
/** `FUZZ_VERBOSE=1`: print every case with its status and time (to see what is slow). */
export const FUZZ_VERBOSE = process.env.FUZZ_VERBOSE === "1";
/** `FUZZ_COLLECT=1`: keep going after a failure and report every distinct one, each shrunk. */
export const FUZZ_COLLECT = process.env.FUZZ_COLLECT === "1";
if (!Number.isSafeInteger(FUZZ_SEED)) throw new Error(`FUZZ_SEED must be an integer, got ${FUZZ_SEED}`);
if (FUZZ_RUNS !== undefined && !(Number.isSafeInteger(FUZZ_RUNS) && FUZZ_RUNS > 0)) {
  throw new Error(`FUZZ_RUNS must be a positive integer, got ${process.env.FUZZ_RUNS}`);
}

/** Runs of a property: its default in `npm test`, `FUZZ_RUNS` when set. */
export const runs = (defaultRuns: number): number => FUZZ_RUNS ?? defaultRuns;

/** A hostile request still deserves an answer; a hang is a failure too (a regex gone quadratic). */
export const ANSWER_TIMEOUT_MS = 10_000;

// ── The server and the secrets it knows ─────────────────────────────────────────────────────────

export const API_KEY = "fuzz-api-key";
export const MAILGUN_KEY = randomBytes(16).toString("hex");
export const SENDCLOUD_KEY = randomBytes(16).toString("hex");
export const POSTMARK = { user: "pm-fuzz", password: randomBytes(12).toString("base64url") };
export const SPARKPOST = { user: "sp-fuzz", password: "correct horse:battery staple" };
export const basicAuth = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

export type Signers = { readonly sendgrid: SendgridSigner; readonly sns: SigningIdentity };

/** Keys made for this run (never real ones): SendGrid's P-256 pair, an SNS RSA key and certificate. */
export function makeSigners(): Signers {
  return { sendgrid: sendgridSigner(), sns: makeSigningIdentity() };
}

/** What a failing request left in the server's error log (the 500's real cause). */
export type ServerError = { readonly message: string; readonly error?: string };

/**
 * The local server on a free port with an in-memory store and every provider configured, its
 * SNS certificate served by the test and subscription confirmations answered without a network.
 * Its ERROR log lines are caught (not printed) so a 500 can say what failed inside.
 */
export async function startFuzzServer(
  signers: Signers,
): Promise<{ server: LocalServer; errors: ServerError[]; stop(): Promise<void> }> {
  const errors: ServerError[] = [];
  // Powertools' logger writes one JSON line per entry, errors to process.stderr.
  const restore = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      if (text.includes('"level":"ERROR"')) {
        errors.push(serverError(text));
        return true;
      }
      return (write as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
    return () => {
      stream.write = write;
    };
  });
  const server = await startLocalServer({
    port: 0,
    dataDir: ":memory:",
    apiKey: API_KEY,
    logLevel: "ERROR",
    secrets: {
      SENDGRID_VERIFICATION_KEY: signers.sendgrid.verificationKey,
      MAILGUN_SIGNING_KEY: MAILGUN_KEY,
      POSTMARK_WEBHOOK_USER: POSTMARK.user,
      POSTMARK_WEBHOOK_PASSWORD: POSTMARK.password,
      SPARKPOST_WEBHOOK_USER: SPARKPOST.user,
      SPARKPOST_WEBHOOK_PASSWORD: SPARKPOST.password,
      SENDCLOUD_APP_KEY: SENDCLOUD_KEY,
    },
    webhookOptions: {
      adapters: {
        ses: createSesAdapter({
          allowedTopicArns: () => [TOPIC_ARN],
          fetchCertificate: certificateFetcher({ [TEST_CERT_URL]: signers.sns.certificatePem }),
          confirmSubscription: async () => undefined,
        }),
      },
    },
  });
  return {
    server,
    errors,
    stop: async () => {
      await server.close();
      for (const undo of restore) undo();
    },
  };
}

function serverError(line: string): ServerError {
  try {
    const entry = JSON.parse(line) as {
      message?: string;
      error?: { name?: string; message?: string; stack?: string };
    };
    const e = entry.error;
    // The first frame in our code is where to look.
    const frame = e?.stack
      ?.split("\n")
      .find((l) => l.includes("/lambdas/"))
      ?.trim();
    return {
      message: String(entry.message),
      ...(e
        ? {
            error: `${e.name}: ${e.message?.slice(0, 300)}${frame ? ` (${frame.replace(/^.*\/(lambdas\/)/, "$1").replace(/\)$/, "")})` : ""}`,
          }
        : {}),
    };
  } catch {
    return { message: line.slice(0, 300) };
  }
}

// ── Requests ────────────────────────────────────────────────────────────────────────────────────

/** One HTTP request, with the label it prints as in a counterexample. */
export type FuzzRequest = {
  readonly method: string;
  /** Already percent-encoded as it goes on the wire. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
};

export type Answer = {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly ms: number;
};

/** Sends `request` to `baseUrl` over a real socket; a timeout is an answer of status 0. */
export async function send(baseUrl: string, request: FuzzRequest): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    const text = await res.text();
    return {
      status: res.status,
      contentType: res.headers.get("content-type") ?? "",
      text,
      ms: performance.now() - started,
    };
  } catch (error) {
    const aborted = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return {
      status: 0,
      contentType: "",
      text: aborted ? `no answer within ${ANSWER_TIMEOUT_MS} ms` : `request failed: ${String(error)}`,
      ms: performance.now() - started,
    };
  }
}

/** Statuses the API documents (docs/http-api.md, lambdas/handlers/http/problem.ts). */
const CLIENT_STATUSES = new Set([400, 401, 403, 404, 405, 406, 413]);

/** Text that only a leaked internal error would put in an answer. */
const INTERNALS =
  /Maximum call stack|RangeError|TypeError|ReferenceError|SyntaxError: (?!Unexpected|Expected|Unterminated|Bad)|is not a function|Cannot read propert|Cannot convert|\bat [\w.<>]+ \(|\/lambdas\/|node_modules|\.ts:\d+/;

/** Why an answer breaks the properties, or null. */
export function violation(answer: Answer): string | null {
  const { status, contentType, text } = answer;
  if (status === 0) return text;
  if (status >= 500) return `server error ${status}`;
  // The web console's page: the local server serves it at `/console/` (and redirects `/` there).
  if (status === 200 && /^text\/html\b/i.test(contentType) && text.includes('<div id="app">')) return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${status} answer is not JSON`;
  }
  if (status >= 400) {
    if (!CLIENT_STATUSES.has(status)) return `undocumented status ${status}`;
    if (!/^application\/problem\+json\b/i.test(contentType))
      return `${status} with content-type "${contentType}"`;
    if (typeof body !== "object" || body === null || Array.isArray(body))
      return `${status} problem is not an object`;
    const doc = body as Record<string, unknown>;
    for (const member of ["type", "title", "detail"] as const) {
      if (typeof doc[member] !== "string" || doc[member] === "")
        return `${status} problem has no \`${member}\``;
    }
    if (!/^https:\/\//.test(String(doc.type))) return `${status} problem type is not a URI`;
    if (doc.status !== status) return `${status} problem says status ${JSON.stringify(doc.status)}`;
    if (INTERNALS.test(String(doc.detail))) return `${status} problem leaks internals`;
    return null;
  }
  if (status >= 200 && status < 300) {
    if (!/^application\/json\b/i.test(contentType)) return `${status} with content-type "${contentType}"`;
    // An ingestion summary: one request may not carry more events than the documented limit.
    const summary = body as { accepted?: unknown; duplicates?: unknown };
    if (typeof summary.accepted === "number" && typeof summary.duplicates === "number") {
      const events = summary.accepted + summary.duplicates;
      if (events > MAX_EVENTS_PER_REQUEST)
        return `${status} took ${events} events (limit ${MAX_EVENTS_PER_REQUEST})`;
    }
    return null;
  }
  return `unexpected status ${status}`;
}

/**
 * A failure's signature: what tells two failures apart (status, what broke, the inner error with
 * its digits blurred), used to collect distinct ones and to report them.
 */
export function signatureOf(
  route: string,
  reason: string,
  answer: Answer,
  errors: readonly ServerError[],
): string {
  const inner = errors.map((e) => e.error ?? e.message).join(" | ");
  const detail = detailOf(answer);
  return `${route} → ${reason}${inner ? `: ${inner}` : detail ? `: ${detail}` : ""}`.replace(/\d+/g, "N");
}

function detailOf(answer: Answer): string {
  try {
    const body = JSON.parse(answer.text) as { detail?: unknown };
    return typeof body.detail === "string" ? body.detail.slice(0, 200) : "";
  } catch {
    return answer.text.slice(0, 200);
  }
}

/** The failure as a test reports it: the request, the answer, the server's own error. */
export function describeFailure(
  request: FuzzRequest,
  reason: string,
  answer: Answer,
  errors: readonly ServerError[],
): string {
  const lines = [
    `${reason}: ${request.method} ${request.path.slice(0, 200)} → ${answer.status} (${Math.round(answer.ms)} ms)`,
    `  answer: ${answer.text.slice(0, 500)}`,
  ];
  for (const e of errors) lines.push(`  server log: ${e.message}${e.error ? ` — ${e.error}` : ""}`);
  return lines.join("\n");
}

/** Uncaught exceptions and rejections seen while the suite runs: the process must have none. */
export function watchProcess(): { readonly seen: string[]; stop(): void } {
  const seen: string[] = [];
  const onError = (error: unknown) =>
    seen.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  return {
    seen,
    stop: () => {
      process.off("uncaughtException", onError);
      process.off("unhandledRejection", onError);
    },
  };
}

// ── Signing: the way each provider signs, over the mutated bytes ───────────────────────────────

/**
 * Placeholders a fixture carries where a signature field goes. Signing fills in the ones a
 * mutation left alone, so a mutated signature field (hostile token, deleted timestamp) is sent as
 * mutated while everything else is validly signed.
 */
export const SIGN = {
  timestamp: "\u{E001}timestamp",
  token: "\u{E001}token",
  signature: "\u{E001}signature",
} as const;

const isObject = (v: unknown): v is { [key: string]: Doc } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Raw);

let tokens = 0;
/**
 * A fresh one-time token each call: Mailgun and SendCloud tokens are remembered, and shrinking
 * sends the same case again, which must not turn into a replay refusal that hides the bug.
 */
const freshToken = () => `${randomBytes(21).toString("hex")}${(tokens++).toString(36).padStart(8, "0")}`;

const hmacHex = (key: string, text: string) => createHmac("sha256", key).update(text, "utf8").digest("hex");

/** The token a (possibly mutated) block carries, as the server will read it. */
function tokenText(value: Doc | undefined): string | null {
  if (value === SIGN.token) return null;
  if (typeof value === "string") return value;
  if (value instanceof Raw && value.content.kind === "string-bytes")
    return value.content.bytes.toString("utf8");
  return null;
}

/**
 * Fills `block`'s signature placeholders as Mailgun and SendCloud sign: `timestamp` now (in
 * `unit`), a fresh `token` unless mutated, `signature` = hex HMAC-SHA256(key, timestamp + token).
 */
function signTokenBlock(block: Doc, key: string, unit: "s" | "ms"): void {
  if (!isObject(block)) return;
  const now = unit === "s" ? Math.floor(Date.now() / 1000) : Date.now();
  if (block.timestamp === SIGN.timestamp) block.timestamp = String(now);
  const given = tokenText(block.token);
  const token = given ?? freshToken();
  if (block.token === SIGN.token) block.token = token;
  const timestamp = typeof block.timestamp === "string" ? block.timestamp : String(block.timestamp);
  if (block.signature === SIGN.signature) block.signature = hmacHex(key, timestamp + token);
}

/** A Mailgun body signed in its `signature` block (the event itself is not signed by Mailgun). */
export function signedMailgun(doc: Doc): Buffer {
  if (isObject(doc)) signTokenBlock(doc.signature ?? null, MAILGUN_KEY, "s");
  return encodeJson(doc);
}

/** SendCloud fields (form, or JSON with `asJson`) signed in place: `timestamp` in ms, `token`, `signature`. */
export function signedSendCloud(doc: Doc, asJson: boolean): Buffer {
  signTokenBlock(doc, SENDCLOUD_KEY, "ms");
  return asJson ? encodeJson(doc) : encodeForm(doc);
}

/** A SendGrid batch's bytes and the two headers that sign them (ECDSA over timestamp + body). */
export function signedSendgrid(
  signer: SendgridSigner,
  doc: Doc,
): { body: Buffer; headers: Record<string, string> } {
  const body = encodeJson(doc);
  return { body, headers: signer.headers(body) };
}

/**
 * An SNS HTTP(S) document signed as SNS signs it. The document's `Message` may be a (mutated)
 * record: it is serialized into the string SNS would carry. `Timestamp` placeholders become now.
 * The signature is computed over what the server will parse from the bytes (invalid UTF-8 and all),
 * then written in; a document that is not signable (no object, unknown `Type`) goes unsigned.
 */
export function signedSns(identity: SigningIdentity, envelope: Doc): { body: Buffer; type: string } {
  if (isObject(envelope)) {
    const message = envelope.Message;
    if (message !== undefined && message !== null && typeof message === "object") {
      envelope.Message =
        message instanceof Raw && message.content.kind === "string-bytes"
          ? message.content.bytes.toString("utf8")
          : encodeJson(message).toString("utf8");
    }
    if (envelope.Timestamp === SIGN.timestamp) envelope.Timestamp = snsTimestamp(-1000);
  }
  const unsigned = encodeJson(envelope);
  let parsed: unknown;
  try {
    parsed = JSON.parse(unsigned.toString("utf8"));
  } catch {
    return { body: unsigned, type: "Notification" };
  }
  if (!isObject(parsed)) return { body: unsigned, type: "Notification" };
  // The type header must be sendable (printable, and short: Node refuses headers over 16 KB with a
  // bare 431 before any route runs); a mutated Type that is not sends a plain one.
  const type =
    typeof parsed.Type === "string" && /^[\x20-\x7e]{0,256}$/.test(parsed.Type)
      ? parsed.Type
      : "Notification";
  if (
    typeof parsed.Type !== "string" ||
    parsed.Signature !== SIGN.signature ||
    !["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"].includes(parsed.Type)
  ) {
    return { body: unsigned, type };
  }
  // SNS signs strings only, and the server refuses a non-string signed field before it builds the
  // string to sign; String() of a deeply nested value would overflow our own stack first.
  const signed = ["Message", "MessageId", "Subject", "SubscribeURL", "Timestamp", "Token", "TopicArn"];
  if (
    signed.some((key) => parsed[key] !== undefined && parsed[key] !== null && typeof parsed[key] !== "string")
  ) {
    return { body: unsigned, type };
  }
  const { Signature } = signSns(parsed as Record<string, unknown>, identity, "2");
  // The placeholder is a JSON string literal in the bytes; the base64 signature needs no escaping.
  const placeholder = Buffer.from(JSON.stringify(SIGN.signature));
  const at = unsigned.indexOf(placeholder);
  const body = Buffer.concat([
    unsigned.subarray(0, at),
    Buffer.from(JSON.stringify(Signature)),
    unsigned.subarray(at + placeholder.length),
  ]);
  return { body, type };
}

/** Bytes of a form field value (re-exported for request builders that put documents in forms). */
export { formValueBytes };

/** The fixture with its signature fields replaced by `SIGN` placeholders. */
export function withSignPlaceholders(doc: Json, where: "root" | "signature"): Json {
  const copy = structuredClone(doc) as Record<string, Json>;
  const block = (where === "root" ? copy : copy.signature) as Record<string, Json> | undefined;
  if (block && typeof block === "object") {
    block.timestamp = SIGN.timestamp;
    block.token = SIGN.token;
    block.signature = SIGN.signature;
  }
  return copy;
}

/** Prints as `label` in counterexamples. */
export function labelled<T extends object>(value: T, label: string): T {
  return Object.assign(value, { [fc.toStringMethod]: () => label });
}
