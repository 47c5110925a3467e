import type { ProblemDocument, ProblemStatus } from "../../contract/problem.js";
import type { InputIssue } from "../../core/errors.js";

/** The statuses we answer with a problem document (design.md §5.3), and the document (RFC 9457). */
export type { ProblemDocument, ProblemStatus };

const TITLES: Record<ProblemStatus, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/**
 * An HTTP failure we answer on purpose, as `application/problem+json`.
 *
 * @example
 * throw new HttpProblem(413, "At most 1000 addresses per check; got 1001", { slug: "too-many-addresses" });
 */
export class HttpProblem extends Error {
  override readonly name = "HttpProblem";
  readonly slug: string;
  readonly errors: readonly InputIssue[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly status: ProblemStatus,
    detail: string,
    options: {
      slug?: string;
      errors?: readonly InputIssue[];
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(detail, { cause: options.cause });
    this.slug = options.slug ?? TITLES[status].toLowerCase().replaceAll(" ", "-");
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  toDocument(): ProblemDocument {
    return {
      type: `https://suppression-service.dev/problems/${this.slug}`,
      title: TITLES[this.status],
      status: this.status,
      detail: this.message,
      ...(this.errors && this.errors.length > 0 ? { errors: this.errors } : {}),
    };
  }
}
