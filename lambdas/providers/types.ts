import type { ParsedNotification } from "../core/events.js";
import type { Provider } from "../core/taxonomy.js";

/** An HTTP request as a provider adapter sees it: the exact body bytes (signatures cover them). */
export type WebhookRequest = {
  readonly rawBody: Buffer;
  /** Header names lower-cased; repeated headers joined with `,`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
};

/** What every parser gets besides the request. */
export type ParseContext = { readonly tenant: string; readonly receivedAt: Date };

/** Reads one secret by its setting name (`MAILGUN_SIGNING_KEY`…): env locally, Secrets Manager in AWS. */
export type SecretSource = (name: string) => string | undefined;

/**
 * Remembers a provider's one-time token (Mailgun `signature.token`, SendCloud `token`) until
 * `expiresAt` (epoch seconds). Resolves `true` the first time a token is seen and when the same
 * request comes again (the provider retrying after our failure: the store dedupes its events);
 * `false` when the token comes with a different body (a replay). Call it after the signature checks.
 */
export type ReplayGuard = (provider: Provider, token: string, expiresAt: number) => Promise<boolean>;

export type VerifyContext = {
  readonly secrets: SecretSource;
  readonly now: Date;
  readonly replayGuard: ReplayGuard;
};

/** Statuses a refusal may carry: each provider stops retrying on a different one. */
export type RefusalStatus = 401 | 403 | 406;

/**
 * The request is not genuine (bad or missing signature, stale timestamp, replayed token) or the
 * secret to check it is not configured. `status` is what makes this provider stop retrying
 * (Mailgun: 406, Postmark: 403, others: 401); `slug` names the check for the problem document.
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
  provider: Provider,
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
 * One ESP (docs/providers/<esp>.md): how to tell its requests are genuine, and how to read them.
 * Adapters hold no state and do no I/O but through `VerifyContext`.
 */
export type ProviderAdapter = {
  readonly provider: Provider;
  /**
   * The settings `verify` reads (named in refusals). The stack's provider secret holds exactly the
   * union of every adapter's names (`PROVIDER_SECRET_NAMES`; test/providers/registry.test.ts).
   */
  readonly secretNames: readonly string[];
  /** Throws `WebhookAuthError` when the request is not genuine or cannot be checked. */
  verify(request: WebhookRequest, context: VerifyContext): Promise<void>;
  /**
   * Decodes the body (JSON, form, base64 already undone) into one normalized event per recipient
   * and event, with the provider's event id. Throws `InputError` for a malformed body.
   */
  parse(request: WebhookRequest, context: ParseContext): ParsedNotification;
};
