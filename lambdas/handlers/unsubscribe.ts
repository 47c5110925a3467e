/**
 * One-click unsubscribe (issue #14, RFC 8058; design.md §4 "Unsubscribe tokens", §5.3):
 * - `POST /v1/unsubscribe-links` (scope `ingest`): seals a token per address and answers the link
 *   and the two headers to put on the message;
 * - `GET /u/{token}` (no key): the confirmation page with SendCloud's four reasons. It never
 *   unsubscribes: link scanners and mail previews fetch every link they see;
 * - `POST /u/{token}` (no key): RFC 8058's `List-Unsubscribe=One-Click` (form-encoded or
 *   multipart, as mailbox providers send it) or the page's form (`confirm=yes`, `reason`): records
 *   the unsubscribe at once, in the token's scope, and answers 200 with a page (never a redirect).
 *
 * A token is valid when it opens (core/unsubscribe-token.ts: authentic, known kid, not expired) and
 * the key that made it belongs to the tenant it names: a token naming a tenant its key is not of
 * (a secret shared with another deployment, say) is refused like a forged one. A revoked key's
 * links keep working until they expire: mail already sent must stay unsubscribable; removing the
 * kid from the secret is how links are revoked. Nothing is recorded for a refused token.
 */
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
  DEFAULT_UNSUBSCRIBE_LINK_DAYS,
  MAX_UNSUBSCRIBE_BODY_BYTES,
  ONE_CLICK,
  type UnsubscribeLink,
  UnsubscribeLinkRequest,
  type UnsubscribeLinks,
} from "../contract/unsubscribe.js";
import { canonicalizeAddress } from "../core/address.js";
import { InputError, type InputIssue } from "../core/errors.js";
import { maskAddress } from "../core/mask.js";
import { ALL_MAIL } from "../core/scope.js";
import {
  openUnsubscribeToken,
  sealUnsubscribeToken,
  type UnsubscribeClaims,
  type UnsubscribeKeys,
} from "../core/unsubscribe-token.js";
import { parseAt } from "../providers/shared/validate.js";
import { type UnsubscribeChannel, unsubscribeLinkEvents } from "../providers/unsubscribe-link/events.js";
import { findApiKey } from "../store/api-key-lookup.js";
import { BOOTSTRAP_PRINCIPAL } from "./http/authenticate.js";
import { jsonBody, rawBody } from "./http/body.js";
import { HttpProblem } from "./http/problem.js";
import { type HttpResponse, json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { ingestDeps } from "./ingest-runtime.js";
import { ingest } from "./ingestion.js";
import { METRICS_NAMESPACE, recordIngestMetrics } from "./metrics.js";
import { countAccepted, recordReputationMetrics } from "./reputation-metrics.js";
import { type RuntimeDeps, SERVICE_NAME } from "./runtime.js";
import {
  createUnsubscribeKeySource,
  UNSUBSCRIBE_BASE_URL_ENV,
  type UnsubscribeKeySource,
} from "./unsubscribe-keys.js";
import {
  pickLanguage,
  type RenderedPage,
  reasonFromForm,
  renderConfirmPage,
  renderDonePage,
  renderInvalidPage,
  UNSUBSCRIBE_FORM,
  UNSUBSCRIBE_PAGE_HEADERS,
} from "./unsubscribe-page.js";

/** The route that makes links; every other route of this function is a recipient's `/u/{token}`. */
export const LINKS_ROUTE = "POST /v1/unsubscribe-links";

const DAY_SECONDS = 86_400;
const ONE_CLICK_FIELD = { name: "List-Unsubscribe", value: "One-Click" } as const;
/** The body types RFC 8058 §3.1 allows (and browsers send for our form). */
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

export type UnsubscribeOptions = {
  /** The keys of the tokens. @default createUnsubscribeKeySource() (`UNSUBSCRIBE_SECRET_ARN` / `UNSUBSCRIBE_SECRET`) */
  readonly keys?: UnsubscribeKeySource;
  /** The links' base URL, read per request. @default `UNSUBSCRIBE_BASE_URL`, else `https://<request domain>` */
  readonly baseUrl?: () => string | undefined;
  /** Per-request ingest counts (route `unsubscribe`); none when absent. */
  readonly metrics?: Metrics;
};

const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === name) return value;
  return undefined;
};

