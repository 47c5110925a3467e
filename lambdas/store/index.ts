/** The store: the only code that talks to DynamoDB (design.md §4). */

// Operators' changes (`adminStore(store)` and their types) are imported from admin.ts itself, by
// the admin function only: the check function never loads them.
export { INGEST_WRITE_CONCURRENCY, STORE_TIMEOUTS, type StoreTimeouts } from "./budget.js";
export {
  type ClientOptions,
  clientOptionsFromEnv,
  createDynamoDbClient,
  defaultDocumentClient,
  tableNameFromEnv,
  toDocumentClient,
} from "./client.js";
export type { StoreOptions } from "./context.js";
export {
  StoreError,
  StoreFaultError,
  StoreItemTooLargeError,
  StoreTimeoutError,
  StoreUnavailableError,
} from "./errors.js";
export type { EntryItem, EventItem, RecordResult } from "./ingest.js";
export { MAX_ITEM_BYTES } from "./item-size.js";
export { addressPk, domainPk, entrySk, eventSk } from "./keys.js";
export { type AddressView, BATCH_GET_LIMIT, type LiveEntry, type Verdict } from "./lookup.js";
export {
  DEFAULT_TABLE_NAME,
  ensureTable,
  type TableDefinition,
  TTL_ATTRIBUTE,
  tableDefinition,
} from "./schema.js";
export { createStore, type SuppressionStore } from "./store.js";
