/**
 * Applies one `SesSyncAction` (core/ses-sync.ts) to the SES account-level suppression list, with
 * the markers (store/ses-markers.ts) saying which entries there are ours. No Lambda in here: the
 * stream handler (handlers/ses-sync.ts) and tests call it alike.
 *
 * The invariant every step keeps: **while SES holds an entry we put, some tenant's marker of the
 * address exists.** So a marker is written before the Put and removed only after the Delete (or
 * after the Put that hands the address over to the other holders). A record that fails half way
 * is redelivered and finds a marker, so it finishes the job; an address SES holds without any
 * marker is never ours, and is never put over or deleted.
 *
 * Several tenants may hold one address (the list is per account). A delete by one tenant leaves
 * the address to the others, with the strongest reason they want (`COMPLAINT` wins). Records of
 * different tenants' entries come on different shards, concurrently: after a delete, the holders
 * are read again, and a holder that appeared meanwhile gets its Put back (closing the race where
 * our Delete lands after its Put).
 */
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import type { SesReason, SesSyncAction } from "../core/ses-sync.js";
import type { SesHolder, SesMarkers } from "../store/ses-markers.js";
import { deleteSuppressed, getSuppressed, putSuppressed } from "./suppression-list.js";

/** What `applySesSync` needs. */
export type SyncOutDeps = {
  readonly ses: SESv2Client;
  readonly markers: SesMarkers;
  /** The tenants that opted in (`SES_SYNC_TENANTS`). */
  readonly tenants: ReadonlySet<string>;
};

/** What one action did, for logs and metrics. */
export type SyncOutcome =
  /** The action was `none`: nothing to do. */
  | { readonly kind: "none"; readonly why: string }
  /** The tenant did not opt in: nothing read, nothing written. */
  | { readonly kind: "not-opted-in"; readonly tenant: string }
  /** The address is in SES with `reason` (the strongest its holders want), and marked as ours. */
  | { readonly kind: "put"; readonly tenant: string; readonly address: string; readonly reason: SesReason }
  /** SES held the address and no marker did: SES's own (or another tool's) entry, left alone. */
  | {
      readonly kind: "left-alone";
      readonly tenant: string;
      readonly address: string;
      readonly held: SesReason;
    }
  /** A delete for an address this tenant never put: nothing to undo. */
  | { readonly kind: "not-ours"; readonly tenant: string; readonly address: string }
  /** This tenant let go, other tenants still hold the address: put with their strongest reason. */
  | {
      readonly kind: "handed-over";
      readonly tenant: string;
      readonly address: string;
      readonly reason: SesReason;
      readonly holders: readonly string[];
    }
  /** Deleted from SES (`wasThere: false`: it was already gone). */
  | {
      readonly kind: "deleted";
      readonly tenant: string;
      readonly address: string;
      readonly wasThere: boolean;
    };

/**
 * The strongest reason `holders` want: `COMPLAINT` when any wants it, `null` when there is none.
 *
 * @example
 * strongestReason([{ tenant: "a", reason: "BOUNCE" }, { tenant: "b", reason: "COMPLAINT" }]); // "COMPLAINT"
 */
export function strongestReason(holders: readonly SesHolder[]): SesReason | null {
  if (holders.length === 0) return null;
  return holders.some((h) => h.reason === "COMPLAINT") ? "COMPLAINT" : "BOUNCE";
}

/**
 * Applies `action` to SES's account-level list (see the module notes for the steps and why).
 *
 * @throws SesSyncError when SES fails past the client's retries (throttling included)
 * @throws StoreError when the markers cannot be read or written
 * @example
 * const outcome = await applySesSync({ ses, markers: sesMarkers(store), tenants: new Set(["default"]) }, action);
 * // { kind: "put", tenant: "default", address: "jdoe@example.org", reason: "BOUNCE" }
 */
export async function applySesSync(deps: SyncOutDeps, action: SesSyncAction): Promise<SyncOutcome> {
  if (action.kind === "none") return { kind: "none", why: action.why };
  if (!deps.tenants.has(action.tenant)) return { kind: "not-opted-in", tenant: action.tenant };
  return action.kind === "put"
    ? await put(deps, action.tenant, action.address, action.reason)
    : await remove(deps, action.tenant, action.address);
}

async function put(
  { ses, markers }: SyncOutDeps,
  tenant: string,
  address: string,
  reason: SesReason,
): Promise<SyncOutcome> {
  const before = await markers.holders(address);
  if (before.length === 0) {
    const held = await getSuppressed(ses, address);
    if (held !== undefined) return { kind: "left-alone", tenant, address, held: held.reason };
  }
  await markers.put(tenant, address, reason);
  // Read after our write: a concurrent delete by another tenant that reads after it sees us too.
  const after = await markers.holders(address);
  const strongest = strongestReason(after) ?? reason;
  await putSuppressed(ses, address, strongest);
  return { kind: "put", tenant, address, reason: strongest };
}

async function remove({ ses, markers }: SyncOutDeps, tenant: string, address: string): Promise<SyncOutcome> {
  const before = await markers.holders(address);
  if (!before.some((h) => h.tenant === tenant)) return { kind: "not-ours", tenant, address };
  const others = before.filter((h) => h.tenant !== tenant);
  let inSes = strongestReason(others);
  let wasThere = false;
  if (inSes === null) wasThere = await deleteSuppressed(ses, address);
  else await putSuppressed(ses, address, inSes);
  // Only now: until SES is changed, the marker is what makes a redelivered record finish the job.
  await markers.remove(tenant, address);
  // Another tenant's put may have landed between our reads and our Delete (or dropped out since):
  // settle SES on the holders as they are now.
  const after = await markers.holders(address);
  const wanted = strongestReason(after);
  if (wanted !== inSes) {
    if (wanted === null) wasThere = (await deleteSuppressed(ses, address)) || wasThere;
    else await putSuppressed(ses, address, wanted);
    inSes = wanted;
  }
  if (inSes === null) return { kind: "deleted", tenant, address, wasThere };
  return { kind: "handed-over", tenant, address, reason: inSes, holders: after.map((h) => h.tenant) };
}
