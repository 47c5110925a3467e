/**
 * docs/openapi.json apart from its schemas: the paths, parameters, security scheme, shared
 * responses and examples (the schemas come from lambdas/contract, see openapi.ts). Each
 * `#/components/schemas/…` reference must name a contract component; openapi.ts checks it.
 * The enums of the parameters are the code's lists.
 */
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_LIMIT } from "../contract/history.js";
import { SNS_CONTROL_TYPES } from "../contract/ingestion.js";
import { LIST_PAGE_DEFAULT, LIST_PAGE_LIMIT, ListSource } from "../contract/lists.js";
import {
  STATUS_PAGE_DEFAULT,
  STATUS_PAGE_LIMIT,
  STATUS_WINDOW_DEFAULT_DAYS,
  STATUS_WINDOW_MAX_DAYS,
} from "../contract/status.js";
import { TENANT_PATTERN } from "../core/access.js";
import type { InputIssue } from "../core/errors.js";
import { CAUSES } from "../core/ledger/types.js";
import {
  figureRow,
  REPUTATION_THRESHOLDS,
  STATS_MAX_TAGS,
  STATS_WINDOW_DEFAULT_DAYS,
  STATS_WINDOW_MAX_DAYS,
} from "../core/reputation.js";
import { EVENT_TYPE_IDS, REASON_IDS } from "../core/taxonomy.js";
import { KEY_CACHE_SECONDS } from "../handlers/http/authenticate.js";
import { HttpProblem, type ProblemStatus } from "../handlers/http/problem.js";
import { MAX_EVENTS_PER_REQUEST } from "../handlers/webhook-request.js";
import { PROVIDERS } from "../providers/registry.js";
import { JOB_PATHS } from "./openapi-job-paths.js";
import { UNSUBSCRIBE_PATHS } from "./openapi-unsubscribe-paths.js";

/** The SES bounce of the import examples, as the answer reports it. */
const EXAMPLE_EVENT_ID = "0100018b7e8f1a2b-3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f-000000#jane.doe@example.org";
const EXAMPLE_EVENT = {
  provider: "ses",
  occurredAt: "2026-11-20T10:00:00.000Z",
  feedbackType: null,
  unsubscribeReason: null,
  resubscribe: false,
  type: "invalid",
  subtype: "mailbox_not_found",
  reason: "user_unknown",
  rule: "text-user-unknown",
  eventId: EXAMPLE_EVENT_ID,
  recipient: "jane.doe@example.org",
  scope: "*",
  smtp: {
    code: "550",
    enhanced: "5.1.1",
    diagnostic:
      "smtp; 550 5.1.1 <jane.doe@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
  },
} as const;

/** The `{address}` of the operators' routes: an address, or `@domain` for a whole domain. */
const subjectParameter = (example: string) => ({
  name: "address",
  in: "path",
  required: true,
  description: "The address, or `@domain` for every address of a domain.",
  schema: { type: "string" },
  example,
});

/** An example problem document, exactly as the handlers answer it (`HttpProblem.toDocument`). */
/** `limit` and `cursor`, the paging parameters of every paged route. */
const pageParameters = (noun: string, max: number, byDefault: number, cursorNote = "") => [
  {
    name: "limit",
    in: "query",
    required: false,
    description: `${noun} per page, 1 to ${max}; default ${byDefault}.`,
    schema: { type: "integer", minimum: 1, maximum: max },
  },
  {
    name: "cursor",
    in: "query",
    required: false,
    description: `The \`cursor\` of the previous page${cursorNote}.`,
    schema: { type: "string" },
  },
];

/** The status view's filters other than `type`: `GET /v1/events` and `GET /v1/event-counts` share them. */
/** `GET /v1/stats?groupBy=provider` over a month of one provider: its rates made by the route's own arithmetic. */
const STATS_EXAMPLE_COUNTS = {
  requests: 0,
  deliveries: 960,
  softBounces: 12,
  invalid: 25,
  complaints: 0,
  unsubscribes: 4,
  bySubtype: { "invalid:mailbox_not_found": 25, "soft_bounce:mailbox_full": 12 },
};
const STATS_EXAMPLE = {
  from: "2026-11-03",
  to: "2026-12-02",
  groupBy: "provider",
  thresholds: REPUTATION_THRESHOLDS,
  rows: [figureRow("ses", STATS_EXAMPLE_COUNTS)],
  total: figureRow("total", STATS_EXAMPLE_COUNTS),
  complete: true,
};

const statusFilterParameters = [
  {
    name: "provider",
    in: "query",
    required: false,
    description: "Only events this provider reported.",
    schema: { type: "string", enum: [...PROVIDERS] },
    example: "sendcloud",
  },
  {
    name: "tag",
    in: "query",
    required: false,
    description:
      "Only events whose message carried this tag (SendGrid category, Mailgun tag, SES message tag `name:value`, …).",
    schema: { type: "string" },
    example: "newsletter",
  },
  {
    name: "from",
    in: "query",
    required: false,
    description: `Only events at or after this time; default \`to\` less ${STATUS_WINDOW_DEFAULT_DAYS} days. At most ${STATUS_WINDOW_MAX_DAYS} days before \`to\`.`,
    schema: { type: "string", format: "date-time" },
  },
  {
    name: "to",
    in: "query",
    required: false,
    description: "Only events at or before this time; default now.",
    schema: { type: "string", format: "date-time" },
  },
];

const problem = (status: ProblemStatus, slug: string, detail: string, errors?: readonly InputIssue[]) =>
  new HttpProblem(status, detail, { slug, ...(errors ? { errors } : {}) }).toDocument();

/** The 400 of a status-view window over 30 days, as both routes answer it. */
const WINDOW_TOO_LONG = {
  windowTooLong: {
    value: problem(
      400,
      "invalid-input",
      `The window is longer than ${STATUS_WINDOW_MAX_DAYS} days: narrow \`from\` and \`to\`.`,
      [{ path: "from", message: `more than ${STATUS_WINDOW_MAX_DAYS} days before \`to\`` }],
    ),
  },
};

/** The one key's name in the history until scoped keys exist. */
const ACTOR = { keyId: "bootstrap", name: "bootstrap key" } as const;

const EXAMPLE_KEY = {
  id: "3f9a0c1b2d4e",
  tenant: "acme",
  name: "ci pipeline",
  scopes: ["check"],
  createdAt: "2026-11-20T10:00:00.000Z",
  createdBy: ACTOR,
  revokedAt: null,
  revokedBy: null,
};

/** What the default policy decided for `EXAMPLE_EVENT`. */
const EXAMPLE_DECISION = {
  recipient: EXAMPLE_EVENT.recipient,
  eventId: EXAMPLE_EVENT_ID,
  action: "suppress",
  scope: "*",
  cause: "bounce",
  expiresAt: "2027-11-20T10:00:00.000Z",
} as const;

/**
 * An import answer for `EXAMPLE_EVENT`: stored (`outcome` given), seen before, or a dry run (no
 * `outcome`, nothing counted).
 */
function importAnswer(options: {
  accepted?: number;
  duplicates?: number;
  dryRun?: boolean;
  outcome?: "suppressed" | "duplicate";
}) {
  return {
    accepted: options.accepted ?? 0,
    duplicates: options.duplicates ?? 0,
    ignored: 0,
    dryRun: options.dryRun ?? false,
    events: [EXAMPLE_EVENT],
    decisions: [{ ...EXAMPLE_DECISION, ...(options.outcome ? { outcome: options.outcome } : {}) }],
  };
}

