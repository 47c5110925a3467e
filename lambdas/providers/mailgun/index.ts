/** Mailgun provider (docs/providers/mailgun.md): the adapter, and what the tests read of it. */
export { classifyMailgunFailure, MAILGUN_MAX_AGE_SECONDS, mailgunAdapter } from "./adapter.js";
