/**
 * Secrets from AWS Secrets Manager through Powertools Parameters (`getSecret`), cached for
 * `SECRET_MAX_AGE_SECONDS` (design.md §5.2: "in AWS the same settings come from the stack: secrets
 * from Secrets Manager").
 *
 * - The bearer API key: the secret named by `SUPPRESSION_API_KEY_SECRET_ARN` (a plain string). Without
 *   that variable (local runs, tests) the key is `SUPPRESSION_API_KEY`, as before.
 * - The providers' webhook secrets: the JSON secret named by `PROVIDER_SECRETS_SECRET_ARN`
 *   (`transform: "json"`), one key per name the caller gives (`PROVIDER_SECRET_NAMES`, derived
 *   from the adapters in lambdas/providers/registry.ts: only the ingest functions load it). Without
 *   it, the same names are read from the environment.
 *
 * An empty value means "not configured" (the API refuses every request; a provider rejects its
 * webhooks). Rotation: a changed secret is read by each running container at its first request
 * after the cached value is `SECRET_MAX_AGE_SECONDS` old, so within 5 minutes and without a
 * redeploy. A failed read is not cached: without a value at hand it fails (and the next call tries
 * again, so one Secrets Manager hiccup does not poison the container); with one, that value is
 * served and the read is tried again after `STALE_RETRY_MS` (a Secrets Manager outage does not
 * take the API down every 5 minutes).
 */

import { DEFAULT_TENANT } from "../core/access.js";

/** How long a value read from Secrets Manager is used before it is read again, in seconds. */
export const SECRET_MAX_AGE_SECONDS = 300;
/** After a failed re-read, the previous value is served for this long before the next attempt (ms). */
export const STALE_RETRY_MS = 10_000;

/** What the reader is asked for: Powertools `getSecret` options. */
export type SecretReadOptions = {
  /** Seconds a read value is served from the cache. */
  readonly maxAge: number;
  /** `"json"`: the value parsed (a malformed one throws); absent: the string as stored. */
  readonly transform?: "json";
  /** Read through the cache (after a value that did not pass our checks). */
  readonly forceFetch?: boolean;
};

/**
 * Reads one secret with Powertools `getSecret` semantics: a string (or bytes), the parsed JSON with
 * `transform: "json"`, `undefined` when it has no value. Cached values are answered for `maxAge`.
 */
export type SecretGetter = (secretId: string, options: SecretReadOptions) => Promise<unknown>;

export const API_KEY_SECRET_ARN_ENV = "SUPPRESSION_API_KEY_SECRET_ARN";
export const PROVIDER_SECRETS_SECRET_ARN_ENV = "PROVIDER_SECRETS_SECRET_ARN";

/** Provider secrets by name; a name without a usable value is absent. */
export type ProviderSecrets = Readonly<Record<string, string>>;

export type SecretSourceOptions = {
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default Powertools `getSecret` (Secrets Manager), loaded on first use */
  readonly getSecret?: SecretGetter;
  /** Called when a re-read failed and the previous value is served instead (to log it). */
  readonly onStale?: (error: unknown) => void;
  /** Milliseconds since the epoch, for the retry pause. @default Date.now */
  readonly now?: () => number;
};

/** Powertools Parameters, imported lazily so local runs and read-only paths never load the client. */
const powertoolsGetSecret: SecretGetter = async (secretId, { maxAge, transform, forceFetch = false }) => {
  const { getSecret } = await import("@aws-lambda-powertools/parameters/secrets");
  return transform === "json"
    ? await getSecret(secretId, { maxAge, forceFetch, transform })
    : await getSecret(secretId, { maxAge, forceFetch });
};

/**
 * Calls `read` on each call (the getter's cache makes that cheap), sharing one in-flight read
 * between concurrent callers. A failure without an earlier value is thrown; with one, the earlier
 * value is served, `onStale` told, and no read is tried for `STALE_RETRY_MS`. After any failure the
 * next read passes `forceFetch`, so a cached value that failed our checks is not served again.
 */