const html = (statusCode: number, page: RenderedPage): HttpResponse => ({
  statusCode,
  headers: { ...UNSUBSCRIBE_PAGE_HEADERS, "content-security-policy": page.csp },
  body: page.html,
});

/** The keys, or a 503 saying why none are usable (a deployment fault, never the caller's). */
async function keysOrUnavailable(source: UnsubscribeKeySource): Promise<UnsubscribeKeys> {
  try {
    return await source();
  } catch (error) {
    throw new HttpProblem(
      503,
      "Unsubscribe links are not configured: the secret UNSUBSCRIBE_SECRET (UNSUBSCRIBE_SECRET_ARN in AWS) is missing or invalid.",
      { slug: "unsubscribe-not-configured", headers: { "retry-after": "60" }, cause: error },
    );
  }
}

/** Where the links point: the setting, or the domain the request came to (API Gateway's own, or a custom domain). */
function linkBase(event: APIGatewayProxyEventV2, configured: string | undefined): string {
  const base = configured?.trim() || `https://${event.requestContext.domainName}`;
  return base.replace(/\/+$/, "");
}

/** The canonical addresses of the request, or a 400 naming each one that is not an address. */
function canonicalAddresses(inputs: readonly string[], path: (i: number) => string): string[] {
  const issues: InputIssue[] = [];
  const addresses = inputs.map((input, i) => {
    const result = canonicalizeAddress(input);
    if (result.ok) return result.address;
    issues.push({ path: path(i), message: result.problem });
    return "";
  });
  if (issues.length > 0) throw new InputError("Not every address is an email address.", issues);
  return addresses;
}

/** Whether the key that made the link belongs to the tenant the link names (revoked or not). */
async function madeByTenantKey(deps: RuntimeDeps, claims: UnsubscribeClaims): Promise<boolean> {
  if (claims.keyId === BOOTSTRAP_PRINCIPAL.keyId) return true;
  const key = await findApiKey(deps.store(), claims.keyId);
  return key !== undefined && key.tenant === claims.tenant;
}

/** The form fields of a POST body, or a 4xx problem (wrong type, too large, unreadable). */
async function formFields(event: APIGatewayProxyEventV2): Promise<FormData> {
  const type = header(event, "content-type") ?? "";
  if (!FORM_TYPES.test(type)) {
    throw new HttpProblem(
      415,
      `POST /u/{token} takes a form: application/x-www-form-urlencoded or multipart/form-data with ${ONE_CLICK} (RFC 8058).`,
      { slug: "unsupported-media-type" },
    );
  }
  const body = rawBody(event);
  if (body.byteLength > MAX_UNSUBSCRIBE_BODY_BYTES) {
    throw new HttpProblem(413, `An unsubscribe body has at most ${MAX_UNSUBSCRIBE_BODY_BYTES} bytes.`, {
      slug: "body-too-large",
    });
  }
  try {
    // The platform's own form parser (undici's, as `fetch` uses): both encodings, boundaries and all.
    return await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
  } catch (error) {
    throw new HttpProblem(400, "The form body could not be read.", { slug: "bad-form", cause: error });
  }
}

const field = (form: FormData, name: string): string | null => {
  const value = form.get(name);
  return typeof value === "string" ? value : null;
};

/**
 * The handler of the three routes; tests and the local server pass their own keys and base URL.
 *
 * @example
 * const handler = createUnsubscribeHandler(deps, { keys: async () => parseUnsubscribeKeys(secret) });
 * await handler(apiGatewayEvent("POST", "/v1/unsubscribe-links", { address: "jane@example.org" }), context);
 * // 200 { address, scope, expiresAt, url: "https://…/u/v1.k1.…", token, headers: { "List-Unsubscribe": "<…>", … } }
 */
