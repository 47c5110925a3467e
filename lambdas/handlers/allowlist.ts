import {
  type AllowlistEntry,
  type AllowlistPage,
  type AllowlistState,
  AllowRequest,
  type DisallowAnswer,
} from "../contract/allowlist.js";
import { domainOf, type Subject } from "../core/address.js";
import { parseAt } from "../providers/shared/validate.js";
import { type AllowItem, allowlistStore } from "../store/allowlist.js";
import { jsonBody } from "./http/body.js";
import { HttpProblem } from "./http/problem.js";
import { json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { getPolicy } from "./policy-source.js";
import { containerDeps, type RuntimeDeps } from "./runtime.js";
import { hasNoBody, subjectOfPath } from "./subject-path.js";

const entryOf = (item: AllowItem): AllowlistEntry => ({
  subjectKind: item.subjectKind,
  subject: item.subject,
  note: item.note ?? null,
  since: item.at,
  actor: { keyId: item.actor.keyId, name: item.actor.name },
});

/**
 * Whether an active allowlist item covers the subject: the same subject, or the domain of an address
 * (what ingestion applies, core/policy/allowlist.ts).
 */
function covers(item: AllowItem, subject: Subject): boolean {
  if (item.subjectKind === subject.kind) return item.subject === subject.value;
  return item.subjectKind === "domain" && domainOf(subject.value) === item.subject;
}

/**
 * The allowlist: addresses and domains (`@example.org`) that provider events never suppress (test
 * inboxes, seed lists, the sender's own domains). Their events are still recorded, with the
 * decision `none`, `allowlisted`; a manual entry still wins; entries that exist already stay until
 * removed (`DELETE /v1/suppressions/…`). Changes reach ingestion within `ALLOWLIST_CACHE_SECONDS`.
 *
 * - `PUT /v1/allowlist/{address}` with an optional `{"note"}`: on the list (200, the entry);
 * - `DELETE /v1/allowlist/{address}`: off the list (200; 404 when it was not on it);
 * - `GET /v1/allowlist`: every entry, newest first;
 * - `GET /v1/allowlist/{address}`: whether the address (or `@domain`) is covered, and by which
 *   active entries (the address itself, its domain), as the address page of the console shows it.
 *
 * Each change is written into the subject's history first, with who, like every operator's change.
 *
 * @example
 * await handler(apiGatewayEvent("PUT", "/v1/allowlist/@seeds.example.org", '{"note":"seed list"}'), context);
 */
export function createAllowlistHandler(deps: RuntimeDeps): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: deps.auth, maskWithoutPii: true }, async (event, caller) => {
    const list = allowlistStore(deps.store());
    const now = Math.floor(deps.now().getTime() / 1000);
    const method = event.requestContext.http.method.toUpperCase();
    if (method === "GET" && event.pathParameters?.address !== undefined) {
      const subject = subjectOfPath(event);
      const entries = (await list.entries(caller.tenant))
        .filter((item) => covers(item, subject))
        .map(entryOf);
      const answer: AllowlistState = {
        subjectKind: subject.kind,
        subject: subject.value,
        allowlisted: entries.length > 0,
        entries,
      };
      return json(200, answer);
    }
    if (method === "GET") {
      const answer: AllowlistPage = { entries: (await list.entries(caller.tenant)).map(entryOf) };
      return json(200, answer);
    }
    const subject = subjectOfPath(event);
    if (method === "PUT") {
      const empty = hasNoBody(event);
      const body = parseAt(AllowRequest, empty ? {} : jsonBody(event), [], "Not a valid allowlist entry.");
      const note = body.note ?? null;
      const done = await list.change(
        { tenant: caller.tenant, subject, active: true, note, actor: caller.actor },
        now,
      );
      deps.logger.info("allowlisted", { subjectKind: subject.kind, actionId: done.actionId });
      const answer: AllowlistEntry = {
        subjectKind: subject.kind,
        subject: subject.value,
        note,
        since: done.at,
        actor: caller.actor,
      };
      return json(200, answer);
    }
    if (method === "DELETE") {
      const done = await list.change(
        { tenant: caller.tenant, subject, active: false, note: null, actor: caller.actor },
        now,
      );
      deps.logger.info("off the allowlist", { subjectKind: subject.kind, actionId: done.actionId });
      if (!done.wasActive) {
        throw new HttpProblem(404, "Not on the allowlist: it stays off (the attempt is in the history).", {
          slug: "not-allowlisted",
        });
      }
      const answer: DisallowAnswer = {
        subjectKind: subject.kind,
        subject: subject.value,
        allowlisted: false,
        actionId: done.actionId,
        at: done.at,
      };
      return json(200, answer);
    }
    throw new HttpProblem(405, `${method} is not served here: GET, PUT or DELETE.`, {
      slug: "method-not-allowed",
      headers: { allow: "GET, PUT, DELETE" },
    });
  });
}

/** The store's history window comes from the policy (`POLICY_FILE`), as for the admin function. */
export const handler = createAllowlistHandler(containerDeps(getPolicy));
