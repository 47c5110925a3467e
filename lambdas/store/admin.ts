/**
 * Operators' changes (design.md §3, "Manual entries and removal"): a manual entry on an address or a
 * whole domain, and the removal of causes. Never silent: each change is first written into the
 * subject's history as an action item (its event id is `<time>#<id>`, so the sort key `E#admin#<time>%23<id>` orders a subject's actions by time; who and why), then applied to the
 * entry under its lock (entries.ts), then the action is marked applied with what it did. A request
 * that fails between the steps leaves the action unapplied in the history, so an attempt is never
 * lost either; the operator retries it.
 */
import { randomUUID } from "node:crypto";
import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Actor } from "../core/access.js";
import type { Subject } from "../core/address.js";
import { applyManual, applyRemoval, causesOf } from "../core/ledger/index.js";
import type { Cause } from "../core/ledger/types.js";
import { type CallContext, nowSeconds } from "./context.js";
import { type EntryRef, updateEntry } from "./entries.js";
import { toStoreError } from "./errors.js";
import { assertItemFits } from "./item-size.js";
import { eventSk, subjectPk } from "./keys.js";
import { historySortKey } from "./schema.js";
import type { SuppressionStore } from "./store.js";

/** The source name of operators' changes (the `source` of a manual cause, the history's provider). */
export const ADMIN_SOURCE = "admin";

/** Who made a change: the API key's id and name (core/access.ts). */
export type { Actor };

/** A manual entry, as `PUT /v1/suppressions/{address}` asks for it. */
export type ManualRequest = {
  readonly tenant: string;
  readonly subject: Subject;
  readonly scope: string;
  /** Epoch seconds, or `null` for never. */
  readonly expiresAt: number | null;
  readonly note: string | null;
  readonly actor: Actor;
};

/** A removal, as `DELETE /v1/suppressions/{address}` asks for it. */
export type RemovalRequest = {
  readonly tenant: string;
  readonly subject: Subject;
  readonly scope: string;
  /** One cause, or every cause when absent. */
  readonly cause?: Cause;
  /** Why, in the operator's words: required. */
  readonly reason: string;
  readonly actor: Actor;
};

/** The stored form of one operator's action in the subject's history. */
export type AdminActionItem = {
  readonly pk: string;
  readonly sk: string;
  /** The history index's sort key (schema.ts): `<at>#<sk>`. */
  readonly hsk: string;
  readonly kind: "admin";
  readonly tenant: string;
  readonly subjectKind: Subject["kind"];
  readonly subject: string;
  readonly actionId: string;
  /** A manual entry, a removal, or an allowlist change (allowlist.ts). */
  readonly action: "suppress" | "remove" | "allow" | "disallow";
  readonly scope: string;
  readonly actor: Actor;
  readonly at: string;
  readonly note?: string;
  readonly expiresAt?: number | null;
  readonly reason?: string;
  /** The causes a removal named. */
  readonly causes?: readonly Cause[];
  readonly applied: boolean;
  /** The causes a removal ended (those that were live), once applied. */
  readonly removed?: readonly Cause[];
  readonly ttl: number;
};

/** What a removal did: the causes it ended, and those kept live by evidence dated after it. */
export type RemovalResult = AdminResult & {
  readonly removed: readonly Cause[];
  readonly kept: readonly Cause[];
};

/** What an operator's change did. */
export type AdminResult = {
  /** The action's id in the history (a manual cause's `eventId`). */
  readonly actionId: string;
  /** ISO time of the change. */
  readonly at: string;
};

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

export function actionItem(
  ctx: CallContext,
  base: { tenant: string; subject: Subject; scope: string; actor: Actor },
  action: AdminActionItem["action"],
  now: number,
  details: Pick<AdminActionItem, "note" | "expiresAt" | "reason" | "causes">,
): AdminActionItem {
  const actionId = randomUUID();
  const at = iso(now);
  // Time first, so the history of a subject reads in order; the id keeps two actions apart.
  const sk = eventSk(ADMIN_SOURCE, `${at}#${actionId}`);
  return {
    pk: subjectPk(base.tenant, base.subject.kind, base.subject.value),
    sk,
    hsk: historySortKey(at, sk),
    kind: "admin",
    tenant: base.tenant,
    subjectKind: base.subject.kind,
    subject: base.subject.value,
    actionId,
    action,
    scope: base.scope,
    actor: base.actor,
    at,
    ...details,
    applied: false,
    ttl: now + ctx.historySeconds,
  };
}