export function createUnsubscribeHandler(deps: RuntimeDeps, options: UnsubscribeOptions = {}): HttpHandler {
  const keySource = options.keys ?? createUnsubscribeKeySource();
  const baseUrl = options.baseUrl ?? (() => process.env[UNSUBSCRIBE_BASE_URL_ENV]);
  const { metrics } = options;

  const links = httpRoute(
    { logger: deps.logger, auth: deps.auth, maskWithoutPii: true },
    async (event, caller) => {
      const request = parseAt(
        UnsubscribeLinkRequest,
        jsonBody(event),
        [],
        "Not a valid unsubscribe link request.",
      );
      const batch = "addresses" in request;
      const addresses = batch
        ? canonicalAddresses(request.addresses, (i) => `addresses.${i}`)
        : canonicalAddresses([request.address], () => "address");
      const keys = await keysOrUnavailable(keySource);
      const scope = request.scope ?? ALL_MAIL;
      const expiresAt =
        Math.floor(deps.now().getTime() / 1000) +
        (request.expiresInDays ?? DEFAULT_UNSUBSCRIBE_LINK_DAYS) * DAY_SECONDS;
      const base = linkBase(event, baseUrl());
      const made = addresses.map((address): UnsubscribeLink => {
        const token = sealUnsubscribeToken(
          { tenant: caller.tenant, address, scope, expiresAt, keyId: caller.principal.keyId },
          keys,
        );
        const url = `${base}/u/${token}`;
        return {
          address,
          scope,
          expiresAt: new Date(expiresAt * 1000).toISOString(),
          url,
          token,
          headers: { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": ONE_CLICK },
        };
      });
      deps.logger.info("unsubscribe links made", { count: made.length, scope, expiresAt });
      const answer: UnsubscribeLink | UnsubscribeLinks = batch
        ? { links: made }
        : (made[0] as UnsubscribeLink);
      return json(200, answer);
    },
  );

  const recipient = httpRoute({ logger: deps.logger, auth: "none" }, async (event) => {
    const lang = pickLanguage(header(event, "accept-language"));
    const token = event.pathParameters?.token ?? "";
    const keys = await keysOrUnavailable(keySource);
    const opened = openUnsubscribeToken(token, keys, Math.floor(deps.now().getTime() / 1000));
    if (!opened.ok || !(await madeByTenantKey(deps, opened.claims))) {
      const why = opened.ok ? "foreign_tenant" : opened.reason;
      deps.logger.info("unsubscribe link refused", { why, method: event.requestContext.http.method });
      const page = renderInvalidPage({ lang, why: why === "expired" ? "expired" : "invalid" });
      return html(page.status, page);
    }
    const { claims } = opened;
    const maskedAddress = maskAddress(claims.address);
    if (event.requestContext.http.method !== "POST") {
      return html(
        200,
        renderConfirmPage({ lang, actionPath: event.rawPath, maskedAddress, scope: claims.scope }),
      );
    }
    const form = await formFields(event);
    // `List-Unsubscribe=One-Click` is the field `List-Unsubscribe` with the value `One-Click`.
    const oneClick = field(form, ONE_CLICK_FIELD.name) === ONE_CLICK_FIELD.value;
    const channel: UnsubscribeChannel | undefined = oneClick
      ? "one-click"
      : field(form, UNSUBSCRIBE_FORM.confirm) === UNSUBSCRIBE_FORM.confirmValue
        ? "form"
        : undefined;
    if (channel === undefined) {
      throw new HttpProblem(
        400,
        `The body is neither RFC 8058's ${ONE_CLICK} nor the confirmation form (${UNSUBSCRIBE_FORM.confirm}=${UNSUBSCRIBE_FORM.confirmValue}); nothing was recorded.`,
        { slug: "not-an-unsubscribe" },
      );
    }
    const reason = channel === "form" ? reasonFromForm(field(form, UNSUBSCRIBE_FORM.reason)) : null;
    const events = unsubscribeLinkEvents({ token, claims, channel, reason, at: deps.now() });
    const summary = await ingest(
      { events, ignored: 0 },
      { store: deps.store(), policy: deps.policy(), dryRun: false },
    );
    deps.logger.info("unsubscribed", {
      channel,
      reason,
      scope: claims.scope,
      address: maskedAddress,
      accepted: summary.accepted,
      duplicates: summary.duplicates,
    });
    recordIngestMetrics(metrics, "unsubscribe", "unsubscribe-link", summary);
    recordReputationMetrics(metrics, claims.tenant, countAccepted(summary));
    return html(200, renderDonePage({ lang, reason, maskedAddress }));
  });

  return (event, context) =>
    event.routeKey === LINKS_ROUTE ? links(event, context) : recipient(event, context);
}

export const handler = createUnsubscribeHandler(ingestDeps, {
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
});
