/**
 * The budgets docs/design.md §6 sets for the check, history, lists, status, list-cleaning and raw-email paths, in one place: the benchmark
 * (`npm run bench`) reports against them and the stack test (test/lib/bundles.test.ts) fails above
 * the bundle budget. test/docs/design.test.ts holds the design's text to the same numbers.
 */

/** Check handler p50 ÷ p50 of the raw BatchGetItem calls it makes, at 1, 100 and 1000 addresses. */
export const CHECK_VS_STORE_RATIO_BUDGET = 1.15;

/** Check handler p50 with a scoped (cached) key ÷ the same with the bootstrap key, one address. */
export const CHECK_SCOPED_VS_BOOTSTRAP_RATIO_BUDGET = 1.15;

/**
 * History handler p50 ÷ p50 of the raw index Query it makes, one page of 100 items: the handler
 * maps each stored item to its view and writes JSON, which the raw Query does not.
 */
export const HISTORY_VS_QUERY_RATIO_BUDGET = 1.5;

/**
 * Lists handler p50 ÷ p50 of the raw Query calls one page of 100 entries makes (the shards of a
 * round in parallel, the rounds in turn): the handler merges the shards, reads every entry's live
 * causes, maps each to its view and writes JSON.
 */
export const LISTS_VS_QUERIES_RATIO_BUDGET = 1.5;

/** Status-view handler p50 ÷ p50 of the raw Query calls one page of 100 events makes. */
export const STATUS_VS_QUERIES_RATIO_BUDGET = 1.5;

/**
 * List cleaning's addresses per second ÷ those of raw BatchGetItem calls for the same keys at the
 * same concurrency (100,000 addresses): parsing, canonical forms, the dedupe and both files cost
 * at most a fifth of the reads.
 */
export const LIST_CLEAN_VS_BATCHGET_BUDGET = 0.8;

/** Raw emails parsed and classified a second ÷ Sisimai's rate on the same emails in the same run. */
export const EMAILS_VS_SISIMAI_BUDGET = 5;

/**
 * Emails a second one core must parse and classify: an ESP's bounce mailbox at 1 000 a second is a
 * heavy day's peak, and the import route handles one email per request.
 */
export const EMAILS_PER_S_BUDGET = 1_000;

/** KB (1024 bytes) of the check function's minified bundle, AWS SDK included. */
export const CHECK_BUNDLE_BUDGET_KB = 500;

/** KB of every other function's minified bundle. */
export const OTHER_BUNDLE_BUDGET_KB = 1024;
