/**
 * What the SES sync-out function does for one record of the table's stream (issue #14): mirror
 * address-level entries at scope `*` into the SES account-level suppression list
 * (`PutSuppressedDestination` / `DeleteSuppressedDestination`). Pure: the caller unmarshalls the
 * stream images, checks that the tenant opted in, and makes the SESv2 calls.
 *
 * The list SES keeps is per account and per address, with one reason, `BOUNCE` or `COMPLAINT`; it
 * has no scopes and no domains, so only address entries at scope `*` move. Which causes are live
 * comes from the ledger's own `liveCauses` (the expiry rules live there, not here).
 *
 * Causes imported **from** SES's list (`source` `ses-account-list`, see `IMPORTED_FROM_SES`) never
 * count: SES holds those addresses already, for reasons of its own, and mirroring them back would
 * make us claim (and one day delete) entries that are SES's.
 */

import type { OwnSource } from "../providers/names.js";
import {
  type Cause,
  type CauseState,
  type EntryState,
  type LiveCause,
  liveCauses,
  toEpochSeconds,
} from "./ledger/index.js";
import { ALL_MAIL } from "./scope.js";

/** The two reasons SES's account-level suppression list knows. */
export type SesReason = "BOUNCE" | "COMPLAINT";

/**
 * The SES reason of each of our causes. A `Record` over `Cause`, so a new cause does not compile
 * until someone decides its reason.
 *
 * - `bounce`, `soft_escalation`: `BOUNCE`, what they are.
 * - `complaint`, `unsubscribe`: `COMPLAINT`, the recipient does not want the mail (SES has no
 *   unsubscribe reason; its `COMPLAINT` is the one about consent).
 * - `manual`: `BOUNCE`. An operator's entry means "do not send here", for reasons we do not know;
 *   the ledger itself reads it as an invalid address (`MANUAL_VERDICT`: invalid/blocklisted), and
 *   `COMPLAINT` would claim a complaint the recipient never made.
 */
export const SES_REASON_OF_CAUSE: Readonly<Record<Cause, SesReason>> = {
  manual: "BOUNCE",
  unsubscribe: "COMPLAINT",
  complaint: "COMPLAINT",
  bounce: "BOUNCE",
  soft_escalation: "BOUNCE",
};

/**
 * The one SES reason that a set of live causes maps to (see `SES_REASON_OF_CAUSE`), or `null` when
 * there is none. When causes of both kinds are live, `COMPLAINT` wins: it is the stronger "never
 * mail" (consent, not deliverability), whatever the order of `CAUSES` says (there `manual`, a
 * `BOUNCE`, is first). Takes causes or the `liveCauses` of a state; the caller is the one who
 * decides that they are live.
 *
 * @example
 * sesReasonOf(["bounce"]);                         // "BOUNCE"
 * sesReasonOf(["manual", "unsubscribe"]);          // "COMPLAINT"
 * sesReasonOf(liveCauses(state, nowEpochSeconds)); // "COMPLAINT" | "BOUNCE" | null
 * sesReasonOf([]);                                 // null
 */
export function sesReasonOf(causes: Iterable<Cause | LiveCause>): SesReason | null {
  let reason: SesReason | null = null;
  for (const c of causes) {
    const mapped = SES_REASON_OF_CAUSE[typeof c === "string" ? c : c.cause];
    if (mapped === "COMPLAINT") return "COMPLAINT";
    reason = mapped;
  }
  return reason;
}

/**
 * The fields of a stored entry item (store/entries.ts `EntryItem`) that the decision reads, as the
 * caller unmarshalled them from a stream image. Other items of the table may be passed as they are:
 * any `kind` but `entry` gives `none`.
 */
export type EntryItemLike = {
  readonly kind: string;
  readonly tenant: string;
  /** `address` or `domain`. */
  readonly subjectKind: string;
  /** The address (for an address entry), as stored. */
  readonly subject: string;
  readonly scope: string;
  readonly state: EntryState;
  /** ISO time the image was written (the item's `updatedAt`). */
  readonly updatedAt: string;
};

