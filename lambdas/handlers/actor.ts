import type { Actor } from "../store/admin.js";

/**
 * Who the bearer key is, in the history of every operator's change. There is one key per
 * deployment until scoped keys exist (issue #11): the bootstrap key from Secrets Manager
 * (`SUPPRESSION_API_KEY` locally), recorded under this name.
 */
export const BOOTSTRAP_ACTOR: Actor = { keyId: "bootstrap", name: "bootstrap key" };
