/**
 * The one list of providers: one line per provider folder. Everything else that names providers or
 * their settings derives from it: the routes `POST /webhooks/{provider}` and
 * `POST /v1/import/{provider}`, the `provider` enums of the contract (and so of docs/openapi.json),
 * the metrics dimension, the provider secret the stack creates (`PROVIDER_SECRET_NAMES`), the
 * import CLI's `--provider`, and the provider tables of the docs (docs/development.md, "Adding a
 * provider").
 *
 * Only the ingest functions load it (it loads every parser): the check, the lookup and the health
 * route never do (test/handlers/module-graph.test.ts).
 */
import { mailgunAdapter } from "./mailgun/index.js";
import { postmarkAdapter } from "./postmark/index.js";
import { sendcloudAdapter } from "./sendcloud/index.js";
import { sendgridAdapter } from "./sendgrid/index.js";
import { sesAdapter } from "./ses/index.js";
import { sparkpostAdapter } from "./sparkpost/index.js";
import type { ProviderAdapter } from "./types.js";

/** Each adapter under its path segment; the order is the order of every derived list. */
export const ADAPTERS = {
  ses: sesAdapter,
  sendgrid: sendgridAdapter,
  mailgun: mailgunAdapter,
  postmark: postmarkAdapter,
  sparkpost: sparkpostAdapter,
  sendcloud: sendcloudAdapter,
} as const satisfies Readonly<Record<string, ProviderAdapter<unknown>>>;

export type Provider = keyof typeof ADAPTERS;

/** The providers, in registry order (a non-empty tuple, as `z.enum` wants). */
export const PROVIDERS = Object.keys(ADAPTERS) as [Provider, ...Provider[]];

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

/** Whether `name` (from a path, say) is a provider of the registry; `constructor` and the like are not. */
export function isProvider(name: string): name is Provider {
  return Object.hasOwn(ADAPTERS, name);
}

/**
 * The adapter of a provider named in a path, or `undefined`.
 *
 * @example
 * adapterOf("mailgun")?.verify(request, context);
 */
export function adapterOf(name: string): ProviderAdapter<unknown> | undefined {
  return isProvider(name) ? ADAPTERS[name] : undefined;
}
