/**
 * The one DynamoDB table of suppression-service (single-table design). The CDK stack builds it from
 * `tableDefinition()`; local runs and tests create it with `ensureTable()`.
 *
 * Items (see keys.ts for the key formats):
 * - entry:  pk `T#<tenant>#A#<address>` or `T#<tenant>#D#<domain>`, sk `S#<scope>`;
 *           `state` (EntryState), `version`, `ttl` (latest expiry of anything in it; absent = never).
 * - event:  pk `T#<tenant>#A#<address>`, sk `E#<provider>#<eventId>`; the normalized event, the
 *           decision, `applied`, `outcome`, `ttl` = received + history days.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { toStoreError } from "./errors.js";

export const DEFAULT_TABLE_NAME = "suppressions";
export const PARTITION_KEY = "pk";
export const SORT_KEY = "sk";
/** The DynamoDB TTL attribute: epoch seconds. Reads never trust it (deletion is lazy). */
export const TTL_ATTRIBUTE = "ttl";

/** Engine-neutral description of the table, for CDK (`lib/`) and for `ensureTable`. */
export type TableDefinition = {
  readonly partitionKey: { readonly name: typeof PARTITION_KEY; readonly type: "S" };
  readonly sortKey: { readonly name: typeof SORT_KEY; readonly type: "S" };
  readonly timeToLiveAttribute: typeof TTL_ATTRIBUTE;
  readonly billingMode: "PAY_PER_REQUEST";
  /** The ses-sync λ follows entries through the stream (design.md §4). */
  readonly stream: "NEW_AND_OLD_IMAGES";
  readonly pointInTimeRecovery: true;
};

/**
 * The table's shape, the single source for the CDK stack and for local tables.
 *
 * @example
 * const def = tableDefinition();
 * new dynamodb.TableV2(this, "Table", {
 *   partitionKey: { name: def.partitionKey.name, type: dynamodb.AttributeType.STRING },
 *   sortKey: { name: def.sortKey.name, type: dynamodb.AttributeType.STRING },
 *   timeToLiveAttribute: def.timeToLiveAttribute,
 * });
 */
export function tableDefinition(): TableDefinition {
  return {
    partitionKey: { name: PARTITION_KEY, type: "S" },
    sortKey: { name: SORT_KEY, type: "S" },
    timeToLiveAttribute: TTL_ATTRIBUTE,
    billingMode: "PAY_PER_REQUEST",
    stream: "NEW_AND_OLD_IMAGES",
    pointInTimeRecovery: true,
  };
}

/**
 * Creates the table if it does not exist (local runs, tests) and enables TTL where the engine
 * supports it (DynamoDB Local does, dynalite has no UpdateTimeToLive). Streams are left to the real
 * deployment. Safe to call concurrently and repeatedly.
 *
 * @param options.abortSignal ends every request (and the wait for the table) when it aborts; the
 *   call then fails with a `StoreUnavailableError`
 * @example
 * await ensureTable(new DynamoDBClient({ endpoint: "http://127.0.0.1:8000" }), "suppressions");
 * await ensureTable(client, "suppressions", { abortSignal: AbortSignal.timeout(10_000) });
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string = DEFAULT_TABLE_NAME,
  options: { readonly abortSignal?: AbortSignal } = {},
): Promise<void> {
  const def = tableDefinition();
  const send = { ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) };
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }), send);
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw toStoreError(err, "DescribeTable");
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: def.billingMode,
        AttributeDefinitions: [
          { AttributeName: def.partitionKey.name, AttributeType: def.partitionKey.type },
          { AttributeName: def.sortKey.name, AttributeType: def.sortKey.type },
        ],
        KeySchema: [
          { AttributeName: def.partitionKey.name, KeyType: "HASH" },
          { AttributeName: def.sortKey.name, KeyType: "RANGE" },
        ],
      }),
      send,
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw toStoreError(err, "CreateTable");
  }
  await waitActive(client, tableName, send);
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: def.timeToLiveAttribute, Enabled: true },
      }),
      send,
    );
  } catch {
    // Not supported by this engine, or already enabled: reads filter expiry themselves anyway.
  }
}

async function waitActive(
  client: DynamoDBClient,
  tableName: string,
  send: { abortSignal?: AbortSignal },
): Promise<void> {
  for (let i = 0; i < 100; i++) {
    let status: string | undefined;
    try {
      const out = await client.send(new DescribeTableCommand({ TableName: tableName }), send);
      status = out.Table?.TableStatus;
    } catch (err) {
      throw toStoreError(err, "DescribeTable");
    }
    if (status === "ACTIVE") return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
