/** Raw-email provider (docs/providers/email.md): the adapter, and what the tests read of it. */
export {
  EMAIL_WEBHOOK_REFUSAL_STATUS,
  EMAIL_WEBHOOK_SLUG,
  emailAdapter,
  parseEmailImport,
  rawReportId,
} from "./adapter.js";
export { EmailParseError, EmailTooLargeError } from "./errors.js";
export { MAX_EMAIL_BYTES } from "./parse.js";
