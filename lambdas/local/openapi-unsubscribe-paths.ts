/**
 * docs/openapi.json's paths of one-click unsubscribe (docs/unsubscribe.md): the route that makes
 * links, and the recipients' `/u/{token}`, apart from openapi-paths.ts to keep each file readable.
 * The limits are the contract's constants.
 */
import {
  DEFAULT_UNSUBSCRIBE_LINK_DAYS,
  MAX_UNSUBSCRIBE_BODY_BYTES,
  MAX_UNSUBSCRIBE_LINK_DAYS,
  MAX_UNSUBSCRIBE_LINKS,
  ONE_CLICK,
} from "../contract/unsubscribe.js";
import { UNSUBSCRIBE_REASONS } from "../core/taxonomy.js";
import { HttpProblem, type ProblemStatus } from "../handlers/http/problem.js";
import {
  renderConfirmPage,
  renderDonePage,
  renderInvalidPage,
  UNSUBSCRIBE_FORM,
  UNSUBSCRIBE_PAGE_CSP,
} from "../handlers/unsubscribe-page.js";

const TOKEN = "v1.k1.6Qf0mW3m1nC0bq1M4m0a3Y2Qm4g5n9yYtQkq8xqkF3hJ1H0x5B2vVnR0pX4s7cW9mN3bL8kD2fG6hJ0qS4tU";
const URL_EXAMPLE = `https://abc123.execute-api.eu-west-1.amazonaws.com/u/${TOKEN}`;
const LINK = {
  address: "jane.doe@example.org",
  scope: "*",
  expiresAt: "2027-02-18T10:00:00.000Z",
  url: URL_EXAMPLE,
  token: TOKEN,
  headers: { "List-Unsubscribe": `<${URL_EXAMPLE}>`, "List-Unsubscribe-Post": ONE_CLICK },
};

const problem = (description: string, status: ProblemStatus, slug: string, detail: string) => ({
  description,
  content: {
    "application/problem+json": {
      schema: { $ref: "#/components/schemas/ProblemDocument" },
      examples: { [slug]: { value: new HttpProblem(status, detail, { slug }).toDocument() } },
    },
  },
});

const notConfigured = problem(
  "No usable link keys: `UNSUBSCRIBE_SECRET` (`UNSUBSCRIBE_SECRET_ARN` in AWS) is missing or invalid; or the store is unavailable (`store-unavailable`, see StoreUnavailable). Retry after `Retry-After`.",
  503,
  "unsubscribe-not-configured",
  "Unsubscribe links are not configured: the secret UNSUBSCRIBE_SECRET (UNSUBSCRIBE_SECRET_ARN in AWS) is missing or invalid.",
);

const MASKED = "j***@example.org";
const PAGES = {
  confirm: renderConfirmPage({ lang: "en", actionPath: `/u/${TOKEN}`, maskedAddress: MASKED, scope: "*" }),
  done: renderDonePage({ lang: "zh", reason: "not_wanted", maskedAddress: MASKED }),
  invalid: renderInvalidPage({ lang: "en", why: "invalid" }),
  expired: renderInvalidPage({ lang: "en", why: "expired" }),
} as const;

/** An HTML answer with the page it renders as its example. */
const htmlPage = (description: string, page: keyof typeof PAGES) => ({
  description,
  headers: {
    "Content-Security-Policy": { schema: { type: "string", example: UNSUBSCRIBE_PAGE_CSP } },
    "Cache-Control": { schema: { type: "string", example: "no-store" } },
  },
  content: { "text/html": { schema: { type: "string" }, examples: { [page]: { value: PAGES[page].html } } } },
});

const tokenParameter = {
  name: "token",
  in: "path",
  required: true,
  description: "The sealed token of a link made by `POST /v1/unsubscribe-links`.",
  schema: { type: "string", maxLength: 2048 },
  example: TOKEN,
};

const refused = {
  "404": htmlPage(
    "The token is not valid: tampered, cut short, sealed with a key this deployment does not hold, or naming a tenant its key is not of. Nothing was recorded.",
    "invalid",
  ),
  "410": htmlPage("The link has expired. Nothing was recorded.", "expired"),
};

const reasons = Object.keys(UNSUBSCRIBE_REASONS);