export const DOCUMENT_HEAD = {
  info: {
    title: "suppression-service HTTP API",
    version: "0.1.0",
    description:
      "The HTTP routes of suppression-service (design.md §5.3), as served by `lambdas/handlers/routes.ts` locally and behind API Gateway. Every answer is JSON with `cache-control: no-store`; every error is `application/problem+json` (RFC 9457). A path that matches no route answers 404 (`unknown-route`), a routed path with another method 405 (`method-not-allowed`); an unexpected server fault answers 500 (`internal`). `POST /webhooks/{provider}` serves every provider: `ses` as an SNS HTTP(S) subscription, the other ESPs with their own signatures or credentials.",
    license: {
      name: "MIT",
      identifier: "MIT",
    },
  },
  servers: [
    {
      url: "http://127.0.0.1:3000",
      description: "`npm start`",
    },
  ],
  security: [
    {
      bearerAuth: [],
    },
  ],
  tags: [
    {
      name: "checks",
    },
    {
      name: "ingestion",
    },
    {
      name: "operations",
    },
    {
      name: "operators",
    },
  ],
};

const BASE_PATHS = {
  "/healthz": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); only GET is routed.",
    get: {
      operationId: "health",
      tags: ["operations"],
      summary: "Liveness (never touches the store)",
      security: [],
      responses: {
        "200": {
          description: "Alive.",
          content: {
            "application/json": {
              schema: {
                $ref: "#/components/schemas/Health",
              },
              examples: {
                ok: {
                  value: {
                    status: "ok",
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  "/v1/check": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); only POST is routed.",
    post: {
      operationId: "check",
      tags: ["checks"],
      summary: "Batch verdicts for 1–1000 addresses, in request order",
      requestBody: {
        required: true,
        description: "Read as JSON whatever the content type. Unknown properties are ignored.",
        content: {
          "application/json": {
            schema: {
              $ref: "#/components/schemas/CheckRequest",
            },
            examples: {
              mixed: {
                value: {
                  addresses: ["Jane.Doe@example.org", "b@example.net", "not an address"],
                  scope: "newsletter",
                },
              },
            },
          },
        },
      },
      responses: {
        "200": {
          description: "One verdict per requested address, in request order.",
          content: {
            "application/json": {
              schema: {
                $ref: "#/components/schemas/CheckResponse",
              },
              examples: {
                mixed: {
                  value: {
                    results: [
                      {
                        address: "jane.doe@example.org",
                        suppressed: true,
                        cause: "bounce",
                        reason: {
                          type: "invalid",
                          subtype: "mailbox_not_found",
                          reason: "user_unknown",
                        },
                        scope: "*",
                        since: "2026-11-20T10:00:00.000Z",
                        expiresAt: "2027-11-20T10:00:00.000Z",
                        source: "ses",
                      },
                      {
                        address: "b@example.net",
                        suppressed: false,
                        cause: null,
                        reason: null,
                        scope: null,
                        since: null,
                        expiresAt: null,
                        source: null,
                      },
                      {
                        address: "not an address",
                        suppressed: true,
                        cause: "bounce",
                        reason: {
                          type: "invalid",
                          subtype: "bad_address_format",
                          reason: "bad_address_format",
                        },
                        scope: "*",
                        since: null,
                        expiresAt: null,
                        source: null,
                        problem: "not an email address",
                      },
                    ],
                    suppressedCount: 2,
                  },
                },
              },
            },
          },
        },
        "400": {
          description: "Empty body, invalid JSON, a wrong shape, a bad scope or no address.",
          content: {
            "application/problem+json": {
              schema: {
                $ref: "#/components/schemas/ProblemDocument",
              },
              examples: {
                invalidShape: {
                  value: problem(400, "invalid-input", "The check request is not valid.", [
                    {
                      path: "addresses.0",
                      message: "each address must be a string",
                    },
                    {
                      path: "scope",
                      message: "a scope is `*` or names separated by `/`",
                    },
                  ]),
                },
                noAddress: {
                  value: problem(400, "invalid-input", "Send at least one address.", [
                    {
                      path: "addresses",
                      message: "empty",
                    },
                  ]),
                },
                emptyBody: {
                  value: problem(
                    400,
                    "invalid-input",
                    "The request body is empty; a JSON document is expected.",
                  ),
                },
                notJson: {
                  value: problem(
                    400,
                    "invalid-input",
                    "The body is not valid JSON: Unexpected token 'o', \"nojson\" is not valid JSON",
                  ),
                },
              },
            },
          },
        },
        "401": {
          $ref: "#/components/responses/Unauthorized",
        },
        "413": {
          description: "More than 1000 addresses, or a body over 6 MiB.",
          content: {
            "application/problem+json": {
              schema: {
                $ref: "#/components/schemas/ProblemDocument",
              },
              examples: {
                tooManyAddresses: {
                  value: problem(413, "too-many-addresses", "At most 1000 addresses per check; got 1001."),
                },
                bodyTooLarge: {
                  value: problem(413, "body-too-large", "The body is larger than 6291456 bytes."),
                },
              },
            },
          },
        },
        "503": {
          $ref: "#/components/responses/StoreUnavailable",
        },
      },
    },
  },
  "/v1/suppressions": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); only GET is routed.",
    get: {
      operationId: "listSuppressions",
      tags: ["operators"],
      summary: "The tenant's live entries, newest first: the bounce, complaint, unsubscribe and manual lists",
      description:
        "Every live entry (address or `@domain` × scope) of the tenant, newest first (by the `since` of its newest live cause), in pages with an opaque `cursor`. Each item holds every live cause of the entry, and on top the strongest one that matches the filters; expired causes are ignored, as the check ignores them. `since` and `until` bound the entry's time in the index; the other filters are applied while reading, so a page may be short, or empty, and still carry a cursor (its read budget ran out under a selective filter): follow `cursor` until it is null. The exact question about one address is `GET /v1/suppressions/{address}`.",
      parameters: [
        {
          name: "cause",
          in: "query",
          required: false,
          description: "Only entries with a live cause of this kind (`bounce` is the bounce list).",
          schema: { type: "string", enum: [...CAUSES] },
          example: "unsubscribe",
        },
        {
          name: "reason",
          in: "query",
          required: false,
          description: "Only entries with a live cause of this fine reason (design §2.3).",
          schema: { type: "string", enum: [...REASON_IDS] },
          example: "user_unknown",
        },
        {
          name: "source",
          in: "query",
          required: false,
          description:
            "Only entries with a live cause reported by this provider, or made by an operator (`admin`, or `manual`: the same).",
          schema: { type: "string", enum: [...ListSource.options] },
          example: "sendcloud",
        },
        {
          name: "scope",
          in: "query",
          required: false,
          description: "Only entries at exactly this scope.",
          schema: { type: "string" },
          example: "newsletter",
        },
        {
          name: "since",
          in: "query",
          required: false,
          description: "Only entries whose newest live cause began at or after this time.",
          schema: { type: "string", format: "date-time" },
        },
        {
          name: "until",
          in: "query",
          required: false,
          description: "Only entries whose newest live cause began at or before this time.",
          schema: { type: "string", format: "date-time" },
        },
        {
          name: "q",
          in: "query",
          required: false,
          description:
            "The start of an address (`jdoe`, `jdoe@exa`, compared in canonical lower case), or `@domain`: every entry of that domain, the domain's own entry included.",
          schema: { type: "string", maxLength: 255 },
          example: "@example.org",
        },
        ...pageParameters("Entries", LIST_PAGE_LIMIT, LIST_PAGE_DEFAULT),
      ],
      responses: {
        "200": {
          description: "One page of the list.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/ListPage" },
              examples: {
                bounceAndUnsubscribe: {
                  value: {
                    items: [
                      {
                        subjectKind: "address",
                        subject: EXAMPLE_EVENT.recipient,
                        scope: "*",
                        cause: "bounce",
                        reason: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
                        since: EXAMPLE_EVENT.occurredAt,
                        expiresAt: EXAMPLE_DECISION.expiresAt,
                        source: "ses",
                        causes: [
                          {
                            cause: "bounce",
                            reason: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
                            rule: EXAMPLE_EVENT.rule,
                            source: "ses",
                            since: EXAMPLE_EVENT.occurredAt,
                            lastAt: EXAMPLE_EVENT.occurredAt,
                            expiresAt: EXAMPLE_DECISION.expiresAt,
                            eventId: EXAMPLE_EVENT_ID,
                            unsubscribeReason: null,
                            note: null,
                          },
                        ],
                      },
                      {
                        subjectKind: "address",
                        subject: "li.wei@example.com",
                        scope: "*",
                        cause: "unsubscribe",
                        reason: { type: "unsubscribe", subtype: null, reason: null },
                        since: "2026-11-19T08:00:00.000Z",
                        expiresAt: null,
                        source: "sendcloud",
                        causes: [
                          {
                            cause: "unsubscribe",
                            reason: { type: "unsubscribe", subtype: null, reason: null },
                            rule: "sendcloud-unsubscribe",
                            source: "sendcloud",
                            since: "2026-11-19T08:00:00.000Z",
                            lastAt: "2026-11-19T08:00:00.000Z",
                            expiresAt: null,
                            eventId: "1763539200000_1_2_3.sc-1-inbound0$li.wei@example.com#unsubscribe",
                            unsubscribeReason: "not_wanted",
                            note: null,
                          },
                        ],
                      },
                    ],
                    cursor:
                      "eyJ2IjoxLCJnIjoiYWxsIiwiZCI6MCwicCI6eyJzIjo1LCJrIjoiMjAyNi0xMS0xOVQwODowMDowMC4wMDBaIn19",
                  },
                },
              },
            },
          },
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
  },
  "/v1/suppressions/{address}": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); GET, PUT and DELETE are routed.",
    get: {
      operationId: "getSuppression",
      tags: ["checks"],
      summary: "One address: its all-mail verdict plus every live entry",
      description:
        "The verdict is the all-mail (`*`) one, as `POST /v1/check` without a scope gives it; `entries` lists every live cause on the address or its domain in any scope, strongest first (so an unsuppressed verdict can still come with scoped entries). A malformed address answers 200 with the bad-address verdict and no entries. `@domain` (e.g. `@example.org`) answers the entries on the domain itself, and the verdict they give each of its addresses (`address` is then `@example.org`); a malformed `@domain` is a 400.",
      parameters: [
        {
          name: "address",
          in: "path",
          required: true,
          description:
            "The address, percent-encoded (`@` as `%40` or literal). A segment that does not percent-decode answers 404.",
          schema: {
            type: "string",
          },
          example: "jane.doe@example.org",
        },
      ],
      responses: {
        "200": {
          description: "The verdict and the live entries.",
          content: {
            "application/json": {
              schema: {
                $ref: "#/components/schemas/AddressView",
              },
              examples: {
                suppressed: {
                  value: {
                    address: "jane.doe@example.org",
                    suppressed: true,
                    cause: "bounce",
                    reason: {
                      type: "invalid",
                      subtype: "mailbox_not_found",
                      reason: "user_unknown",
                    },
                    scope: "*",
                    since: "2026-11-20T10:00:00.000Z",
                    expiresAt: "2027-11-20T10:00:00.000Z",
                    source: "ses",
                    entries: [
                      {
                        subjectKind: "address",
                        subject: "jane.doe@example.org",
                        scope: "*",
                        cause: "bounce",
                        reason: {
                          type: "invalid",
                          subtype: "mailbox_not_found",
                          reason: "user_unknown",
                        },
                        since: "2026-11-20T10:00:00.000Z",
                        lastAt: "2026-11-20T10:00:00.000Z",
                        expiresAt: "2027-11-20T10:00:00.000Z",
                        source: "ses",
                        eventId:
                          "0100018b7e8f1a2b-3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f-000000#jane.doe@example.org",
                        rule: "text-user-unknown",
                        note: null,
                      },
                    ],
                  },
                },
                clear: {
                  value: {
                    address: "x@example.net",
                    suppressed: false,
                    cause: null,
                    reason: null,
                    scope: null,
                    since: null,
                    expiresAt: null,
                    source: null,
                    entries: [],
                  },
                },
                badAddress: {
                  value: {
                    address: "nope",
                    suppressed: true,
                    cause: "bounce",
                    reason: {
                      type: "invalid",
                      subtype: "bad_address_format",
                      reason: "bad_address_format",
                    },
                    scope: "*",
                    since: null,
                    expiresAt: null,
                    source: null,
                    problem: "not an email address",
                    entries: [],
                  },
                },
              },
            },
          },
        },
        "401": {
          $ref: "#/components/responses/Unauthorized",
        },
        "404": {
          description: "The path segment does not percent-decode.",
          content: {
            "application/problem+json": {
              schema: {
                $ref: "#/components/schemas/ProblemDocument",
              },
              examples: {
                unknownRoute: {
                  value: problem(404, "unknown-route", "No route for GET /v1/suppressions/%E0%A4%A."),
                },
              },
            },
          },
        },
        "503": {
          $ref: "#/components/responses/StoreUnavailable",
        },
      },
    },
    put: {
      operationId: "suppressManually",
      tags: ["operators"],
      summary: "Add (or replace) a manual entry on an address or a whole domain",
      description:
        "Adds a `manual` cause, the strongest: provider events never end it, only `DELETE` does (or its `expiresAt`). `{address}` may be a whole domain written `@example.org`, which suppresses every address of that domain. A second `PUT` replaces the entry's expiry and note. Written into the subject's history first, with who (the key) and when.",
      parameters: [subjectParameter("@example.org")],
      requestBody: {
        required: false,
        content: {
          "application/json": {
            schema: { $ref: "#/components/schemas/ManualSuppressionRequest" },
            examples: { domain: { value: { note: "our own test domain", scope: "*", expiresAt: null } } },
          },
        },
      },
      responses: {
        "200": {
          description: "The entry, as it now stands.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/ManualSuppressionAnswer" },
              examples: {
                domain: {
                  value: {
                    subjectKind: "domain",
                    subject: "example.org",
                    scope: "*",
                    cause: "manual",
                    expiresAt: null,
                    note: "our own test domain",
                    actionId: "6f1c2b8e-1d2a-4b7e-9c1f-0a2b3c4d5e6f",
                    at: "2026-11-20T10:00:00.000Z",
                  },
                },
              },
            },
          },
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
    delete: {
      operationId: "removeSuppression",
      tags: ["operators"],
      summary: "End one cause, or every cause, of an address or domain at a scope",
      description:
        "Never silent: who (the key) and why (`reason`) are written into the subject's history before anything changes. A removed cause comes back only through an event that occurred after the removal: a provider's late delivery of an older event changes nothing.",
      parameters: [
        subjectParameter("jane.doe@example.org"),
        {
          name: "reason",
          in: "query",
          required: true,
          description: "Why the entry is removed (kept in the history). Required: 400 without it.",
          schema: { type: "string", minLength: 1, maxLength: 1000 },
          example: "the customer fixed their mailbox",
        },
        {
          name: "scope",
          in: "query",
          required: false,
          description: "The entry's scope; default `*`.",
          schema: { $ref: "#/components/schemas/Scope" },
        },
        {
          name: "cause",
          in: "query",
          required: false,
          description: "The one cause to end; default every cause at the scope.",
          schema: { $ref: "#/components/schemas/Cause" },
        },
      ],
      responses: {
        "200": {
          description: "What was removed.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/RemovalAnswer" },
              examples: {
                bounce: {
                  value: {
                    subjectKind: "address",
                    subject: "jane.doe@example.org",
                    scope: "*",
                    removed: ["bounce"],
                    kept: [],
                    reason: "the customer fixed their mailbox",
                    actionId: "0c9e7a52-6b1f-4d3e-8a2c-5f4e3d2c1b0a",
                    at: "2026-11-21T09:30:00.000Z",
                  },
                },
              },
            },
          },
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "404": {
          description: "Nothing live to remove at that scope (the attempt is in the history all the same).",
          content: {
            "application/problem+json": {
              schema: { $ref: "#/components/schemas/ProblemDocument" },
              examples: {
                notSuppressed: {
                  value: problem(
                    404,
                    "not-suppressed",
                    "No live `bounce` cause at scope `*`: nothing was removed.",
                  ),
                },
              },
            },
          },
        },
        "409": {
          description:
            "What is live has an event dated after the request (a provider's clock ahead of ours, or an event that arrived meanwhile): nothing was removed. Look the address up, then retry.",
          content: {
            "application/problem+json": {
              schema: { $ref: "#/components/schemas/ProblemDocument" },
              examples: {
                newerEvidence: {
                  value: problem(
                    409,
                    "newer-evidence",
                    "`bounce` has an event dated after this request (a provider's clock ahead of ours, or an event that arrived meanwhile): nothing was removed. Look the address up, then retry.",
                  ),
                },
              },
            },
          },
        },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
  },
  "/v1/events": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); only GET is routed.",
    get: {
      operationId: "statusView",
      tags: ["operators"],
      summary: `Every provider event of the tenant in a window of at most ${STATUS_WINDOW_MAX_DAYS} days, newest first (the status view)`,
      description: `Every provider event of the tenant that occurred between \`from\` and \`to\` (default: the ${STATUS_WINDOW_DEFAULT_DAYS} days up to now), newest first, each as the address history shows it (normalized fields with the recipient, rule, SMTP evidence, what the policy did), in pages with an opaque \`cursor\`; operators' changes are in each address's history (\`GET /v1/events/{address}\`), not here. The type, provider and tag filters are applied while reading, so a page may be short, or empty, and still carry a cursor (its read budget ran out under a selective filter or over empty days): follow \`cursor\` until it is null, with the same \`from\` and \`to\` (the answer says which were used). Events are kept as long as the policy's \`history.keepDays\` (30 days by default).`,
      parameters: [
        {
          name: "type",
          in: "query",
          required: false,
          description: "Only events of this type.",
          schema: { type: "string", enum: [...EVENT_TYPE_IDS] },
          example: "invalid",
        },
        ...statusFilterParameters,
        ...pageParameters(
          "Events",
          STATUS_PAGE_LIMIT,
          STATUS_PAGE_DEFAULT,
          " (with the same `from` and `to`)",
        ),
      ],
      responses: {
        "200": {
          description: "One page of the status view.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/StatusPage" },
              examples: {
                oneBounce: {
                  value: {
                    from: "2026-11-14T10:00:00.000Z",
                    to: "2026-11-21T10:00:00.000Z",
                    items: [
                      {
                        kind: "event",
                        at: "2026-11-20T10:00:00.000Z",
                        receivedAt: "2026-11-20T10:00:02.000Z",
                        event: { ...EXAMPLE_EVENT },
                        decision: { ...EXAMPLE_DECISION, outcome: "suppressed" },
                        applied: true,
                        outcome: "suppressed",
                      },
                    ],
                    cursor: null,
                  },
                },
              },
            },
          },
        },
        "400": {
          description: "A bad query parameter or cursor, a reversed window, or one over 30 days.",
          content: {
            "application/problem+json": {
              schema: { $ref: "#/components/schemas/ProblemDocument" },
              examples: WINDOW_TOO_LONG,
            },
          },
        },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
  },
  "/v1/event-counts": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); only GET is routed.",
    get: {
      operationId: "eventCounts",
      tags: ["operators"],
      summary: `How many provider events of each type the tenant has in a window of at most ${STATUS_WINDOW_MAX_DAYS} days (the counts on top of the status view)`,
      description: `The counts by type of what \`GET /v1/events\` lists with the same \`provider\`, \`tag\`, \`from\` and \`to\` (the same defaults: the ${STATUS_WINDOW_DEFAULT_DAYS} days up to now; the same refusals), exactly: paging that list to its end finds as many of each type. Counted by the store, no event is read out. One request counts for a bounded time: whole UTC days, newest first; when the whole window does not fit, the answer says \`complete: false\` and counts from \`countedFrom\` (00:00 UTC of the oldest day it counted) to \`to\`, never a part of a day; ask for the rest with \`to\` before \`countedFrom\`. \`type\`, \`cursor\` and \`limit\` are not parameters here (400).`,
      parameters: [...statusFilterParameters],
      responses: {
        "200": {
          description: "The counts of the window.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/EventCounts" },
              examples: {
                aWeek: {
                  value: {
                    from: "2026-11-14T10:00:00.000Z",
                    to: "2026-11-21T10:00:00.000Z",
                    counts: {
                      request: 0,
                      delivered: 1520,
                      soft_bounce: 12,
                      invalid: 31,
                      complaint: 2,
                      unsubscribe: 9,
                    },
                    total: 1574,
                    complete: true,
                    countedFrom: "2026-11-14T10:00:00.000Z",
                  },
                },
                cutShort: {
                  value: {
                    from: "2026-10-22T10:00:00.000Z",
                    to: "2026-11-21T10:00:00.000Z",
                    counts: {
                      request: 0,
                      delivered: 40210,
                      soft_bounce: 388,
                      invalid: 902,
                      complaint: 57,
                      unsubscribe: 240,
                    },
                    total: 41797,
                    complete: false,
                    countedFrom: "2026-11-09T00:00:00.000Z",
                  },
                },
              },
            },
          },
        },
        "400": {
          description:
            "A bad or unknown query parameter (`type`, `cursor` and `limit` among them), a reversed window, or one over 30 days.",
          content: {
            "application/problem+json": {
              schema: { $ref: "#/components/schemas/ProblemDocument" },
              examples: WINDOW_TOO_LONG,
            },
          },
        },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
  },
  "/v1/stats": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); only GET is routed.",
    get: {
      operationId: "stats",
      tags: ["operators"],
      summary:
        "The tenant's reputation figures: events first accepted per UTC day, by provider or by tag, with the bounce and complaint rates against the 2% and 0.1% lines",
      description: `Counted when the service first accepts an event (never again for a duplicate), on the UTC day it accepted it: a late or out-of-order event counts on the day it arrived, and a day that ended more than an hour ago never changes. \`bounceRate\` = invalid / (deliveries + softBounces + invalid), \`complaintRate\` = complaints / (deliveries + softBounces + invalid), \`null\` when nothing was sent; \`over\` flags a rate strictly above its line. At most ${STATS_WINDOW_MAX_DAYS} days (default the ${STATS_WINDOW_DEFAULT_DAYS} days up to today); \`tag\` answers show the ${STATS_MAX_TAGS} busiest tags. See docs/figures.md.`,
      parameters: [
        {
          name: "from",
          in: "query",
          required: false,
          description: `The first UTC day, included; default \`to\` less ${STATS_WINDOW_DEFAULT_DAYS - 1} days. At most ${STATS_WINDOW_MAX_DAYS} days up to \`to\`.`,
          schema: { type: "string", format: "date" },
          example: "2026-11-01",
        },
        {
          name: "to",
          in: "query",
          required: false,
          description: "The last UTC day, included; default today.",
          schema: { type: "string", format: "date" },
          example: "2026-11-30",
        },
        {
          name: "groupBy",
          in: "query",
          required: false,
          description: "Rows by `day` (default), `provider` or `tag`.",
          schema: { $ref: "#/components/schemas/StatsGroupBy" },
        },
        {
          name: "provider",
          in: "query",
          required: false,
          description: "Only the events of this provider.",
          schema: { type: "string", enum: [...PROVIDERS] },
          example: "ses",
        },
        {
          name: "tag",
          in: "query",
          required: false,
          description: "Only the events whose message carried this tag.",
          schema: { type: "string" },
        },
      ],
      responses: {
        "200": {
          description: "The figures of the window.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/Stats" },
              examples: { byProvider: { value: STATS_EXAMPLE } },
            },
          },
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
  },
  "/v1/events/{address}": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); only GET is routed.",
    get: {
      operationId: "getHistory",
      tags: ["operators"],
      summary: "The history of one address (or domain): its events and operators' actions, newest first",
      description:
        "Every provider event of the address, with its normalized fields, rule, SMTP evidence and what the policy did, and every operator's change (who, why, what it did), newest first, in pages with an opaque `cursor`. For `@domain`, the operators' changes on the domain. Kept as long as the policy's `history.keepDays` (30 days by default). Pages neither repeat nor skip an item while new ones arrive (a new one appears on a new first page).",
      parameters: [
        subjectParameter("jane.doe@example.org"),
        {
          name: "from",
          in: "query",
          required: false,
          description: "Only items at or after this time.",
          schema: { type: "string", format: "date-time" },
        },
        {
          name: "to",
          in: "query",
          required: false,
          description: "Only items at or before this time; default now.",
          schema: { type: "string", format: "date-time" },
        },
        {
          name: "type",
          in: "query",
          required: false,
          description: "Only provider events of this type, or only operators' actions (`admin`).",
          schema: { type: "string", enum: [...EVENT_TYPE_IDS, "admin"] },
          example: "invalid",
        },
        ...pageParameters("Items", HISTORY_PAGE_LIMIT, HISTORY_PAGE_DEFAULT),
      ],
      responses: {
        "200": {
          description: "One page of the history.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/HistoryPage" },
              examples: {
                bounceThenRemoval: {
                  value: {
                    subjectKind: "address",
                    subject: "jane.doe@example.org",
                    items: [
                      {
                        kind: "admin",
                        at: "2026-11-21T09:30:00.000Z",
                        actionId: "0c9e7a52-6b1f-4d3e-8a2c-5f4e3d2c1b0a",
                        action: "remove",
                        scope: "*",
                        actor: ACTOR,
                        note: null,
                        expiresAt: null,
                        reason: "the customer fixed their mailbox",
                        causes: ["bounce"],
                        removed: ["bounce"],
                        applied: true,
                      },
                      {
                        kind: "event",
                        at: "2026-11-20T10:00:00.000Z",
                        receivedAt: "2026-11-20T10:00:02.000Z",
                        event: { ...EXAMPLE_EVENT },
                        decision: { ...EXAMPLE_DECISION, outcome: "suppressed" },
                        applied: true,
                        outcome: "suppressed",
                      },
                    ],
                    cursor: null,
                  },
                },
              },
            },
          },
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
  },
  "/v1/allowlist": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); only GET is routed.",
    get: {
      operationId: "listAllowlist",
      tags: ["operators"],
      summary: "Every address and domain provider events never suppress, newest first",
      responses: {
        "200": {
          description: "The allowlist.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/AllowlistPage" },
              examples: {
                seeds: {
                  value: {
                    entries: [
                      {
                        subjectKind: "domain",
                        subject: "seeds.example.org",
                        note: "our seed list",
                        since: "2026-11-20T10:00:00.000Z",
                        actor: ACTOR,
                      },
                    ],
                  },
                },
              },
            },
          },
        },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
  },
  "/v1/allowlist/{address}": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); GET, PUT and DELETE are routed.",
    get: {
      operationId: "allowlistState",
      tags: ["operators"],
      summary: "Whether an address (or `@domain`) is on the allowlist, and by which entries",
      description:
        "The active entries that cover it: the address itself and, for an address, its domain. Provider events never suppress a covered address.",
      parameters: [subjectParameter("jane.doe@seeds.example.org")],
      responses: {
        "200": {
          description: "The subject and the entries that cover it (none: `allowlisted` is false).",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/AllowlistState" },
              examples: {
                byDomain: {
                  value: {
                    subjectKind: "address",
                    subject: "jane.doe@seeds.example.org",
                    allowlisted: true,
                    entries: [
                      {
                        subjectKind: "domain",
                        subject: "seeds.example.org",
                        note: "our seed list",
                        since: "2026-11-20T10:00:00.000Z",
                        actor: ACTOR,
                      },
                    ],
                  },
                },
              },
            },
          },
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
    put: {
      operationId: "allow",
      tags: ["operators"],
      summary: "Put an address or a whole domain on the allowlist",
      description:
        "Provider events never suppress it: they are still recorded, with the decision `none` (`why`: allowlisted). A manual entry still suppresses it, and entries that exist already stay until removed (`DELETE /v1/suppressions/{address}`). Ingestion sees a change within 30 s. Written into the subject's history first, with who.",
      parameters: [subjectParameter("@seeds.example.org")],
      requestBody: {
        required: false,
        content: {
          "application/json": {
            schema: { $ref: "#/components/schemas/AllowRequest" },
            examples: { seeds: { value: { note: "our seed list" } } },
          },
        },
      },
      responses: {
        "200": {
          description: "The entry.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/AllowlistEntry" },
              examples: {
                seeds: {
                  value: {
                    subjectKind: "domain",
                    subject: "seeds.example.org",
                    note: "our seed list",
                    since: "2026-11-20T10:00:00.000Z",
                    actor: ACTOR,
                  },
                },
              },
            },
          },
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
    delete: {
      operationId: "disallow",
      tags: ["operators"],
      summary: "Take an address or domain off the allowlist",
      parameters: [subjectParameter("@seeds.example.org")],
      responses: {
        "200": {
          description: "Off the list; provider events suppress it again from now on.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/DisallowAnswer" },
              examples: {
                seeds: {
                  value: {
                    subjectKind: "domain",
                    subject: "seeds.example.org",
                    allowlisted: false,
                    actionId: "6f1c2b8e-1d2a-4b7e-9c1f-0a2b3c4d5e6f",
                    at: "2026-11-21T09:30:00.000Z",
                  },
                },
              },
            },
          },
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "404": {
          description: "It was not on the allowlist (the attempt is in the history all the same).",
          content: {
            "application/problem+json": {
              schema: { $ref: "#/components/schemas/ProblemDocument" },
              examples: {
                notAllowlisted: {
                  value: problem(
                    404,
                    "not-allowlisted",
                    "Not on the allowlist: it stays off (the attempt is in the history).",
                  ),
                },
              },
            },
          },
        },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
  },
  "/v1/import/{provider}": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); only POST is routed.",
    post: {
      operationId: "importPayload",
      tags: ["ingestion"],
      summary: "Ingest a provider payload without its transport signature",
      description:
        "Backfills, replays, tests. For `ses`, any shape SES output arrives in: a bare SES notification or event record, an SNS HTTP message, an SNS→Lambda event, an SQS→Lambda event, an EventBridge event. For `email`, one raw bounce or complaint email (a DSN or an ARF report, `message/rfc822`, read as raw bytes whatever the content type; docs/providers/email.md). Idempotent: a replayed event counts as a duplicate. `?dryRun=true` answers the normalized events and the policy's decisions without storing anything (and without `outcome`).",
      parameters: [
        {
          name: "provider",
          in: "path",
          required: true,
          description: "A provider whose import parser exists; any other answers 404.",
          schema: {
            type: "string",
            enum: [...PROVIDERS],
          },
          example: "ses",
        },
        {
          name: "dryRun",
          in: "query",
          required: false,
          description:
            "`true`/`1` for a dry run; absent, empty, `false` or `0` stores. Anything else answers 400.",
          schema: {
            type: "string",
            enum: ["true", "false", "1", "0", ""],
          },
          example: "true",
        },
      ],
      requestBody: {
        required: true,
        description:
          "The provider's payload, read as JSON whatever the content type (SNS posts `text/plain`); for `email`, one raw email, read as bytes whatever the content type.",
        content: {
          "message/rfc822": {
            schema: {
              type: "string",
              format: "binary",
              description: "For `email`: one raw message (RFC 5322), a DSN or an ARF report.",
            },
            examples: {
              dsn: {
                summary: "A DSN (RFC 3464) for one recipient, shortened (docs/providers/email.md)",
                value: [
                  "From: MAILER-DAEMON@mx.sender.example.com",
                  "To: news@sender.example.com",
                  "Subject: Undelivered Mail Returned to Sender",
                  "Message-ID: <20261120100001.3F2A81C0042@mx.sender.example.com>",
                  "MIME-Version: 1.0",
                  'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
                  "",
                  "--b1",
                  "Content-Type: message/delivery-status",
                  "",
                  "Reporting-MTA: dns; mx.sender.example.com",
                  "",
                  "Final-Recipient: rfc822; jdoe@example.org",
                  "Action: failed",
                  "Status: 5.1.1",
                  "Diagnostic-Code: smtp; 550 5.1.1 <jdoe@example.org>: Recipient address rejected: User unknown",
                  "",
                  "--b1--",
                  "",
                ].join("\r\n"),
              },
            },
          },
          "application/json": {
            schema: {
              type: "object",
              description: "A provider payload (for `ses`, see the shapes above).",
            },
            examples: {
              sesBounce: {
                summary: "docs/examples/ses-bounce.json",
                value: {
                  notificationType: "Bounce",
                  bounce: {
                    feedbackId: "0100018b7e8f1a2b-3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f-000000",
                    bounceType: "Permanent",
                    bounceSubType: "General",
                    bouncedRecipients: [
                      {
                        emailAddress: "jane.doe@example.org",
                        action: "failed",
                        status: "5.1.1",
                        diagnosticCode:
                          "smtp; 550 5.1.1 <jane.doe@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
                      },
                    ],
                    timestamp: "2026-11-20T10:00:00.000Z",
                    reportingMTA: "dsn; a8-55.smtp-out.amazonses.com",
                    remoteMtaIp: "192.0.2.10",
                  },
                  mail: {
                    timestamp: "2026-11-20T09:59:58.000Z",
                    source: "news@sender.example.com",
                    sourceArn: "arn:aws:ses:us-east-1:123456789012:identity/sender.example.com",
                    sourceIp: "198.51.100.7",
                    sendingAccountId: "123456789012",
                    messageId: "0100018b7e8f19c0-aaaa-bbbb-cccc-dddddddddddd-000000",
                    destination: ["jane.doe@example.org"],
                  },
                },
              },
            },
          },
        },
      },
      responses: {
        "200": {
          description: "What the import did (or, on a dry run, would do).",
          content: {
            "application/json": {
              schema: {
                $ref: "#/components/schemas/IngestSummary",
              },
              examples: {
                stored: { value: importAnswer({ accepted: 1, outcome: "suppressed" }) },
                replayed: { value: importAnswer({ duplicates: 1, outcome: "duplicate" }) },
                dryRun: { value: importAnswer({ dryRun: true }) },
              },
            },
          },
        },
        "400": {
          description:
            "Empty body, invalid JSON, a payload the provider's parser does not recognize, an email whose MIME cannot be read (`email-unparseable`), or a bad `dryRun`.",
          content: {
            "application/problem+json": {
              schema: {
                $ref: "#/components/schemas/ProblemDocument",
              },
              examples: {
                unrecognized: {
                  value: problem(
                    400,
                    "invalid-input",
                    "Not an SES notification: expected an SES record (`eventType`/`notificationType`), an SNS message (`Type`, `Message`), a Lambda event (`Records`) or an EventBridge event (`detail-type`, `detail`).",
                    [
                      {
                        path: "",
                        message: "unrecognized shape",
                      },
                    ],
                  ),
                },
                badDryRun: {
                  value: problem(400, "invalid-input", "`dryRun` is `true` or `false`.", [
                    {
                      path: "dryRun",
                      message: "got maybe",
                    },
                  ]),
                },
                emptyBody: {
                  value: problem(
                    400,
                    "invalid-input",
                    "The request body is empty; a JSON document is expected.",
                  ),
                },
                notJson: {
                  value: problem(
                    400,
                    "invalid-input",
                    "The body is not valid JSON: Unexpected token 'o', \"nojson\" is not valid JSON",
                  ),
                },
              },
            },
          },
        },
        "401": {
          $ref: "#/components/responses/Unauthorized",
        },
        "404": {
          $ref: "#/components/responses/UnknownProvider",
        },
        "413": {
          $ref: "#/components/responses/IngestTooLarge",
        },
        "503": {
          $ref: "#/components/responses/StoreUnavailable",
        },
      },
    },
  },
  "/webhooks/{provider}": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); only POST is routed.",
    post: {
      operationId: "webhook",
      tags: ["ingestion"],
      summary: "Receive a provider's webhook, authenticated by the provider's own signature",
      description:
        "For `ses`: an SNS HTTP(S) subscription (keep raw message delivery off). The message is verified before anything else happens (docs/providers/ses.md §1.7): `TopicArn` must be listed in `SNS_TOPIC_ARNS` (checked first), the `x-amz-sns-message-type` header must equal the body's `Type`, `SignatureVersion` must be `1` (RSA-SHA1) or `2` (RSA-SHA256), `SigningCertURL` must be `https://sns.<region>.amazonaws.com(.cn)/SimpleNotificationService-<id>.pem` exactly (checked before it is fetched; certificates are cached per container) and `Timestamp` at most an hour old. Then a `Notification` is ingested like `POST /v1/import/ses` (idempotent: SNS's redeliveries count as duplicates); a `SubscriptionConfirmation` is confirmed by GETting its `SubscribeURL`, only when that URL is on the signing certificate's SNS host and names the same topic; an `UnsubscribeConfirmation` is only logged. SNS takes any answer from 200 to 499 as delivered and retries 5xx, so refusals are 4xx and our own failures 503. For `email`: every request is refused (403 `email-webhook-unsupported`): a raw email carries no signature to verify; use `POST /v1/import/email` with an API key.",
      security: [],
      parameters: [
        {
          name: "provider",
          in: "path",
          required: true,
          description: "A provider whose webhook is served; any other answers 404.",
          schema: {
            type: "string",
            enum: [...PROVIDERS],
          },
          example: "ses",
        },
        {
          name: "x-amz-sns-message-type",
          in: "header",
          required: true,
          description: "Set by SNS; must equal the body's `Type` (else 400).",
          schema: {
            type: "string",
            enum: ["Notification", ...SNS_CONTROL_TYPES],
          },
          example: "Notification",
        },
      ],
      requestBody: {
        required: true,
        description:
          "The SNS message document, as SNS posts it: JSON text with `Content-Type: text/plain; charset=UTF-8` (any content type is read as JSON).",
        content: {
          "text/plain": {
            schema: {
              type: "string",
              description:
                "An SNS HTTP(S) message document (`Type`, `MessageId`, `TopicArn`, `Message`, `Timestamp`, `SignatureVersion`, `Signature`, `SigningCertURL`; confirmations also `Token`, `SubscribeURL`).",
            },
            examples: {
              sesComplaint: {
                summary: "docs/examples/ses-complaint-sns.json (its signature is a placeholder)",
                value:
                  '{\n  "Type": "Notification",\n  "MessageId": "5a3e1c0a-1b2c-5d3e-8f4a-9b0c1d2e3f4a",\n  "TopicArn": "arn:aws:sns:us-east-1:123456789012:ses-notifications",\n  "Message": "{\\"notificationType\\":\\"Complaint\\",\\"complaint\\":{\\"feedbackId\\":\\"0100018b7e90aaaa-1111-2222-3333-444444444444-000000\\",\\"complainedRecipients\\":[{\\"emailAddress\\":\\"john.roe@example.net\\"}],\\"timestamp\\":\\"2026-11-20T11:00:00.000Z\\",\\"userAgent\\":\\"ExampleFBL/1.0\\",\\"complaintFeedbackType\\":\\"abuse\\",\\"arrivalDate\\":\\"2026-11-20T10:58:00.000Z\\"},\\"mail\\":{\\"timestamp\\":\\"2026-11-20T10:30:00.000Z\\",\\"source\\":\\"news@sender.example.com\\",\\"sendingAccountId\\":\\"123456789012\\",\\"messageId\\":\\"0100018b7e90bbbb-5555-6666-7777-888888888888-000000\\",\\"destination\\":[\\"john.roe@example.net\\"]}}",\n  "Timestamp": "2026-11-20T11:00:01.000Z",\n  "SignatureVersion": "1",\n  "Signature": "EXAMPLE",\n  "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",\n  "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:ses-notifications:00000000-0000-0000-0000-000000000000"\n}\n',
              },
            },
          },
        },
      },
      responses: {
        "200": {
          description:
            "A Notification: what ingesting it did. A confirmation: whether the subscription was confirmed.",
          content: {
            "application/json": {
              schema: {
                oneOf: [
                  {
                    $ref: "#/components/schemas/IngestSummary",
                  },
                  {
                    $ref: "#/components/schemas/SnsControlAnswer",
                  },
                ],
              },
              examples: {
                stored: {
                  value: {
                    accepted: 1,
                    duplicates: 0,
                    ignored: 0,
                    dryRun: false,
                    events: [
                      {
                        provider: "ses",
                        occurredAt: "2026-11-20T11:00:00.000Z",
                        feedbackType: "abuse",
                        unsubscribeReason: null,
                        resubscribe: false,
                        type: "complaint",
                        subtype: null,
                        reason: null,
                        rule: "ses-complaint",
                        eventId: "0100018b7e90aaaa-1111-2222-3333-444444444444-000000#john.roe@example.net",
                        recipient: "john.roe@example.net",
                        scope: "*",
                        smtp: null,
                      },
                    ],
                    decisions: [
                      {
                        recipient: "john.roe@example.net",
                        eventId: "0100018b7e90aaaa-1111-2222-3333-444444444444-000000#john.roe@example.net",
                        action: "suppress",
                        scope: "*",
                        cause: "complaint",
                        expiresAt: "2027-05-19T11:00:00.000Z",
                        outcome: "suppressed",
                      },
                    ],
                  },
                },
                subscriptionConfirmed: {
                  value: {
                    sns: "SubscriptionConfirmation",
                    topicArn: "arn:aws:sns:us-east-1:123456789012:ses-notifications",
                    messageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
                    confirmed: true,
                  },
                },
                unsubscribed: {
                  value: {
                    sns: "UnsubscribeConfirmation",
                    topicArn: "arn:aws:sns:us-east-1:123456789012:ses-notifications",
                    messageId: "47138184-6831-46b8-8f7c-afc488602d7d",
                    confirmed: false,
                  },
                },
              },
            },
          },
        },
        "400": {
          description:
            "Invalid JSON, not an SNS message, a `x-amz-sns-message-type` header that is missing or disagrees with `Type`, or a Notification whose `Message` is not an SES record. Not retried by SNS.",
          content: {
            "application/problem+json": {
              schema: {
                $ref: "#/components/schemas/ProblemDocument",
              },
              examples: {
                typeMismatch: {
                  value: problem(
                    400,
                    "sns-type-mismatch",
                    'The x-amz-sns-message-type header ("SubscriptionConfirmation") does not match the body\'s Type (Notification).',
                  ),
                },
                notJson: {
                  value: problem(
                    400,
                    "invalid-input",
                    "The body is not valid JSON: Unexpected token 'o', \"nojson\" is not valid JSON",
                  ),
                },
              },
            },
          },
        },
        "401": {
          description:
            "The message is not accepted as coming from our SNS topics (not retried by SNS): `SNS_TOPIC_ARNS` unset, a topic not in it, no or an unsupported signature, a certificate URL outside `sns.<region>.amazonaws.com`, a certificate that is not valid, a signature that does not match, a message over an hour old, or a `SubscribeURL` that is not on the certificate's SNS host.",
          content: {
            "application/problem+json": {
              schema: {
                $ref: "#/components/schemas/ProblemDocument",
              },
              examples: {
                notConfigured: {
                  value: problem(
                    401,
                    "sns-not-configured",
                    "SNS_TOPIC_ARNS is not set: no SNS topic is allowed, so no SES webhook is accepted. Set it to the comma-separated topic ARNs.",
                  ),
                },
                topicNotAllowed: {
                  value: problem(
                    401,
                    "sns-topic-not-allowed",
                    'The topic "arn:aws:sns:us-east-1:999999999999:ses-notifications" is not in SNS_TOPIC_ARNS.',
                  ),
                },
                certUrl: {
                  value: problem(
                    401,
                    "sns-cert-url",
                    "SigningCertURL host s3.amazonaws.com is not an SNS endpoint (sns.<region>.amazonaws.com).",
                  ),
                },
                badSignature: {
                  value: problem(401, "sns-bad-signature", "The SNS signature does not match the message."),
                },
                stale: {
                  value: problem(
                    401,
                    "sns-stale",
                    "The SNS message is too old (sent 2026-11-20T09:00:01.000Z).",
                  ),
                },
              },
            },
          },
        },
        "404": {
          $ref: "#/components/responses/UnknownProvider",
        },
        "413": {
          $ref: "#/components/responses/IngestTooLarge",
        },
        "503": {
          description:
            "The store, the SNS certificate host or SNS's ConfirmSubscription is unavailable; SNS retries.",
          headers: {
            "Retry-After": {
              schema: {
                type: "string",
              },
              example: "1",
            },
          },
          content: {
            "application/problem+json": {
              schema: {
                $ref: "#/components/schemas/ProblemDocument",
              },
              examples: {
                storeUnavailable: {
                  value: problem(
                    503,
                    "store-unavailable",
                    "The suppression store is unavailable; retry later.",
                  ),
                },
                certificateUnavailable: {
                  value: problem(
                    503,
                    "sns-unavailable",
                    "The SNS signing certificate could not be fetched; retry later.",
                  ),
                },
              },
            },
          },
        },
      },
    },
  },
  "/v1/me": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); only GET is routed.",
    get: {
      operationId: "me",
      tags: ["operators"],
      summary: "Who the presented key is: its id, name, tenant and scopes (any valid key)",
      description:
        "Never the key or its hash. The console asks it at sign-in, to refuse a key without `admin` in words and to know whether addresses are masked (no `pii`).",
      responses: {
        "200": {
          description: "The key as the service sees it.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/Me" },
              examples: {
                operator: {
                  value: {
                    keyId: EXAMPLE_KEY.id,
                    name: "console of Ana",
                    tenant: "acme",
                    scopes: ["admin", "pii"],
                    bootstrap: false,
                  },
                },
              },
            },
          },
        },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
  },
  "/v1/keys": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); POST and GET are routed.",
    post: {
      operationId: "createKey",
      tags: ["operators"],
      summary: "Make an API key for the tenant, with a name and scopes; the key is answered this once",
      description:
        "Only the key's SHA-256 is stored. A key grants no scope it lacks (403 `scope-escalation`); only the bootstrap key makes keys for another tenant (`tenant`, or its `X-Tenant`). The same as `npm run keys -- create`.",
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: { $ref: "#/components/schemas/CreateKeyRequest" },
            examples: { ci: { value: { name: "ci pipeline", scopes: ["check"], tenant: "acme" } } },
          },
        },
      },
      responses: {
        "201": {
          description: "The key, shown once, and its record.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/CreatedKey" },
              examples: { ci: { value: { ...EXAMPLE_KEY, key: `ssk_${EXAMPLE_KEY.id}_${"A".repeat(43)}` } } },
            },
          },
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
    get: {
      operationId: "listKeys",
      tags: ["operators"],
      summary: "The tenant's keys, newest first, revoked ones included (never a key or its hash)",
      responses: {
        "200": {
          description: "The keys.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/KeysPage" },
              examples: { one: { value: { keys: [EXAMPLE_KEY] } } },
            },
          },
        },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
  },
  "/v1/keys/{id}": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); only DELETE is routed.",
    delete: {
      operationId: "revokeKey",
      tags: ["operators"],
      summary: "Revoke a key of the tenant (idempotent); it stays listed with `revokedAt`",
      description: `Refused at once by the function that revoked it (and by \`npm start\`), by the other functions within ${KEY_CACHE_SECONDS} s (their key cache). The bootstrap key is rotated in Secrets Manager instead.`,
      parameters: [
        {
          name: "id",
          in: "path",
          required: true,
          description: "The key's id: the 12 hex digits after `ssk_`.",
          schema: { type: "string", pattern: "^[0-9a-f]{12}$" },
          example: EXAMPLE_KEY.id,
        },
      ],
      responses: {
        "200": {
          description: "The revoked key's record.",
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/KeyView" },
              examples: {
                revoked: {
                  value: { ...EXAMPLE_KEY, revokedAt: "2026-11-21T09:30:00.000Z", revokedBy: ACTOR },
                },
              },
            },
          },
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        "401": { $ref: "#/components/responses/Unauthorized" },
        "404": {
          description: "The tenant has no such key.",
          content: {
            "application/problem+json": {
              schema: { $ref: "#/components/schemas/ProblemDocument" },
              examples: {
                noSuchKey: {
                  value: problem(404, "no-such-key", `The tenant \`acme\` has no key \`${EXAMPLE_KEY.id}\`.`),
                },
              },
            },
          },
        },
        "503": { $ref: "#/components/responses/StoreUnavailable" },
      },
    },
  },
};

