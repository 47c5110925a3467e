/**
 * Secrets from AWS Secrets Manager, read once per container and kept (design.md §5.2: "in AWS the
 * same settings come from the stack: secrets from Secrets Manager").
 *
 * - The bearer API key: the secret named by `SUPPRESSION_API_KEY_SECRET_ARN` (a plain string). Without
 *   that variable (local runs, tests) the key is `SUPPRESSION_API_KEY`, as before.
 * - The providers' webhook secrets: the JSON secret named by `PROVIDER_SECRETS_SECRET_ARN`, one key
 *   per variable of `PROVIDER_SECRET_NAMES`. Without it, the same names are read from the environment.
 *
 * An empty value means "not configured" (the API refuses every request; a provider rejects its
 * webhooks). A failed read is not cached: the next call tries again, so one Secrets Manager hiccup
 * does not poison the container. Rotating a secret reaches running containers when they are recycled
 * (or at the next deploy, which replaces them).
 */

/** Reads one secret's string value; `undefined` when it has none. */
export type SecretGetter = (secretId: string) => Promise<string | undefined>;

export const API_KEY_SECRET_ARN_ENV = "SUPPRESSION_API_KEY_SECRET_ARN";
export const PROVIDER_SECRETS_SECRET_ARN_ENV = "PROVIDER_SECRETS_SECRET_ARN";

/** The provider secrets of design.md §5.2; the stack creates its JSON secret with exactly these keys. */
export const PROVIDER_SECRET_NAMES = [
  "SENDGRID_VERIFICATION_KEY",
  "MAILGUN_SIGNING_KEY",
  "POSTMARK_WEBHOOK_USER",
  "POSTMARK_WEBHOOK_PASSWORD",
  "SPARKPOST_WEBHOOK_USER",
  "SPARKPOST_WEBHOOK_PASSWORD",
  "SENDCLOUD_APP_KEY",
] as const;

export type ProviderSecretName = (typeof PROVIDER_SECRET_NAMES)[number];
export type ProviderSecrets = Readonly<Partial<Record<ProviderSecretName, string>>>;

export type SecretSourceOptions = {
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default Powertools `getSecret` (Secrets Manager), loaded on first use */
  readonly getSecret?: SecretGetter;
};

/** Powertools Parameters, imported lazily so local runs and read-only paths never load the client. */
const powertoolsGetSecret: SecretGetter = async (secretId) => {
  const { getSecret } = await import("@aws-lambda-powertools/parameters/secrets");
  const value = await getSecret(secretId);
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : new TextDecoder().decode(value);
};

/**
 * `load` once, sharing the in-flight promise between concurrent callers; a rejection is not kept,
 * so the next call retries.
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}

const nonEmpty = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/**
 * A source of the bearer API key: from Secrets Manager when `SUPPRESSION_API_KEY_SECRET_ARN` is set
 * (read once, cached), else `SUPPRESSION_API_KEY`.
 *
 * @example
 * const apiKey = createApiKeySource({ getSecret: async () => "k" });
 * await apiKey(); // "k"
 */
export function createApiKeySource(options: SecretSourceOptions = {}): () => Promise<string | undefined> {
  const env = options.env ?? process.env;
  const getSecret = options.getSecret ?? powertoolsGetSecret;
  const fromSecret = once(async () => {
    const arn = env[API_KEY_SECRET_ARN_ENV] ?? "";
    return nonEmpty(await getSecret(arn));
  });
  return async () =>
    nonEmpty(env[API_KEY_SECRET_ARN_ENV]) ? fromSecret() : nonEmpty(env.SUPPRESSION_API_KEY);
}

/**
 * A source of the providers' webhook secrets: the JSON object in the secret named by
 * `PROVIDER_SECRETS_SECRET_ARN` (read once, cached; unknown keys, non-strings and empty strings are
 * left out), else the same names from the environment.
 *
 * @throws Error when the secret is not a JSON object (a misconfiguration worth failing loudly for).
 */
export function createProviderSecretsSource(
  options: SecretSourceOptions = {},
): () => Promise<ProviderSecrets> {
  const env = options.env ?? process.env;
  const getSecret = options.getSecret ?? powertoolsGetSecret;
  const pick = (read: (name: ProviderSecretName) => unknown): ProviderSecrets => {
    const out: Partial<Record<ProviderSecretName, string>> = {};
    for (const name of PROVIDER_SECRET_NAMES) {
      const value = read(name);
      const usable = typeof value === "string" ? nonEmpty(value) : undefined;
      if (usable !== undefined) out[name] = usable;
    }
    return out;
  };
  const fromSecret = once(async () => {
    const arn = env[PROVIDER_SECRETS_SECRET_ARN_ENV] ?? "";
    const text = (await getSecret(arn)) ?? "{}";
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new Error(`The secret ${arn} (${PROVIDER_SECRETS_SECRET_ARN_ENV}) is not JSON.`);
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
      throw new Error(`The secret ${arn} (${PROVIDER_SECRETS_SECRET_ARN_ENV}) is not a JSON object.`);
    }
    const record = doc as Record<string, unknown>;
    return pick((name) => record[name]);
  });
  return async () =>
    nonEmpty(env[PROVIDER_SECRETS_SECRET_ARN_ENV]) ? fromSecret() : pick((name) => env[name]);
}

/** This container's API key (see `createApiKeySource`). */
export const apiKeyFromSecret: () => Promise<string | undefined> = createApiKeySource();

/** This container's provider secrets (see `createProviderSecretsSource`). */
export const providerSecretsFromSecret: () => Promise<ProviderSecrets> = createProviderSecretsSource();
