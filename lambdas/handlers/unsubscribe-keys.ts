/**
 * Where the unsubscribe links' keys come from (design.md §4, "Unsubscribe tokens"):
 * - in AWS, the secret named by `UNSUBSCRIBE_SECRET_ARN`: a JSON object of `kid → secret`, the
 *   first member current (the stack generates `{"k1": "<64 letters and digits>"}`; to rotate, put a
 *   new member first). Read through Powertools Parameters and re-read every
 *   `SECRET_MAX_AGE_SECONDS`, as the other secrets are (secret-api-key.ts);
 * - locally, `UNSUBSCRIBE_SECRET`: the same entries as text, `kid:secret[,kid:secret…]`
 *   (`npm start` generates and prints one when it is unset).
 * Both end in `parseUnsubscribeKeys` (core/unsubscribe-token.ts), so both are held to the same rules.
 */
import {
  parseUnsubscribeKeys,
  UnsubscribeKeyError,
  type UnsubscribeKeys,
} from "../core/unsubscribe-token.js";
import { SECRET_MAX_AGE_SECONDS, type SecretGetter, type SecretSourceOptions } from "./secret-api-key.js";

export const UNSUBSCRIBE_SECRET_ARN_ENV = "UNSUBSCRIBE_SECRET_ARN";
export const UNSUBSCRIBE_SECRET_ENV = "UNSUBSCRIBE_SECRET";
/**
 * The links' base URL set at deploy time (`https://mail.example.org`, the stack's
 * `unsubscribeBaseUrl`); absent, links point at the domain the request came to. Declared here, not
 * in handlers/unsubscribe.ts, so the CDK app can read it without building a handler.
 */
export const UNSUBSCRIBE_BASE_URL_ENV = "UNSUBSCRIBE_BASE_URL";

/** The keys of the links: parsed once per value read, so a rotation is seen without a restart. */
export type UnsubscribeKeySource = () => Promise<UnsubscribeKeys>;

/**
 * The secret text of a JSON secret value: its members as `kid:secret` entries, in their order.
 *
 * @throws UnsubscribeKeyError when the value is not a JSON object of non-empty strings
 * @example
 * unsubscribeSecretText({ k2: "…", k1: "…" }); // "k2:…,k1:…"
 */
export function unsubscribeSecretText(value: unknown): string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UnsubscribeKeyError(
      `The secret of ${UNSUBSCRIBE_SECRET_ARN_ENV} is not a JSON object of kid → secret (e.g. {"k1": "…"})`,
    );
  }
  return Object.entries(value)
    .map(([kid, secret]) => {
      if (typeof secret !== "string" || secret.trim() === "") {
        throw new UnsubscribeKeyError(
          `The secret of ${UNSUBSCRIBE_SECRET_ARN_ENV}: kid "${kid}" has no text`,
        );
      }
      return `${kid}:${secret.trim()}`;
    })
    .join(",");
}

const powertoolsJsonSecret: SecretGetter = async (secretId, { maxAge, forceFetch = false }) => {
  const { getSecret } = await import("@aws-lambda-powertools/parameters/secrets");
  return await getSecret(secretId, { maxAge, forceFetch, transform: "json" });
};

/**
 * The container's source of the link keys: `UNSUBSCRIBE_SECRET_ARN` (Secrets Manager) when set,
 * else `UNSUBSCRIBE_SECRET`. A value that does not parse throws `UnsubscribeKeyError` on each call
 * (the route answers 503 and logs why) and is read again through the cache next time, so fixing
 * the secret fixes the links without a deploy.
 *
 * @example
 * const keys = createUnsubscribeKeySource({ env: { UNSUBSCRIBE_SECRET: "k1:…" } });
 * (await keys()).current; // "k1"
 */
export function createUnsubscribeKeySource(
  options: Pick<SecretSourceOptions, "env" | "getSecret"> = {},
): UnsubscribeKeySource {
  const env = options.env ?? process.env;
  const getSecret = options.getSecret ?? powertoolsJsonSecret;
  let parsed: { readonly text: string; readonly keys: UnsubscribeKeys } | undefined;
  let forceFetch = false;
  const fromText = (text: string): UnsubscribeKeys => {
    if (parsed?.text === text) return parsed.keys;
    const keys = parseUnsubscribeKeys(text);
    parsed = { text, keys };
    return keys;
  };
  return async () => {
    const arn = env[UNSUBSCRIBE_SECRET_ARN_ENV]?.trim();
    if (!arn) return fromText(env[UNSUBSCRIBE_SECRET_ENV] ?? "");
    try {
      const value = await getSecret(arn, { maxAge: SECRET_MAX_AGE_SECONDS, transform: "json", forceFetch });
      const keys = fromText(unsubscribeSecretText(value));
      forceFetch = false;
      return keys;
    } catch (error) {
      // A value that failed is not served from the cache again: the next call reads it afresh.
      forceFetch = true;
      throw error;
    }
  };
}
