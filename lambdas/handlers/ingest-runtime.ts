import { getPolicy } from "./policy-source.js";
import { containerDeps, type RuntimeDeps } from "./runtime.js";

/** For functions that record events: the policy comes from `POLICY_FILE` (or the defaults). */
export const ingestDeps: RuntimeDeps = containerDeps(getPolicy);
