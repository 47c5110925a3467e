/**
 * The allowlist (design.md §3): addresses and whole domains that provider events never suppress
 * (test inboxes, seed lists, the sender's own domains). Their events are still recorded, with the
 * decision `none` and the reason `allowlisted`. A manual entry still wins: operators' changes are
 * not provider events; nor is a recipient's own unsubscribe link (`RECIPIENT_SOURCES`).
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
 * Sources whose events are the recipient's own request, not a provider's report: the allowlist
 * never holds them back. An unsubscribe through the service's own link (`unsubscribe-link`) is
 * the recipient asking, which the law (CAN-SPAM, GDPR) and the mailbox providers' rules require to
 * be honoured whatever the sender's test lists say.
 */
export const RECIPIENT_SOURCES: ReadonlySet<string> = new Set(["unsubscribe-link"]);

/**
 * The decision for an event of `address` once the allowlist is applied: a decision that would
 * suppress or count toward suppression becomes `none` (`ALLOWLISTED`); one that can only lift
 * (a delivery resetting soft bounces, a resubscribe) stands, and so does every decision of a
 * `RECIPIENT_SOURCES` event.
 *
 * @example
 * allowlistDecision(decide(bounce, policy), "seed@example.org", list); // { action: "none", why: ALLOWLISTED }
 * allowlistDecision(decide(unsubscribe, policy), "seed@example.org", list, "unsubscribe-link"); // the decision as it is
 */
export function allowlistDecision(
  decision: Decision,
  address: string,
  list: Allowlist,
  source?: string,
): Decision {
  if (source !== undefined && RECIPIENT_SOURCES.has(source)) return decision;
  const suppressing = decision.action === "suppress" || decision.action === "count_soft";
  return suppressing && isAllowlisted(list, address) ? { action: "none", why: ALLOWLISTED } : decision;
}
