/**
 * Adversarial raw emails (issue #15): malformed MIME, messages near the 10 MB cap, deep nesting,
 * thousands of parts, unknown charsets, broken encodings, NUL bytes, a DSN of 100 000 recipients.
 * Each is built here, in the test, and must come back either parsed (a clear result) or refused with
 * EmailParseError / EmailTooLargeError and a message naming what was wrong — never another error,
 * never a hang. "Bounded time" is asserted the one way a test may: every case finishes within the
 * per-test timeout (`BOUNDED_MS`, generous), and where a limit of the parser stopped the work, the
 * refusal names that limit. Over HTTP, `POST /v1/import/email` answers the malformed ones with a 4xx
 * problem+json, never a 500.
 */
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../../lambdas/handlers/http/body.js";
import { EmailParseError, EmailTooLargeError } from "../../../lambdas/providers/email/errors.js";
import {
  MAX_EMAIL_BYTES,
  MAX_LINES,
  type ParsedBounceEmail,
  parseBounceEmail,
} from "../../../lambdas/providers/email/parse.js";
import { call, expectProblem, useLocalServer } from "../../local/http-helpers.js";

/** Per-test timeout: far above what any case needs, so only a runaway parse reaches it. */
const BOUNDED_MS = 20_000;

const CRLF = "\r\n";
const RECIPIENT = "a@example.org";

const headers = (contentType: string): string =>
  [
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>",
    "To: sender@example.com",
    "Subject: Undelivered Mail Returned to Sender",
    "Message-ID: <adversarial@mx.example.net>",
    "MIME-Version: 1.0",
    `Content-Type: ${contentType}`,
    "",
    "",
  ].join(CRLF);

/** A well-formed delivery-status part for `recipient`, `extra` headers on the part. */
const dsnPart = (recipient = RECIPIENT, extra = ""): string =>
  `Content-Type: message/delivery-status${extra}\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n` +
  `Final-Recipient: rfc822; ${recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n`;

/** A multipart/report of `parts` (each a part's headers and body), closed unless `open`. */
function report(parts: readonly string[], { boundary = "B", open = false } = {}): string {
  const body = parts.map((part) => `--${boundary}\r\n${part}\r\n`).join("");
  const type = `multipart/report; report-type=delivery-status; boundary="${boundary}"`;
  return headers(type) + body + (open ? "" : `--${boundary}--\r\n`);
}

/** `unit` repeated until the whole message would be `bytes` long after `prefix` and before `suffix`. */
function padded(prefix: string, unit: string, bytes: number, suffix = ""): string {
  const room = bytes - Buffer.byteLength(prefix) - Buffer.byteLength(suffix);
  return prefix + unit.repeat(Math.max(0, Math.floor(room / Buffer.byteLength(unit)))) + suffix;
}

/** Just under the cap: the largest messages the parser must read. */
const NEAR_CAP = MAX_EMAIL_BYTES - 64 * 1024;

/** `depth` multipart/mixed levels, each inside the last, a text part at the bottom. */
function nested(depth: number, { close = true } = {}): string {
  let out = headers("multipart/mixed; boundary=b0");
  for (let i = 1; i < depth; i++)
    out += `--b${i - 1}\r\nContent-Type: multipart/mixed; boundary=b${i}\r\n\r\n`;
  if (!close) return out;
  out += `--b${depth - 1}\r\nContent-Type: text/plain\r\n\r\nx\r\n`;
  for (let i = depth - 1; i >= 0; i--) out += `--b${i}--\r\n`;
  return out;
}

/** 76-character base64 lines of `bytes` bytes of binary, as an MUA writes an attachment. */
const base64Lines = (bytes: number): string =>
  Buffer.alloc(bytes, 0xa7).toString("base64").replace(/.{76}/g, `$&${CRLF}`);

type Outcome = { readonly parsed: ParsedBounceEmail } | { readonly refused: EmailParseError };

/** Parses `raw`; a refusal must be an EmailParseError (or its EmailTooLargeError), nothing else. */
async function outcomeOf(raw: string | Buffer): Promise<Outcome> {
  try {
    return { parsed: await parseBounceEmail(raw) };
  } catch (error) {
    if (error instanceof EmailParseError) return { refused: error };
    throw error;
  }
}

