/**
 * API keys (design.md §5.4). A key is `ssk_<id>_<secret>`: `id` names it (12 hex digits, shown in
 * lists and in the history as who did something), `secret` is 32 random bytes. Only the SHA-256 of
 * the whole key is stored: the key has 256 bits of entropy, so a plain hash cannot be searched
 * back, and checking it costs one hash (no slow KDF on the pre-send path).
 *
 * Items:
 * - key:     pk `K#<id>`, sk `K`: the authoritative record (tenant, name, scopes, hash, revokedAt).
 *            Authentication reads this one item.
 * - pointer: pk `T#<tenant>#K`, sk `K#<id>`: lists a tenant's keys. Written before the key item,
 *            so a key that exists is always listed (a pointer without a key, from a create that
 *            failed halfway, is skipped). DynamoDB Local and dynalite lack transactions; this order
 *            needs none.
 * Keys are never deleted: a revoked key stays listed with `revokedAt`, for the audit trail.
 * What authentication reads is in api-key-lookup.ts (re-exported here).
 */
import { randomBytes } from "node:crypto";
import { PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Actor, Scope } from "../core/access.js";
import { type ApiKeyItem, findApiKey, hashKey, keyItemKey, readKeyItem } from "./api-key-lookup.js";
import type { CallContext } from "./context.js";
import { isConditionalCheckFailed, toStoreError } from "./errors.js";
import { escapeKeyPart } from "./keys.js";
import type { SuppressionStore } from "./store.js";

export {
  type ApiKeyItem,
  findApiKey,
  hashKey,
  KEY_ID_PATTERN,
  keyIdOf,
  keyMatches,
} from "./api-key-lookup.js";

const KEY_PREFIX = "ssk_";

/** What `create` answers: the record, and the key, which is never readable again. */
export type CreatedKey = { readonly item: ApiKeyItem; readonly key: string };

export type CreateKeyRequest = {
  readonly tenant: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly createdBy: Actor;
};

/** Key items read at once when listing a tenant's keys. */
const LIST_READ_CONCURRENCY = 16;
const pointerPk = (tenant: string) => `T#${escapeKeyPart(tenant)}#K`;

/** A new key: a fresh id and secret (`node:crypto` randomness). */
export function generateKey(): { id: string; key: string } {
  const id = randomBytes(6).toString("hex");
  return { id, key: `${KEY_PREFIX}${id}_${randomBytes(32).toString("base64url")}` };
}

async function createKey(call: CallContext, request: CreateKeyRequest, now: number): Promise<CreatedKey> {
  const { id, key } = generateKey();
  const item: ApiKeyItem = {
    ...keyItemKey(id),
    kind: "apikey",
    keyId: id,
    tenant: request.tenant,
    name: request.name,
    scopes: [...request.scopes],
    hash: hashKey(key),
    createdAt: new Date(now * 1000).toISOString(),
    createdBy: { keyId: request.createdBy.keyId, name: request.createdBy.name },
  };
  try {
    await call.doc.send(
      new PutCommand({
        TableName: call.tableName,
        Item: { pk: pointerPk(request.tenant), sk: `K#${id}`, kind: "apikey-pointer", keyId: id },
      }),
      { abortSignal: call.signal },
    );
    await call.doc.send(
      new PutCommand({
        TableName: call.tableName,
        Item: item,
        ConditionExpression: "attribute_not_exists(pk)",
      }),
      { abortSignal: call.signal },
    );
  } catch (err) {
    throw toStoreError(err, "PutItem (api key)");
  }
  return { item, key };
}

async function listKeys(call: CallContext, tenant: string): Promise<ApiKeyItem[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  try {
    do {
      const out = await call.doc.send(
        new QueryCommand({
          TableName: call.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": pointerPk(tenant) },
          ConsistentRead: true,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
        { abortSignal: call.signal },
      );
      for (const item of out.Items ?? []) ids.push(String(item.keyId));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
  } catch (err) {
    throw toStoreError(err, "Query (api keys)");
  }
  // A tenant has a handful of keys: one GetItem each, a few at a time, is simpler than a batch
  // read with its unprocessed-keys loop and costs the same.
  const found: ApiKeyItem[] = [];
  for (let i = 0; i < ids.length; i += LIST_READ_CONCURRENCY) {
    const items = await Promise.all(
      ids.slice(i, i + LIST_READ_CONCURRENCY).map((id) => readKeyItem(call, id)),
    );
    for (const item of items) if (item !== undefined) found.push(item);
  }
  // A pointer of another tenant's key cannot exist (pointers are written with the key's own
  // tenant), but the check costs nothing and keeps the isolation local to this function.
  return found
    .filter((item) => item.tenant === tenant)
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** Revokes the key `id` of `tenant`: `undefined` when the tenant has no such key. Idempotent. */
async function revokeKey(
  call: CallContext,
  tenant: string,
  id: string,
  by: Actor,
  now: number,
): Promise<ApiKeyItem | undefined> {
  try {
    const out = await call.doc.send(
      new UpdateCommand({
        TableName: call.tableName,
        Key: keyItemKey(id),
        UpdateExpression:
          "SET revokedAt = if_not_exists(revokedAt, :at), revokedBy = if_not_exists(revokedBy, :by)",
        ConditionExpression: "attribute_exists(pk) AND tenant = :tenant",
        ExpressionAttributeValues: {
          ":at": new Date(now * 1000).toISOString(),
          ":by": { keyId: by.keyId, name: by.name },
          ":tenant": tenant,
        },
        ReturnValues: "ALL_NEW",
      }),
      { abortSignal: call.signal },
    );
    return out.Attributes as ApiKeyItem;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return undefined;
    throw toStoreError(err, "UpdateItem (api key)");
  }
}

/**
 * The API key operations of a store, each one store call under the store's budget. The check
 * function loads this module for `find` only; it is small and pulls in nothing else.
 *
 * @example
 * const keys = apiKeysStore(store);
 * const { key, item } = await keys.create({ tenant: "acme", name: "ci", scopes: ["check"], createdBy }, now);
 * await keys.find(item.keyId); // the item, hash included
 * await keys.revoke("acme", item.keyId, createdBy, now);
 */
export function apiKeysStore(store: SuppressionStore) {
  return {
    find: (id: string): Promise<ApiKeyItem | undefined> => findApiKey(store, id),
    create: (request: CreateKeyRequest, now: number): Promise<CreatedKey> =>
      store.within("createApiKey", (call) => createKey(call, request, now)),
    list: (tenant: string): Promise<ApiKeyItem[]> =>
      store.within("listApiKeys", (call) => listKeys(call, tenant)),
    revoke: (tenant: string, id: string, by: Actor, now: number): Promise<ApiKeyItem | undefined> =>
      store.within("revokeApiKey", (call) => revokeKey(call, tenant, id, by, now)),
  };
}
export type ApiKeysStore = ReturnType<typeof apiKeysStore>;
