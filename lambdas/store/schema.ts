/**
 * The one DynamoDB table of suppression-service (single-table design). The CDK stack builds it from
 * `tableDefinition()`; local runs and tests create it with `ensureTable()`.
 *
 * Items (see keys.ts for the key formats):
 * - entry:  pk `T#<tenant>#A#<address>` or `T#<tenant>#D#<domain>`, sk `S#<scope>`;
 *           `state` (EntryState), `version`, `ttl` (latest expiry of anything in it; absent = never).
 * - event:  pk `T#<tenant>#A#<address>`, sk `E#<provider>#<eventId>`; the normalized event, the
 *           decision, `applied`, `outcome`, `ttl` = received + history days.
 * - action: pk of the address or domain, sk `E#admin#<time>%23<id>`: an operator's change (admin.ts).
 *
 * Events and actions carry `hsk` = `<ISO time>#<sk>` (the event's `occurredAt`, the action's time):
 * the sort key of the `history` index, whose partition key is the table's own `pk`. So an address's
 * history reads newest first, in pages, from one partition of one address: no hot partition however
 * busy a tenant or a day is (design.md §4, "Indexes").
 *
 * Two write-sharded indexes serve the tenant-wide reads (index-keys.ts computes their keys):
 * - `lists`: entries with a live cause carry `lpk` = `L#<tenant>#<shard>` and `lsk` =
 *   `<ISO since of the newest live cause>#<pk>#<sk>` (sparse: an entry with no live cause has neither);
 * - `status`: provider events carry `vpk` = `V#<tenant>#<YYYY-MM-DD of occurredAt>#<shard>`, sorted
 *   by their `hsk`. Operators' actions are not in it.
 * - `stats`: provider events carry `cpk` = `C#<tenant>#<YYYY-MM-DD of receivedAt>#<shard>`, sorted by
 *   their `hsk`, projecting only `cdim` (the counted dimensions): the reputation figures (stats.ts).
 *
 * Figures items: `STATS#DAYS#<day>` / `<tenant>` (a tenant had events that day, stats-days.ts) and
 * `T#<tenant>#STATS` / `D#<day>` (the rollup of a closed day, stats.ts).
 *
 * SES sync items (one SES account list per deployment, so not under a tenant's partition):
 * `SESM#<address>` / `T#<tenant>` (what a tenant put in SES's list, ses-markers.ts) and
 * `SESIMPORT` / `STATE` (the import's checkpoint and lease, ses-import-state.ts).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { toStoreError } from "./errors.js";

export const DEFAULT_TABLE_NAME = "suppressions";
export const PARTITION_KEY = "pk";
export const SORT_KEY = "sk";
/** The DynamoDB TTL attribute: epoch seconds. Reads never trust it (deletion is lazy). */
export const TTL_ATTRIBUTE = "ttl";
/** The index of a subject's history in time order, and its sort key (`<ISO time>#<sk>`). */
export const HISTORY_INDEX = "history";
export const HISTORY_SORT_KEY = "hsk";
/** The index of a tenant's live entries, newest first, write-sharded (index-keys.ts). */
export const LISTS_INDEX = "lists";
export const LISTS_PARTITION_KEY = "lpk";
export const LISTS_SORT_KEY = "lsk";
/** The index of a tenant's provider events by day, write-sharded; sorted by `hsk` (index-keys.ts). */
export const STATUS_INDEX = "status";
export const STATUS_PARTITION_KEY = "vpk";
/** The index of a tenant's provider events by day of acceptance, write-sharded (index-keys.ts). */
export const STATS_INDEX = "stats";
export const STATS_PARTITION_KEY = "cpk";
/** The one attribute the `stats` index projects besides the keys: the event's counted dimensions. */
export const STATS_DIMENSIONS = "cdim";

/** The `hsk` of a history item: its time, then its own sort key (unique within the subject). */
export const historySortKey = (isoTime: string, sk: string): string => `${isoTime}#${sk}`;

