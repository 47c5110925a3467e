import type { Logger } from "@aws-lambda-powertools/logger";
import { DEFAULT_TENANT } from "../core/access.js";
import { DEFAULT_POLICY } from "../core/policy/defaults.js";
import type { Policy } from "../core/policy/schema.js";
import type { SecretSource } from "../providers/types.js";
import {
  createStore,
  defaultDocumentClient,
  type SuppressionStore,
  tableNameFromEnv,
} from "../store/index.js";
import { type Authenticator, createAuthenticator } from "./http/authenticate.js";
import { serviceLogger } from "./log-safety.js";
import { SERVICE_NAME } from "./names.js";
import {
  createApiKeySource,
  createProviderSecretsSource,
  type SecretSourceOptions,
} from "./secret-api-key.js";

/** Everything a handler needs from its container; tests and the local server build their own. */
export type RuntimeDeps = {
  readonly logger: Logger;
  /** The store, built on first use (so importing a handler opens no connection). */
  readonly store: () => SuppressionStore;
  readonly policy: () => Policy;
  /**
   * Who a bearer key is: the bootstrap key (Secrets Manager in AWS, `SUPPRESSION_API_KEY` locally)
   * or a key made with `npm run keys` / `POST /v1/keys`, read from the store and cached for
   * `KEY_CACHE_SECONDS` (http/authenticate.ts). One per container, shared by its routes.
   */
  readonly auth: Authenticator;
  /**
   * Provider secrets by setting name (`MAILGUN_SIGNING_KEY`…); in AWS read from Secrets Manager and
   * cached for `SECRET_MAX_AGE_SECONDS` (secret-api-key.ts), so a rotation needs no redeploy.
   */
  readonly secrets: (tenant: string) => Promise<SecretSource>;
  /**
   * The tenant of input that names none: the SES queue, `POST /webhooks/{provider}` without a
   * tenant (design.md §4). Keyed routes use the caller's tenant instead.
   */
  readonly tenant: string;
  readonly now: () => Date;
};

/** Written once in names.ts (data only, so lib/ can read it); re-exported for the handlers. */
export { SERVICE_NAME };

/**
 * The container's dependencies, read from the environment once and kept between invocations (the
 * secrets are re-read from Secrets Manager every `SECRET_MAX_AGE_SECONDS`, see secret-api-key.ts).
 * `policy`, `providerSecretNames` and `providerSettingNames` are parameters so that functions that
 * only read (the check) never load the policy document, zod, or the provider registry: see
 * `ingest-runtime.ts` for the functions that write. Without names, no provider secret is read.
 */
export function containerDeps(
  policy: () => Policy,
  providerSecretNames: readonly string[] = [],
  providerSettingNames: readonly string[] = [],
): RuntimeDeps {
  let store: SuppressionStore | undefined;
  const logger = serviceLogger();
  const onStale = (error: unknown) =>
    logger.warn("A secret could not be re-read; serving the previous value", { error });
  const bootstrapKey = createApiKeySource({ onStale });
  const getStore = () => {
    store ??= createStore({
      client: defaultDocumentClient(),
      tableName: tableNameFromEnv(),
      policy: policy(),
    });
    return store;
  };
  return {
    logger,
    store: getStore,
    policy,
    auth: createAuthenticator({ bootstrapKey, store: getStore }),
    secrets: secretsByTenant(providerSecretNames, providerSettingNames, { onStale }),
    tenant: DEFAULT_TENANT,
    now: () => new Date(),
  };
}

/**
 * Each tenant's provider secrets and settings as the adapters read them (`SecretSource`): see
 * `createProviderSecretsSource`. The default tenant's settings (`SNS_TOPIC_ARNS`) are the
 * function's environment; another tenant's are in its own entry, beside its secrets.
 *
 * @example
 * const secrets = secretsByTenant(PROVIDER_SECRET_NAMES, PROVIDER_SETTING_NAMES, { env: process.env });
 * (await secrets("acme"))("MAILGUN_SIGNING_KEY"); // acme's key, or undefined
 */
export function secretsByTenant(
  secretNames: readonly string[],
  settingNames: readonly string[],
  options: SecretSourceOptions = {},
): (tenant: string) => Promise<SecretSource> {
  const env = options.env ?? process.env;
  const source = createProviderSecretsSource(secretNames, options, settingNames);
  return async (tenant) => {
    const loaded: Readonly<Record<string, string | undefined>> = await source(tenant);
    const fromEnv = tenant === DEFAULT_TENANT ? settingNames : [];
    return (name) => loaded[name] ?? (fromEnv.includes(name) ? env[name] : undefined);
  };
}

/** For functions that only read the store: the policy is never consulted there. */
export const readOnlyDeps: RuntimeDeps = containerDeps(() => DEFAULT_POLICY);