async function parsed(raw: string | Buffer): Promise<ParsedBounceEmail> {
  const outcome = await outcomeOf(raw);
  if ("refused" in outcome) throw new Error(`expected a parse, got ${outcome.refused.message}`);
  return outcome.parsed;
}

async function refused(raw: string | Buffer): Promise<EmailParseError> {
  const outcome = await outcomeOf(raw);
  if ("parsed" in outcome) throw new Error(`expected a refusal, got a ${outcome.parsed.kind}`);
  return outcome.refused;
}

const recipientsOf = (email: ParsedBounceEmail): string[] => email.recipients.map((r) => r.recipient);

/** The limit an EmailParseError's message names, as `pattern`'s first group. */
function limitNamed(error: EmailParseError, pattern: RegExp): number {
  const match = pattern.exec(error.message);
  expect(match, error.message).not.toBeNull();
  return Number(match?.[1]);
}

const HEADER_LIMIT = /Maximum header size of (\d+) bytes exceeded/;
const NESTING_LIMIT = /Maximum MIME nesting depth of (\d+) levels exceeded/;
const PARTS_LIMIT = /too many MIME parts \(\d+ > (\d+)\)/;
/** parse.ts's line limit (see "very many short lines" below). */
const LINES_LIMIT = /too many lines \(more than (\d+)\)/;
/** Any of the parser's own limits. */
const ANY_LIMIT = new RegExp(
  [HEADER_LIMIT, NESTING_LIMIT, PARTS_LIMIT, LINES_LIMIT].map((r) => r.source).join("|"),
);

