/** SendCloud provider (docs/providers/sendcloud.md): the adapter, and what the tests read of it. */
export {
  SENDCLOUD_APP_KEY,
  SENDCLOUD_MAX_AGE_SECONDS,
  sendcloudAdapter,
  sendcloudKind,
  sendcloudTags,
} from "./adapter.js";
export { canonicalFields, formRecord, listItems } from "./schema.js";
export { classifySendCloudBounce, SUBSTAT_ROWS } from "./substat.js";
