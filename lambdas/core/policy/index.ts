export { decide } from "./decide.js";
export {
  DEFAULT_POLICY,
  type Policy,
  type PolicyDocument,
  PolicyDocumentSchema,
  PolicyError,
  PolicySchema,
  parsePolicy,
} from "./schema.js";
