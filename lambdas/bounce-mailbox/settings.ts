/**
 * The bounce mailbox setting (`SUPPRESSION_BOUNCE_MAILBOX`, lib/config.ts): the domains SES receives
 * bounce mails for, each with the tenant it belongs to.
 */
import { DEFAULT_TENANT, isTenant, TENANT_PATTERN } from "../core/access.js";

/** One mailbox domain and the tenant whose mails it receives. */
export type BounceMailboxDomain = { readonly domain: string; readonly tenant: string };

/** The setting is wrong; the message says which entry and why. */
export class BounceMailboxSettingError extends Error {
  override readonly name = "BounceMailboxSettingError";
}

/** A DNS name of at least two labels (SES receipt rule recipients take a domain or an address). */
const DOMAIN_PATTERN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Parses `domain[=tenant],…` (tenant `default` when omitted), lower-cased; `undefined` when empty.
 *
 * @throws BounceMailboxSettingError for an entry that is not a domain or a tenant id, or a domain named twice
 * @example
 * parseBounceMailbox("bounces.example.com=acme,bounces.other.org");
 * // [{ domain: "bounces.example.com", tenant: "acme" }, { domain: "bounces.other.org", tenant: "default" }]
 */
export function parseBounceMailbox(text: string | undefined): BounceMailboxDomain[] | undefined {
  const entries = (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const out: BounceMailboxDomain[] = [];
  for (const entry of entries) {
    const [rawDomain = "", rawTenant, ...extra] = entry.split("=").map((s) => s.trim());
    const domain = rawDomain.toLowerCase();
    const tenant = rawTenant ?? DEFAULT_TENANT;
    if (extra.length > 0) throw new BounceMailboxSettingError(`expected domain=tenant, got ${entry}`);
    if (!DOMAIN_PATTERN.test(domain)) throw new BounceMailboxSettingError(`not a domain: ${rawDomain}`);
    if (!isTenant(tenant)) {
      throw new BounceMailboxSettingError(`not a tenant id (${TENANT_PATTERN}): ${tenant}`);
    }
    if (out.some((d) => d.domain === domain)) {
      throw new BounceMailboxSettingError(`domain named twice: ${domain}`);
    }
    out.push({ domain, tenant });
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The domains of each tenant, in the order the setting names them.
 *
 * @example domainsByTenant([{ domain: "a.example", tenant: "acme" }]); // Map { "acme" => ["a.example"] }
 */
export function domainsByTenant(domains: readonly BounceMailboxDomain[]): Map<string, string[]> {
  const byTenant = new Map<string, string[]>();
  for (const { domain, tenant } of domains) byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), domain]);
  return byTenant;
}
