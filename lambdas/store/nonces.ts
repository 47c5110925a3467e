import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { CallContext } from "./context.js";
import { isConditionalCheckFailed, toStoreError } from "./errors.js";
import { nonceKey } from "./keys.js";
import { TTL_ATTRIBUTE } from "./schema.js";

/**
 * Remembers a provider's one-time token until `expiresAt` (epoch seconds), with a fingerprint of
 * the request that carried it. `true` the first time, and again for the same token with the same
 * fingerprint (the provider retrying a delivery we failed to store: refusing it would lose the
 * event); `false` for the token with another fingerprint (a replay). TTL deletion is lazy, so an
 * expired record is overwritten rather than counted as a replay.
 *
 * @example
 * await claimNonce(ctx, "default", "mailgun", token, bodyHash, now + 300, now); // true
 * await claimNonce(ctx, "default", "mailgun", token, bodyHash, now + 300, now); // true (a retry)
 * await claimNonce(ctx, "default", "mailgun", token, otherHash, now + 300, now); // false (a replay)
 */
export async function claimNonce(
  ctx: CallContext,
  tenant: string,
  provider: string,
  token: string,
  fingerprint: string,
  expiresAt: number,
  now: number,
): Promise<boolean> {
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: {
          ...nonceKey(tenant, provider, token),
          kind: "nonce",
          fingerprint,
          [TTL_ATTRIBUTE]: expiresAt,
        },
        ConditionExpression: "attribute_not_exists(pk) OR #ttl <= :now OR fingerprint = :fingerprint",
        ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ":now": now, ":fingerprint": fingerprint },
      }),
      { abortSignal: ctx.signal },
    );
    return true;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return false;
    throw toStoreError(err, "PutItem (nonce)");
  }
}
