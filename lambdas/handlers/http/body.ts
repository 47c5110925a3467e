import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { parseJsonBody } from "../../core/json.js";
import { HttpProblem } from "./problem.js";

/** Largest body we read: API Gateway passes at most 6 MB to a synchronous Lambda anyway. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/**
 * The request body as raw bytes, decoding API Gateway's base64 when it applied it.
 * Signatures are computed over these bytes, so nothing may re-encode them first.
 */
export function rawBody(event: Pick<APIGatewayProxyEventV2, "body" | "isBase64Encoded">): Buffer {
  const body = event.body ?? "";
  const bytes = event.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
  if (bytes.byteLength > MAX_BODY_BYTES) {
    throw new HttpProblem(413, `The body is larger than ${MAX_BODY_BYTES} bytes.`, {
      slug: "body-too-large",
    });
  }
  return bytes;
}

/**
 * Parses a JSON body (whatever its content type: SNS posts JSON as `text/plain`).
 *
 * @example
 * jsonBody({ body: '{"addresses":["a@b.example"]}', isBase64Encoded: false }); // { addresses: [...] }
 */
export function jsonBody(event: Pick<APIGatewayProxyEventV2, "body" | "isBase64Encoded">): unknown {
  return parseJsonBody(rawBody(event));
}