/** One record of the table's stream, unmarshalled (`NEW_AND_OLD_IMAGES`). */
export type EntryChange = {
  readonly eventName: "INSERT" | "MODIFY" | "REMOVE";
  /** Set on TTL deletions: a REMOVE with `{ type: "Service", principalId: "dynamodb.amazonaws.com" }`. */
  readonly userIdentity?: { readonly type: string; readonly principalId: string };
  readonly oldEntry?: EntryItemLike;
  readonly newEntry?: EntryItemLike;
};

/** What to do in SES for one stream record. */
export type SesSyncAction =
  | { readonly kind: "put"; readonly tenant: string; readonly address: string; readonly reason: SesReason }
  | { readonly kind: "delete"; readonly tenant: string; readonly address: string }
  | { readonly kind: "none"; readonly why: string };

/** The principal of DynamoDB's own TTL deletions on a stream record's `userIdentity`. */
export const TTL_PRINCIPAL = "dynamodb.amazonaws.com";

/**
 * Whether a stream record is a TTL deletion (DynamoDB's service principal removed the item).
 *
 * @example
 * isTtlRemoval({ eventName: "REMOVE", userIdentity: { type: "Service", principalId: "dynamodb.amazonaws.com" } }); // true
 * isTtlRemoval({ eventName: "REMOVE" }); // false: someone deleted the item
 */
export function isTtlRemoval(change: Pick<EntryChange, "eventName" | "userIdentity">): boolean {
  return (
    change.eventName === "REMOVE" &&
    change.userIdentity?.type === "Service" &&
    change.userIdentity.principalId === TTL_PRINCIPAL
  );
}

const none = (why: string): SesSyncAction => ({ kind: "none", why });

/** Why an item is not mirrored, or `null` when it is an address entry at scope `*`. */
function notMirrored(item: EntryItemLike): string | null {
  if (item.kind !== "entry") return `not an entry item (kind ${JSON.stringify(item.kind)})`;
  if (item.subjectKind !== "address") return "not an address entry: SES suppresses addresses only";
  if (item.scope !== ALL_MAIL) return `scope ${JSON.stringify(item.scope)}: SES's list has no scopes`;
  return null;
}

/**
 * The source of the events the SES import makes from the account-level list (providers/names.ts).
 * Their causes came from SES: we never put them there, so they never move into it (see the module
 * notes), and deleting them from SES would remove SES's own entries.
 */
export const IMPORTED_FROM_SES: OwnSource = "ses-account-list";

/**
 * Whether a cause came from SES's own list (the import) rather than from an event of ours.
 *
 * @example
 * isImportedFromSes({ ...causeState, source: "ses-account-list" }); // true
 * isImportedFromSes({ ...causeState, source: "ses" }); // false: an SES bounce event we received
 */
export function isImportedFromSes(cause: Pick<CauseState, "source">): boolean {
  return cause.source === IMPORTED_FROM_SES;
}

/** The reason an image stands for at `at` (epoch seconds), imported causes left out. */
const reasonAt = (item: EntryItemLike, at: number): SesReason | null =>
  sesReasonOf(liveCauses(item.state, at).filter((c) => !isImportedFromSes(c.state)));

/** The reason of every cause an image holds, live or expired, imported causes left out. */
const reasonEver = (item: EntryItemLike): SesReason | null =>
  sesReasonOf(
    (Object.entries(item.state.causes) as [Cause, CauseState][])
      .filter(([, state]) => !isImportedFromSes(state))
      .map(([cause]) => cause),
  );

