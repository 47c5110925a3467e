/**
 * `ses-sync` Lambda (issue #14): the consumer of the table's stream (`NEW_AND_OLD_IMAGES`) that
 * mirrors the opted-in tenants' address entries at scope `*` into the SES account-level
 * suppression list. Per record: unmarshall the images, `sesSyncAction` (core/ses-sync.ts) decides,
 * `applySesSync` (ses-account/sync-out.ts) does it, with markers of what we put.
 *
 * - Records are processed **one after the other, in order** (`processInParallel: false`): the
 *   stream orders the changes of one item, and a later image must not be applied before an
 *   earlier one.
 * - Every item of the table comes through (events, actions, markers…): anything but an entry is
 *   skipped at once, without parsing further.
 * - A failure (SES past the client's retries, the store) or a poison record (a missing image, an
 *   entry that does not parse) is a batch item failure: Lambda retries from that record on, then
 *   the stack's on-failure destination (DLQ) takes it. Redelivered records are harmless: every
 *   step is idempotent and the markers make a half-done record finish the job.
 * - Addresses are logged masked only.
 */
import {
  BatchProcessor,
  EventType,
  FullBatchFailureError,
  processPartialResponse,
} from "@aws-lambda-powertools/batch";
import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import middy from "@middy/core";
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { isRecord } from "../core/is-record.js";
import type { EntryState } from "../core/ledger/types.js";
import { maskAddress } from "../core/mask.js";
import { type EntryChange, type EntryItemLike, sesSyncAction } from "../core/ses-sync.js";
import { createSesClient, sesOptionsFromEnv } from "../ses-account/client.js";
import { parseSesSyncTenants, SES_SYNC_TENANTS_ENV } from "../ses-account/settings.js";
import { applySesSync, type SyncOutcome } from "../ses-account/sync-out.js";
import {
  createStore,
  defaultDocumentClient,
  type SuppressionStore,
  tableNameFromEnv,
} from "../store/index.js";
import { sesMarkers } from "../store/ses-markers.js";
import { serviceLogger } from "./log-safety.js";

export type SesSyncHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

/** What the handler needs; tests pass their own. */
export type SesSyncDeps = {
  readonly ses: SESv2Client;
  /** The store, built on first use (importing the handler opens no connection). */
  readonly store: () => SuppressionStore;
  /** The opted-in tenants (`SES_SYNC_TENANTS`): no other tenant's entry moves. */
  readonly tenants: readonly string[];
  readonly now: () => Date;
  readonly logger: Logger;
};

/** A stream record the sync cannot read: retried, then left to the DLQ. */
export class PoisonRecordError extends Error {
  override readonly name = "PoisonRecordError";
}

type Image = Record<string, unknown>;

/** The unmarshalled image, `undefined` when absent; a poison record when it does not unmarshall. */
function imageOf(raw: unknown, which: string): Image | undefined {
  if (raw === undefined) return undefined;
  try {
    // The stream's attribute values have the same wire shape as the SDK's; only the typings differ.
    return unmarshall(raw as Record<string, AttributeValue>);
  } catch (err) {
    throw new PoisonRecordError(`the ${which} image does not unmarshall`, { cause: err });
  }
}

const isCauses = (value: unknown): boolean =>
  isRecord(value) &&
  Object.values(value).every(
    (c) =>
      isRecord(c) &&
      (c.expiresAt === null || typeof c.expiresAt === "number") &&
      typeof c.source === "string",
  );

/** An entry image as the decision reads it; a poison record when a field it needs is wrong. */
function entryOf(image: Image, which: string): EntryItemLike {
  const { kind, tenant, subjectKind, subject, scope, state, updatedAt } = image;
  const strings = { tenant, subjectKind, subject, scope, updatedAt };
  for (const [name, value] of Object.entries(strings)) {
    if (typeof value !== "string") throw new PoisonRecordError(`the ${which} entry image has no ${name}`);
  }
  if (!isRecord(state) || !isCauses(state.causes)) {
    throw new PoisonRecordError(`the ${which} entry image has no readable state.causes`);
  }
  if (Number.isNaN(Date.parse(updatedAt as string))) {
    throw new PoisonRecordError(`the ${which} entry image has an updatedAt that is not a time`);
  }
  return {
    kind: String(kind),
    tenant: tenant as string,
    subjectKind: subjectKind as string,
    subject: subject as string,
    scope: scope as string,
    state: state as EntryState,
    updatedAt: updatedAt as string,
  };
}

