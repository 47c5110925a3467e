import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
  type ManualSuppressionAnswer,
  ManualSuppressionRequest,
  type RemovalAnswer,
  RemovalQuery,
} from "../contract/admin.js";
import type { Subject } from "../core/address.js";
import { InputError } from "../core/errors.js";
import { toEpochSeconds } from "../core/ledger/time.js";
import { ALL_MAIL } from "../core/scope.js";
import { parseAt } from "../providers/shared/validate.js";
import { adminStore } from "../store/admin.js";
import { jsonBody } from "./http/body.js";
import { HttpProblem } from "./http/problem.js";
import { json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { getPolicy } from "./policy-source.js";
import { containerDeps, type RuntimeDeps } from "./runtime.js";
import { hasNoBody, subjectOfPath } from "./subject-path.js";

/** The `{address}` of the path: an address, or `@domain` for a whole domain. */

/** The body of a PUT: JSON, or none at all (then every field takes its default). */
function manualRequest(event: APIGatewayProxyEventV2): ManualSuppressionRequest {
  const empty = hasNoBody(event);
  const body = empty ? {} : jsonBody(event);
  return parseAt(ManualSuppressionRequest, body, [], "Not a valid manual entry.");
}

const display = (subject: Subject) => ({ subjectKind: subject.kind, subject: subject.value });

/**
 * `PUT /v1/suppressions/{address}`: adds (or replaces) a `manual` cause on an address or, written
 * `@example.org`, a whole domain, at `scope` (default `*`) until `expiresAt` (default never).
 * `DELETE /v1/suppressions/{address}?scope=&cause=&reason=`: ends one cause, or every cause, at a
 * scope; `reason` is required. Both are written into the subject's history first, with who and why
 * (store/admin.ts); a removed cause comes back only through a newer event.
 *
 * Answers 200 with what was done; 400 for a bad address, body or query; 404 when a DELETE finds
 * nothing live to remove, 409 when what is live has an event dated after the request (the attempt
 * is in the history either way).
 *
 * @example
 * const handler = createAdminHandler(deps);
 * await handler(apiGatewayEvent("DELETE", "/v1/suppressions/jdoe@example.org?reason=fixed"), context);
 */
export function createAdminHandler(deps: RuntimeDeps): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: deps.auth }, async (event, caller) => {
    const subject = subjectOfPath(event);
    const now = Math.floor(deps.now().getTime() / 1000);
    const method = event.requestContext.http.method.toUpperCase();
    if (method === "PUT") {
      const body = manualRequest(event);
      const expiresAt = body.expiresAt == null ? null : toEpochSeconds(body.expiresAt);
      if (expiresAt !== null && expiresAt <= now) {
        throw new InputError("`expiresAt` is in the past; leave it out (or null) for never.", [
          { path: "expiresAt", message: `got ${body.expiresAt}` },
        ]);
      }
      const scope = body.scope ?? ALL_MAIL;
      const note = body.note ?? null;
      const done = await adminStore(deps.store()).suppressManually(
        { tenant: caller.tenant, subject, scope, expiresAt, note, actor: caller.actor },
        now,
      );
      deps.logger.info("manual entry", { subjectKind: subject.kind, scope, actionId: done.actionId });
      const answer: ManualSuppressionAnswer = {
        ...display(subject),
        scope,
        cause: "manual",
        expiresAt: expiresAt === null ? null : new Date(expiresAt * 1000).toISOString(),
        note,
        actionId: done.actionId,
        at: done.at,
      };
      return json(200, answer);
    }
    if (method === "DELETE") {
      const params = event.queryStringParameters ?? {};
      if ((params.reason ?? "").trim() === "") {
        throw new InputError("`reason` is required: say why the entry is removed (the history keeps it).", [
          { path: "reason", message: "missing" },
        ]);
      }
      const query = parseAt(RemovalQuery, params, [], "Not a valid removal.");
      const scope = query.scope ?? ALL_MAIL;
      const done = await adminStore(deps.store()).removeSuppression(
        {
          tenant: caller.tenant,
          subject,
          scope,
          ...(query.cause === undefined ? {} : { cause: query.cause }),
          reason: query.reason,
          actor: caller.actor,
        },
        now,
      );
      deps.logger.info("removal", {
        subjectKind: subject.kind,
        scope,
        removed: done.removed,
        actionId: done.actionId,
      });
      if (done.removed.length === 0 && done.kept.length > 0) {
        throw new HttpProblem(
          409,
          `${done.kept.map((c) => `\`${c}\``).join(", ")} has an event dated after this request (a provider's clock ahead of ours, or an event that arrived meanwhile): nothing was removed. Look the address up, then retry.`,
          { slug: "newer-evidence" },
        );
      }
      if (done.removed.length === 0) {
        const what = query.cause === undefined ? "cause" : `\`${query.cause}\` cause`;
        throw new HttpProblem(404, `No live ${what} at scope \`${scope}\`: nothing was removed.`, {
          slug: "not-suppressed",
        });
      }
      const answer: RemovalAnswer = {
        ...display(subject),
        scope,
        removed: [...done.removed],
        kept: [...done.kept],
        reason: query.reason,
        actionId: done.actionId,
        at: done.at,
      };
      return json(200, answer);
    }
    throw new HttpProblem(405, `${method} is not served here: PUT or DELETE.`, {
      slug: "method-not-allowed",
      headers: { allow: "PUT, DELETE" },
    });
  });
}

/** The store's history window comes from the policy (`POLICY_FILE`), as for the ingest functions. */
export const handler = createAdminHandler(containerDeps(getPolicy));
