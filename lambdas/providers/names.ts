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
  email: "Raw email",
} as const;

export type Provider = keyof typeof PROVIDER_TITLES;

/** The providers, in this order everywhere (a non-empty tuple, as `z.enum` wants). */
export const PROVIDERS = Object.keys(PROVIDER_TITLES) as [Provider, ...Provider[]];

/** Whether `name` (from a path, say) is a provider; `constructor` and the like are not. */
export const isProvider = (name: string): name is Provider => Object.hasOwn(PROVIDER_TITLES, name);

/**
 * The service's own event sources: events it makes itself rather than reads from a provider. An
 * `unsubscribe-link` event is a recipient's click or one-click POST on `/u/{token}`
 * (handlers/unsubscribe.ts); a `ses-account-list` event is an address found on the SES
 * account-level suppression list (`npm run ses:import` and the scheduled import). Neither has a
 * webhook or an import route: no payload from outside is ever parsed as one.
 */
export const OWN_SOURCE_LABELS = {
  "unsubscribe-link": { en: "Unsubscribe link", zh: "退订链接" },
  "ses-account-list": { en: "SES account suppression list", zh: "SES 账户抑制列表" },
} as const;

export type OwnSource = keyof typeof OWN_SOURCE_LABELS;

/** The own sources' English titles (the providers' names are brands, the same in every language). */
export const OWN_SOURCE_TITLES = Object.fromEntries(
  Object.entries(OWN_SOURCE_LABELS).map(([id, label]) => [id, label.en]),
) as Readonly<Record<OwnSource, string>>;

/** Who can report an event: a provider, or the service itself. `NormalizedEvent.provider` is one. */
export type EventSource = Provider | OwnSource;

/** Every event source with its title, providers first (the status and stats filters list these). */
export const EVENT_SOURCE_TITLES: Readonly<Record<EventSource, string>> = {
  ...PROVIDER_TITLES,
  ...OWN_SOURCE_TITLES,
};

/** The event sources, providers first, in this order everywhere. */
export const EVENT_SOURCES = Object.keys(EVENT_SOURCE_TITLES) as [EventSource, ...EventSource[]];

/** Whether `name` is an event source (a provider or the service's own); `constructor` and the like are not. */
export const isEventSource = (name: string): name is EventSource => Object.hasOwn(EVENT_SOURCE_TITLES, name);