/** The change a record stands for, or why it is skipped (not an entry). */
function changeOf(record: DynamoDBRecord): EntryChange | { readonly skip: string } {
  const { eventName } = record;
  if (eventName !== "INSERT" && eventName !== "MODIFY" && eventName !== "REMOVE") {
    throw new PoisonRecordError(`not a stream record event: ${JSON.stringify(eventName)}`);
  }
  const oldImage = imageOf(record.dynamodb?.OldImage, "old");
  const newImage = imageOf(record.dynamodb?.NewImage, "new");
  // Which image says what the item is: the one that must be there for this event.
  const main = eventName === "REMOVE" ? oldImage : newImage;
  if (main !== undefined && main.kind !== "entry")
    return { skip: `not an entry item (kind ${String(main.kind)})` };
  const identity: unknown = record.userIdentity;
  const userIdentity =
    isRecord(identity) && typeof identity.type === "string" && typeof identity.principalId === "string"
      ? { type: identity.type, principalId: identity.principalId }
      : undefined;
  return {
    eventName,
    ...(userIdentity ? { userIdentity } : {}),
    ...(oldImage ? { oldEntry: entryOf(oldImage, "old") } : {}),
    ...(newImage ? { newEntry: entryOf(newImage, "new") } : {}),
  };
}

/** A masked address from a record's images, for the logs of a record that failed. */
function maskedSubjectOf(record: DynamoDBRecord): string | undefined {
  for (const raw of [record.dynamodb?.NewImage, record.dynamodb?.OldImage]) {
    const subject = raw?.subject?.S;
    if (typeof subject === "string") return maskAddress(subject);
  }
  return undefined;
}

const addressOf = (outcome: SyncOutcome): string | undefined =>
  "address" in outcome ? maskAddress(outcome.address) : undefined;

/**
 * Builds the stream handler over `deps`.
 *
 * @example
 * const handler = createSesSyncHandler({ ses: createSesClient(), store: () => store, tenants: ["default"], now: () => new Date(), logger });
 * const { batchItemFailures } = await handler(streamEvent, context);
 */
export function createSesSyncHandler(deps: SesSyncDeps): SesSyncHandler {
  const { logger } = deps;
  const tenants = new Set(deps.tenants);

  const recordHandler = async (record: DynamoDBRecord): Promise<SyncOutcome> => {
    const context = {
      eventID: record.eventID,
      eventName: record.eventName,
      sequenceNumber: record.dynamodb?.SequenceNumber,
    };
    let change: EntryChange | { readonly skip: string };
    let outcome: SyncOutcome;
    try {
      change = changeOf(record);
      if ("skip" in change) return { kind: "none", why: change.skip };
      const action = sesSyncAction(change, Math.floor(deps.now().getTime() / 1000));
      outcome = await applySesSync({ ses: deps.ses, markers: sesMarkers(deps.store()), tenants }, action);
    } catch (err) {
      const problem = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      const address = maskedSubjectOf(record);
      // TypeError / RangeError: sesSyncAction's contract (a missing image, an updatedAt that is no time).
      if (err instanceof PoisonRecordError || err instanceof TypeError || err instanceof RangeError) {
        logger.error("Poison stream record; retried, then left to the DLQ", { ...context, address, problem });
      } else {
        logger.warn("SES sync failed; the record will be retried", { ...context, address, problem });
      }
      throw err;
    }
    if (outcome.kind !== "none") {
      logger.info("SES sync", {
        ...context,
        outcome: outcome.kind,
        tenant: outcome.tenant,
        address: addressOf(outcome),
        ...("reason" in outcome ? { reason: outcome.reason } : {}),
        ...("held" in outcome ? { held: outcome.held } : {}),
      });
    }
    return outcome;
  };

  const logic = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    // One processor per invocation: it keeps the batch's state.
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    try {
      const response = await processPartialResponse(event, recordHandler, processor, {
        context,
        // In stream order: the changes of one item must be applied as they happened.
        processInParallel: false,
      });
      logger.info("SES sync batch processed", {
        records: event.Records?.length ?? 0,
        failed: response.batchItemFailures.length,
      });
      return response;
    } catch (err) {
      if (err instanceof FullBatchFailureError) {
        logger.error("Every record of the batch failed; the whole batch is retried", {
          records: event.Records?.length ?? 0,
        });
      }
      throw err;
    }
  };

  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(logic) as SesSyncHandler;
}

let store: SuppressionStore | undefined;
export const handler = createSesSyncHandler({
  ses: createSesClient(sesOptionsFromEnv()),
  store: () => {
    store ??= createStore({ client: defaultDocumentClient(), tableName: tableNameFromEnv() });
    return store;
  },
  tenants: parseSesSyncTenants(process.env[SES_SYNC_TENANTS_ENV]),
  now: () => new Date(),
  logger: serviceLogger(),
});