/**
 * What one stream record means for the SES account-level suppression list. Pure and deterministic:
 * the same record and `now` always give the same action, so a redelivered record repeats an action
 * that is idempotent in SES (a put of the same reason, a delete of what is gone).
 *
 * Rules (`now` in epoch seconds):
 * - An item that is not an entry, a domain entry, or an entry at a scope other than `*`: `none`.
 * - Causes whose `source` is `ses-account-list` (`isImportedFromSes`) are left out of every reason
 *   below, as if the image did not hold them: an address SES suppresses on its own is not ours to
 *   put or delete. An entry that gains our own cause on top of an imported one does give a `put`;
 *   the caller then finds SES holding the address without a marker of ours and leaves it alone.
 * - INSERT / MODIFY: the reason the new image has at `now` is compared with the one the old image
 *   had **when it was written** (its `updatedAt`): that is what the previous record put in SES.
 *   Different: `put` the new reason, or `delete` when it has none (an operator removal, a delivery
 *   ending a soft escalation, causes that expired since the old image was written). Same: `none`.
 *   Expiry makes no stream record, so a cause that expires while nothing writes the item stays in
 *   SES until the next write or the TTL removal; evaluating the old image at `now` instead would
 *   miss it for good once the item is written again (every write pushes its TTL out).
 * - REMOVE, by an operator or by TTL (`isTtlRemoval`): nothing is suppressed any more, so `delete`
 *   when the old image holds any cause with an SES reason, **expired or not**; otherwise `none`.
 *   Expiry is ignored on purpose: the item's TTL is at or after every cause's expiry
 *   (`itemExpiry`), so a TTL removal always finds its causes expired, and "live at `now`" would
 *   never delete what we put.
 *
 * `delete` means "delete it **if we put it**": SES may hold the address for reasons of its own (its
 * own bounces and complaints, another tool's import), and those must stay. The caller keeps a
 * marker of each put and deletes only when the marker is there (then drops the marker); this
 * function does not know what SES holds. Checking that the tenant opted in is the caller's too.
 *
 * @throws TypeError when the record lacks the image its event needs (the stream must be
 *   `NEW_AND_OLD_IMAGES`): better a poison record in the DLQ than a sync that silently does nothing
 * @throws RangeError when an old image's `updatedAt` is not an ISO date-time
 * @example
 * sesSyncAction({ eventName: "INSERT", newEntry: bouncedAddress }, now);
 * // { kind: "put", tenant: "default", address: "jdoe@example.org", reason: "BOUNCE" }
 * sesSyncAction({ eventName: "MODIFY", oldEntry: bouncedAddress, newEntry: bouncedAndComplained }, now);
 * // { kind: "put", …, reason: "COMPLAINT" }
 * sesSyncAction({ eventName: "REMOVE", userIdentity: { type: "Service", principalId: "dynamodb.amazonaws.com" }, oldEntry: expiredBounce }, now);
 * // { kind: "delete", tenant: "default", address: "jdoe@example.org" }
 * sesSyncAction({ eventName: "INSERT", newEntry: domainEntry }, now);
 * // { kind: "none", why: "not an address entry: SES suppresses addresses only" }
 */
export function sesSyncAction(change: EntryChange, now: number): SesSyncAction {
  const { eventName, oldEntry, newEntry } = change;
  if (eventName === "REMOVE") {
    if (!oldEntry)
      throw new TypeError("a REMOVE record needs its old image (stream view NEW_AND_OLD_IMAGES)");
    const skip = notMirrored(oldEntry);
    if (skip !== null) return none(skip);
    if (reasonEver(oldEntry) === null)
      return none("the removed entry held no cause of ours that SES could have");
    return { kind: "delete", tenant: oldEntry.tenant, address: oldEntry.subject };
  }
  if (!newEntry) throw new TypeError(`an ${eventName} record needs its new image`);
  if (eventName === "MODIFY" && !oldEntry) {
    throw new TypeError("a MODIFY record needs its old image (stream view NEW_AND_OLD_IMAGES)");
  }
  const skip = notMirrored(newEntry);
  if (skip !== null) return none(skip);
  const before = oldEntry ? reasonAt(oldEntry, toEpochSeconds(oldEntry.updatedAt)) : null;
  const after = reasonAt(newEntry, now);
  if (after === before) return none(after === null ? "not suppressed before or after" : `still ${after}`);
  const target = { tenant: newEntry.tenant, address: newEntry.subject };
  return after === null ? { kind: "delete", ...target } : { kind: "put", ...target, reason: after };
}
