/**
 * Pages of the SES account-level suppression list (SESv2 `ListSuppressedDestinations`), as an async
 * generator, so a caller can save the token of the next page after each one and resume there.
 */
import {
  InvalidNextTokenException,
  ListSuppressedDestinationsCommand,
  type ListSuppressedDestinationsCommandInput,
  type SESv2Client,
  type SuppressedDestinationSummary,
} from "@aws-sdk/client-sesv2";

/** SES's largest page. */
export const SES_MAX_PAGE_SIZE = 1000;

/** Which part of the list to read. */
export type ListSuppressedOptions = {
  /** Addresses per page, 1..`SES_MAX_PAGE_SIZE` (default the largest). */
  readonly pageSize?: number;
  /** Only addresses SES last updated at or after this. */
  readonly startDate?: Date;
  /** Only addresses SES last updated at or before this. */
  readonly endDate?: Date;
  /** Resume at the page this token names (from an earlier page's `nextToken`). */
  readonly nextToken?: string;
  /** Stops the call in flight. */
  readonly signal?: AbortSignal;
};

/** One page of the list. */
export type SuppressedPage = {
  readonly summaries: readonly SuppressedDestinationSummary[];
  /** The token this page was read with (`null`: the first page). */
  readonly token: string | null;
  /** The token of the page after it; `null` on the last page. */
  readonly nextToken: string | null;
};

/** A `ListSuppressedDestinations` call failed; the SDK's error is the `cause`. */
export class SesListError extends Error {
  override readonly name: string = "SesListError";
}

/** SES refused the page token: it expired or does not belong to this listing. Start again. */
export class SesNextTokenError extends SesListError {
  override readonly name = "SesNextTokenError";
}

/** A page size SES accepts. */
function pageSizeOf(size: number | undefined): number {
  if (size === undefined) return SES_MAX_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > SES_MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer in 1..${SES_MAX_PAGE_SIZE}; got ${size}`);
  }
  return size;
}

/**
 * Reads the list page by page, from `nextToken` (or the first page), until SES gives no next token.
 * Throttling is retried by the client itself (client.ts, adaptive mode).
 *
 * @throws SesNextTokenError when SES refuses the token (`InvalidNextTokenException`)
 * @throws SesListError for any other failure of a call
 * @throws RangeError for a page size SES does not accept
 * @example
 * for await (const page of listSuppressedPages(ses, { startDate: since, endDate: new Date() })) {
 *   await handle(page.summaries);
 *   await saveCheckpoint(page.nextToken);
 * }
 */
export async function* listSuppressedPages(
  ses: SESv2Client,
  options: ListSuppressedOptions = {},
): AsyncGenerator<SuppressedPage, void, undefined> {
  const base: ListSuppressedDestinationsCommandInput = {
    PageSize: pageSizeOf(options.pageSize),
    ...(options.startDate ? { StartDate: options.startDate } : {}),
    ...(options.endDate ? { EndDate: options.endDate } : {}),
  };
  let token: string | null = options.nextToken ?? null;
  do {
    const input = { ...base, ...(token === null ? {} : { NextToken: token }) };
    let summaries: SuppressedDestinationSummary[];
    let next: string | null;
    try {
      const out = await ses.send(
        new ListSuppressedDestinationsCommand(input),
        options.signal ? { abortSignal: options.signal } : {},
      );
      summaries = out.SuppressedDestinationSummaries ?? [];
      // An empty string is no token: SES would refuse it.
      next = out.NextToken || null;
    } catch (err) {
      if (
        err instanceof InvalidNextTokenException ||
        (err as { name?: unknown })?.name === "InvalidNextTokenException"
      ) {
        throw new SesNextTokenError("SES refused the page token (expired, or not of this listing)", {
          cause: err,
        });
      }
      const message = err instanceof Error ? err.message : String(err);
      throw new SesListError(`ListSuppressedDestinations failed: ${message}`, { cause: err });
    }
    yield { summaries, token, nextToken: next };
    token = next;
  } while (token !== null);
}
