import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { HttpProblem } from "./problem.js";

export type HttpResponse = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

/** A JSON answer; `cache-control: no-store` because verdicts change as events arrive. */
export function json(statusCode: number, body: unknown): HttpResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    body: JSON.stringify(body),
  };
}

/** An RFC 9457 problem answer. */
export function problem(error: HttpProblem): HttpResponse {
  return {
    statusCode: error.status,
    headers: {
      "content-type": "application/problem+json; charset=utf-8",
      "cache-control": "no-store",
      ...error.headers,
    },
    body: JSON.stringify(error.toDocument()),
  };
}
