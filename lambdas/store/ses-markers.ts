/**
 * Markers of what the SES sync-out put into the SES account-level suppression list (issue #14).
 *
 * SES's list is one per account, shared by every opted-in tenant, and holds one reason per
 * address. So the marker is per (address, tenant): pk `SESM#<address>`, sk `T#<tenant>`, with
 * `kind: "ses-marker"`, the `reason` that tenant wants and `putAt`. All markers of an address sit in
 * one partition, so "who holds this address" is one consistent Query:
 *
 * - the sync-out deletes an address from SES only when no tenant holds it any more, and never
 *   touches an address that SES holds without a marker (SES's own, or another tool's);
 * - the importer skips addresses we put (`holders(address)` non-empty): they came from us.
 *
 * Markers carry no TTL: an entry we put stays in SES until the sync-out deletes it, and the marker
 * must outlive it. They are written before the Put and removed after the Delete (sync-out.ts), so
 * whenever SES holds an entry of ours, a marker says so.
 */

import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { SesReason } from "../core/ses-sync.js";
import type { CallContext } from "./context.js";
import { toStoreError } from "./errors.js";
import { escapeKeyPart, type ItemKey } from "./keys.js";
import { readPartition } from "./partition.js";
import type { SuppressionStore } from "./store.js";

/** The partition prefix of an address's markers. */
export const SES_MARKER_PK_PREFIX = "SESM#";

/** The stored form of one marker. */
export type SesMarkerItem = {
  readonly pk: string;
  readonly sk: string;
  readonly kind: "ses-marker";
  readonly tenant: string;
  /** The address as the entry stores it (and as it was put in SES). */
  readonly address: string;
  readonly reason: SesReason;
  /** ISO time of the latest put. */
  readonly putAt: string;
};

/** One tenant holding an address in SES, and the reason it wants there. */
export type SesHolder = { readonly tenant: string; readonly reason: SesReason };

/**
 * The key of a tenant's marker of an address.
 *
 * @example
 * sesMarkerKey("default", "jdoe@example.org"); // { pk: "SESM#jdoe@example.org", sk: "T#default" }
 */
export function sesMarkerKey(tenant: string, address: string): ItemKey {
  return { pk: sesMarkerPk(address), sk: `T#${escapeKeyPart(tenant)}` };
}

const sesMarkerPk = (address: string): string => `${SES_MARKER_PK_PREFIX}${escapeKeyPart(address)}`;

const isReason = (value: unknown): value is SesReason => value === "BOUNCE" || value === "COMPLAINT";

async function putMarker(
  ctx: CallContext,
  tenant: string,
  address: string,
  reason: SesReason,
  now: Date,
): Promise<void> {
  const item: SesMarkerItem = {
    ...sesMarkerKey(tenant, address),
    kind: "ses-marker",
    tenant,
    address,
    reason,
    putAt: now.toISOString(),
  };
  try {
    // A plain put: a redelivered record writes the same marker again (only `putAt` moves).
    await ctx.doc.send(new PutCommand({ TableName: ctx.tableName, Item: item }), { abortSignal: ctx.signal });
  } catch (err) {
    throw toStoreError(err, "PutItem (ses marker)");
  }
}

async function removeMarker(ctx: CallContext, tenant: string, address: string): Promise<boolean> {
  try {
    const out = await ctx.doc.send(
      new DeleteCommand({
        TableName: ctx.tableName,
        Key: sesMarkerKey(tenant, address),
        ReturnValues: "ALL_OLD",
      }),
      { abortSignal: ctx.signal },
    );
    return out.Attributes !== undefined;
  } catch (err) {
    throw toStoreError(err, "DeleteItem (ses marker)");
  }
}

async function readHolders(ctx: CallContext, address: string): Promise<SesHolder[]> {
  // Consistent: the sync-out decides to delete from SES on what this read says.
  const items = await readPartition(ctx, sesMarkerPk(address), {
    label: "Query (ses markers)",
    consistent: true,
  });
  const holders: SesHolder[] = [];
  for (const item of items) {
    if (item.kind === "ses-marker" && typeof item.tenant === "string" && isReason(item.reason)) {
      holders.push({ tenant: item.tenant, reason: item.reason });
    }
  }
  return holders;
}

/** The marker operations `sesMarkers` gives. */
export type SesMarkers = {
  /** Writes (or rewrites) `tenant`'s marker of `address` with `reason`. */
  put(tenant: string, address: string, reason: SesReason): Promise<void>;
  /** Removes `tenant`'s marker of `address`; `true` when there was one. */
  remove(tenant: string, address: string): Promise<boolean>;
  /** Every tenant holding `address` in SES, with its reason (consistent read); empty when none. */
  holders(address: string): Promise<readonly SesHolder[]>;
};

/**
 * The SES markers of `store`, each operation one store call under its budget (a module of its own:
 * only the SES functions load it).
 *
 * @throws StoreUnavailableError (retry later) or StoreFaultError, as every store call
 * @example
 * const markers = sesMarkers(store);
 * await markers.put("default", "jdoe@example.org", "BOUNCE");
 * await markers.holders("jdoe@example.org"); // [{ tenant: "default", reason: "BOUNCE" }]
 * await markers.remove("default", "jdoe@example.org"); // true
 */
export function sesMarkers(store: SuppressionStore, now: () => Date = () => new Date()): SesMarkers {
  return {
    put: (tenant, address, reason) =>
      store.within("putSesMarker", (call) => putMarker(call, tenant, address, reason, now())),
    remove: (tenant, address) =>
      store.within("removeSesMarker", (call) => removeMarker(call, tenant, address)),
    holders: (address) => store.within("sesHolders", (call) => readHolders(call, address)),
  };
}