describe("adversarial emails: parsed or refused with EmailParseError, in bounded time", () => {
  it("refuses a ~10 MB message that is one giant header line, by the header limit", {
    timeout: BOUNDED_MS,
  }, async () => {
    const raw = padded("Subject: ", "a", NEAR_CAP, "\r\n\r\nbody\r\n");
    const error = await refused(raw);
    expect(error).not.toBeInstanceOf(EmailTooLargeError);
    expect(limitNamed(error, HEADER_LIMIT)).toBeLessThan(raw.length);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("refuses 100 000 short header fields by the same limit, counted across them", {
    timeout: BOUNDED_MS,
  }, async () => {
    const raw = `${Array.from({ length: 100_000 }, (_, i) => `X-Field-${i}: v`).join(CRLF)}\r\n\r\nbody`;
    expect(limitNamed(await refused(raw), HEADER_LIMIT)).toBeLessThan(raw.length);
  });

  it("refuses ~10 MB of NUL bytes (no line break, so all header) by the header limit", {
    timeout: BOUNDED_MS,
  }, async () => {
    expect(limitNamed(await refused(Buffer.alloc(NEAR_CAP, 0)), HEADER_LIMIT)).toBeGreaterThan(0);
  });

  it("reads the report beside a base64 attachment that fills the message to the cap", {
    timeout: BOUNDED_MS,
  }, async () => {
    const attachment = "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    const frame = report([dsnPart(), attachment]);
    const room = Math.floor(((NEAR_CAP - frame.length) * 3) / 4 / 78) * 76;
    const raw = report([dsnPart(), attachment + base64Lines(room)]);
    expect(raw.length).toBeLessThanOrEqual(MAX_EMAIL_BYTES);
    expect(raw.length).toBeGreaterThan(MAX_EMAIL_BYTES * 0.9);
    const email = await parsed(raw);
    expect(email.kind).toBe("dsn");
    expect(recipientsOf(email)).toEqual([RECIPIENT]);
  });

  it("reads a base64 attachment that is one 9 MB line", { timeout: BOUNDED_MS }, async () => {
    const attachment = `Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.alloc(6_900_000, 1).toString("base64")}`;
    expect(recipientsOf(await parsed(report([dsnPart(), attachment])))).toEqual([RECIPIENT]);
  });

  it("refuses the same attachment one byte over the cap before any MIME work", async () => {
    const raw = padded(report([dsnPart()]), "A", MAX_EMAIL_BYTES + 1);
    const error = await refused(raw);
    expect(error).toBeInstanceOf(EmailTooLargeError);
    expect(error).toMatchObject({ size: MAX_EMAIL_BYTES + 1, limit: MAX_EMAIL_BYTES });
  });

  it("reads a report whose boundary never closes, the last part running to the cap", {
    timeout: BOUNDED_MS,
  }, async () => {
    const start = report([dsnPart(), "Content-Type: text/plain\r\n\r\n"], { open: true });
    const raw = padded(start, `${"q".repeat(76)}\r\n`, NEAR_CAP);
    const email = await parsed(raw);
    expect(email.kind).toBe("dsn");
    expect(recipientsOf(email)).toEqual([RECIPIENT]);
  });

  it("takes a multipart whose boundary never appears as one unrecognised body", {
    timeout: BOUNDED_MS,
  }, async () => {
    const raw = padded(headers('multipart/mixed; boundary="never-seen"'), `${"x".repeat(998)}\r\n`, NEAR_CAP);
    expect((await parsed(raw)).kind).toBe("unrecognised");
  });

  it("refuses thousands of tiny attachments by the part limit", { timeout: BOUNDED_MS }, async () => {
    const parts = Array.from(
      { length: 5000 },
      (_, i) => `Content-Type: application/octet-stream\r\n\r\n${i}`,
    );
    const error = await refused(report([dsnPart(), ...parts]));
    expect(limitNamed(error, PARTS_LIMIT)).toBeLessThan(5000);
  });

  it("reads 20 000 tiny text parts (joined into the text, not counted as parts)", {
    timeout: BOUNDED_MS,
  }, async () => {
    const parts = Array.from({ length: 20_000 }, (_, i) => `Content-Type: text/plain\r\n\r\n${i % 10}`);
    expect(recipientsOf(await parsed(report([dsnPart(), ...parts])))).toEqual([RECIPIENT]);
  });

  it("refuses tiny text parts up to the cap by a limit: every part's headers count", {
    timeout: BOUNDED_MS,
  }, async () => {
    const part = (i: number) => `--B\r\nContent-Type: text/plain\r\n\r\n${i % 10}\r\n`;
    const chunks = [report([dsnPart()], { open: true })];
    for (let size = chunks[0]?.length ?? 0, i = 0; size < NEAR_CAP - 64; i++) {
      chunks.push(part(i));
      size += part(i).length;
    }
    const error = await refused(`${chunks.join("")}--B--\r\n`);
    expect(error.message).toMatch(ANY_LIMIT);
  });

  it("refuses nesting beyond the limit, and reads the same shape at the limit", {
    timeout: BOUNDED_MS,
  }, async () => {
    const error = await refused(nested(200));
    expect(error.cause).toBeInstanceOf(Error);
    const limit = limitNamed(error, NESTING_LIMIT);
    expect(limit).toBeLessThan(200);
    expect((await parsed(nested(limit))).kind).toBe("unrecognised");
    expect(limitNamed(await refused(nested(limit + 1)), NESTING_LIMIT)).toBe(limit);
  });

  it("refuses 60 000 nested multiparts that never close by the same limit, not by exhaustion", {
    timeout: BOUNDED_MS,
  }, async () => {
    const raw = nested(60_000, { close: false });
    expect(raw.length).toBeLessThanOrEqual(MAX_EMAIL_BYTES);
    expect(limitNamed(await refused(raw), NESTING_LIMIT)).toBeLessThan(60_000);
  });

  it("keeps 200 nested message/rfc822 parts as one opaque original, never parsing into them", {
    timeout: BOUNDED_MS,
  }, async () => {
    const original = `${"Content-Type: message/rfc822\r\n\r\n".repeat(200)}To: ${RECIPIENT}\r\n\r\nx`;
    const email = await parsed(report([dsnPart(), `Content-Type: message/rfc822\r\n\r\n${original}`]));
    expect(recipientsOf(email)).toEqual([RECIPIENT]);
  });

  it("reads parts in unknown or empty charsets", async () => {
    const email = await parsed(
      report([
        "Content-Type: text/plain; charset=x-no-such-charset-42\r\n\r\nYour message could not be delivered.",
        dsnPart(RECIPIENT, "; charset=klingon"),
        'Content-Type: text/rfc822-headers; charset=""\r\n\r\nTo: =?x-unknown?Q?=FF=FE?= <a@example.org>\r\n',
      ]),
    );
    expect(recipientsOf(email)).toEqual([RECIPIENT]);
    expect(email.original?.to).toEqual([RECIPIENT]);
  });

  it("reads a text part in an unknown charset through the plain-text formats", async () => {
    const raw =
      headers("text/plain; charset=x-unknown") +
      "Delivery to the following recipient failed permanently:\r\n\r\n     a@example.org\r\n";
    expect(recipientsOf(await parsed(raw))).toEqual([RECIPIENT]);
  });

  it("reads broken quoted-printable: bad escapes, a dangling '=', a megabyte of '='", {
    timeout: BOUNDED_MS,
  }, async () => {
    const qp = "\r\nContent-Transfer-Encoding: quoted-printable";
    const email = await parsed(
      report([
        `Content-Type: text/plain${qp}\r\n\r\n=ZZ=\r\n=4=G=\r\n==3D=${"=".repeat(1024 * 1024)}`,
        dsnPart(RECIPIENT, qp).replace("Status: 5.1.1", "Status: 5.1=2E1="),
      ]),
    );
    expect(recipientsOf(email)).toEqual([RECIPIENT]);
  });

  it("reads broken base64 in the report itself as a report without recipients", async () => {
    const b64 = "\r\nContent-Transfer-Encoding: base64";
    const email = await parsed(
      report([
        `Content-Type: message/delivery-status${b64}\r\n\r\n!!!*** not base64 ***`,
        `Content-Type: text/plain${b64}\r\n\r\n====abc`,
      ]),
    );
    expect(email.kind).toBe("dsn");
    expect(email.recipients).toEqual([]);
  });

  it("reads NUL bytes in headers, addresses and bodies: the address is skipped, not thrown", {
    timeout: BOUNDED_MS,
  }, async () => {
    const raw = report([
      dsnPart(`a\0@example.org`),
      `Content-Type: text/plain\r\n\r\n${"\0".repeat(1024 * 1024)}`,
    ]).replace("Subject: Undelivered Mail Returned to Sender", "Subject: \0\0 Undelivered");
    const email = await parsed(raw);
    expect(email.kind).toBe("dsn");
    expect(email.recipients).toEqual([]);
    expect(email.skipped).toHaveLength(1);
  });

  it("reads a DSN of 100 000 recipient blocks, keeping a bounded number of them", {
    timeout: BOUNDED_MS,
  }, async () => {
    const blocks = Array.from(
      { length: 100_000 },
      (_, i) => `Final-Recipient: rfc822; u${i}@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n`,
    );
    const raw = report([
      `Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n${blocks.join(CRLF)}`,
    ]);
    expect(raw.length).toBeLessThanOrEqual(MAX_EMAIL_BYTES);
    const outcome = await outcomeOf(raw);
    // 400 000 lines: a line limit in the parser may refuse it first; a limit it must then name.
    if ("refused" in outcome) expect(outcome.refused.message).toMatch(ANY_LIMIT);
    else {
      expect(outcome.parsed.recipients.length).toBeGreaterThan(0);
      expect(outcome.parsed.recipients.length).toBeLessThan(100_000);
      expect(outcome.parsed.recipients[0]?.recipient).toBe("u0@example.org");
    }
  });

  it("reads a DSN of 100 000 Final-Recipient lines in one block as one recipient", {
    timeout: BOUNDED_MS,
  }, async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `Final-Recipient: rfc822; u${i}@example.org`);
    const raw = report([
      `Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n${lines.join(CRLF)}`,
    ]);
    const email = await parsed(raw);
    expect(email.recipients.length).toBeLessThan(100_000);
  });

  it("reads bare-CR line ends and a 9 MB body line", { timeout: BOUNDED_MS }, async () => {
    expect((await parsed(report([dsnPart()]).replace(/\r\n/g, "\r"))).kind).toBeDefined();
    expect((await parsed(padded(headers("text/plain"), "y", NEAR_CAP))).kind).toBe("unrecognised");
  });
});

