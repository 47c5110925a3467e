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

/**
 * A source of the providers' webhook secrets `names`: the JSON object in the secret named by
 * `PROVIDER_SECRETS_SECRET_ARN` (cached for `SECRET_MAX_AGE_SECONDS`; other keys, non-strings
 * and empty strings are left out), else the same names from the environment.
 *
 * @throws Error when the secret is not a JSON object (a misconfiguration worth failing loudly for)
 * and no earlier value is at hand.
 */
export function createProviderSecretsSource(
  names: readonly string[],
  options: SecretSourceOptions = {},
): () => Promise<ProviderSecrets> {
  const env = options.env ?? process.env;
  const getSecret = options.getSecret ?? powertoolsGetSecret;
  const pick = (read: (name: string) => unknown): ProviderSecrets => {
    const out: Record<string, string> = {};
    for (const name of names) {
      const value = read(name);
      const usable = typeof value === "string" ? nonEmpty(value) : undefined;
      if (usable !== undefined) out[name] = usable;
    }
    return out;
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
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      throw new Error(`The secret ${arn} (${PROVIDER_SECRETS_SECRET_ARN_ENV}) is not a JSON object.`);
    }
    const record = doc as Record<string, unknown>;
    return pick((name) => record[name]);
  }, options);
  return async () =>
    nonEmpty(env[PROVIDER_SECRETS_SECRET_ARN_ENV]) ? fromSecret() : pick((name) => env[name]);
}
