/**
 * `GET /v1/suppressions?cause=&reason=&source=&scope=&since=&until=&q=&cursor=&limit=`: the live
 * entries of the caller's tenant, newest first (design.md §5.3). SendCloud's bounce, complaint,
 * unsubscribe and manual lists are this route with a filter.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
  LIST_PAGE_DEFAULT,
  type ListEntry,
  type ListedCause,
  type ListPage,
  ListQuery,
} from "../contract/lists.js";
import { canonicalizeAddress, canonicalizeSubject } from "../core/address.js";
import { InputError } from "../core/errors.js";
import type { LiveCause } from "../core/ledger/index.js";
import { fromEpochSeconds, toEpochSeconds } from "../core/ledger/time.js";
import { parseAt } from "../providers/shared/validate.js";
import { type ListedEntry, listsStore, type SubjectFilter } from "../store/lists.js";
import { type HttpResponse, json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { type RuntimeDeps, readOnlyDeps } from "./runtime.js";

/** One live cause as listed (as the single-address lookup shows its entries). */
function causeView(c: LiveCause): ListedCause {
  return {
    cause: c.cause,
    reason: c.state.verdict,
    rule: c.state.rule,
    source: c.state.source,
    since: c.state.since,
    lastAt: c.state.lastAt,
    expiresAt: c.state.expiresAt === null ? null : fromEpochSeconds(c.state.expiresAt),
    eventId: c.state.eventId,
    unsubscribeReason: c.state.unsubscribeReason ?? null,
    note: c.state.note ?? null,
  };
}

/** One listed entry as the API shows it: its strongest matching cause on top, then every live cause. */
export function listEntry(entry: ListedEntry): ListEntry {
  const top = entry.top.state;
  return {
    subjectKind: entry.subjectKind,
    subject: entry.subject,
    scope: entry.scope,
    cause: entry.top.cause,
    reason: top.verdict,
    since: top.since,
    expiresAt: top.expiresAt === null ? null : fromEpochSeconds(top.expiresAt),
    source: top.source,
    causes: entry.causes.map(causeView),
  };
}

/**
 * `q`: `@domain` (every entry of that domain, the domain's own included), or the start of an
 * address, compared with canonical addresses (lower case; a whole address is canonicalized).
 */
function subjectFilter(q: string): SubjectFilter {
  if (q.startsWith("@")) {
    const parsed = canonicalizeSubject(q);
    if (!parsed.ok || parsed.subject.kind !== "domain") {
      throw new InputError("`q` names no valid `@domain`.", [
        { path: "q", message: parsed.ok ? "not a domain" : parsed.problem },
      ]);
    }
    return { kind: "domain", value: parsed.subject.value };
  }
  const whole = q.includes("@") ? canonicalizeAddress(q) : undefined;
  return { kind: "prefix", value: whole?.ok ? whole.address : q.normalize("NFC").toLowerCase() };
}

/**
 * The list answer for `event` in `tenant`: the route's whole logic, apart from authentication.
 *
 * @throws InputError (400) for a bad query parameter or cursor
 */
export async function listSuppressions(
  deps: RuntimeDeps,
  event: APIGatewayProxyEventV2,
  tenant: string,
): Promise<HttpResponse> {
  const query = parseAt(ListQuery, event.queryStringParameters ?? {}, [], "Not a valid list query.");
  const since = query.since === undefined ? undefined : toEpochSeconds(query.since);
  const until = query.until === undefined ? undefined : toEpochSeconds(query.until);
  if (since !== undefined && until !== undefined && since > until) {
    throw new InputError("`since` is after `until`.", [
      { path: "since", message: `${query.since} > ${query.until}` },
    ]);
  }
  const source = query.source === "manual" ? "admin" : query.source;
  const now = Math.floor(deps.now().getTime() / 1000);
  const page = await listsStore(deps.store()).entries(
    {
      tenant,
      limit: query.limit ?? LIST_PAGE_DEFAULT,
      ...(query.cause === undefined ? {} : { cause: query.cause }),
      ...(query.reason === undefined ? {} : { reason: query.reason }),
      ...(source === undefined ? {} : { source }),
      ...(query.scope === undefined ? {} : { scope: query.scope }),
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
      ...(query.q === undefined ? {} : { subject: subjectFilter(query.q) }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    },
    now,
  );
  const answer: ListPage = { items: page.entries.map(listEntry), cursor: page.cursor };
  return json(200, answer);
}

/**
 * `GET /v1/suppressions`: the tenant's live entries, newest first, in pages of `limit` (default
 * 50, at most 100) with an opaque `cursor`; follow `cursor` until it is null (a page may be short).
 *
 * @example
 * const page = await handler(apiGatewayEvent("GET", "/v1/suppressions?cause=complaint"), context);
 */
export function createListsHandler(deps: RuntimeDeps): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: deps.auth, maskWithoutPii: true }, (event, caller) =>
    listSuppressions(deps, event, caller.tenant),
  );
}

export const handler = createListsHandler(readOnlyDeps);
