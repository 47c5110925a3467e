import type { ParsedNotification } from "../core/events.js";

/** An HTTP request as a provider adapter sees it: the exact body bytes (signatures cover them). */
export type WebhookRequest = {
  readonly rawBody: Buffer;
  /** Header names lower-cased; repeated headers joined with `,`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
};

/** What every parser gets besides the request. */
export type ParseContext = {
  readonly tenant: string;
  readonly receivedAt: Date;
  /**
   * The most events one request may become (`MAX_EVENTS_PER_REQUEST`). The handler refuses more after
   * parsing; a parser whose input can expand (an SES record listing 100 000 recipients) counts first
   * and throws `TooManyEventsError` before doing the work.
   */
  readonly maxEvents?: number;
};

/** Reads one secret by its setting name (`MAILGUN_SIGNING_KEY`…): env locally, Secrets Manager in AWS. */
export type SecretSource = (name: string) => string | undefined;

/**
 * Remembers a provider's one-time token (Mailgun `signature.token`, SendCloud `token`) until
 * `expiresAt` (epoch seconds). Resolves `true` the first time a token is seen and when the same
 * request comes again (the provider retrying after our failure: the store dedupes its events);
 * `false` when the token comes with a different body (a replay). Call it after the signature checks.
 */
export type ReplayGuard = (provider: string, token: string, expiresAt: number) => Promise<boolean>;

export type VerifyContext = {
  readonly secrets: SecretSource;
  readonly now: Date;
  readonly replayGuard: ReplayGuard;
};

/** Statuses a refusal may carry: each provider stops retrying on a different one. */
export type RefusalStatus = 400 | 401 | 403 | 406;

/**
 * The request is not genuine (bad or missing signature, stale timestamp, replayed token) or the
 * secret to check it is not configured. `status` is what makes this provider stop retrying
 * (Mailgun: 406, Postmark: 403, others: 401; 400 for a document no genuine sender produces, such as
 * an SNS message with members SNS never sends); `slug` names the check for the problem document.
 *
 * @example
 * throw new WebhookAuthError("The signature does not match the body.", { status: 406, slug: "mailgun-bad-signature" });
 */
export class WebhookAuthError extends Error {
  override readonly name = "WebhookAuthError";
  readonly status: RefusalStatus;
  readonly slug: string;
  constructor(message: string, options: { status: RefusalStatus; slug: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.slug = options.slug;
  }
}

/**
 * A secret the provider needs is not set: every request is refused (never accepted unsigned), and
 * the answer names the setting.
 *
 * @example
 * const key = requireSecret(ctx.secrets, "MAILGUN_SIGNING_KEY", 406, "mailgun");
 */
export function requireSecret(
  secrets: SecretSource,
  name: string,
  status: RefusalStatus,
  provider: string,
): string {
  const value = secrets(name)?.trim();
  if (!value) {
    throw new WebhookAuthError(`${name} is not set, so no ${provider} webhook can be verified or accepted.`, {
      status,
      slug: `${provider}-not-configured`,
    });
  }
  return value;
}

/**
 * Something the provider's check depends on did not answer (the SNS certificate host, SNS itself
 * for a subscription confirmation): answered 503 with `Retry-After`, so the provider retries.
 *
 * @example
 * throw new ProviderUnavailableError("The SNS signing certificate could not be fetched; retry later.", { slug: "sns-unavailable", cause });
 */
export class ProviderUnavailableError extends Error {
  override readonly name = "ProviderUnavailableError";
  readonly slug: string;
  constructor(message: string, options: { slug: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.slug = options.slug;
  }
}

/**
 * A request that would become more events than one request may carry (413 `too-many-events`),
 * thrown before anything is stored.
 *
 * @example
 * throw new TooManyEventsError(3_000, 100_000, "recipients");
 */
export class TooManyEventsError extends Error {
  override readonly name = "TooManyEventsError";
  constructor(
    readonly limit: number,
    readonly count: number,
    what = "events",
  ) {
    super(
      `At most ${limit} events per request; got ${count} ${what}. Send smaller batches (npm run import splits files into chunks that fit).`,
    );
  }
}

/**
 * A signed message that carries no events but asks for an answer of its own (an SNS subscription
 * confirmation): what to answer (200 with `body`) and what to log.
 */
export type ControlAnswer = {
  readonly body: Readonly<Record<string, unknown>>;
  readonly log: { readonly level: "info" | "warn"; readonly message: string };
};

/**
 * One unit of a payload file that a request body may hold several of (`npm run import`): an event,
 * a record. `envelope` is how a request carries several: `null` a JSON array of them, a name
 * `{"<name>": [...]}` (SES Lambda `Records`, a Postmark Bounces page's `Bounces`). Units with
 * different envelopes go in different requests.
 */
export type ImportUnit = {
  readonly value: unknown;
  /** How many events it becomes (recipients of an SES record, of a SendCloud `request`), at least 1. */
  readonly events: number;
  readonly envelope: string | null;
};

/**
 * What a parser gives: the notification, or a promise of it where reading is itself asynchronous
 * (a raw email: MIME parsing, `email/adapter.ts`). The handlers await either.
 */
export type ParseResult = ParsedNotification | Promise<ParsedNotification>;

/**
 * One source of notifications (docs/providers/<esp>.md): how to tell its requests are genuine, and
 * how to read them. `Signed` is the part of a request its check vouches for: the request itself
 * where the signature (or the credentials) covers the whole body, the verified SNS message for SES.
 * Only that part is ever parsed. Adapters hold no state and do no I/O but through their context
 * (and what their factory was given: SES fetches certificates and confirms subscriptions).
 *
 * Methods (not function properties) on purpose: the registry holds adapters of different `Signed`
 * as `ProviderAdapter<unknown, ParseResult>`, and the webhook flow passes each adapter only what it
 * verified. `Parsed` is what `parse` and `parseImport` return: a `ParsedNotification` for every
 * JSON provider, a promise of one for raw email (`AnyProviderAdapter` holds either).
 */
export type ProviderAdapter<Signed = WebhookRequest, Parsed extends ParseResult = ParsedNotification> = {
  /** The path segment (`/webhooks/<provider>`), the `provider` of its events, the metrics dimension. */
  readonly provider: string;
  /**
   * The secrets `verify` reads (named in refusals). The stack's provider secret holds exactly the
   * union of every adapter's names (`PROVIDER_SECRET_NAMES`, derived in registry.ts).
   */
  readonly secretNames: readonly string[];
  /** Settings `verify` reads from the function's environment, not secret (SES: `SNS_TOPIC_ARNS`). */
  readonly settingNames: readonly string[];
  /**
   * Checks that the request is genuine and resolves to what the check vouches for.
   *
   * @throws WebhookAuthError when the request is not genuine or cannot be checked;
   * ProviderUnavailableError when something the check needs did not answer.
   */
  verify(request: WebhookRequest, context: VerifyContext): Promise<Signed>;
  /**
   * For a verified message that is not a notification (SNS subscription confirmation): acts on it
   * and says what to answer. `null` for a notification, which is then parsed. Absent: always `null`.
   */
  control?(signed: Signed): Promise<ControlAnswer | null>;
  /**
   * Decodes what was verified into one normalized event per recipient and event, with the
   * provider's event id. Throws `InputError` for a malformed body.
   */
  parse(signed: Signed, context: ParseContext): Parsed;
  /**
   * Reads a payload `POST /v1/import/<provider>` was given: no transport signature (the API key
   * authorizes it), and every shape the provider's data comes in (SES: SNS, SQS, EventBridge, a bare
   * record; Postmark: a Bounces API page…).
   */
  parseImport(request: WebhookRequest, context: ParseContext): Parsed;
  /** Splits one payload of a file into the units an import request holds several of. */
  importUnits(value: unknown): readonly ImportUnit[];
  /** What to log about a verified message besides the counts (SES: the SNS message id and topic). */
  logFields?(signed: Signed): Readonly<Record<string, string>>;
};

/** Any adapter of the registry, whatever it verifies and whether it parses synchronously. */
export type AnyProviderAdapter = ProviderAdapter<unknown, ParseResult>;

/**
 * An adapter for a provider whose check covers the whole request (every ESP but SES): `check`
 * throws or passes, and `verify` then resolves to the request itself; webhooks and imports are
 * parsed alike. Each import unit is one event in a JSON array unless `importUnits` says otherwise.
 *
 * @example
 * export const postmarkAdapter = wholeRequestAdapter({
 *   provider: "postmark", secretNames: [POSTMARK_WEBHOOK_USER, POSTMARK_WEBHOOK_PASSWORD],
 *   check: verifyPostmark, parse: parsePostmark,
 * });
 */
export function wholeRequestAdapter(spec: {
  readonly provider: string;
  readonly secretNames: readonly string[];
  readonly check: (request: WebhookRequest, context: VerifyContext) => Promise<void>;
  readonly parse: (request: WebhookRequest, context: ParseContext) => ParsedNotification;
  readonly importUnits?: (value: unknown) => readonly ImportUnit[];
}): ProviderAdapter {
  const { provider, secretNames, check, parse } = spec;
  return {
    provider,
    secretNames,
    settingNames: [],
    async verify(request, context) {
      await check(request, context);
      return request;
    },
    parse,
    parseImport: parse,
    importUnits: spec.importUnits ?? ((value) => [{ value, events: 1, envelope: null }]),
  };
}
