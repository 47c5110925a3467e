/**
 * The providers, by path segment, with the names people read: the one list of providers. The
 * registry (registry.ts) maps each to its adapter, and the compiler holds the two to the same ids.
 * Plain data, no parser and no zod: the operators' functions (through the contract's `Provider`
 * enum) and the web console name providers from here without loading a single adapter, which only
 * the ingest functions do.
 */
export const PROVIDER_TITLES = {
  ses: "SES",
  sendgrid: "SendGrid",
  mailgun: "Mailgun",
  postmark: "Postmark",
  sparkpost: "SparkPost",
  sendcloud: "SendCloud",
} as const;

export type Provider = keyof typeof PROVIDER_TITLES;

/** The providers, in this order everywhere (a non-empty tuple, as `z.enum` wants). */
export const PROVIDERS = Object.keys(PROVIDER_TITLES) as [Provider, ...Provider[]];

/** Whether `name` (from a path, say) is a provider; `constructor` and the like are not. */
export const isProvider = (name: string): name is Provider => Object.hasOwn(PROVIDER_TITLES, name);
