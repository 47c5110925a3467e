import { PROVIDER_SECRET_NAMES } from "../providers/registry.js";
import { getPolicy } from "./policy-source.js";
import { containerDeps, type RuntimeDeps } from "./runtime.js";

/**
 * For functions that record events: the policy comes from `POLICY_FILE` (or the defaults), and the
 * secrets every adapter of the registry reads.
 */
export const ingestDeps: RuntimeDeps = containerDeps(getPolicy, PROVIDER_SECRET_NAMES);
