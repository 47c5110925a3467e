/**
 * Key formats. The tenant is part of every key (design.md §4), so more tenants need no migration.
 * Every variable part is escaped (`%` → `%25`, `#` → `%23`) so that a `#` inside a tenant, an
 * address's local part, a scope or an event id can never forge another key.
 */
import { domainOf } from "../core/address.js";
import { scopeChain } from "../core/scope.js";

export const ENTRY_SK_PREFIX = "S#";
export const EVENT_SK_PREFIX = "E#";

/** The kind of subject an entry suppresses: one address, or (manual entries) a whole domain. */
export type SubjectKind = "address" | "domain";

/** Escapes one key component. Injective, and the output never contains `#`. @example escapeKeyPart("a#b%"); // "a%23b%25" */
export function escapeKeyPart(value: string): string {
  return value.replace(/%/g, "%25").replace(/#/g, "%23");
}

/** Inverse of `escapeKeyPart`. @example unescapeKeyPart("a%23b%25"); // "a#b%" */
export function unescapeKeyPart(value: string): string {
  return value.replace(/%23/g, "#").replace(/%25/g, "%");
}

/**
 * Partition key of an address or a domain of a tenant.
 *
 * @example
 * subjectPk("default", "address", "jdoe@example.org"); // "T#default#A#jdoe@example.org"
 * subjectPk("default", "domain", "example.org");       // "T#default#D#example.org"
 */
export function subjectPk(tenant: string, kind: SubjectKind, subject: string): string {
  return `T#${escapeKeyPart(tenant)}#${kind === "address" ? "A" : "D"}#${escapeKeyPart(subject)}`;
}

/** Partition key of an address. @example addressPk("default", "a@b.c"); // "T#default#A#a@b.c" */
export function addressPk(tenant: string, address: string): string {
  return subjectPk(tenant, "address", address);
}

/** Partition key of a domain. @example domainPk("default", "b.c"); // "T#default#D#b.c" */
export function domainPk(tenant: string, domain: string): string {
  return subjectPk(tenant, "domain", domain);
}

/** Sort key of the entry for one scope. @example entrySk("newsletter"); // "S#newsletter" */
export function entrySk(scope: string): string {
  return `${ENTRY_SK_PREFIX}${escapeKeyPart(scope)}`;
}

/** The scope an entry sort key names. @example scopeOfSk("S#newsletter"); // "newsletter" */
export function scopeOfSk(sk: string): string {
  return unescapeKeyPart(sk.slice(ENTRY_SK_PREFIX.length));
}

/**
 * Sort key of one provider event in the history (under the recipient's address pk).
 *
 * @example
 * eventSk("ses", "0100-abc#jdoe@example.org"); // "E#ses#0100-abc%23jdoe@example.org"
 */
export function eventSk(provider: string, eventId: string): string {
  return `${EVENT_SK_PREFIX}${escapeKeyPart(provider)}#${escapeKeyPart(eventId)}`;
}

/**
 * Key of a provider's one-time token (webhook replay protection).
 *
 * @example
 * nonceKey("default", "mailgun", "abc"); // { pk: "T#default#N#mailgun#abc", sk: "N" }
 */
export function nonceKey(tenant: string, provider: string, token: string): ItemKey {
  return { pk: `T#${escapeKeyPart(tenant)}#N#${escapeKeyPart(provider)}#${escapeKeyPart(token)}`, sk: "N" };
}

/** One table key. */
export type ItemKey = { readonly pk: string; readonly sk: string };

/**
 * Every entry key a check of `address` for `scope` has to read: the address and its domain, each at
 * every scope of the chain (`*`, and each ancestor of `scope`).
 *
 * @example
 * checkKeys("default", "a@b.c", "news/x").map((k) => `${k.pk}|${k.sk}`);
 * // address × [S#*, S#news, S#news/x], then domain b.c × the same
 */
export function checkKeys(tenant: string, address: string, scope: string | undefined): ItemKey[] {
  const chain = scopeChain(scope).map(entrySk);
  const pks = [addressPk(tenant, address), domainPk(tenant, domainOf(address))];
  return pks.flatMap((pk) => chain.map((sk) => ({ pk, sk })));
}

/** A string that identifies a key, for maps and de-duplication. @example keyId({ pk: "p", sk: "s" }); // "p\ns" */
export function keyId(key: ItemKey): string {
  return `${key.pk}\n${key.sk}`;
}

/**
 * Key of the note that `tenant` had events first accepted on `day` (UTC): the tenants the
 * `stats-rollup` function rolls up that day for (stats-days.ts).
 *
 * @example statsDayKey("2026-11-20", "default"); // { pk: "STATS#DAYS#2026-11-20", sk: "default" }
 */
export function statsDayKey(day: string, tenant: string): ItemKey {
  return { pk: `${STATS_DAYS_PREFIX}${day}`, sk: tenant };
}
export const STATS_DAYS_PREFIX = "STATS#DAYS#";

/**
 * Key of a tenant's rollup of one closed day (stats.ts), under the tenant's one figures partition.
 *
 * @example statsRollupKey("default", "2026-11-20"); // { pk: "T#default#STATS", sk: "D#2026-11-20" }
 */
export function statsRollupKey(tenant: string, day: string): ItemKey {
  return { pk: statsRollupPk(tenant), sk: `D#${day}` };
}
/** The partition of a tenant's rollups. @example statsRollupPk("default"); // "T#default#STATS" */
export const statsRollupPk = (tenant: string): string => `T#${escapeKeyPart(tenant)}#STATS`;
