/**
 * Each provider's adapter: one line per provider folder, for each provider of names.ts (the one
 * list of providers; the compiler holds this table to exactly its ids). Everything else that names
 * providers or their settings derives from the two: the routes `POST /webhooks/{provider}` and
 * `POST /v1/import/{provider}`, the `provider` enums of the contract (and so of docs/openapi.json),
 * the metrics dimension, the provider secret the stack creates (`PROVIDER_SECRET_NAMES`), the
 * import CLI's `--provider`, and the provider tables of the docs (docs/development.md, "Adding a
 * provider").
 *
 * Only the ingest functions load it (it loads every parser): the check, the lookup and the health
 * route never do (test/handlers/module-graph.test.ts).
 */
import { emailAdapter } from "./email/index.js";
import { mailgunAdapter } from "./mailgun/index.js";
import { isProvider, PROVIDERS, type Provider } from "./names.js";
import { postmarkAdapter } from "./postmark/index.js";
import { sendcloudAdapter } from "./sendcloud/index.js";
import { sendgridAdapter } from "./sendgrid/index.js";
import { sesAdapter } from "./ses/index.js";
import { sparkpostAdapter } from "./sparkpost/index.js";
import type { AnyProviderAdapter } from "./types.js";

export { isProvider, PROVIDERS, type Provider };

/** Each adapter under its path segment (names.ts gives the order of every derived list). */
export const ADAPTERS = {
  ses: sesAdapter,
  sendgrid: sendgridAdapter,
  mailgun: mailgunAdapter,
  postmark: postmarkAdapter,
  sparkpost: sparkpostAdapter,
  sendcloud: sendcloudAdapter,
  email: emailAdapter,
} as const satisfies Readonly<Record<Provider, AnyProviderAdapter>>;

/**
 * Every secret any adapter reads: the keys of the stack's provider secret, and the variables read
 * from the environment when there is none (local runs).
 */
export const PROVIDER_SECRET_NAMES: readonly string[] = [
  ...new Set(PROVIDERS.flatMap((p) => ADAPTERS[p].secretNames)),
];

/** Every non-secret setting any adapter reads from its function's environment (`SNS_TOPIC_ARNS`). */
export const PROVIDER_SETTING_NAMES: readonly string[] = [
  ...new Set(PROVIDERS.flatMap((p) => ADAPTERS[p].settingNames)),
];

/**
 * The adapter of a provider named in a path, or `undefined`.
 *
 * @example
 * adapterOf("mailgun")?.verify(request, context);
 */
export function adapterOf(name: string): AnyProviderAdapter | undefined {
  return isProvider(name) ? ADAPTERS[name] : undefined;
}
