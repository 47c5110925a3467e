/**
 * Thin typed wrappers of the three SESv2 calls the sync-out makes on the account-level suppression
 * list. Throttling (`TooManyRequestsException`) is retried by the client itself (client.ts:
 * adaptive mode, `SES_MAX_ATTEMPTS`); what still fails leaves here as a `SesSyncError`, so callers
 * see one error type for SES and the store's own for DynamoDB.
 */
import {
  DeleteSuppressedDestinationCommand,
  GetSuppressedDestinationCommand,
  PutSuppressedDestinationCommand,
  type SESv2Client,
} from "@aws-sdk/client-sesv2";
import type { SesReason } from "../core/ses-sync.js";

/** An SES call on the suppression list failed (retries spent, or refused); `cause` is the SDK error. */
export class SesSyncError extends Error {
  override readonly name = "SesSyncError";
  /** The SESv2 operation that failed. */
  readonly operation: string;

  constructor(operation: string, options: { cause: unknown }) {
    const cause = options.cause;
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`${operation}: SES refused or failed (${detail})`, options);
    this.operation = operation;
  }
}

/** What SES holds for one address. */
export type SuppressedEntry = { readonly reason: SesReason; readonly lastUpdateTime: Date | undefined };

const isNotFound = (err: unknown): boolean => err instanceof Error && err.name === "NotFoundException";

/**
 * What SES's account-level list holds for `address`, or `undefined` when it holds nothing.
 *
 * @throws SesSyncError on any other failure
 * @example
 * await getSuppressed(ses, "jdoe@example.org"); // { reason: "BOUNCE", lastUpdateTime: 2026-11-20T… } | undefined
 */
export async function getSuppressed(ses: SESv2Client, address: string): Promise<SuppressedEntry | undefined> {
  try {
    const out = await ses.send(new GetSuppressedDestinationCommand({ EmailAddress: address }));
    const found = out.SuppressedDestination;
    if (found === undefined) return undefined;
    // SES knows only these two; anything else would be a new reason of theirs: read it as the
    // stronger one rather than guess that it is a bounce.
    const reason: SesReason = found.Reason === "BOUNCE" ? "BOUNCE" : "COMPLAINT";
    return { reason, lastUpdateTime: found.LastUpdateTime };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw new SesSyncError("GetSuppressedDestination", { cause: err });
  }
}

/**
 * Puts `address` on SES's account-level list with `reason` (replaces the reason it had).
 *
 * @throws SesSyncError when SES refuses or the retries are spent
 * @example
 * await putSuppressed(ses, "jdoe@example.org", "COMPLAINT");
 */
export async function putSuppressed(ses: SESv2Client, address: string, reason: SesReason): Promise<void> {
  try {
    await ses.send(new PutSuppressedDestinationCommand({ EmailAddress: address, Reason: reason }));
  } catch (err) {
    throw new SesSyncError("PutSuppressedDestination", { cause: err });
  }
}

/**
 * Deletes `address` from SES's account-level list: `true` when SES held it, `false` when it was
 * already gone (a redelivered record, or someone removed it in the console).
 *
 * @throws SesSyncError on any other failure
 * @example
 * await deleteSuppressed(ses, "jdoe@example.org"); // true, then false the second time
 */
export async function deleteSuppressed(ses: SESv2Client, address: string): Promise<boolean> {
  try {
    await ses.send(new DeleteSuppressedDestinationCommand({ EmailAddress: address }));
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw new SesSyncError("DeleteSuppressedDestination", { cause: err });
  }
}
