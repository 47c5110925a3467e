/**
 * The allowlist of a tenant (core/policy/allowlist.ts): one small partition per tenant,
 * `T#<tenant>#W`, one item per address (`A#<address>`) or domain (`D#<domain>`). Taking a subject
 * off the list writes the item again as inactive (the service never deletes items: its roles
 * cannot), and both changes are written into the subject's history first, like every operator's
 * change (admin.ts). Ingestion reads the whole list, cached per store for `ALLOWLIST_CACHE_SECONDS`.
 */

import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Subject } from "../core/address.js";
import type { Allowlist } from "../core/policy/allowlist.js";
import { ALL_MAIL } from "../core/scope.js";
import { type Actor, actionItem, markAction, putAction } from "./admin.js";
import { type CallContext, nowSeconds } from "./context.js";
import { toStoreError } from "./errors.js";
import { escapeKeyPart } from "./keys.js";
import { readPartition } from "./partition.js";
import type { SuppressionStore } from "./store.js";

/**
 * How long ingestion uses a read of the allowlist: a change made through another function (the
 * deployed admin function) reaches the ingest functions within this many seconds; one made through
 * the same store (the local server) at once.
 */
export const ALLOWLIST_CACHE_SECONDS = 30;

/** One subject on (or taken off) the allowlist, as stored. */
export type AllowItem = {
  readonly pk: string;
  readonly sk: string;
  readonly kind: "allow";
  readonly tenant: string;
  readonly subjectKind: Subject["kind"];
  readonly subject: string;
  readonly active: boolean;
  readonly note?: string;
  readonly actor: Actor;
  /** ISO time of the last change. */
  readonly at: string;
  readonly actionId: string;
};

const allowPk = (tenant: string): string => `T#${escapeKeyPart(tenant)}#W`;
const allowSk = (subject: Subject): string =>
  `${subject.kind === "address" ? "A" : "D"}#${escapeKeyPart(subject.value)}`;

/** An allowlist change, as `PUT` / `DELETE /v1/allowlist/{address}` ask for it. */
export type AllowRequest = {
  readonly tenant: string;
  readonly subject: Subject;
  readonly active: boolean;
  readonly note: string | null;
  readonly actor: Actor;
};

/** Every item of a tenant's allowlist partition, active or not. */
async function readItems(ctx: CallContext, tenant: string): Promise<AllowItem[]> {
  return (await readPartition(ctx, allowPk(tenant), { label: "Query (allowlist)" })) as AllowItem[];
}

/**
 * Puts a subject on the allowlist (`active: true`) or takes it off, recorded in its history first.
 * Answers whether the subject was on the list before.
 */
async function change(
  ctx: CallContext,
  request: AllowRequest,
  now: number,
): Promise<{ wasActive: boolean; at: string; actionId: string }> {
  const base = { tenant: request.tenant, subject: request.subject, scope: ALL_MAIL, actor: request.actor };
  const action = actionItem(ctx, base, request.active ? "allow" : "disallow", now, {
    ...(request.note === null ? {} : { note: request.note }),
  });
  await putAction(ctx, action);
  const item: AllowItem = {
    pk: allowPk(request.tenant),
    sk: allowSk(request.subject),
    kind: "allow",
    tenant: request.tenant,
    subjectKind: request.subject.kind,
    subject: request.subject.value,
    active: request.active,
    ...(request.note === null ? {} : { note: request.note }),
    actor: request.actor,
    at: action.at,
    actionId: action.actionId,
  };
  let old: Record<string, unknown> | undefined;
  try {
    const out = await ctx.doc.send(
      new PutCommand({ TableName: ctx.tableName, Item: item, ReturnValues: "ALL_OLD" }),
      {
        abortSignal: ctx.signal,
      },
    );
    old = out.Attributes;
  } catch (err) {
    throw toStoreError(err, "PutItem (allowlist)");
  }
  await markAction(ctx, action);
  return { wasActive: old?.active === true, at: action.at, actionId: action.actionId };
}

const toAllowlist = (items: readonly AllowItem[]): Allowlist => ({
  addresses: new Set(items.filter((i) => i.active && i.subjectKind === "address").map((i) => i.subject)),
  domains: new Set(items.filter((i) => i.active && i.subjectKind === "domain").map((i) => i.subject)),
});

type Cached = { readonly at: number; readonly list: Promise<Allowlist> };
/** Per store object, per tenant: the store is built once per container (and once for the local server). */
const CACHES = new WeakMap<SuppressionStore, Map<string, Cached>>();

/**
 * The allowlist operations of `store`, each one store call under its budget (a module of its own:
 * the check function never loads it).
 *
 * @example
 * await allowlistStore(store).change({ tenant, subject, active: true, note: "seed list", actor });
 * const list = await allowlistStore(store).current(tenant); // what ingestion applies
 */
export function allowlistStore(store: SuppressionStore) {
  const cache = CACHES.get(store) ?? new Map<string, Cached>();
  CACHES.set(store, cache);
  return {
    /** Takes a subject on or off the list; the cache of this store forgets the tenant's list. */
    change: async (request: AllowRequest, now: number = nowSeconds()) => {
      cache.delete(request.tenant);
      try {
        return await store.within("changeAllowlist", (call) => change(call, request, now));
      } finally {
        cache.delete(request.tenant);
      }
    },
    /** The active entries, newest change first. */
    entries: async (tenant: string): Promise<AllowItem[]> => {
      const items = await store.within("readAllowlist", (call) => readItems(call, tenant));
      return items.filter((i) => i.active).sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    },
    /** The list ingestion applies, read at most every `ALLOWLIST_CACHE_SECONDS`. */
    current: (tenant: string, now: number = nowSeconds()): Promise<Allowlist> => {
      const hit = cache.get(tenant);
      if (hit !== undefined && now - hit.at < ALLOWLIST_CACHE_SECONDS) return hit.list;
      const list = store.within("readAllowlist", (call) => readItems(call, tenant)).then(toAllowlist);
      cache.set(tenant, { at: now, list });
      // A failed read is not kept: the next event tries again.
      list.catch(() => cache.get(tenant)?.list === list && cache.delete(tenant));
      return list;
    },
  };
}