/**
 * Messages of very many short lines. postal-mime works per line (its decoders collected every line
 * of a part as a Blob part, which Node read back slowly: ~10 MB of empty lines ran for 100 s and
 * then ran out of heap, before patches/postal-mime+4.0.0.patch). parse.ts now refuses more than
 * `MAX_LINES` line feeds before parsing: a clear refusal naming the limit, at once.
 */
describe("adversarial emails: very many short lines", () => {
  const KEY = "test-key-email-short-lines";
  const running = useLocalServer(KEY);

  it("refuses ~10 MB of empty lines by the line limit", { timeout: BOUNDED_MS }, async () => {
    const raw = padded(headers("text/plain"), CRLF, NEAR_CAP);
    expect(limitNamed(await refused(raw), LINES_LIMIT)).toBe(MAX_LINES);
  });

  it("refuses a report whose attachment is ~10 MB of bare LFs by the line limit", {
    timeout: BOUNDED_MS,
  }, async () => {
    const raw = padded(
      report([dsnPart(), "Content-Type: application/octet-stream\r\n\r\n"], { open: true }),
      "\n",
      NEAR_CAP,
    );
    expect(limitNamed(await refused(raw), LINES_LIMIT)).toBe(MAX_LINES);
  });

  it("answers ~6 MB of empty lines over HTTP with 400 email-unparseable, never 500", {
    timeout: BOUNDED_MS,
  }, async () => {
    const body = padded(headers("text/plain"), CRLF, MAX_BODY_BYTES - 64 * 1024);
    const answer = await call(running().url, "POST", "/v1/import/email?dryRun=true", {
      key: KEY,
      raw: body,
      contentType: "message/rfc822",
    });
    expectProblem(answer, 400);
  });
});

