/**
 * How live entries are listed (`GET /v1/suppressions`) and which store filters a list query means:
 * shared by the lists function and a `suppressions` export (lambdas/jobs/export), so the file holds
 * exactly what the route lists. No handler here: importing it builds no function.
 */
import type { ListEntry, ListedCause, ListQuery } from "../contract/lists.js";
import { canonicalizeAddress, canonicalizeSubject } from "../core/address.js";
import { InputError } from "../core/errors.js";
import type { LiveCause } from "../core/ledger/index.js";
import { fromEpochSeconds, toEpochSeconds } from "../core/ledger/time.js";
import type { ListedEntry, ListQuery as StoreListQuery, SubjectFilter } from "../store/lists.js";

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

/** The filters of a list query (`GET /v1/suppressions`, a `suppressions` export), as the store takes them. */
export type ListFilters = Omit<StoreListQuery, "limit" | "cursor">;

/**
 * The store's filters for the list query `query` in `tenant`: what the route and a `suppressions`
 * export (lambdas/jobs/export) both read, so an export holds exactly what the route lists.
 *
 * @throws InputError (400) for `since` after `until`, or a `q` that names no valid `@domain`
 * @example listFilters({ cause: "complaint" }, "default"); // { tenant: "default", cause: "complaint" }
 */
export function listFilters(query: Omit<ListQuery, "cursor" | "limit">, tenant: string): ListFilters {
  const since = query.since === undefined ? undefined : toEpochSeconds(query.since);
  const until = query.until === undefined ? undefined : toEpochSeconds(query.until);
  if (since !== undefined && until !== undefined && since > until) {
    throw new InputError("`since` is after `until`.", [
      { path: "since", message: `${query.since} > ${query.until}` },
    ]);
  }
  const source = query.source === "manual" ? "admin" : query.source;
  return {
    tenant,
    ...(query.cause === undefined ? {} : { cause: query.cause }),
    ...(query.reason === undefined ? {} : { reason: query.reason }),
    ...(source === undefined ? {} : { source }),
    ...(query.scope === undefined ? {} : { scope: query.scope }),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    ...(query.q === undefined ? {} : { subject: subjectFilter(query.q) }),
  };
}
