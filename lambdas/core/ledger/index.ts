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
