/**
 * Every item of one partition, page after page: the read the allowlist, the SES markers and the
 * figures' tenant-days share. Small partitions only (a tenant's allowlist, one address's markers,
 * one day's tenants): the items are collected in memory.
 */
import { QueryCommand, type QueryCommandOutput } from "@aws-sdk/lib-dynamodb";
import type { CallContext } from "./context.js";
import { toStoreError } from "./errors.js";

export type PartitionRead = {
  /** What a failure names (`Query (allowlist)`). */
  readonly label: string;
  /** Strongly consistent (a decision is taken on what the read says). @default false */
  readonly consistent?: boolean;
  /** Only these attributes (`sk`). @default every attribute */
  readonly projection?: string;
};

/**
 * The items of partition `pk`, in sort-key order.
 *
 * @throws StoreError (via `toStoreError`) naming `read.label` when a page fails
 * @example
 * const items = await readPartition(ctx, `T#acme#ALLOW`, { label: "Query (allowlist)" });
 */
export async function readPartition(
  ctx: CallContext,
  pk: string,
  read: PartitionRead,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    let out: QueryCommandOutput;
    try {
      out = await ctx.doc.send(
        new QueryCommand({
          TableName: ctx.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": pk },
          ...(read.consistent ? { ConsistentRead: true } : {}),
          ...(read.projection === undefined ? {} : { ProjectionExpression: read.projection }),
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
        { abortSignal: ctx.signal },
      );
    } catch (err) {
      throw toStoreError(err, read.label);
    }
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}
