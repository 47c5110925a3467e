/**
 * The SES account-level suppression list as an event source (issue #14): the mapping of a listed
 * address to an event. Not a webhook provider, so no adapter and no registry entry.
 */
export {
  SES_ACCOUNT_LIST_RULES,
  SES_ACCOUNT_LIST_SOURCE,
  type SummaryMapping,
  type SuppressedSummary,
  sesAccountListEvent,
  sesAccountListEventId,
} from "./events.js";