export const UNSUBSCRIBE_PATHS = {
  "/v1/unsubscribe-links": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); only POST is routed.",
    post: {
      operationId: "makeUnsubscribeLinks",
      tags: ["ingestion"],
      summary: "Make one-click unsubscribe links (RFC 8058) and the two headers to put on each message",
      description: `One address (\`address\`) answers one link; a campaign's batch (\`addresses\`, 1 to ${MAX_UNSUBSCRIBE_LINKS}) answers \`links\` in the same order. Each link works for \`expiresInDays\` (default ${DEFAULT_UNSUBSCRIBE_LINK_DAYS}, at most ${MAX_UNSUBSCRIBE_LINK_DAYS}) and unsubscribes its address from \`scope\` (default \`*\`) in the caller's tenant. The token is sealed (AES-256-GCM): the address cannot be read from the URL. Nothing is stored. Addresses in the answer are masked without \`pii\`. See docs/unsubscribe.md.`,
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: { $ref: "#/components/schemas/UnsubscribeLinkRequest" },
            examples: {
              one: { value: { address: "jane.doe@example.org" } },
              campaign: {
                value: {
                  addresses: ["jane.doe@example.org", "john.roe@example.net"],
                  scope: "newsletter",
                  expiresInDays: 60,
                },
              },
            },
          },
        },
      },
      responses: {
        "200": {
          description: "The link (for `address`) or the links (for `addresses`).",
          content: {
            "application/json": {
              schema: {
                oneOf: [
                  { $ref: "#/components/schemas/UnsubscribeLink" },
                  { $ref: "#/components/schemas/UnsubscribeLinks" },
                ],
              },
              examples: {
                one: { value: LINK },
                campaign: { value: { links: [{ ...LINK, scope: "newsletter" }] } },
              },
            },
          },
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "503": notConfigured,
      },
    },
  },
  "/u/{token}": {
    description:
      "The recipient's link: no key (the sealed token is the credential). Other methods answer 405 (see components.responses.MethodNotAllowed).",
    get: {
      operationId: "unsubscribePage",
      tags: ["ingestion"],
      summary: "The confirmation page (English or Chinese by Accept-Language); never unsubscribes",
      description: `Link scanners and mail previews fetch every link they see, so \`GET\` only shows what would stop and a form with SendCloud's four reasons (${reasons.map((r) => `\`${r}\``).join(", ")}), which POSTs back here. The page works without JavaScript and loads nothing else.`,
      security: [],
      parameters: [
        tokenParameter,
        {
          name: "Accept-Language",
          in: "header",
          required: false,
          description: "`zh…` gets the Chinese page, anything else English.",
          schema: { type: "string" },
          example: "zh-CN,zh;q=0.9",
        },
      ],
      responses: {
        "200": htmlPage("The confirmation page.", "confirm"),
        ...refused,
        "503": notConfigured,
      },
    },
    post: {
      operationId: "unsubscribe",
      tags: ["ingestion"],
      summary: "Unsubscribe at once: RFC 8058 one-click, or the confirmation page's form",
      description: `A mailbox provider's one-click POST carries \`${ONE_CLICK}\`; the page's form carries \`${UNSUBSCRIBE_FORM.confirm}=${UNSUBSCRIBE_FORM.confirmValue}\` and optionally \`${UNSUBSCRIBE_FORM.reason}\` (one of ${reasons.map((r) => `\`${r}\``).join(", ")}; \`spam\` and \`fraud\` also record a complaint). Either encoding (form-encoded or multipart), at most ${MAX_UNSUBSCRIBE_BODY_BYTES} bytes. Records an \`unsubscribe\` event (source \`unsubscribe-link\`) in the token's scope and answers 200 with a page, never a redirect. A replay is a duplicate: nothing changes twice.`,
      security: [],
      parameters: [tokenParameter],
      requestBody: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": {
            schema: {
              type: "object",
              properties: {
                "List-Unsubscribe": { type: "string", const: "One-Click" },
                [UNSUBSCRIBE_FORM.confirm]: { type: "string", const: UNSUBSCRIBE_FORM.confirmValue },
                [UNSUBSCRIBE_FORM.reason]: { type: "string", enum: reasons },
              },
            },
            examples: {
              oneClick: { value: ONE_CLICK },
              form: { value: `${UNSUBSCRIBE_FORM.reason}=spam&${UNSUBSCRIBE_FORM.confirm}=yes` },
            },
          },
          "multipart/form-data": {
            schema: {
              type: "object",
              properties: { "List-Unsubscribe": { type: "string", const: "One-Click" } },
            },
            examples: { oneClick: { value: { "List-Unsubscribe": "One-Click" } } },
          },
        },
      },
      responses: {
        "200": htmlPage("Unsubscribed (or already unsubscribed by this link): the page after it.", "done"),
        "400": problem(
          "The body is neither one-click nor the form, or cannot be read. Nothing was recorded.",
          400,
          "not-an-unsubscribe",
          `The body is neither RFC 8058's ${ONE_CLICK} nor the confirmation form (confirm=yes); nothing was recorded.`,
        ),
        ...refused,
        "413": problem(
          "The body is too large.",
          413,
          "body-too-large",
          `An unsubscribe body has at most ${MAX_UNSUBSCRIBE_BODY_BYTES} bytes.`,
        ),
        "415": problem(
          "Not a form body.",
          415,
          "unsupported-media-type",
          `POST /u/{token} takes a form: application/x-www-form-urlencoded or multipart/form-data with ${ONE_CLICK} (RFC 8058).`,
        ),
        "503": notConfigured,
      },
    },
  },
};
