/**
 * Many entries fast, for the export's scale test: one real event through the store makes the
 * template entry; then its item is copied to `count` other addresses with BatchWriteItem, each copy
 * keyed as the store keys an entry (keys.ts, index-keys.ts `listIndexKeys`), so the lists index
 * holds exactly what that many ingested events would leave. Writing 100,000 events one by one
 * through `recordEvent` would take minutes; the copies take seconds.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { EntryState } from "../../lambdas/core/ledger/types.js";
import { toDocumentClient } from "../../lambdas/store/client.js";
import { listIndexKeys } from "../../lambdas/store/index-keys.js";
import { entrySk, subjectPk } from "../../lambdas/store/keys.js";
import type { SuppressionStore } from "../../lambdas/store/store.js";
import { decisionFor, events } from "../store/helpers.js";

const BATCH = 25;
const IN_FLIGHT = 16;

/**
 * `count` entries in `tenant` at addresses `addressOf(i)`, each a user-unknown bounce at `at`.
 *
 * @example await seedEntries(store, client, table, "t-1", 100_000, (i) => `u${i}@example.org`, now);
 */
export async function seedEntries(
  store: SuppressionStore,
  client: DynamoDBClient,
  tableName: string,
  tenant: string,
  count: number,
  addressOf: (i: number) => string,
  at: number,
): Promise<void> {
  const doc = toDocumentClient(client);
  const template = addressOf(0);
  const event = { ...events.userUnknown(template, at), tenant };
  await store.recordEvent(event, decisionFor(event), at);
  const got = await doc.send(
    new GetCommand({
      TableName: tableName,
      Key: { pk: subjectPk(tenant, "address", template), sk: entrySk("*") },
    }),
  );
  if (got.Item === undefined) throw new Error("the template entry was not written");
  const item = got.Item;
  const state = item.state as EntryState;
  const copies = function* () {
    for (let i = 1; i < count; i++) {
      const subject = addressOf(i);
      const key = { pk: subjectPk(tenant, "address", subject), sk: entrySk("*") };
      yield { ...item, ...key, subject, ...listIndexKeys(tenant, key, state, at) };
    }
  };
  const source = copies();
  const worker = async () => {
    for (;;) {
      const batch: Record<string, unknown>[] = [];
      // `next()` by hand: leaving a for-of early would close the generator the workers share.
      for (let n = source.next(); !n.done; n = source.next()) {
        batch.push(n.value);
        if (batch.length === BATCH) break;
      }
      if (batch.length === 0) return;
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}
