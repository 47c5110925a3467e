import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { canonicalizeSubject, type Subject } from "../core/address.js";
import { InputError } from "../core/errors.js";

/**
 * The `{address}` of an operator's route: an address, or `@domain` for a whole domain, canonical.
 *
 * @throws InputError (400) when the path names no valid address or domain.
 * @example
 * subjectOfPath(event); // { kind: "domain", value: "example.org" } for /v1/allowlist/@Example.ORG
 */
export function subjectOfPath(event: APIGatewayProxyEventV2): Subject {
  const raw = event.pathParameters?.address;
  if (raw === undefined) throw new InputError(`The path names no address: ${event.routeKey}.`);
  const parsed = canonicalizeSubject(raw);
  if (!parsed.ok) {
    throw new InputError("The path names no valid address or `@domain`.", [
      { path: "address", message: parsed.problem },
    ]);
  }
  return parsed.subject;
}

/** Whether a request has no body (an operator's PUT may leave it out: every field has a default). */
export const hasNoBody = (event: APIGatewayProxyEventV2): boolean =>
  event.body === undefined || event.body === null || event.body.trim() === "";