/** `/webhooks/{provider}/{tenant}`: the webhook of a tenant, documented as the default's plus its tenant. */
function tenantWebhook(base: (typeof BASE_PATHS)["/webhooks/{provider}"]) {
  return {
    ...base,
    post: {
      ...base.post,
      operationId: "tenantWebhook",
      summary: "Receive a tenant's webhook, checked with that tenant's own provider secrets and settings",
      description: `${base.post.description} The tenant's secrets are its own entry of the provider secrets (\`tenants.<tenant>\`; locally \`TENANT_SECRETS\`), \`SNS_TOPIC_ARNS\` included; a tenant without them has its webhooks refused, never checked with the default tenant's. \`POST /webhooks/{provider}\` is tenant \`default\`.`,
      parameters: [
        ...base.post.parameters,
        {
          name: "tenant",
          in: "path",
          required: true,
          description: "The tenant the events belong to; an id that cannot be a tenant answers 404.",
          schema: { type: "string", pattern: TENANT_PATTERN.source },
          example: "acme",
        },
      ],
    },
  };
}

export const PATHS = {
  ...BASE_PATHS,
  ...JOB_PATHS,
  ...UNSUBSCRIBE_PATHS,
  "/webhooks/{provider}/{tenant}": tenantWebhook(BASE_PATHS["/webhooks/{provider}"]),
};

