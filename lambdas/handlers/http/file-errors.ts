import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { FileUnavailableError } from "../../files/errors.js";
import { HttpProblem } from "./problem.js";
import type { HttpResponse } from "./response.js";

/**
 * middy `onError` of the routes that use the file store (exports, list checks): S3 throttling or
 * an outage becomes a 503 with `Retry-After`, as a store outage does; the shared `problemJson`
 * answers it. Apart from problem-middleware.ts so the other functions never bundle the file
 * store's errors.
 *
 * @example
 * httpRoute({ logger, auth, use: [fileErrors()] }, logic);
 */
export function fileErrors(): MiddlewareObj<APIGatewayProxyEventV2, HttpResponse> {
  return {
    name: "fileErrors",
    onError: (request) => {
      if (request.error instanceof FileUnavailableError) {
        request.error = new HttpProblem(503, "The file store is unavailable; retry later.", {
          slug: "file-store-unavailable",
          headers: { "retry-after": "1" },
          cause: request.error,
        });
      }
    },
  };
}
