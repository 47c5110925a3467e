import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

/** Content types API Gateway passes as text; everything else arrives base64-encoded, as deployed. */
const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]+\+json|x-www-form-urlencoded|xml)\b)/i;

/**
 * Builds the API Gateway HTTP API (payload v2) event a deployed Lambda would get for this request,
 * so the local server runs the handlers exactly as AWS does.
 *
 * @example
 * toApiGatewayEvent(req, Buffer.from("{}"), { routeKey: "POST /v1/check", pathParameters: {} });
 */
export function toApiGatewayEvent(
  req: IncomingMessage,
  body: Buffer,
  route: { routeKey: string; pathParameters: Record<string, string> },
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? "/", "http://localhost");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = Object.hasOwn(query, name) ? `${query[name]},${value}` : value;
  const isText = body.byteLength === 0 || TEXT_TYPES.test(headers["content-type"] ?? "");
  const now = new Date();
  const method = req.method ?? "GET";
  const path = safeDecode(url.pathname);
  return {
    version: "2.0",
    routeKey: route.routeKey,
    rawPath: path,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(route.pathParameters).length > 0 ? { pathParameters: route.pathParameters } : {}),
    requestContext: {
      accountId: "local",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: "local",
      http: {
        method,
        path,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: isText ? body.toString("utf8") : body.toString("base64"),
    isBase64Encoded: !isText,
  };
}

/** HTTP APIs hand the Lambda a URL-decoded path; a malformed escape stays as it came. */
function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
