/**
 * The `ses-account-list` event source (issue #14): one address on the SES account-level
 * suppression list (SESv2 `ListSuppressedDestinations`) as a normalized event of one tenant. Not a
 * webhook provider: no adapter, not in the registry; `npm run ses:import` and the scheduled import
 * (lambdas/ses-account/import.ts) call this. Pure: no SDK call, no clock.
 *
 * - `BOUNCE` → `invalid` / `blocklisted` / `suppressed` (the taxonomy's "On the ESP's suppression
 *   list"), which the default policy's bounce rules suppress at `*`.
 * - `COMPLAINT` → `complaint`, reason `null`. The taxonomy ties `suppressed` to invalid/blocklisted
 *   (`typeFor`), every other source's complaints carry no reason, and the policy decides a
 *   complaint on its feedback type alone; a reason there would only contradict the taxonomy.
 *
 * The event id is `ses-account-list:<address>:<LastUpdateTime ISO>`: reading the same listing
 * again gives the same ids (a duplicate, recorded once), while SES suppressing the address anew
 * later (a new `LastUpdateTime`) is a new event.
 */
import type { SuppressedDestinationSummary } from "@aws-sdk/client-sesv2";
import { canonicalizeAddress } from "../../core/address.js";
import type { NormalizedEvent } from "../../core/events.js";
import { ALL_MAIL } from "../../core/scope.js";
import { typeFor } from "../../core/taxonomy.js";
import type { OwnSource } from "../names.js";
import { NO_EXTRAS } from "../shared/event-defaults.js";

/** The event source's name (lambdas/providers/names.ts `OWN_SOURCE_TITLES`). */
export const SES_ACCOUNT_LIST_SOURCE = "ses-account-list" satisfies OwnSource;

/** The rule names the events carry, per SES reason. */
export const SES_ACCOUNT_LIST_RULES = {
  BOUNCE: "ses-account-list-bounce",
  COMPLAINT: "ses-account-list-complaint",
} as const;

/** One summary as SES lists it (every field optional, as the SDK types it). */
export type SuppressedSummary = Pick<
  SuppressedDestinationSummary,
  "EmailAddress" | "Reason" | "LastUpdateTime"
>;

/** A summary mapped: the address and its event, or why it cannot be one. */
export type SummaryMapping =
  | { readonly ok: true; readonly address: string; readonly event: NormalizedEvent }
  | { readonly ok: false; readonly problem: string };

/**
 * The event id of an address suppressed at `lastUpdate`.
 *
 * @example
 * sesAccountListEventId("jdoe@example.org", new Date("2026-11-20T10:00:00Z"));
 * // "ses-account-list:jdoe@example.org:2026-11-20T10:00:00.000Z"
 */
export function sesAccountListEventId(address: string, lastUpdate: Date): string {
  return `${SES_ACCOUNT_LIST_SOURCE}:${address}:${lastUpdate.toISOString()}`;
}

/** What the SES reason says, in the taxonomy. */
function verdictOf(
  reason: "BOUNCE" | "COMPLAINT",
): Pick<NormalizedEvent, "type" | "subtype" | "reason" | "rule"> {
  if (reason === "BOUNCE") {
    return { ...typeFor("suppressed", true), reason: "suppressed", rule: SES_ACCOUNT_LIST_RULES.BOUNCE };
  }
  return { type: "complaint", subtype: null, reason: null, rule: SES_ACCOUNT_LIST_RULES.COMPLAINT };
}

/**
 * One listed summary as the event of `tenant`, or the problem that keeps it from being one (an
 * address that is not one, an unknown reason, no valid time). Never throws.
 *
 * @example
 * const m = sesAccountListEvent({ EmailAddress: "JDoe@Example.org", Reason: "BOUNCE",
 *   LastUpdateTime: new Date("2026-11-20T10:00:00Z") }, "default");
 * // m.ok === true; m.event: { provider: "ses-account-list", recipient: "jdoe@example.org",
 * //   type: "invalid", subtype: "blocklisted", reason: "suppressed", scope: "*", … }
 */
export function sesAccountListEvent(summary: SuppressedSummary, tenant: string): SummaryMapping {
  const canonical = canonicalizeAddress(summary.EmailAddress ?? "");
  if (!canonical.ok) return { ok: false, problem: `EmailAddress: ${canonical.problem}` };
  const reason = summary.Reason;
  if (reason !== "BOUNCE" && reason !== "COMPLAINT") {
    return { ok: false, problem: `Reason: not BOUNCE or COMPLAINT: ${JSON.stringify(reason ?? null)}` };
  }
  const at = summary.LastUpdateTime;
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    return { ok: false, problem: "LastUpdateTime: not a time" };
  }
  const event: NormalizedEvent = {
    ...NO_EXTRAS,
    tenant,
    provider: SES_ACCOUNT_LIST_SOURCE,
    eventId: sesAccountListEventId(canonical.address, at),
    recipient: canonical.address,
    ...verdictOf(reason),
    occurredAt: at.toISOString(),
    scope: ALL_MAIL,
    smtp: null,
  };
  return { ok: true, address: canonical.address, event };
}
