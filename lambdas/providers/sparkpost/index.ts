/** SparkPost provider (docs/providers/sparkpost.md): the adapter, and what the tests read of it. */
export { parseSparkPost, sparkpostAdapter } from "./adapter.js";
export {
  BOUNCE_CLASSES,
  bounceClassOf,
  classifySparkPostBounce,
  classifySparkPostPolicyRejection,
} from "./bounce-classes.js";
export { isoOfTimestamp } from "./schema.js";
