import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { ParsedNotification } from "../core/events.js";
import { EmailParseError, EmailTooLargeError } from "../providers/email/errors.js";
import { PROVIDERS } from "../providers/registry.js";
import {
  ProviderUnavailableError,
  TooManyEventsError,
  WebhookAuthError,
  type WebhookRequest,
} from "../providers/types.js";
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

/** The 404 of an ingest path that names no provider of the registry. */
export function unknownProvider(provider: string): HttpProblem {
  return new HttpProblem(404, `Unknown provider "${provider}"; supported: ${PROVIDERS.join(", ")}.`, {
    slug: "unknown-provider",
  });
}

/**
 * The answer to a provider adapter's error, or `undefined` for any other error (left to the route's
 * problem middleware). Refusals carry the status that stops that provider's retries; what the check
 * needed and did not get is a 503 with `Retry-After`, so the provider retries. A raw email
 * (`POST /v1/import/email`) too large to parse is a 413 `email-too-large`, one whose MIME cannot be
 * read a 400 `email-unparseable`: the caller's input, never a 500.
 *
 * @example
 * catch (error) { throw providerProblem(error) ?? error; }
 */
export function providerProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof WebhookAuthError) {
    return new HttpProblem(error.status, error.message, { slug: error.slug, cause: error });
  }
  if (error instanceof ProviderUnavailableError) {
    return new HttpProblem(503, error.message, {
      slug: error.slug,
      headers: { "retry-after": "1" },
      cause: error,
    });
  }
  if (error instanceof TooManyEventsError) {
    return new HttpProblem(413, error.message, { slug: "too-many-events", cause: error });
  }
  if (error instanceof EmailTooLargeError) {
    return new HttpProblem(
      413,
      `The email is too large to read: ${error.size} bytes, at most ${error.limit}.`,
      {
        slug: "email-too-large",
        cause: error,
      },
    );
  }
  if (error instanceof EmailParseError) {
    return new HttpProblem(400, `The body is not a readable email: ${error.message}.`, {
      slug: "email-unparseable",
      cause: error,
    });
  }
  return undefined;
}

/**
 * Refuses a request with more events than one call may carry (413 `too-many-events` through
 * `providerProblem`), thrown before anything is stored. Every ingest route calls it on the parsed
 * payload.
 *
 * @throws TooManyEventsError when `parsed.events.length > MAX_EVENTS_PER_REQUEST`.
 * @example
 * const parsed = limitEvents(adapter.parse(request, { tenant, receivedAt: now }));
 * await ingest(parsed, { store, policy, dryRun: false });
 */
export function limitEvents(parsed: ParsedNotification): ParsedNotification {
  if (parsed.events.length > MAX_EVENTS_PER_REQUEST) {
    throw new TooManyEventsError(MAX_EVENTS_PER_REQUEST, parsed.events.length);
  }
  return parsed;
}
