import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { ParsedNotification } from "../core/events.js";
import { isRecord } from "../core/is-record.js";
import type { WebhookRequest } from "../providers/types.js";
import { rawBody } from "./http/body.js";
import { HttpProblem } from "./http/problem.js";

/**
 * At most this many normalized events per ingest request (`POST /webhooks/{provider}`,
 * `POST /v1/import/{provider}`): at least the largest batch any ESP sends, and what one request
 * stores in **half** the function's deadline (28 s for import and webhook, `ingestFunctionTimeoutSeconds`
 * in lambdas/store/budget.ts), the other half being margin for a slower store, a cold start, or
 * DynamoDB throttling retries.
 *
 * The largest batches the ESPs send, from their documentation:
 * - SendGrid: a batch is flushed every 30 s or at about 768 KB; its smallest events (processed,
 *   delivered) are ~260 bytes, so a full batch holds up to ~3 000 events. This sets the number;
 * - SparkPost: "batches that may vary from 1 to 350 or more events" (SparkPost support, webhook
 *   data streams), and it wants an answer within 10 s;
 * - SES over SNS: one record per notification, at most 50 recipients per message;
 * - Mailgun and Postmark: one event per webhook request;
 * - SendCloud: one event per request; a `request` event lists its recipients (100 in the bench).
 *
 * Measured by `npm run bench` (bench/ingest.ts: the import handler storing new SendGrid bounces,
 * the costliest event, `INGEST_WRITE_CONCURRENCY` writes at a time, 2-core machine, 2026-12-01):
 * 258–369 events/s on the embedded dynalite store and 239–324 on DynamoDB Local with 8–16 writes at
 * once, so 3 300–5 100 events in 14 s; 3 000 fits both. Earlier runs on the machine loaded by other
 * test suites gave 133–260 events/s: then a full batch takes longer than half the deadline, but
 * still less than all of it. The bench checks a request of exactly this many (`import_limit_ms_*`).
 *
 * Backfills of any size go through `npm run import`, which sends chunks within this limit.
 */
export const MAX_EVENTS_PER_REQUEST = 3_000;

/** The request as provider adapters read it: exact body bytes, lower-case headers, the query. */
export function webhookRequest(event: APIGatewayProxyEventV2): WebhookRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) query[name] = value;
  }
  return { rawBody: rawBody(event), headers, query };
}

/** The 413 for a request carrying `count` events (or recipients) over the limit. */
function tooManyEvents(count: number, what: string): HttpProblem {
  return new HttpProblem(
    413,
    `At most ${MAX_EVENTS_PER_REQUEST} events per request; got ${count} ${what}. Send smaller batches (npm run import splits files into chunks that fit).`,
    { slug: "too-many-events" },
  );
}

/**
 * Refuses a request with more events than one call may carry: 413 problem+json `too-many-events`,
 * thrown before anything is stored. Every ingest route calls it on the parsed payload.
 *
 * @throws HttpProblem 413 when `parsed.events.length > MAX_EVENTS_PER_REQUEST`.
 * @example
 * const parsed = limitEvents(adapter.parse(request, { tenant, receivedAt: now }));
 * await ingest(parsed, { store, policy, dryRun: false });
 */
export function limitEvents(parsed: ParsedNotification): ParsedNotification {
  if (parsed.events.length > MAX_EVENTS_PER_REQUEST) throw tooManyEvents(parsed.events.length, "events");
  return parsed;
}

/** How deep `sesRecipientCount` follows envelopes (SQS record → body → SNS document → Message → record). */
const MAX_ENVELOPE_DEPTH = 8;

const lengthOf = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

/** A string layer (`Message`, `body`) parsed when it holds a JSON object; anything else counts 0. */
function parsedLayer(text: string): unknown {
  if (!text.trimStart().startsWith("{")) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function countIn(value: unknown, depth: number): number {
  if (depth > MAX_ENVELOPE_DEPTH) return 0;
  if (typeof value === "string") return countIn(parsedLayer(value), depth + 1);
  if (Array.isArray(value)) return value.reduce<number>((sum, v) => sum + countIn(v, depth + 1), 0);
  if (!isRecord(value)) return 0;
  if ("eventType" in value || "notificationType" in value) {
    const field = (name: string): Record<string, unknown> => {
      const part = value[name];
      return isRecord(part) ? part : {};
    };
    return (
      lengthOf(field("bounce").bouncedRecipients) +
      lengthOf(field("complaint").complainedRecipients) +
      lengthOf(field("delivery").recipients)
    );
  }
  let sum = 0;
  for (const layer of ["Records", "Sns", "Message", "body", "detail"]) {
    if (layer in value) sum += countIn(value[layer], depth + 1);
  }
  return sum;
}

/**
 * The recipients an SES body lists in its bounces, complaints and deliveries — each becomes one
 * event — counted through every envelope SES output arrives in (SNS HTTP document, SNS → Lambda,
 * SQS → Lambda, EventBridge, a bare record; JSON-string layers are parsed). Cheap: no validation,
 * no classification. Malformed layers count 0 (the real parser reports them).
 *
 * @example
 * sesRecipientCount({ notificationType: "Bounce", bounce: { bouncedRecipients: [{}, {}] } }); // 2
 * sesRecipientCount({ Records: [{ eventSource: "aws:sqs", body: '{"eventType":"Delivery","delivery":{"recipients":["a@b.example"]}}' }] }); // 1
 */
export function sesRecipientCount(body: unknown): number {
  return countIn(body, 0);
}

/**
 * Refuses an SES body that lists more recipients than one request may carry (413 `too-many-events`)
 * before the records are validated and classified: an SES record with 100 000 `bouncedRecipients`
 * fits in 6 MB, and parsing it all only to refuse it would waste the deadline. A string is parsed
 * as JSON first (an SNS `Message`, or a whole body as text).
 *
 * @throws HttpProblem 413 when `sesRecipientCount(body) > MAX_EVENTS_PER_REQUEST`.
 * @example
 * limitSesRecipients(verified.message); // POST /webhooks/ses, before parseSesSnsMessage
 */
export function limitSesRecipients(body: unknown): void {
  const count = sesRecipientCount(body);
  if (count > MAX_EVENTS_PER_REQUEST) throw tooManyEvents(count, "recipients");
}
