/**
 * docs/openapi.json apart from its schemas: the paths, parameters, security scheme, shared
 * responses and examples (the schemas come from lambdas/contract, see openapi.ts). Each
 * `#/components/schemas/…` reference must name a contract component; openapi.ts checks it.
 * The enums of the parameters are the code's lists.
 */
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_LIMIT } from "../contract/history.js";
import { SNS_CONTROL_TYPES } from "../contract/ingestion.js";
import type { InputIssue } from "../core/errors.js";
import { EVENT_TYPE_IDS } from "../core/taxonomy.js";
import { HttpProblem, type ProblemStatus } from "../handlers/http/problem.js";
import { MAX_EVENTS_PER_REQUEST } from "../handlers/webhook-request.js";
import { PROVIDERS } from "../providers/registry.js";

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
const problem = (status: ProblemStatus, slug: string, detail: string, errors?: readonly InputIssue[]) =>
  new HttpProblem(status, detail, { slug, ...(errors ? { errors } : {}) }).toDocument();

/** The one key's name in the history until scoped keys exist. */
const ACTOR = { keyId: "bootstrap", name: "bootstrap key" } as const;

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

export const PATHS = {
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
  "/v1/suppressions/{address}": {
    description:
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); GET, PUT and DELETE are routed.",
    get: {
      operationId: "getSuppression",
      tags: ["checks"],
      summary: "One address: its all-mail verdict plus every live entry",
      description:
        "The verdict is the all-mail (`*`) one, as `POST /v1/check` without a scope gives it; `entries` lists every live cause on the address or its domain in any scope, strongest first (so an unsuppressed verdict can still come with scoped entries). A malformed address answers 200 with the bad-address verdict and no entries.",
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
        {
          name: "limit",
          in: "query",
          required: false,
          description: `Items per page, 1 to ${HISTORY_PAGE_LIMIT}; default ${HISTORY_PAGE_DEFAULT}.`,
          schema: { type: "integer", minimum: 1, maximum: HISTORY_PAGE_LIMIT },
        },
        {
          name: "cursor",
          in: "query",
          required: false,
          description: "The `cursor` of the previous page.",
          schema: { type: "string" },
        },
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
      "Other methods on this path answer 405 (see components.responses.MethodNotAllowed); PUT and DELETE are routed.",
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
        "Backfills, replays, tests. For `ses`, any shape SES output arrives in: a bare SES notification or event record, an SNS HTTP message, an SNS→Lambda event, an SQS→Lambda event, an EventBridge event. Idempotent: a replayed event counts as a duplicate. `?dryRun=true` answers the normalized events and the policy's decisions without storing anything (and without `outcome`).",
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
          "The provider's payload, read as JSON whatever the content type (SNS posts `text/plain`).",
        content: {
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
            "Empty body, invalid JSON, a payload the provider's parser does not recognize, or a bad `dryRun`.",
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
        "For `ses`: an SNS HTTP(S) subscription (keep raw message delivery off). The message is verified before anything else happens (docs/providers/ses.md §1.7): `TopicArn` must be listed in `SNS_TOPIC_ARNS` (checked first), the `x-amz-sns-message-type` header must equal the body's `Type`, `SignatureVersion` must be `1` (RSA-SHA1) or `2` (RSA-SHA256), `SigningCertURL` must be `https://sns.<region>.amazonaws.com(.cn)/SimpleNotificationService-<id>.pem` exactly (checked before it is fetched; certificates are cached per container) and `Timestamp` at most an hour old. Then a `Notification` is ingested like `POST /v1/import/ses` (idempotent: SNS's redeliveries count as duplicates); a `SubscriptionConfirmation` is confirmed by GETting its `SubscribeURL`, only when that URL is on the signing certificate's SNS host and names the same topic; an `UnsubscribeConfirmation` is only logged. SNS takes any answer from 200 to 499 as delivered and retries 5xx, so refusals are 4xx and our own failures 503.",
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
};

export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    description: "The API key (`SUPPRESSION_API_KEY`) as `Authorization: Bearer <key>`.",
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
    description: `A body over 6 MiB, more than ${MAX_EVENTS_PER_REQUEST} events (\`too-many-events\`, nothing stored), or an event too large to store (\`item-too-large\`).`,
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
  Unauthorized: {
    description: "Missing or wrong bearer key (or no key configured on the server).",
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
