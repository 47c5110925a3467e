import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { ParsedNotification } from "../core/events.js";
import type { WebhookRequest } from "../providers/types.js";
import { rawBody } from "./http/body.js";
import { HttpProblem } from "./http/problem.js";

/** At most this many events per request: far above any provider's batch, far below our timeout. */
export const MAX_EVENTS_PER_REQUEST = 10_000;

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

/** Refuses a request with more events than one call may carry (413). */
export function limitEvents(parsed: ParsedNotification): ParsedNotification {
  if (parsed.events.length > MAX_EVENTS_PER_REQUEST) {
    throw new HttpProblem(
      413,
      `At most ${MAX_EVENTS_PER_REQUEST} events per request; got ${parsed.events.length}. Send smaller batches.`,
      { slug: "too-many-events" },
    );
  }
  return parsed;
}
