import { Logger } from "@aws-lambda-powertools/logger";
import type { Policy } from "../core/policy/index.js";
import {
  createStore,
  defaultDocumentClient,
  type SuppressionStore,
  tableNameFromEnv,
} from "../store/index.js";
import { getPolicy } from "./policy-source.js";

/** Everything a handler needs from its container; tests and the local server build their own. */
export type RuntimeDeps = {
  readonly logger: Logger;
  /** The store, built on first use (so importing a handler opens no connection). */
  readonly store: () => SuppressionStore;
  readonly policy: () => Policy;
  /** The bearer key accepted for the API routes; `undefined` refuses every request. */
  readonly apiKey: () => string | undefined;
  /** The tenant of this deployment's requests (design.md §4: `default` until more are configured). */
  readonly tenant: string;
  readonly now: () => Date;
};

export const SERVICE_NAME = "suppression-service";

let store: SuppressionStore | undefined;

/** The container's dependencies, read from the environment once and kept between invocations. */
export const runtimeDeps: RuntimeDeps = {
  logger: new Logger({ serviceName: SERVICE_NAME }),
  store: () => {
    store ??= createStore({
      client: defaultDocumentClient(),
      tableName: tableNameFromEnv(),
      policy: getPolicy(),
    });
    return store;
  },
  policy: getPolicy,
  apiKey: () => process.env.SUPPRESSION_API_KEY || undefined,
  tenant: "default",
  now: () => new Date(),
};
