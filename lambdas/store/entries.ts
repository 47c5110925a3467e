/**
 * Writing one entry (subject × scope) under an optimistic lock: read it, change it with a pure
 * function of the ledger, put it back on condition that its `version` is still the one read, and
 * retry on a conflict. Provider events (ingest.ts) and operators' changes (admin.ts) both write
 * entries this way, so concurrent writers never lose each other's changes.
 */
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { emptyEntry, isEmpty, itemExpiry } from "../core/ledger/index.js";
import type { EntryState } from "../core/ledger/types.js";
import { backoff, type CallContext } from "./context.js";
import {
  isConditionalCheckFailed,
  type OversizedItem,
  StoreUnavailableError,
  toStoreError,
} from "./errors.js";
import { listIndexKeys } from "./index-keys.js";
import { assertItemFits } from "./item-size.js";
import { entrySk, type SubjectKind, subjectPk } from "./keys.js";
import { TTL_ATTRIBUTE } from "./schema.js";

/** Which entry: a tenant's address or domain, at one scope. */
export type EntryRef = {
  readonly tenant: string;
  readonly subjectKind: SubjectKind;
  readonly subject: string;
  readonly scope: string;
};

/** The stored form of one entry (address or domain × scope). */
export type EntryItem = {
  readonly pk: string;
  readonly sk: string;
  readonly kind: "entry";
  readonly tenant: string;
  readonly subjectKind: SubjectKind;
  readonly subject: string;
  readonly scope: string;
  readonly state: EntryState;
  readonly version: number;
  readonly updatedAt: string;
  readonly ttl?: number;
  /** The `lists` index keys (index-keys.ts): present while some cause is live, as of the last write. */
  readonly lpk?: string;
  readonly lsk?: string;
};

/** The key of an entry. */
export const entryKey = (ref: EntryRef) => ({
  pk: subjectPk(ref.tenant, ref.subjectKind, ref.subject),
  sk: entrySk(ref.scope),
});

/**
 * Reads the entry, applies `change` to its state (an empty one when there is none), and writes the
 * result back under the optimistic lock, retrying `lockAttempts` times when another writer got
 * there first. `change` must be pure: it runs again on every retry. When it returns the very state
 * it was given, or an empty state for an entry that does not exist, nothing is written.
 *
 * @throws StoreUnavailableError when the entry keeps changing under us, or DynamoDB fails
 * @throws StoreItemTooLargeError when the entry would be over DynamoDB's 400 KB limit
 * @example
 * const { state, result } = await updateEntry(ctx, ref, (s) => applyDecision(s, event, decision), now, what);
 */
export async function updateEntry<R extends { readonly state: EntryState }>(
  ctx: CallContext,
  ref: EntryRef,
  change: (before: EntryState) => R,
  now: number,
  what: Omit<OversizedItem, "bytes">,
): Promise<R> {
  const key = entryKey(ref);
  for (let attempt = 0; attempt < ctx.lockAttempts; attempt++) {
    const current = await getItem(ctx, key, "#state, #version", "GetItem (entry)", {
      "#state": "state",
      "#version": "version",
    });
    const version = typeof current?.version === "number" ? current.version : null;
    const before = (current?.state as EntryState | undefined) ?? emptyEntry();
    const result = change(before);
    const { state } = result;
    // The ledger returns the very same object when nothing changed; an empty state is not stored.
    if (state === before || (current === undefined && isEmpty(state))) return result;
    const expiry = itemExpiry(state, ctx.policy);
    // A put replaces the whole item: without live causes it leaves the (sparse) `lists` index.
    const listed = listIndexKeys(ref.tenant, key, state, now);
    const item: EntryItem = {
      ...key,
      kind: "entry",
      tenant: ref.tenant,
      subjectKind: ref.subjectKind,
      subject: ref.subject,
      scope: ref.scope,
      state,
      version: (version ?? 0) + 1,
      updatedAt: new Date(now * 1000).toISOString(),
      ...(expiry !== null ? { [TTL_ATTRIBUTE]: expiry } : {}),
      ...(listed ?? {}),
    };
    assertItemFits(item, what);
    try {
      await ctx.doc.send(
        new PutCommand({
          TableName: ctx.tableName,
          Item: item,
          ...(version === null
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : {
                ConditionExpression: "#version = :version",
                ExpressionAttributeNames: { "#version": "version" },
                ExpressionAttributeValues: { ":version": version },
              }),
        }),
        { abortSignal: ctx.signal },
      );
      return result;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw toStoreError(err, "PutItem (entry)", what);
      await backoff(ctx, attempt);
    }
  }
  throw new StoreUnavailableError(`the entry changed under us ${ctx.lockAttempts} times; retry later`);
}

/** One item read with a consistent read (the writers' read-modify-write needs the latest). */
export async function getItem(
  ctx: CallContext,
  key: { pk: string; sk: string },
  projection: string,
  operation: string,
  names?: Record<string, string>,
): Promise<Record<string, unknown> | undefined> {
  try {
    const out = await ctx.doc.send(
      new GetCommand({
        TableName: ctx.tableName,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: projection,
        ...(names ? { ExpressionAttributeNames: names } : {}),
      }),
      { abortSignal: ctx.signal },
    );
    return out.Item;
  } catch (err) {
    throw toStoreError(err, operation);
  }
}