export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    description:
      "An API key as `Authorization: Bearer <key>`: a scoped key (`ssk_…`, made with `POST /v1/keys` or `npm run keys`) or the bootstrap key (`SUPPRESSION_API_KEY` locally, Secrets Manager deployed), which holds every scope and may name another tenant with `X-Tenant`. Each operation lists the scope it needs; a key without it answers 403.",
  },
};

export const RESPONSES = {
  UnknownProvider: {
    description: "The path names a provider the service does not support.",
    content: {
      "application/problem+json": {
        schema: {
          $ref: "#/components/schemas/ProblemDocument",
        },
        examples: {
          unknownProvider: {
            value: problem(
              404,
              "unknown-provider",
              `Unknown provider "foo"; supported: ${PROVIDERS.join(", ")}.`,
            ),
          },
        },
      },
    },
  },
  IngestTooLarge: {
    description: `A body over 6 MiB, more than ${MAX_EVENTS_PER_REQUEST} events (\`too-many-events\`, nothing stored), an event too large to store (\`item-too-large\`), or a raw email too large to read (\`email-too-large\`).`,
    content: {
      "application/problem+json": {
        schema: {
          $ref: "#/components/schemas/ProblemDocument",
        },
        examples: {
          bodyTooLarge: {
            value: problem(413, "body-too-large", "The body is larger than 6291456 bytes."),
          },
          tooManyEvents: {
            value: problem(
              413,
              "too-many-events",
              `At most ${MAX_EVENTS_PER_REQUEST} events per request; got ${MAX_EVENTS_PER_REQUEST + 1} events. Send smaller batches (npm run import splits files into chunks that fit).`,
            ),
          },
        },
      },
    },
  },
  BadRequest: {
    description: "A bad address or `@domain`, body or query (problem+json, with the issues).",
    content: {
      "application/problem+json": {
        schema: { $ref: "#/components/schemas/ProblemDocument" },
        examples: {
          missingReason: {
            value: problem(
              400,
              "invalid-input",
              "`reason` is required: say why the entry is removed (the history keeps it).",
              [{ path: "reason", message: "missing" }],
            ),
          },
        },
      },
    },
  },
  Forbidden: {
    description:
      "The key lacks the scope the route needs (`insufficient-scope`), or names another tenant than its own (`tenant-mismatch`; only the bootstrap key may), or grants a scope it lacks (`scope-escalation`).",
    content: {
      "application/problem+json": {
        schema: { $ref: "#/components/schemas/ProblemDocument" },
        examples: {
          insufficientScope: {
            value: problem(403, "insufficient-scope", "This key lacks the `admin` scope this route needs."),
          },
        },
      },
    },
  },
  Unauthorized: {
    description: "Missing, unknown or revoked bearer key (or no key configured on the server).",
    headers: {
      "WWW-Authenticate": {
        schema: {
          type: "string",
        },
        example: 'Bearer realm="suppression-service"',
      },
    },
    content: {
      "application/problem+json": {
        schema: {
          $ref: "#/components/schemas/ProblemDocument",
        },
        examples: {
          missingKey: {
            value: problem(401, "missing-api-key", "Send the API key as `Authorization: Bearer <key>`."),
          },
          invalidKey: {
            value: problem(401, "invalid-api-key", "The API key is not valid."),
          },
          notConfigured: {
            value: problem(
              401,
              "api-key-not-configured",
              "No API key is configured on the server (set SUPPRESSION_API_KEY).",
            ),
          },
        },
      },
    },
  },
  StoreUnavailable: {
    description: "The store is unavailable; retry.",
    headers: {
      "Retry-After": {
        schema: {
          type: "string",
        },
        example: "1",
      },
    },
    content: {
      "application/problem+json": {
        schema: {
          $ref: "#/components/schemas/ProblemDocument",
        },
        examples: {
          storeUnavailable: {
            value: problem(503, "store-unavailable", "The suppression store is unavailable; retry later."),
          },
        },
      },
    },
  },
  MethodNotAllowed: {
    description: "The path exists but not with this method.",
    content: {
      "application/problem+json": {
        schema: {
          $ref: "#/components/schemas/ProblemDocument",
        },
        examples: {
          methodNotAllowed: {
            value: problem(405, "method-not-allowed", "GET is not allowed on /v1/check."),
          },
        },
      },
    },
  },
  NotFound: {
    description: "No route matches the path.",
    content: {
      "application/problem+json": {
        schema: {
          $ref: "#/components/schemas/ProblemDocument",
        },
        examples: {
          unknownRoute: {
            value: problem(404, "unknown-route", "No route for GET /nothing."),
          },
        },
      },
    },
  },
};
