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

/**
 * At most this many provider tags are kept on an event (SES allows 50 message tags, the ESPs fewer),
 * each cut to `MAX_TAG_CHARS`. `tagsFrom` (`providers/shared/tags.ts`) applies both, so a provider's
 * extra tags are dropped instead of refusing the event.
 */
export const MAX_TAGS = 50;
export const MAX_TAG_CHARS = 256;

/** The longest note or reason an operator may write (a manual entry, a removal, the allowlist). */
export const MAX_NOTE_CHARS = 1_000;

/** The status view's longest window (`to` − `from`), in days, and its window when `from` is not given. */
export const STATUS_WINDOW_MAX_DAYS = 30;
export const STATUS_WINDOW_DEFAULT_DAYS = 7;