describe("adversarial emails over HTTP: POST /v1/import/email answers 4xx, never 500", () => {
  const KEY = "test-key-email-adversarial";
  const running = useLocalServer(KEY);
  /** The route's body limit less room for the frame: the largest email that reaches the parser. */
  const NEAR_BODY_LIMIT = MAX_BODY_BYTES - 64 * 1024;
  const importEmail = (body: string | Buffer) =>
    call(running().url, "POST", "/v1/import/email?dryRun=true", {
      key: KEY,
      raw: body,
      contentType: "message/rfc822",
    });

  const malformed: ReadonlyArray<readonly [string, () => string | Buffer]> = [
    ["a giant header line", () => padded("Subject: ", "a", NEAR_BODY_LIMIT, "\r\n\r\nx")],
    ["NUL bytes only", () => Buffer.alloc(NEAR_BODY_LIMIT, 0)],
    ["nesting beyond the limit", () => nested(200)],
    ["60 000 unclosed nested multiparts", () => nested(60_000, { close: false })],
    [
      "thousands of tiny attachments",
      () =>
        report(Array.from({ length: 5000 }, (_, i) => `Content-Type: application/octet-stream\r\n\r\n${i}`)),
    ],
  ];

  for (const [name, make] of malformed) {
    it(`answers ${name} with 400 email-unparseable`, { timeout: BOUNDED_MS }, async () => {
      const answer = await importEmail(make());
      expectProblem(answer, 400);
      expect(String(answer.body.type)).toContain("email-unparseable");
    });
  }

  it("answers a body over the route's limit with 413 before parsing", { timeout: BOUNDED_MS }, async () => {
    expectProblem(await importEmail(padded(report([dsnPart()]), "A", MAX_BODY_BYTES + 1)), 413);
  });

  it("answers the parseable oddities with 200 and what they report", { timeout: BOUNDED_MS }, async () => {
    const oddities = [
      report([dsnPart(RECIPIENT, "; charset=klingon")]),
      report([dsnPart(), "Content-Type: text/plain\r\n\r\n"], { open: true }),
      report([dsnPart(), `Content-Type: text/plain\r\n\r\n${"\0".repeat(100_000)}`]),
    ];
    for (const body of oddities) {
      const answer = await importEmail(body);
      expect(answer.status).toBe(200);
      expect(answer.body.events).toEqual([
        expect.objectContaining({ recipient: RECIPIENT, type: "invalid" }),
      ]);
    }
  });

  it("answers a DSN of 100 000 recipient blocks with a bounded answer, never 500", {
    timeout: BOUNDED_MS,
  }, async () => {
    const blocks = Array.from(
      { length: 100_000 },
      (_, i) => `Final-Recipient: rfc822; u${i}@example.org\r\nStatus: 5.1.1\r\n`,
    );
    const answer = await importEmail(
      report([`Content-Type: message/delivery-status\r\n\r\n${blocks.join(CRLF)}`]),
    );
    expect(answer.status).toBeLessThan(500);
    if (answer.status !== 200) expectProblem(answer, answer.status);
    else expect((answer.body.events as unknown[]).length).toBeLessThan(100_000);
  });
});
