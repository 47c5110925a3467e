/**
 * Who may do what (design.md §5.4): every API key belongs to one tenant and holds scopes. Plain
 * data without zod, so the check function can load it; lambdas/contract derives its enums from it.
 */

/**
 * The scopes a key can hold, in the order the docs list them.
 * - `check`: `POST /v1/check` and `GET /v1/suppressions/{address}` (the caller knows the address).
 * - `ingest`: `POST /v1/import/{provider}` (events without a transport signature).
 * - `admin`: the operators' routes: manual entries, removals, allowlist, lists, history, status view.
 * - `pii`: see addresses in full in lists, history and exports (masked `j***@example.org` without).
 * - `keys`: create, list and revoke the tenant's keys.
 */
export const SCOPES = ["check", "ingest", "admin", "pii", "keys"] as const;
export type Scope = (typeof SCOPES)[number];

/** The tenant of requests that name none: the current webhook route, the SES queue, the bootstrap key. */
export const DEFAULT_TENANT = "default";

/**
 * A tenant id: lower-case letters, digits, `-` and `_`, starting with a letter or digit, at most 64
 * characters. It appears in paths (`/webhooks/{provider}/{tenant}`) and secret names, so it is kept
 * plain; the store escapes it in keys anyway.
 */
export const TENANT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** @example isTenant("acme-eu"); // true */
export const isTenant = (value: string): boolean => TENANT_PATTERN.test(value);

/** @example isScope("admin"); // true */
export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

/** The key that made a request, as the history records it (who removed an entry, who made a key). */
export type Actor = { readonly keyId: string; readonly name: string };

/** An authenticated caller: its key, the tenant it acts for, and what it may do. */
export type Principal = Actor & {
  readonly tenant: string;
  readonly scopes: readonly Scope[];
  /** The bootstrap key: every scope, and it may act for any tenant (`X-Tenant`). */
  readonly bootstrap: boolean;
};

/** @example hasScope({ scopes: ["check"] }, "admin"); // false */
export const hasScope = (principal: Pick<Principal, "scopes">, scope: Scope): boolean =>
  principal.scopes.includes(scope);

/**
 * Why `creator` may not make a key for `tenant` with `scopes`, or `undefined` when it may. Only the
 * bootstrap key makes keys for another tenant, and a key grants no scope it lacks itself (a `keys`
 * key without `pii` cannot mint one that sees addresses).
 *
 * @example
 * refusalToCreate({ tenant: "acme", scopes: ["keys", "check"], bootstrap: false }, "acme", ["admin"]);
 * // "This key cannot grant `admin`: it does not hold it."
 */
export function refusalToCreate(
  creator: Pick<Principal, "tenant" | "scopes" | "bootstrap">,
  tenant: string,
  scopes: readonly Scope[],
): string | undefined {
  if (creator.bootstrap) return undefined;
  if (tenant !== creator.tenant) {
    return `This key belongs to tenant \`${creator.tenant}\`; only the bootstrap key makes keys for another tenant.`;
  }
  const missing = scopes.filter((scope) => !creator.scopes.includes(scope));
  if (missing.length === 0) return undefined;
  return `This key cannot grant ${missing.map((s) => `\`${s}\``).join(", ")}: it does not hold ${missing.length === 1 ? "it" : "them"}.`;
}
