export { decide } from "./decide.js";
export { DEFAULT_POLICY } from "./defaults.js";
export {
  type Policy,
  type PolicyDocument,
  PolicyDocumentSchema,
  PolicyError,
  PolicySchema,
  parsePolicy,
} from "./schema.js";
