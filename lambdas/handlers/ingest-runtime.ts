import { PROVIDER_SECRET_NAMES, PROVIDER_SETTING_NAMES } from "../providers/registry.js";
import { getPolicy } from "./policy-source.js";
import { containerDeps, type RuntimeDeps } from "./runtime.js";

/**
 * For functions that record events: the policy comes from `POLICY_FILE` (or the defaults), and the
 * secrets and settings every adapter of the registry reads, per tenant.
 */
export const ingestDeps: RuntimeDeps = containerDeps(
  getPolicy,
  PROVIDER_SECRET_NAMES,
  PROVIDER_SETTING_NAMES,
);
