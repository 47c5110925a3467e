/**
 * Amazon SES provider (docs/providers/ses.md §1): every shape SES output arrives in → normalized events.
 *
 * - `parseSes(body, opts)`: any body (bare record, SNS HTTP document, SNS → Lambda, SQS → Lambda,
 *   EventBridge) → events. Used where the whole body is vouched for: `POST /v1/import/ses` (API key)
 *   and the SQS consumer (IAM). Never for a body only part of which is signed.
 * - `parseSesSnsMessage(message, sns, opts)`: the signed `Message` of a verified SNS notification → events.
 *   Used by `POST /webhooks/ses`: only the signed text is read, as one SES record.
 * - `unwrapSes(body)`: the shape, the SES records inside and the SNS metadata (`Type`, `MessageId`,
 *   `TopicArn`, and `SubscribeURL`/`Token` of confirmations) without parsing the records.
 * - `parseSesRecord(record, ctx)`: one SES record (e.g. per SQS record in a batch handler, after
 *   `unwrapSes({ Records: [sqsRecord] })`).
 *
 * - `sesAdapter` / `createSesAdapter(options)`: the provider adapter of `POST /webhooks/ses` and
 *   `POST /v1/import/ses` (adapter.ts).
 *
 * Bad input always surfaces as `InputError` (→ 400), never as another error.
 */
export { createSesAdapter, type SesAdapterOptions, sesAdapter } from "./adapter.js";
export { classifySesBounce, smtpOf } from "./bounce.js";
export {
  type EventBridgeMeta,
  type SesEnvelopeItem,
  type SesShape,
  type SnsMessageType,
  type SnsMeta,
  type UnwrappedSes,
  unwrapSes,
  unwrapSnsMessage,
} from "./envelopes.js";
export {
  type ParseSesOptions,
  parseSes,
  parseSesSnsMessage,
  type SesParseResult,
} from "./parse.js";
export { sesRecipientCount } from "./recipient-count.js";
export {
  feedbackTypeOf,
  parseSesRecord,
  SES_IGNORED_TYPES,
  type SesParsedNotification,
  type SesRecordContext,
  type SkippedRecipient,
  type SubscriptionChange,
  subscriptionChanges,
} from "./records.js";
export { SES_KEPT_AUTO_TAG, sesTags } from "./tags.js";
