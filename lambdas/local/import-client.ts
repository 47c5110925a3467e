/**
 * The sending half of `npm run import` (import-cli.ts): one chunk → `POST /v1/import/{provider}`,
 * retried while the server says "later" (429, 5xx, or no answer at all), within a bound.
 */

/** What the server's ingestion summary says about one chunk. */
export type ChunkSummary = {
  readonly accepted: number;
  readonly duplicates: number;
  readonly ignored: number;
  /** Normalized events in the answer (on a dry run, what would have been stored). */
  readonly events: number;
};

/** How one chunk ended, after any retries. */
export type PostResult =
  | { readonly kind: "stored"; readonly summary: ChunkSummary; readonly attempts: number }
  /** A 4xx other than 429: the server will not take this chunk as it is. */
  | {
      readonly kind: "refused";
      readonly status: number;
      readonly slug: string;
      readonly detail: string;
      readonly attempts: number;
    }
  /** Still failing when the retries ran out. */
  | { readonly kind: "failed"; readonly reason: string; readonly attempts: number };

export type RetryPolicy = {
  /** Retries after the first attempt. */
  readonly retries: number;
  /** The longest wait between attempts, whatever `Retry-After` asks. */
  readonly maxWaitMs: number;
  /** Per attempt. */
  readonly timeoutMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told before each retry: why, and how long until it. */
  readonly onRetry?: (why: string, waitMs: number, attempt: number) => void;
};

/** Statuses worth another attempt: rate limited, or the server (or a gateway before it) failed. */
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/**
 * `Retry-After` in ms: delay-seconds or an HTTP date; `undefined` when absent or unreadable.
 *
 * @example
 * retryAfterMs("2", Date.now()); // 2000
 * retryAfterMs("Wed, 21 Oct 2026 07:28:00 GMT", Date.parse("Wed, 21 Oct 2026 07:27:58 GMT")); // 2000
 */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function summaryOf(body: unknown): ChunkSummary | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const count = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined);
  const accepted = count(b.accepted);
  const duplicates = count(b.duplicates);
  const ignored = count(b.ignored);
  if (accepted === undefined || duplicates === undefined || ignored === undefined) return undefined;
  return { accepted, duplicates, ignored, events: Array.isArray(b.events) ? b.events.length : 0 };
}

function problemOf(body: unknown): { slug: string; detail: string } {
  if (typeof body !== "object" || body === null) return { slug: "", detail: "" };
  const b = body as Record<string, unknown>;
  const type = typeof b.type === "string" ? b.type : "";
  return {
    slug: type.slice(type.lastIndexOf("/") + 1),
    detail: typeof b.detail === "string" ? b.detail : "",
  };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * POSTs `body` to `url` with the bearer key, as `contentType` (JSON unless told: a raw email is
 * `message/rfc822`). 2xx → the summary; 429/500/502/503/504 or a network
 * failure → waits (`Retry-After` when given, else 1 s, 2 s, 4 s…, never over `maxWaitMs`) and tries
 * again, at most `retries` times; any other status → refused at once.
 *
 * @example
 * const result = await postChunk("http://127.0.0.1:3000/v1/import/sendgrid", key, "[…]",
 *   { retries: 5, maxWaitMs: 30_000, timeoutMs: 60_000 });
 * if (result.kind === "stored") console.log(result.summary.accepted);
 */
export async function postChunk(
  url: string,
  apiKey: string,
  body: string | Buffer,
  policy: RetryPolicy,
  contentType = "application/json",
): Promise<PostResult> {
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    let why: string;
    let waitMs: number | undefined;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": contentType },
        body,
        signal: AbortSignal.timeout(policy.timeoutMs),
      });
      const answer = await readJson(response);
      if (response.ok) {
        const summary = summaryOf(answer);
        if (summary) return { kind: "stored", summary, attempts: attempt };
        return {
          kind: "failed",
          reason: `${response.status} without an ingestion summary`,
          attempts: attempt,
        };
      }
      const { slug, detail } = problemOf(answer);
      if (!RETRYABLE.has(response.status)) {
        return { kind: "refused", status: response.status, slug, detail, attempts: attempt };
      }
      why = `${response.status}${slug ? ` ${slug}` : ""}`;
      waitMs = retryAfterMs(response.headers.get("retry-after"), Date.now());
    } catch (error) {
      why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    if (attempt > policy.retries) {
      return { kind: "failed", reason: `${why} (after ${attempt} attempts)`, attempts: attempt };
    }
    const wait = Math.min(policy.maxWaitMs, waitMs ?? 1000 * 2 ** (attempt - 1));
    policy.onRetry?.(why, wait, attempt);
    await sleep(wait);
  }
}
