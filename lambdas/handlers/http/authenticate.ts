import { DEFAULT_TENANT, type Principal, SCOPES } from "../../core/access.js";
import { sameSecret } from "../../core/secret-compare.js";
import { findApiKey, hashKey, keyIdOf, keyMatches } from "../../store/api-key-lookup.js";
import type { SuppressionStore } from "../../store/index.js";

/**
 * How long a container trusts what it read about a key, in seconds: a revoked key is refused by
 * every function within this time (at once by the function that revoked it). Stated in
 * docs/operators.md; the pre-send check pays one GetItem per key and container per period.
 */
export const KEY_CACHE_SECONDS = 60;
/** Keys remembered per container; the oldest is dropped first (a flood of wrong keys cannot grow it). */
export const KEY_CACHE_ENTRIES = 1000;

/** The bootstrap key's caller: every scope, tenant `default` unless `X-Tenant` names another. */
export const BOOTSTRAP_PRINCIPAL: Principal = {
  keyId: "bootstrap",
  name: "bootstrap key",
  tenant: DEFAULT_TENANT,
  scopes: SCOPES,
  bootstrap: true,
};

/** Tells who a presented bearer key is. */
export type Authenticator = {
  /** The key's principal; `undefined` for a key that is unknown, revoked or wrong. */
  authenticate(presented: string): Promise<Principal | undefined>;
  /** Whether a bootstrap key is configured (a refusal then says how to configure one). */
  hasBootstrapKey(): Promise<boolean>;
  /** Drops what the cache holds for `keyId`: the revoking function refuses the key at once. */
  forget(keyId: string): void;
};

export type AuthenticatorOptions = {
  /** The bootstrap key (Secrets Manager in AWS, `SUPPRESSION_API_KEY` locally); `undefined`: none. */
  readonly bootstrapKey: () => string | undefined | Promise<string | undefined>;
  /** The store the keys live in (called on a cache miss only). */
  readonly store: () => SuppressionStore;
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
  readonly cacheSeconds?: number;
  readonly cacheEntries?: number;
};

type Remembered = {
  readonly principal: Principal | undefined;
  readonly keyId: string;
  readonly until: number;
};

/**
 * The authenticator of one container: the bootstrap key is compared in constant time; any other
 * key shaped `ssk_<id>_<secret>` is read by id from the store, its hash compared, and the answer
 * (yes or no) remembered for `KEY_CACHE_SECONDS` under the key's hash. A store failure is thrown
 * (the route answers 503), never taken for a refusal.
 *
 * @example
 * const auth = createAuthenticator({ bootstrapKey: () => process.env.SUPPRESSION_API_KEY, store: () => store });
 * const principal = await auth.authenticate("ssk_0123456789ab_…"); // { tenant: "acme", scopes: ["check"], … }
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const now = options.now ?? Date.now;
  const ttlMs = (options.cacheSeconds ?? KEY_CACHE_SECONDS) * 1000;
  const capacity = options.cacheEntries ?? KEY_CACHE_ENTRIES;
  const cache = new Map<string, Remembered>();

  const remember = (hash: string, entry: Remembered) => {
    cache.delete(hash);
    cache.set(hash, entry);
    while (cache.size > capacity) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  };

  const fromStore = async (presented: string, keyId: string): Promise<Principal | undefined> => {
    const hash = hashKey(presented);
    const hit = cache.get(hash);
    if (hit !== undefined && hit.until > now()) return hit.principal;
    const item = await findApiKey(options.store(), keyId);
    const principal =
      item !== undefined && item.revokedAt === undefined && keyMatches(item, presented)
        ? {
            keyId: item.keyId,
            name: item.name,
            tenant: item.tenant,
            scopes: [...item.scopes],
            bootstrap: false,
          }
        : undefined;
    remember(hash, { principal, keyId, until: now() + ttlMs });
    return principal;
  };

  return {
    authenticate: async (presented) => {
      const bootstrap = await options.bootstrapKey();
      if (bootstrap && sameSecret(presented, bootstrap)) return BOOTSTRAP_PRINCIPAL;
      const keyId = keyIdOf(presented);
      return keyId === undefined ? undefined : fromStore(presented, keyId);
    },
    hasBootstrapKey: async () => Boolean(await options.bootstrapKey()),
    forget: (keyId) => {
      for (const [hash, entry] of cache) if (entry.keyId === keyId) cache.delete(hash);
    },
  };
}
