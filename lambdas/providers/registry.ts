import type { Provider } from "../core/taxonomy.js";
import { mailgunAdapter } from "./mailgun/index.js";
import { postmarkAdapter } from "./postmark/index.js";
import { sendcloudAdapter } from "./sendcloud/index.js";
import { sendgridAdapter } from "./sendgrid/index.js";
import { sparkpostAdapter } from "./sparkpost/index.js";
import type { ProviderAdapter } from "./types.js";

/** The ESPs with a webhook adapter (SES arrives through SNS/SQS/EventBridge instead: ses/). */
const ADAPTERS: Partial<Record<Provider, ProviderAdapter>> = {
  sendgrid: sendgridAdapter,
  mailgun: mailgunAdapter,
  postmark: postmarkAdapter,
  sparkpost: sparkpostAdapter,
  sendcloud: sendcloudAdapter,
};

export const ADAPTER_PROVIDERS = Object.keys(ADAPTERS) as Provider[];

/**
 * The adapter of a provider named in a path, or `undefined`.
 *
 * @example
 * webhookAdapter("mailgun")?.verify(request, context);
 */
export function webhookAdapter(provider: string): ProviderAdapter | undefined {
  return Object.hasOwn(ADAPTERS, provider) ? ADAPTERS[provider as Provider] : undefined;
}
