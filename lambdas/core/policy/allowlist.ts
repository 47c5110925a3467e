/**
 * The allowlist (design.md §3): addresses and whole domains that provider events never suppress
 * (test inboxes, seed lists, the sender's own domains). Their events are still recorded, with the
 * decision `none` and the reason `allowlisted`. A manual entry still wins: operators' changes are
 * not provider events.
 */
import { domainOf } from "../address.js";
import type { Decision } from "../ledger/types.js";

/** The active allowlist of one tenant. */
export type Allowlist = { readonly addresses: ReadonlySet<string>; readonly domains: ReadonlySet<string> };

export const EMPTY_ALLOWLIST: Allowlist = { addresses: new Set(), domains: new Set() };

/** The `why` of a decision the allowlist turned into `none`. */
export const ALLOWLISTED = "allowlisted: provider events never suppress this address or its domain";

/** Whether `address` (canonical) or its domain is on the list. */
export function isAllowlisted(list: Allowlist, address: string): boolean {
  return list.addresses.has(address) || list.domains.has(domainOf(address));
}

/**
 * The decision for an event of `address` once the allowlist is applied: a decision that would
 * suppress or count toward suppression becomes `none` (`ALLOWLISTED`); one that can only lift
 * (a delivery resetting soft bounces, a resubscribe) stands.
 *
 * @example
 * allowlistDecision(decide(bounce, policy), "seed@example.org", list); // { action: "none", why: ALLOWLISTED }
 */
export function allowlistDecision(decision: Decision, address: string, list: Allowlist): Decision {
  const suppressing = decision.action === "suppress" || decision.action === "count_soft";
  return suppressing && isAllowlisted(list, address) ? { action: "none", why: ALLOWLISTED } : decision;
}
