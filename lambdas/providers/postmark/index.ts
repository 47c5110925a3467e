/** Postmark provider (docs/providers/postmark.md): the adapter, and what the tests read of it. */
export {
  POSTMARK_BOUNCE_TYPES,
  POSTMARK_TYPE_CODES,
  POSTMARK_WEBHOOK_PASSWORD,
  POSTMARK_WEBHOOK_USER,
  postmarkAdapter,
} from "./adapter.js";
