/**
 * The console's only back end: the service's HTTP API on the same origin (`/v1/*`), with the
 * operator's key as a bearer token. Answers are the contract's types (lambdas/contract); failures
 * are the API's RFC 9457 problem documents, thrown as `ApiError`.
 */
import type { ProblemDocument } from "../../lambdas/contract/problem.js";

/** A failed request: the problem document the API answered, or what went wrong on the way. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    message: string,
    readonly problem: ProblemDocument | null = null,
  ) {
    super(message);
  }
}

/** The session's credentials: the key, and the tenant the bootstrap key acts for (`X-Tenant`). */
export type Credentials = { readonly key: string; readonly tenant?: string };

type Query = Readonly<Record<string, string | number | undefined | null>>;

export type RequestOptions = {
  readonly query?: Query;
  /** A JSON body. */
  readonly body?: unknown;
  /** A body sent as it is, with its content type (a list to clean, `text/csv`); not with `body`. */
  readonly upload?: { readonly type: string; readonly data: Blob | string };
  readonly signal?: AbortSignal;
};

/** `/v1/suppressions/{address}`-style paths: the address (or `@domain`) as one encoded segment. */
export const segment = (value: string): string => encodeURIComponent(value);

function withQuery(path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const text = params.toString();
  return text === "" ? path : `${path}?${text}`;
}

function isProblem(value: unknown): value is ProblemDocument {
  return typeof value === "object" && value !== null && "status" in value && "detail" in value;
}

/**
 * Calls the API; resolves with the parsed JSON body of a 2xx answer.
 *
 * @throws ApiError for any other answer (with the problem document) and for network failures (status 0)
 * @example
 * const view = await call<AddressView>(credentials, "GET", `/v1/suppressions/${segment(address)}`);
 */
export async function call<T>(
  credentials: Credentials,
  method: "GET" | "PUT" | "POST" | "DELETE",
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${credentials.key}`,
    accept: "application/json",
  };
  if (credentials.tenant) headers["x-tenant"] = credentials.tenant;
  let body: BodyInit | undefined;
  if (options.upload !== undefined) {
    headers["content-type"] = options.upload.type;
    body = options.upload.data;
  } else if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      credentials: "omit",
      cache: "no-store",
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  let answer: unknown = null;
  if (text !== "") {
    try {
      answer = JSON.parse(text);
    } catch {
      answer = null;
    }
  }
  if (!response.ok) {
    const problem = isProblem(answer) ? answer : null;
    throw new ApiError(
      response.status,
      problem?.detail ?? `${response.status} ${response.statusText}`,
      problem,
    );
  }
  return answer as T;
}
