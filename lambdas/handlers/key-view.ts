import type { KeyView } from "../contract/keys.js";
import type { ApiKeyItem } from "../store/api-keys.js";

const actor = (a: { keyId: string; name: string }) => ({ keyId: a.keyId, name: a.name });

/**
 * A stored key as `GET /v1/keys` and `npm run keys -- list` show it: never the hash.
 *
 * @example
 * keyView(item); // { id: "0123456789ab", tenant: "acme", name: "ci", scopes: ["check"], … }
 */
export function keyView(item: ApiKeyItem): KeyView {
  return {
    id: item.keyId,
    tenant: item.tenant,
    name: item.name,
    scopes: [...item.scopes],
    createdAt: item.createdAt,
    createdBy: actor(item.createdBy),
    revokedAt: item.revokedAt ?? null,
    revokedBy: item.revokedBy === undefined ? null : actor(item.revokedBy),
  };
}