function refreshing<T>(
  read: (forceFetch: boolean) => Promise<T>,
  options: SecretSourceOptions,
): () => Promise<T> {
  const now = options.now ?? Date.now;
  let pending: Promise<T> | undefined;
  let last: { value: T } | undefined;
  let pausedUntil = 0;
  let forceNext = false;
  const attempt = async (): Promise<T> => {
    try {
      const value = await read(forceNext);
      forceNext = false;
      last = { value };
      return value;
    } catch (error) {
      forceNext = true;
      if (last === undefined) throw error;
      pausedUntil = now() + STALE_RETRY_MS;
      options.onStale?.(error);
      return last.value;
    }
  };
  return () => {
    if (last !== undefined && now() < pausedUntil) return Promise.resolve(last.value);
    pending ??= attempt().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}

const nonEmpty = (value: unknown): string | undefined => {
  const text = value instanceof Uint8Array ? new TextDecoder().decode(value) : value;
  const trimmed = typeof text === "string" ? text.trim() : undefined;
  return trimmed ? trimmed : undefined;
};

/**
 * A source of the bearer API key: from Secrets Manager when `SUPPRESSION_API_KEY_SECRET_ARN` is set
 * (cached for `SECRET_MAX_AGE_SECONDS`), else `SUPPRESSION_API_KEY`.
 *
 * @example
 * const apiKey = createApiKeySource({ getSecret: async () => "k" });
 * await apiKey(); // "k"
 */
export function createApiKeySource(options: SecretSourceOptions = {}): () => Promise<string | undefined> {
  const env = options.env ?? process.env;
  const getSecret = options.getSecret ?? powertoolsGetSecret;
  const fromSecret = refreshing(async (forceFetch) => {
    const arn = env[API_KEY_SECRET_ARN_ENV] ?? "";
    return nonEmpty(await getSecret(arn, { maxAge: SECRET_MAX_AGE_SECONDS, forceFetch }));
  }, options);
  return async () =>
    nonEmpty(env[API_KEY_SECRET_ARN_ENV]) ? fromSecret() : nonEmpty(env.SUPPRESSION_API_KEY);
}

/** The env variable (local runs) holding other tenants' provider secrets, as the secret's `tenants`. */
export const TENANT_SECRETS_ENV = "TENANT_SECRETS";
/** The member of the provider secrets JSON that holds other tenants' secrets and settings. */
export const TENANTS_MEMBER = "tenants";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A source of the providers' webhook secrets `names`, per tenant (design.md §5.4):
 * - tenant `default` (or none): the JSON object in the secret named by `PROVIDER_SECRETS_SECRET_ARN`
 *   (cached for `SECRET_MAX_AGE_SECONDS`; other keys, non-strings and empty strings are left out),
 *   else the same names from the environment;
 * - any other tenant: the object under that tenant in the document's `tenants` member
 *   (`{"tenants": {"acme": {"MAILGUN_SIGNING_KEY": "…", "SNS_TOPIC_ARNS": "…"}}}`), else under it in
 *   the `TENANT_SECRETS` environment variable (the same `tenants` object as JSON). `tenantNames` are
 *   read there too (settings such as `SNS_TOPIC_ARNS`, which the default tenant takes from the
 *   function's environment). A tenant without an entry has no secrets: its webhooks are refused,
 *   never checked with the default tenant's.
 *
 * @throws Error when the secret is not a JSON object (a misconfiguration worth failing loudly for)
 * and no earlier value is at hand; when `TENANT_SECRETS` is set but not a JSON object.
 * @example
 * const secrets = createProviderSecretsSource(PROVIDER_SECRET_NAMES, {}, [SNS_TOPIC_ARNS]);
 * await secrets(); // { MAILGUN_SIGNING_KEY: "…" } of tenant default
 * await secrets("acme"); // acme's own
 */
export function createProviderSecretsSource(
  names: readonly string[],
  options: SecretSourceOptions = {},
  tenantNames: readonly string[] = [],
): (tenant?: string) => Promise<ProviderSecrets> {
  const env = options.env ?? process.env;
  const getSecret = options.getSecret ?? powertoolsGetSecret;
  const perTenant = [...new Set([...names, ...tenantNames])];
  const pick = (read: (name: string) => unknown, wanted: readonly string[] = names): ProviderSecrets => {
    const out: Record<string, string> = {};
    for (const name of wanted) {
      const value = read(name);
      const usable = typeof value === "string" ? nonEmpty(value) : undefined;
      if (usable !== undefined) out[name] = usable;
    }
    return out;
  };
  const ofTenant = (tenants: unknown, tenant: string): ProviderSecrets => {
    const own = isObject(tenants) && Object.hasOwn(tenants, tenant) ? tenants[tenant] : undefined;
    return isObject(own) ? pick((name) => own[name], perTenant) : {};
  };
  const fromSecret = refreshing(async (forceFetch) => {
    const arn = env[PROVIDER_SECRETS_SECRET_ARN_ENV] ?? "";
    let doc: unknown;
    try {
      doc = await getSecret(arn, { maxAge: SECRET_MAX_AGE_SECONDS, transform: "json", forceFetch });
    } catch (error) {
      if (error instanceof Error && error.name === "TransformParameterError") {
        throw new Error(`The secret ${arn} (${PROVIDER_SECRETS_SECRET_ARN_ENV}) is not JSON.`);
      }
      throw error;
    }
    if (doc === undefined) return {}; // no value stored yet
    if (!isObject(doc)) {
      throw new Error(`The secret ${arn} (${PROVIDER_SECRETS_SECRET_ARN_ENV}) is not a JSON object.`);
    }
    return doc;
  }, options);
  let envTenants: { text: string; parsed: unknown } | undefined;
  const tenantsFromEnv = (): unknown => {
    const text = env[TENANT_SECRETS_ENV] ?? "";
    if (envTenants?.text !== text) {
      let parsed: unknown = {};
      if (text.trim() !== "") {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        if (!isObject(parsed)) throw new Error(`${TENANT_SECRETS_ENV} is not a JSON object of tenants.`);
      }
      envTenants = { text, parsed };
    }
    return envTenants.parsed;
  };
  return async (tenant = DEFAULT_TENANT) => {
    const inSecret = nonEmpty(env[PROVIDER_SECRETS_SECRET_ARN_ENV]) !== undefined;
    if (tenant === DEFAULT_TENANT) {
      if (!inSecret) return pick((name) => env[name]);
      const doc = await fromSecret();
      return pick((name) => doc[name]);
    }
    return ofTenant(inSecret ? (await fromSecret())[TENANTS_MEMBER] : tenantsFromEnv(), tenant);
  };
}