export async function putAction(ctx: CallContext, item: AdminActionItem): Promise<void> {
  assertItemFits(item, { item: "event", provider: ADMIN_SOURCE });
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: item,
        ConditionExpression: "attribute_not_exists(pk)",
      }),
      { abortSignal: ctx.signal },
    );
  } catch (err) {
    throw toStoreError(err, "PutItem (admin action)", { item: "event", provider: ADMIN_SOURCE });
  }
}

export async function markAction(
  ctx: CallContext,
  item: AdminActionItem,
  removed?: readonly Cause[],
): Promise<void> {
  try {
    await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression:
          removed === undefined ? "SET applied = :true" : "SET applied = :true, removed = :removed",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: {
          ":true": true,
          ...(removed === undefined ? {} : { ":removed": removed }),
        },
      }),
      { abortSignal: ctx.signal },
    );
  } catch (err) {
    throw toStoreError(err, "UpdateItem (admin action)");
  }
}

const refOf = (request: { tenant: string; subject: Subject; scope: string }): EntryRef => ({
  tenant: request.tenant,
  subjectKind: request.subject.kind,
  subject: request.subject.value,
  scope: request.scope,
});

/**
 * Adds (or replaces) the `manual` cause of a subject at a scope, recorded in its history first.
 *
 * @throws StoreUnavailableError when DynamoDB fails (the action stays unapplied in the history)
 * @example
 * await suppressManually(ctx, { tenant: "default", subject: { kind: "domain", value: "example.org" },
 *   scope: "*", expiresAt: null, note: "test domain", actor: { keyId: "k1", name: "ops" } }, now);
 */
export async function suppressManually(
  ctx: CallContext,
  request: ManualRequest,
  now: number,
): Promise<AdminResult> {
  const item = actionItem(ctx, request, "suppress", now, {
    expiresAt: request.expiresAt,
    ...(request.note === null ? {} : { note: request.note }),
  });
  await putAction(ctx, item);
  const manual = {
    at: now,
    expiresAt: request.expiresAt,
    actionId: item.actionId,
    ...(request.note === null ? {} : { note: request.note }),
  };
  await updateEntry(ctx, refOf(request), (before) => ({ state: applyManual(before, manual) }), now, {
    item: "entry",
    provider: ADMIN_SOURCE,
  });
  await markAction(ctx, item);
  return { actionId: item.actionId, at: item.at };
}

/**
 * Ends one cause, or every cause, of a subject at a scope, recorded in its history first (who and
 * why). `removed` lists the causes that were live and now are not; empty when there were none (the
 * attempt stays in the history all the same). `kept` lists live causes whose latest event is dated
 * after the removal (see `applyRemoval`): they stay.
 *
 * @throws StoreUnavailableError when DynamoDB fails (the action stays unapplied in the history)
 * @example
 * const { removed } = await removeSuppression(ctx, { tenant: "default", subject, scope: "*",
 *   cause: "bounce", reason: "the customer fixed their mailbox", actor }, now); // ["bounce"]
 */
export async function removeSuppression(
  ctx: CallContext,
  request: RemovalRequest,
  now: number,
): Promise<RemovalResult> {
  const removal = { at: now, ...(request.cause === undefined ? {} : { causes: [request.cause] }) };
  const item = actionItem(ctx, request, "remove", now, {
    reason: request.reason,
    causes: causesOf(removal),
  });
  await putAction(ctx, item);
  const { removed, kept } = await updateEntry(
    ctx,
    refOf(request),
    (before) => {
      const applied = applyRemoval(before, removal);
      // Nothing was removed: leave the entry as it is (nothing to guard against late events either).
      return applied.removed.length === 0 ? { ...applied, state: before } : applied;
    },
    now,
    { item: "entry", provider: ADMIN_SOURCE },
  );
  await markAction(ctx, item, removed);
  return { actionId: item.actionId, at: item.at, removed, kept };
}

/** Operators' changes on a store (a module of its own, so the check function never loads it). */
export type AdminStore = {
  /** See `suppressManually`. `now` (epoch seconds) defaults to the clock. */
  suppressManually(request: ManualRequest, now?: number): Promise<AdminResult>;
  /** See `removeSuppression`. `now` (epoch seconds) defaults to the clock. */
  removeSuppression(request: RemovalRequest, now?: number): Promise<RemovalResult>;
};

/**
 * The admin operations of `store`, each one store call under the store's budget.
 *
 * @example
 * const { removed } = await adminStore(deps.store()).removeSuppression(request);
 */
export function adminStore(store: SuppressionStore): AdminStore {
  return {
    suppressManually: (request, now = nowSeconds()) =>
      store.within("suppressManually", (call) => suppressManually(call, request, now)),
    removeSuppression: (request, now = nowSeconds()) =>
      store.within("removeSuppression", (call) => removeSuppression(call, request, now)),
  };
}
