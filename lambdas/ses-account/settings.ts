/**
 * Which tenants keep the SES account-level suppression list in step with theirs (issue #14): the
 * opt-in per tenant. The stack sets `SES_SYNC_TENANTS` on the sync functions from its
 * `sesSyncTenants` setting (lib/config.ts); `npm run ses:import` reads `--tenant`.
 */
import { isTenant, TENANT_PATTERN } from "../core/access.js";

/** The functions' variable: tenant ids separated by commas. */
export const SES_SYNC_TENANTS_ENV = "SES_SYNC_TENANTS";

/** A `SES_SYNC_TENANTS` value that is not a list of tenant ids. */
export class SesSyncSettingError extends Error {
  override readonly name = "SesSyncSettingError";
}

/**
 * The opted-in tenants of a `SES_SYNC_TENANTS` value, deduplicated, in their order; empty when
 * the value is absent or blank (nobody opted in: the sync does nothing).
 *
 * @throws SesSyncSettingError naming the first entry that is not a tenant id
 * @example
 * parseSesSyncTenants("default, acme"); // ["default", "acme"]
 * parseSesSyncTenants(undefined); // []
 */
export function parseSesSyncTenants(value: string | undefined): readonly string[] {
  const tenants = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const tenant of tenants) {
    if (!isTenant(tenant)) {
      throw new SesSyncSettingError(
        `${SES_SYNC_TENANTS_ENV}: not a tenant id (${TENANT_PATTERN}): ${JSON.stringify(tenant)}`,
      );
    }
  }
  return [...new Set(tenants)];
}
