import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { StoreContext } from "./context.js";
import { isConditionalCheckFailed, toStoreError } from "./errors.js";
import { nonceKey } from "./keys.js";
import { TTL_ATTRIBUTE } from "./schema.js";

/**
 * Remembers a provider's one-time token until `expiresAt` (epoch seconds): `true` the first time,
 * `false` when it was seen before and has not expired (a replayed webhook). TTL deletion is lazy,
 * so an expired record is overwritten rather than counted as a replay.
 *
 * @example
 * await claimNonce(ctx, "default", "mailgun", token, now + 300); // true, then false
 */
export async function claimNonce(
  ctx: StoreContext,
  tenant: string,
  provider: string,
  token: string,
  expiresAt: number,
  now: number,
): Promise<boolean> {
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: { ...nonceKey(tenant, provider, token), kind: "nonce", [TTL_ATTRIBUTE]: expiresAt },
        ConditionExpression: "attribute_not_exists(pk) OR #ttl <= :now",
        ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ":now": now },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return false;
    throw toStoreError(err, "PutItem (nonce)");
  }
}
