/**
 * Length limits of the normalized event's free-text fields, in one zod-free module so the
 * classifier (which must stay free of zod) and the schemas in `events.ts` share them.
 * Lengths are UTF-16 code units, what `String#length` counts and zod's `.max()` checks.
 */

/**
 * Longest SMTP diagnostic kept on an event. Real DSN texts are a few hundred bytes, rarely a few
 * KB; a longer one is cut by `smtpFrom` (`providers/shared/smtp.ts`), the one place every
 * provider's diagnostic goes through, so an event item stays far below DynamoDB's 400 KB.
 * The classifier reads no more than this either (its `MAX_DIAGNOSTIC_CHARS` is this constant),
 * so an event classified again from its stored diagnostic gets the same verdict.
 */
export const MAX_DIAGNOSTIC_CHARS = 8192;

/**
 * Longest event id: the provider's id, sometimes with the recipient and the event name joined to
 * it. A provider refuses (`InputError`) an id of its own that is longer (`checkedEventId` in
 * `providers/shared/event-id.ts`); SES, whose ids are composed of several fields, keeps a head and
 * a hash of the whole instead.
 */
export const MAX_EVENT_ID_CHARS = 512;
