import { Logger } from "@aws-lambda-powertools/logger";
import { DEFAULT_POLICY } from "../core/policy/defaults.js";
import type { Policy } from "../core/policy/schema.js";
import type { SecretSource } from "../providers/types.js";
import {
  createStore,
  defaultDocumentClient,
  type SuppressionStore,
  tableNameFromEnv,
} from "../store/index.js";
import { SERVICE_NAME } from "./names.js";
import { createApiKeySource, createProviderSecretsSource } from "./secret-api-key.js";

/** Everything a handler needs from its container; tests and the local server build their own. */
export type RuntimeDeps = {
  readonly logger: Logger;
  /** The store, built on first use (so importing a handler opens no connection). */
  readonly store: () => SuppressionStore;
  readonly policy: () => Policy;
  /** The bearer key accepted for the API routes; `undefined` refuses every request. */
  readonly apiKey: () => string | undefined | Promise<string | undefined>;
  /**
   * Provider secrets by setting name (`MAILGUN_SIGNING_KEY`…); in AWS read from Secrets Manager and
   * cached for `SECRET_MAX_AGE_SECONDS` (secret-api-key.ts), so a rotation needs no redeploy.
   */
  readonly secrets: () => Promise<SecretSource>;
  /** The tenant of this deployment's requests (design.md §4: `default` until more are configured). */
  readonly tenant: string;
  readonly now: () => Date;
};

/** Written once in names.ts (data only, so lib/ can read it); re-exported for the handlers. */
export { SERVICE_NAME };

/**
 * The container's dependencies, read from the environment once and kept between invocations (the
 * secrets are re-read from Secrets Manager every `SECRET_MAX_AGE_SECONDS`, see secret-api-key.ts).
 * `policy` and `providerSecretNames` are parameters so that functions that only read (the check)
 * never load the policy document, zod, or the provider registry: see `ingest-runtime.ts` for the
 * functions that write. Without names, no provider secret is read.
 */
export function containerDeps(
  policy: () => Policy,
  providerSecretNames: readonly string[] = [],
): RuntimeDeps {
  let store: SuppressionStore | undefined;
  const logger = new Logger({ serviceName: SERVICE_NAME });
  const onStale = (error: unknown) =>
    logger.warn("A secret could not be re-read; serving the previous value", { error });
  const apiKey = createApiKeySource({ onStale });
  const providerSecrets = createProviderSecretsSource(providerSecretNames, { onStale });
  return {
    logger,
    store: () => {
      store ??= createStore({
        client: defaultDocumentClient(),
        tableName: tableNameFromEnv(),
        policy: policy(),
      });
      return store;
    },
    policy,
    apiKey,
    secrets: async () => {
      const loaded: Readonly<Record<string, string | undefined>> = await providerSecrets();
      return (name) => loaded[name];
    },
    tenant: "default",
    now: () => new Date(),
  };
}

/** For functions that only read the store: the policy is never consulted there. */
export const readOnlyDeps: RuntimeDeps = containerDeps(() => DEFAULT_POLICY);
