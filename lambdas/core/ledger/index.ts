export {
  applyManual,
  applyRemoval,
  causesOf,
  MANUAL_RULE,
  MANUAL_VERDICT,
  type ManualSuppression,
  type Removal,
  type RemovalApplied,
} from "./admin.js";
export {
  type Applied,
  applyDecision,
  emptyEntry,
  isEmpty,
  itemExpiry,
  type LiveCause,
  liveCauses,
} from "./apply.js";
export { DAY_SECONDS, daysToSeconds, fromEpochSeconds, toEpochSeconds } from "./time.js";
export * from "./types.js";
