/**
 * The part of the API keys (api-keys.ts) that authentication needs, and nothing more: every keyed
 * function loads it, the pre-send check included, so it reads one item with one GetItem and pulls
 * in no other command.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Actor, Scope } from "../core/access.js";
import type { CallContext } from "./context.js";
import { toStoreError } from "./errors.js";
import type { SuppressionStore } from "./store.js";

/** A key's public id: 12 hex digits. */
export const KEY_ID_PATTERN = /^[0-9a-f]{12}$/;
const KEY_PATTERN = /^ssk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** One API key as stored (never the key itself). */
export type ApiKeyItem = {
  readonly pk: string;
  readonly sk: string;
  readonly kind: "apikey";
  readonly keyId: string;
  readonly tenant: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  /** Hex SHA-256 of the whole key string. */
  readonly hash: string;
  readonly createdAt: string;
  readonly createdBy: Actor;
  readonly revokedAt?: string;
  readonly revokedBy?: Actor;
};

/** The key of a key's authoritative item. */
export const keyItemKey = (id: string) => ({ pk: `K#${id}`, sk: "K" });

/** @example hashKey("ssk_…"); // 64 hex digits */
export const hashKey = (key: string): string => createHash("sha256").update(key, "utf8").digest("hex");

/**
 * The id a presented key names, or `undefined` when it is not shaped like one of ours (then it is
 * not worth a store read).
 *
 * @example
 * keyIdOf("ssk_0123456789ab_" + "A".repeat(43)); // "0123456789ab"
 * keyIdOf("hunter2"); // undefined
 */
export function keyIdOf(presented: string): string | undefined {
  return KEY_PATTERN.exec(presented)?.[1];
}

/** Whether `presented` is the key `item` was made from (constant time over the hashes). */
export function keyMatches(item: ApiKeyItem, presented: string): boolean {
  const expected = Buffer.from(item.hash, "hex");
  const actual = Buffer.from(hashKey(presented), "hex");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The item of key `id`, hash included; `undefined` when there is none. */
export async function readKeyItem(call: CallContext, id: string): Promise<ApiKeyItem | undefined> {
  try {
    // Strongly consistent: an eventually consistent read just after a create or revoke could miss
    // it, and the authenticator would remember that answer for KEY_CACHE_SECONDS.
    const out = await call.doc.send(
      new GetCommand({ TableName: call.tableName, Key: keyItemKey(id), ConsistentRead: true }),
      { abortSignal: call.signal },
    );
    return out.Item as ApiKeyItem | undefined;
  } catch (err) {
    throw toStoreError(err, "GetItem (api key)");
  }
}

/**
 * Reads key `id` under the store's budget (one GetItem).
 *
 * @example
 * const item = await findApiKey(store, "0123456789ab");
 */
export function findApiKey(store: SuppressionStore, id: string): Promise<ApiKeyItem | undefined> {
  return store.within("findApiKey", (call) => readKeyItem(call, id));
}