/** Engine-neutral description of the table, for CDK (`lib/`) and for `ensureTable`. */
export type TableDefinition = {
  readonly partitionKey: { readonly name: typeof PARTITION_KEY; readonly type: "S" };
  readonly sortKey: { readonly name: typeof SORT_KEY; readonly type: "S" };
  readonly timeToLiveAttribute: typeof TTL_ATTRIBUTE;
  readonly billingMode: "PAY_PER_REQUEST";
  /** The ses-sync λ follows entries through the stream (design.md §4). */
  readonly stream: "NEW_AND_OLD_IMAGES";
  readonly pointInTimeRecovery: true;
  /**
   * An index projects all attributes (a history page needs the whole item) unless it names the few
   * it projects (`stats`: only what the figures count).
   */
  readonly globalSecondaryIndexes: readonly {
    readonly name: string;
    readonly partitionKey: { readonly name: string; readonly type: "S" };
    readonly sortKey: { readonly name: string; readonly type: "S" };
    readonly projection?: { readonly type: "INCLUDE"; readonly attributes: readonly string[] };
  }[];
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
    globalSecondaryIndexes: [
      {
        name: HISTORY_INDEX,
        partitionKey: { name: PARTITION_KEY, type: "S" },
        sortKey: { name: HISTORY_SORT_KEY, type: "S" },
      },
      {
        name: LISTS_INDEX,
        partitionKey: { name: LISTS_PARTITION_KEY, type: "S" },
        sortKey: { name: LISTS_SORT_KEY, type: "S" },
      },
      {
        name: STATUS_INDEX,
        partitionKey: { name: STATUS_PARTITION_KEY, type: "S" },
        sortKey: { name: HISTORY_SORT_KEY, type: "S" },
      },
      {
        name: STATS_INDEX,
        partitionKey: { name: STATS_PARTITION_KEY, type: "S" },
        sortKey: { name: HISTORY_SORT_KEY, type: "S" },
        projection: { type: "INCLUDE", attributes: [STATS_DIMENSIONS] },
      },
    ],
  };
}

const attributeDefinitions = (def: TableDefinition) => {
  const names = new Map<string, "S">([
    [def.partitionKey.name, def.partitionKey.type],
    [def.sortKey.name, def.sortKey.type],
  ]);
  for (const index of def.globalSecondaryIndexes) {
    names.set(index.partitionKey.name, index.partitionKey.type);
    names.set(index.sortKey.name, index.sortKey.type);
  }
  return [...names].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
};

const indexSpec = (index: TableDefinition["globalSecondaryIndexes"][number]) => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey.name, KeyType: "HASH" as const },
    { AttributeName: index.sortKey.name, KeyType: "RANGE" as const },
  ],
  Projection:
    index.projection === undefined
      ? { ProjectionType: "ALL" as const }
      : { ProjectionType: index.projection.type, NonKeyAttributes: [...index.projection.attributes] },
});

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
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }), send);
    // A table made by an earlier version (a kept ./.data) lacks the indexes added since: add them.
    const present = new Set((out.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    const missing = def.globalSecondaryIndexes.filter((i) => !present.has(i.name));
    for (const index of missing) await addIndex(client, tableName, def, index, send);
    return;
  } catch (err) {
    if (err instanceof MissingIndexError) throw err;
    if (!(err instanceof ResourceNotFoundException)) throw toStoreError(err, "DescribeTable");
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: def.billingMode,
        AttributeDefinitions: attributeDefinitions(def),
        KeySchema: [
          { AttributeName: def.partitionKey.name, KeyType: "HASH" },
          { AttributeName: def.sortKey.name, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: def.globalSecondaryIndexes.map(indexSpec),
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

/**
 * The table lacks an index this version needs and the engine cannot add one (dynalite, the
 * embedded store of `npm start`, has no index creation on an existing table).
 */
export class MissingIndexError extends Error {
  override readonly name = "MissingIndexError";
}

async function addIndex(
  client: DynamoDBClient,
  tableName: string,
  def: TableDefinition,
  index: TableDefinition["globalSecondaryIndexes"][number],
  send: { abortSignal?: AbortSignal },
): Promise<void> {
  try {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions(def),
        GlobalSecondaryIndexUpdates: [{ Create: indexSpec(index) }],
      }),
      send,
    );
  } catch (err) {
    // dynalite refuses the request outright (it wants provisioned throughput, then ignores it).
    if (err instanceof Error && err.name === "ValidationException")
      throw missingIndex(tableName, index.name, err);
    throw toStoreError(err, "UpdateTable (add index)");
  }
  await waitActive(client, tableName, send);
  const out = await client.send(new DescribeTableCommand({ TableName: tableName }), send);
  if (!(out.Table?.GlobalSecondaryIndexes ?? []).some((i) => i.IndexName === index.name)) {
    throw missingIndex(tableName, index.name);
  }
}

const missingIndex = (tableName: string, index: string, cause?: unknown): MissingIndexError =>
  new MissingIndexError(
    `The table ${tableName} was made by an earlier version, without the \`${index}\` index, and this engine cannot add one: start on a new DATA_DIR (or move the old one away), or use DynamoDB Local or DynamoDB, which add it.`,
    { cause },
  );

async function waitActive(
  client: DynamoDBClient,
  tableName: string,
  send: { abortSignal?: AbortSignal },
): Promise<void> {
  for (let i = 0; i < 100; i++) {
    let ready = false;
    try {
      const out = await client.send(new DescribeTableCommand({ TableName: tableName }), send);
      const indexes = out.Table?.GlobalSecondaryIndexes ?? [];
      ready =
        out.Table?.TableStatus === "ACTIVE" &&
        indexes.every((i) => i.IndexStatus === undefined || i.IndexStatus === "ACTIVE");
    } catch (err) {
      throw toStoreError(err, "DescribeTable");
    }
    if (ready) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
