/** API keys (design.md §5.3, §5.4): `POST /v1/keys`, `GET /v1/keys`, `DELETE /v1/keys/{id}`, `npm run keys`. */
import * as z from "zod";
import { SCOPES, TENANT_PATTERN } from "../core/access.js";
import { IsoTime } from "./taxonomy.js";

/** Longest key name: a label for people ("ci pipeline", "console of Ana"). */
export const MAX_KEY_NAME_CHARS = 100;

export const ApiScope = z.enum(SCOPES).meta({
  id: "ApiScope",
  description:
    "`check`: the pre-send check and one address's verdict; `ingest`: `POST /v1/import`; `admin`: the operators' routes; `pii`: addresses in full; `keys`: manage the tenant's keys.",
});

export const Tenant = z
  .string()
  .regex(TENANT_PATTERN, "a tenant is lower-case letters, digits, `-` and `_`, at most 64 characters")
  .meta({ id: "Tenant", description: "A tenant id (`default` when none is named)." });

export const KeyActor = z.strictObject({ keyId: z.string(), name: z.string() });

export const CreateKeyRequest = z
  .strictObject({
    tenant: Tenant.optional().describe(
      "Default: the caller's tenant. Only the bootstrap key may name another tenant.",
    ),
    name: z
      .string()
      .trim()
      .min(1)
      .max(MAX_KEY_NAME_CHARS)
      .describe("A label, shown in lists and in the history."),
    scopes: z
      .array(ApiScope)
      .min(1)
      .refine((scopes) => new Set(scopes).size === scopes.length, "each scope once")
      .describe("What the key may do; a key can only grant scopes it holds itself."),
  })
  .meta({ id: "CreateKeyRequest" });
export type CreateKeyRequest = z.output<typeof CreateKeyRequest>;

export const KeyView = z
  .strictObject({
    id: z.string().describe("The key's public id (the part after `ssk_`): the history records it as who."),
    tenant: Tenant,
    name: z.string(),
    scopes: z.array(ApiScope),
    createdAt: IsoTime(),
    createdBy: KeyActor,
    revokedAt: IsoTime().nullable(),
    revokedBy: KeyActor.nullable(),
  })
  .meta({ id: "KeyView", description: "An API key as stored: never the key itself, only its hash is kept." });
export type KeyView = z.output<typeof KeyView>;

export const CreatedKey = KeyView.extend({
  key: z.string().describe("The key, shown this once: only its hash is stored."),
}).meta({ id: "CreatedKey" });
export type CreatedKey = z.output<typeof CreatedKey>;

export const KeysPage = z
  .strictObject({
    keys: z.array(KeyView).describe("The tenant's keys, newest first, revoked ones included."),
  })
  .meta({ id: "KeysPage" });
export type KeysPage = z.output<typeof KeysPage>;

export const Me = z
  .strictObject({
    keyId: z.string().describe("The key's public id; `bootstrap` for the bootstrap key."),
    name: z.string(),
    tenant: Tenant.describe(
      "The tenant the request acts for (the bootstrap key's `X-Tenant`, else the key's).",
    ),
    scopes: z.array(ApiScope),
    bootstrap: z
      .boolean()
      .describe("Whether this is the bootstrap key (the only one that may name a tenant)."),
  })
  .meta({ id: "Me", description: "The key that made the request, as the service sees it: never the key." });
export type Me = z.output<typeof Me>;
