import type { Logger } from "@aws-lambda-powertools/logger";
import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { InputError } from "../../core/errors.js";
import { StoreItemTooLargeError, StoreUnavailableError } from "../../store/errors.js";
import { HttpProblem } from "./problem.js";
import { type HttpResponse, problem } from "./response.js";

type Log = Pick<Logger, "warn" | "error">;

/**
 * The detail of a 413 for an event too large to store: which provider's event, how large, which
 * field, never the address (personal data) nor the item's text.
 */
function itemTooLargeDetail(error: StoreItemTooLargeError): string {
  const whose = error.provider ? `The ${error.provider} event` : "The event";
  const size = error.bytes !== undefined ? ` (${Math.ceil(error.bytes / 1024)} KB)` : "";
  const field = error.largestField ? `; its largest field is ${error.largestField}` : "";
  return `${whose} is too large to store${size}: the store holds at most 400 KB per event${field}.`;
}

/**
 * Maps an error to the problem it is: the caller's fault → 4xx (an event too large to store → 413),
 * the store's → 503 with `Retry-After` (so the sender retries: outages and store timeouts alike),
 * anything else → 500 without internals.
 *
 * @example
 * toProblem(new InputError("bad")); // HttpProblem 400
 * toProblem(new StoreTimeoutError("no answer")); // HttpProblem 503, retry-after: 1
 */
export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof InputError) {
    return new HttpProblem(400, error.message, { slug: "invalid-input", errors: error.issues, cause: error });
  }
  if (error instanceof StoreItemTooLargeError) {
    return new HttpProblem(413, itemTooLargeDetail(error), { slug: "item-too-large", cause: error });
  }
  if (error instanceof StoreUnavailableError) {
    return new HttpProblem(503, "The suppression store is unavailable; retry later.", {
      slug: "store-unavailable",
      headers: { "retry-after": "1" },
      cause: error,
    });
  }
  return new HttpProblem(500, "An unexpected error occurred.", { slug: "internal", cause: error });
}

/**
 * middy `onError`: answers every error as `application/problem+json` (RFC 9457) and logs server faults.
 *
 * @example
 * middy(handler).use(problemJson(logger));
 */
export function problemJson(log: Log): MiddlewareObj<APIGatewayProxyEventV2, HttpResponse> {
  return {
    name: "problemJson",
    onError: (request) => {
      const answer = toProblem(request.error);
      if (answer.status >= 500) log.error("request failed", { status: answer.status, error: request.error });
      else log.warn("request refused", { status: answer.status, detail: answer.message });
      request.response = problem(answer);
    },
  };
}
