/**
 * What SendCloud posts to a webhook (docs/providers/sendcloud.md §6), decoded and validated.
 *
 * SendCloud posts **one event per request** as `application/x-www-form-urlencoded` (every value a
 * string; the list fields of `request` — `recipientArray`, `emailIds` — serialized inside one form
 * value). Its newer English overview says bodies are "typically JSON", so a JSON object is accepted
 * too, and `/v1/import/sendcloud` also takes a JSON array of such objects.
 *
 * SendCloud's pages spell field names differently (`emailId` / `email_id`, `subStat` / `substat`,
 * `event` / `eventType`, `recipient` / `email`…): names are matched case-insensitively with `_`, `-`
 * and spaces ignored, and each field has a few aliases (`FIELD_ALIASES`). Loose objects throughout:
 * SendCloud adds fields (`userHeaders`, `labelName`, browser details) that we do not read.
 */
import * as z from "zod";
import { InputError } from "../../core/errors.js";
import { isRecord } from "../../core/is-record.js";
import { parseJsonBody, parseJsonText } from "../../core/json.js";
import type { WebhookRequest } from "../types.js";

/** Longest token we remember (SendCloud's are 50 characters); bounds the replay-guard key. */
export const MAX_TOKEN_LENGTH = 256;

/** One decoded event as SendCloud named its fields (values: strings from a form, any JSON value from JSON). */
export type RawRecord = Readonly<Record<string, unknown>>;

/** Canonical field → the spellings seen across SendCloud's pages, in order of preference (normalized). */
export const FIELD_ALIASES = {
  event: ["event", "eventtype", "eventname"],
  timestamp: ["timestamp", "ts"],
  token: ["token"],
  signature: ["signature"],
  emailId: ["emailid"],
  recipient: ["recipient", "email"],
  messageId: ["messageid"],
  recipientArray: ["recipientarray", "recipients", "tos"],
  emailIds: ["emailids"],
  subStat: ["substat", "substatus", "substatcode"],
  subStatDesc: ["substatdesc", "substatusdesc", "substatdescription"],
  cause: ["cause"],
  apiUser: ["apiuser"],
  unsubscribeReason: ["unsubscribereason", "reason"],
  /** Read by `sendcloudTags`, not by `SendCloudEventSchema`: a malformed label never refuses the event. */
  labelId: ["labelid"],
} as const;
export type CanonicalField = keyof typeof FIELD_ALIASES;

/** `subStat`, `sub_stat`, `SUBSTAT` → `substat`. */
export const normalizeFieldName = (name: string): string => name.toLowerCase().replace(/[\s_-]/g, "");

/**
 * Renames a record's fields to their canonical names (`email_id` → `emailId`); fields we do not read
 * keep their own name. When two spellings of one field are present, the preferred one wins.
 *
 * @example
 * canonicalFields({ Event: "soft_bounce", email_id: "e1", substat: "503" });
 * // { event: "soft_bounce", emailId: "e1", subStat: "503" }
 */
export function canonicalFields(record: RawRecord): Record<string, unknown> {
  const byNormal = new Map<string, unknown>();
  for (const [name, value] of Object.entries(record)) {
    const normal = normalizeFieldName(name);
    if (!byNormal.has(normal)) byNormal.set(normal, value);
  }
  // Collected in a Map and built with `Object.fromEntries`, which defines own properties: a field
  // named `__proto__` stays a field (assigning `out[name]` would set the object's prototype).
  const out = new Map<string, unknown>();
  const claimed = new Set<string>();
  for (const [field, aliases] of Object.entries(FIELD_ALIASES) as [CanonicalField, readonly string[]][]) {
    for (const alias of aliases) {
      if (byNormal.has(alias) && byNormal.get(alias) !== "") {
        out.set(field, byNormal.get(alias));
        break;
      }
    }
    for (const alias of aliases) claimed.add(alias);
  }
  for (const [name, value] of Object.entries(record)) {
    if (!claimed.has(normalizeFieldName(name)) && !out.has(name)) out.set(name, value);
  }
  return Object.fromEntries(out);
}

/** `application/x-www-form-urlencoded` → one record; a repeated name gives an array of its values. */
export function formRecord(raw: Buffer): Record<string, string | string[]> {
  const params = new URLSearchParams(raw.toString("utf8"));
  // `Object.fromEntries` defines own properties: a field named `__proto__` stays a field.
  return Object.fromEntries(
    [...new Set(params.keys())].map((name) => {
      const values = params.getAll(name);
      return [name, values.length === 1 ? (values[0] as string) : values];
    }),
  );
}

/** Whether the body is JSON: by its content type, else by its first character. */
function looksLikeJson(request: WebhookRequest): boolean {
  const type = (request.headers["content-type"] ?? "").toLowerCase();
  if (type.includes("json")) return true;
  if (type.includes("x-www-form-urlencoded")) return false;
  const first = request.rawBody.toString("utf8").trimStart()[0];
  return first === "{" || first === "[";
}

