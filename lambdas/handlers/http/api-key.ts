import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { sameSecret } from "../../core/secret-compare.js";
import { SERVICE_NAME } from "../names.js";
import { HttpProblem } from "./problem.js";
import type { HttpResponse } from "./response.js";

const challenge = { "www-authenticate": `Bearer realm="${SERVICE_NAME}"` };

/**
 * middy `before`: requires `Authorization: Bearer <key>` matching the configured API key.
 * With no key configured every request is refused (never open by accident).
 *
 * @example
 * middy(handler).use(bearerApiKey(() => process.env.SUPPRESSION_API_KEY));
 */
export function bearerApiKey(
  expectedKey: () => string | undefined | Promise<string | undefined>,
): MiddlewareObj<APIGatewayProxyEventV2, HttpResponse> {
  return {
    name: "bearerApiKey",
    before: async (request) => {
      const expected = await expectedKey();
      if (!expected) {
        throw new HttpProblem(401, "No API key is configured on the server (set SUPPRESSION_API_KEY).", {
          slug: "api-key-not-configured",
          headers: challenge,
        });
      }
      const header = request.event.headers?.authorization ?? request.event.headers?.Authorization ?? "";
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1]) {
        throw new HttpProblem(401, "Send the API key as `Authorization: Bearer <key>`.", {
          slug: "missing-api-key",
          headers: challenge,
        });
      }
      if (!sameSecret(match[1], expected)) {
        throw new HttpProblem(401, "The API key is not valid.", {
          slug: "invalid-api-key",
          headers: challenge,
        });
      }
    },
  };
}
