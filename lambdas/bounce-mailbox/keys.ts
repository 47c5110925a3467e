/**
 * Where the bounce mailbox's mails live in its bucket (docs/bounce-mailbox.md). SES writes each mail
 * under `incoming/<tenant>/` (its receipt rule's object key prefix, one rule per tenant); the key
 * prefix is written by SES under IAM, which is what vouches for the tenant. A mail that cannot be
 * read is copied under `poison/<tenant>/`, where it is kept longer for inspection and redrive.
 */
import { isTenant } from "../core/access.js";

/** Where SES writes; the queue hears of these objects only. */
export const INCOMING_PREFIX = "incoming/";
/** Where unreadable mails are kept. */
export const POISON_PREFIX = "poison/";
/** The function's variable naming the mailbox bucket. */
export const BOUNCE_MAILBOX_BUCKET_ENV = "BOUNCE_MAILBOX_BUCKET";

/**
 * The object key prefix of one tenant's receipt rule.
 *
 * @example incomingPrefix("acme"); // "incoming/acme/"
 */
export const incomingPrefix = (tenant: string): string => `${INCOMING_PREFIX}${tenant}/`;

/**
 * The tenant an incoming object belongs to, `undefined` when the key is not `incoming/<tenant>/<name>`.
 *
 * @example tenantOfKey("incoming/acme/0123abcd"); // "acme"
 */
export function tenantOfKey(key: string): string | undefined {
  if (!key.startsWith(INCOMING_PREFIX)) return undefined;
  const [tenant, ...rest] = key.slice(INCOMING_PREFIX.length).split("/");
  return tenant !== undefined && isTenant(tenant) && rest.join("/") !== "" ? tenant : undefined;
}

/**
 * Where an unreadable incoming object is kept: the same name under `poison/`.
 *
 * @example poisonKeyOf("incoming/acme/0123abcd"); // "poison/acme/0123abcd"
 */
export const poisonKeyOf = (key: string): string =>
  `${POISON_PREFIX}${key.startsWith(INCOMING_PREFIX) ? key.slice(INCOMING_PREFIX.length) : key}`;