/**
 * The events a body holds, as records with their SendCloud field names (not yet canonical).
 *
 * @throws InputError when the body is empty, not valid JSON (when JSON), or not an object / array of objects.
 * @example
 * readSendCloudBody({ rawBody: Buffer.from("event=deliver&emailId=e1"), headers: {}, query: {} });
 * // [{ event: "deliver", emailId: "e1" }]
 */
export function readSendCloudBody(request: WebhookRequest): RawRecord[] {
  if (request.rawBody.toString("utf8").trim() === "") {
    throw new InputError("The request body is empty; a SendCloud event (form fields or JSON) is expected.");
  }
  if (!looksLikeJson(request)) return [formRecord(request.rawBody)];
  const body = parseJsonBody(request.rawBody);
  if (isRecord(body)) return [body];
  if (Array.isArray(body)) {
    const bad = body.findIndex((item) => !isRecord(item));
    if (bad >= 0) {
      throw new InputError("Not a SendCloud payload: every array item must be an event object.", [
        { path: String(bad), message: "expected an object" },
      ]);
    }
    return body as RawRecord[];
  }
  throw new InputError(
    "Not a SendCloud payload: expected form fields, a JSON event object or an array of them.",
  );
}

/** A string, or a number kept in its decimal form (JSON bodies). */
const Scalar = z.union([z.string(), z.number().transform((n) => String(n))]).transform((s) => s.trim());

/** `timestamp`: epoch milliseconds per SendCloud (seconds accepted too), as the decimal string that was signed. */
const TimestampSchema = z.union([
  z.string().regex(/^\d{1,16}$/, "epoch milliseconds"),
  z
    .number()
    .int()
    .nonnegative()
    .max(1e16)
    .transform((n) => String(n)),
]);

/**
 * The signed part of a request: `timestamp`, `token` (50 random characters) and `signature`
 * (hex HMAC-SHA256 of `timestamp + token` with the APP KEY).
 *
 * @example
 * SendCloudSignedSchema.parse({ timestamp: "1770920772000", token: "x".repeat(50), signature: "ab…" });
 */
export const SendCloudSignedSchema = z.looseObject({
  timestamp: TimestampSchema,
  token: z.string().min(1).max(MAX_TOKEN_LENGTH),
  signature: z.string().min(1).max(1024),
});
export type SendCloudSigned = z.infer<typeof SendCloudSignedSchema>;

/** A list field: a JSON array, or a string holding one (`["a@x","b@y"]`, `[a@x, b@y]`, `a@x;b@y`). */
const ListField = z.union([z.string().max(6 * 1024 * 1024), z.array(Scalar)]);

/**
 * One SendCloud event, fields already canonical (see `canonicalFields`). Only what we read is
 * checked; `event` is required, every other field depends on the event.
 *
 * @example
 * SendCloudEventSchema.parse({ event: "invalid", emailId: "1770…$jdoe@example.org",
 *   recipient: "jdoe@example.org", subStat: "406", subStatDesc: "address does not exist",
 *   timestamp: "1770920772000", token: "…", signature: "…" });
 */
export const SendCloudEventSchema = z.looseObject({
  event: Scalar.pipe(z.string().min(1).max(64)),
  timestamp: TimestampSchema.optional(),
  token: Scalar.pipe(z.string().max(MAX_TOKEN_LENGTH)).optional(),
  emailId: Scalar.pipe(z.string().max(400)).optional(),
  recipient: Scalar.pipe(z.string().max(1024)).optional(),
  messageId: Scalar.pipe(z.string().max(200)).optional(),
  recipientArray: ListField.optional(),
  emailIds: ListField.optional(),
  subStat: Scalar.pipe(z.string().max(32)).optional(),
  // Free text, not refused for its length (that would lose the bounce): `smtpFrom` caps what is kept.
  subStatDesc: Scalar.optional(),
  cause: Scalar.optional(),
  apiUser: Scalar.pipe(z.string().max(256)).optional(),
  unsubscribeReason: Scalar.pipe(z.string().max(256)).optional(),
});
export type SendCloudEvent = z.infer<typeof SendCloudEventSchema>;

const unquote = (s: string): string =>
  s
    .trim()
    .replace(/^["']|["']$/g, "")
    .trim();

/** A list item as text: strings and numbers; anything else (objects, nested lists) is no address. */
const scalarText = (v: unknown): string =>
  typeof v === "string" || typeof v === "number" ? String(v).trim() : "";

/**
 * The items of a list field, however SendCloud serialized it.
 *
 * @example
 * listItems('["a@example.org","b@example.org"]'); // ["a@example.org", "b@example.org"]
 * listItems("[a@example.org, b@example.org]");    // ["a@example.org", "b@example.org"]
 */
export function listItems(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter((v) => v !== "");
  const text = String(value).trim();
  if (text.startsWith("[")) {
    try {
      // Depth-bounded: `String()` of a 100 000-deep array would overflow the stack.
      const parsed = parseJsonText(text, "The list");
      if (Array.isArray(parsed)) return parsed.map(scalarText).filter((v) => v !== "");
    } catch {
      // Not JSON (or absurdly nested): a Java-style `[a, b]` list; read it below.
    }
  }
  return text
    .replace(/^\[|\]$/g, "")
    .split(/[,;]/)
    .map(unquote)
    .filter((v) => v !== "");
}
