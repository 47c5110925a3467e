/** SendGrid provider (docs/providers/sendgrid.md): the adapter, and what the tests read of it. */
export {
  classifySendgridBounce,
  classifySendgridDrop,
  SENDGRID_MAX_AGE_SECONDS,
  sendgridAdapter,
} from "./adapter.js";
