/**
 * The `ses-sync` stream consumer, driven with DynamoDB stream events built from REAL entry items:
 * events are written through the real store on both engines (admin removals through the admin
 * store), each item is read back raw after every write, and the images go into stream records
 * exactly as the stream would carry them. The markers live in the same real table. SES has no
 * local engine: it is mocked with aws-sdk-client-mock, as a small list (put / get / delete) so end
 * states can be compared; the throttling test drives a real client from `createSesClient`.
 */
import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { type AttributeValue, DeleteItemCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  DeleteSuppressedDestinationCommand,
  GetSuppressedDestinationCommand,
  NotFoundException,
  PutSuppressedDestinationCommand,
  SESv2Client,
  TooManyRequestsException,
} from "@aws-sdk/client-sesv2";
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { NormalizedEvent } from "../../lambdas/core/events.js";
import { DEFAULT_POLICY, decide } from "../../lambdas/core/policy/index.js";
import type { SesReason } from "../../lambdas/core/ses-sync.js";
import { createSesSyncHandler } from "../../lambdas/handlers/ses-sync.js";
import { createSesClient } from "../../lambdas/ses-account/client.js";
import { adminStore } from "../../lambdas/store/admin.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { addressPk, entrySk } from "../../lambdas/store/keys.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { sesMarkerKey, sesMarkers } from "../../lambdas/store/ses-markers.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { events, freshAddress, nowSeconds } from "../store/helpers.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";

const TABLE = "ses-sync-test";
const OPTED_IN = "default";
const NOT_OPTED_IN = "acme";
const TTL_IDENTITY = { type: "Service", principalId: "dynamodb.amazonaws.com" };
const META = { $metadata: {} };

type Image = Record<string, AttributeValue>;
type SesCall = readonly [string, Record<string, unknown>];

function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: "ses-sync-test",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:ses-sync-test",
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: "/aws/lambda/ses-sync-test",
    logStreamName: "test",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

let sequence = 0;
/** One stream record, as Lambda delivers it (`NEW_AND_OLD_IMAGES`). */
function streamRecord(
  eventName: "INSERT" | "MODIFY" | "REMOVE",
  images: { readonly old?: Image; readonly new?: Image },
  userIdentity?: { type: string; principalId: string },
): DynamoDBRecord {
  const keysOf = images.new ?? images.old;
  sequence += 1;
  return {
    eventID: randomUUID(),
    eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "us-east-1",
    dynamodb: {
      ApproximateCreationDateTime: nowSeconds(),
      ...(keysOf ? { Keys: { pk: keysOf.pk, sk: keysOf.sk } as never } : {}),
      ...(images.old ? { OldImage: images.old as never } : {}),
      ...(images.new ? { NewImage: images.new as never } : {}),
      SequenceNumber: String(sequence).padStart(21, "0"),
      SizeBytes: 100,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
    eventSourceARN: `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}/stream/2026-11-20T00:00:00.000`,
    ...(userIdentity ? { userIdentity } : {}),
  };
}

const streamEvent = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });
const sequenceOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? "";

/** An aws-sdk-client-mock of SES that behaves as a small account-level list. */
function fakeSes() {
  const ses = new SESv2Client({ region: "us-east-1" });
  const mock = mockClient(ses);
  const list = new Map<string, SesReason>();
  const install = () => {
    mock.reset();
    mock.on(GetSuppressedDestinationCommand).callsFake((input: { EmailAddress: string }) => {
      const reason = list.get(input.EmailAddress);
      if (reason === undefined) throw new NotFoundException({ message: "not on the list", ...META });
      return {
        SuppressedDestination: {
          EmailAddress: input.EmailAddress,
          Reason: reason,
          LastUpdateTime: new Date(),
        },
        ...META,
      };
    });
    mock
      .on(PutSuppressedDestinationCommand)
      .callsFake((input: { EmailAddress: string; Reason: SesReason }) => {
        list.set(input.EmailAddress, input.Reason);
        return META;
      });
    mock.on(DeleteSuppressedDestinationCommand).callsFake((input: { EmailAddress: string }) => {
      if (!list.delete(input.EmailAddress))
        throw new NotFoundException({ message: "not on the list", ...META });
      return META;
    });
  };
  install();
  return {
    ses,
    mock,
    list,
    install,
    /** Every SES call so far, as [command, input], then forgets them. */
    takeCalls(): SesCall[] {
      const calls = mock.calls().map((c) => {
        const command = c.args[0] as unknown as {
          constructor: { name: string };
          input: Record<string, unknown>;
        };
        return [command.constructor.name.replace(/Command$/, ""), command.input] as const;
      });
      mock.resetHistory();
      return calls;
    },
  };
}

describe.each(ENGINES)("ses-sync handler on $name", (engine) => {
  let running: RunningEngine;
  let client: ReturnType<typeof createDynamoDbClient>;
  let store: SuppressionStore;
  const fake = fakeSes();

  const logger = new Logger({ serviceName: "ses-sync-test", logLevel: "SILENT" });
  const handlerWith = (ses: SESv2Client = fake.ses, tenants: readonly string[] = [OPTED_IN]) => {
    const handler = createSesSyncHandler({ ses, store: () => store, tenants, now: () => new Date(), logger });
    return (event: DynamoDBStreamEvent) => handler(event, lambdaContext());
  };

  /** Records an event through the real store, with the policy's decision. */
  const record = (event: NormalizedEvent) => store.recordEvent(event, decide(event, DEFAULT_POLICY));
  /** The entry item of (tenant, address, `*`) as stored, raw: what the stream carries as an image. */
  const snapshot = async (tenant: string, address: string): Promise<Image | undefined> =>
    (
      await running.client.send(
        new GetItemCommand({
          TableName: TABLE,
          Key: { pk: { S: addressPk(tenant, address) }, sk: { S: entrySk("*") } },
          ConsistentRead: true,
        }),
      )
    ).Item;
  const mustSnapshot = async (tenant: string, address: string): Promise<Image> => {
    const image = await snapshot(tenant, address);
    if (image === undefined) throw new Error("no entry item");
    return image;
  };
  /** Deletes the entry item as an operator would (DeleteItem), giving the removed image. */
  const deleteItem = async (tenant: string, address: string): Promise<Image> => {
    const out = await running.client.send(
      new DeleteItemCommand({
        TableName: TABLE,
        Key: { pk: { S: addressPk(tenant, address) }, sk: { S: entrySk("*") } },
        ReturnValues: "ALL_OLD",
      }),
    );
    if (out.Attributes === undefined) throw new Error("no entry item to delete");
    return out.Attributes;
  };
  /** Writes an event and gives its stream record (INSERT or MODIFY), from the real item. */
  const write = async (tenant: string, address: string, event: NormalizedEvent): Promise<DynamoDBRecord> => {
    const before = await snapshot(tenant, address);
    await record(event);
    const after = await mustSnapshot(tenant, address);
    return streamRecord(before ? "MODIFY" : "INSERT", { ...(before ? { old: before } : {}), new: after });
  };
  const holders = (address: string) => sesMarkers(store).holders(address);

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1", maxAttempts: 2 });
    store = createStore({ client: toDocumentClient(client), tableName: TABLE, backoffBaseMs: 2 });
  });
  afterEach(() => {
    fake.install();
    fake.list.clear();
  });
  afterAll(async () => {
    client?.destroy();
    await running?.stop();
  });

  it("follows one address through INSERT, stronger, weaker, one cause removed and an operator's REMOVE", async () => {
    // Arrange: real items, one after the other
    const address = freshAddress();
    const t = nowSeconds() - 3_600;
    const inserted = await write(OPTED_IN, address, events.userUnknown(address, t));
    const complained = await write(OPTED_IN, address, events.complaint(address, t + 60));
    const weaker = await write(OPTED_IN, address, events.userUnknown(address, t + 120));
    const lastImage = await mustSnapshot(OPTED_IN, address);
    await adminStore(store).removeSuppression({
      tenant: OPTED_IN,
      subject: { kind: "address", value: address },
      scope: "*",
      cause: "complaint",
      reason: "the recipient asked support to be mailed again",
      actor: { keyId: "k-ops", name: "ops" },
    });
    const uncomplained = streamRecord("MODIFY", {
      old: lastImage,
      new: await mustSnapshot(OPTED_IN, address),
    });
    const removed = streamRecord("REMOVE", { old: await deleteItem(OPTED_IN, address) });
    const batch = streamEvent(inserted, complained, weaker, uncomplained, removed);

    // Act
    const response = await handlerWith()(batch);

    // Assert
    expect(inserted.eventName).toBe("INSERT");
    expect(weaker.eventName).toBe("MODIFY");
    expect(weaker.dynamodb?.NewImage).not.toEqual(weaker.dynamodb?.OldImage);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(fake.takeCalls()).toEqual([
      ["GetSuppressedDestination", { EmailAddress: address }],
      ["PutSuppressedDestination", { EmailAddress: address, Reason: "BOUNCE" }],
      ["PutSuppressedDestination", { EmailAddress: address, Reason: "COMPLAINT" }],
      ["PutSuppressedDestination", { EmailAddress: address, Reason: "BOUNCE" }],
      ["DeleteSuppressedDestination", { EmailAddress: address }],
    ]);
    expect(fake.list.has(address)).toBe(false);
    expect(await holders(address)).toEqual([]);
  });

  it("keeps a marker while the address is in SES, and deletes it on a TTL removal", async () => {
    // Arrange
    const address = freshAddress();
    const inserted = await write(OPTED_IN, address, events.complaint(address, nowSeconds() - 60));
    const expired = streamRecord("REMOVE", { old: await mustSnapshot(OPTED_IN, address) }, TTL_IDENTITY);
    const invoke = handlerWith();

    // Act
    await invoke(streamEvent(inserted));
    const marked = await holders(address);
    const response = await invoke(streamEvent(expired));

    // Assert
    expect(marked).toEqual([{ tenant: OPTED_IN, reason: "COMPLAINT" }]);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(fake.takeCalls()).toEqual([
      ["GetSuppressedDestination", { EmailAddress: address }],
      ["PutSuppressedDestination", { EmailAddress: address, Reason: "COMPLAINT" }],
      ["DeleteSuppressedDestination", { EmailAddress: address }],
    ]);
    expect(await holders(address)).toEqual([]);
  });

  it("makes no SES call for a tenant that did not opt in", async () => {
    // Arrange
    const address = freshAddress();
    const inserted = await write(
      NOT_OPTED_IN,
      address,
      events.userUnknown(address, nowSeconds() - 60, { tenant: NOT_OPTED_IN }),
    );
    const removed = streamRecord("REMOVE", { old: await deleteItem(NOT_OPTED_IN, address) });

    // Act
    const response = await handlerWith()(streamEvent(inserted, removed));

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(fake.takeCalls()).toEqual([]);
    expect(await holders(address)).toEqual([]);
  });

  it("leaves alone an address SES holds that we never put: no put, and later no delete", async () => {
    // Arrange: SES suppressed it on its own
    const address = freshAddress();
    fake.list.set(address, "BOUNCE");
    const inserted = await write(OPTED_IN, address, events.complaint(address, nowSeconds() - 60));
    const removed = streamRecord("REMOVE", { old: await deleteItem(OPTED_IN, address) });

    // Act
    const response = await handlerWith()(streamEvent(inserted, removed));

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(fake.takeCalls()).toEqual([["GetSuppressedDestination", { EmailAddress: address }]]);
    expect(fake.list.get(address)).toBe("BOUNCE");
    expect(await holders(address)).toEqual([]);
  });

  it("comes to the same end state when records are delivered again, and a redelivered REMOVE deletes nothing", async () => {
    // Arrange
    const address = freshAddress();
    const t = nowSeconds() - 600;
    const inserted = await write(OPTED_IN, address, events.userUnknown(address, t));
    const complained = await write(OPTED_IN, address, events.complaint(address, t + 60));
    const removed = streamRecord("REMOVE", { old: await deleteItem(OPTED_IN, address) });
    const invoke = handlerWith();

    // Act
    await invoke(streamEvent(inserted, complained));
    fake.takeCalls();
    const again = await invoke(streamEvent(inserted, complained));
    const putsAgain = fake.takeCalls();
    const stateAfterPuts = [fake.list.get(address), await holders(address)];
    await invoke(streamEvent(removed));
    fake.takeCalls();
    const removedAgain = await invoke(streamEvent(removed));
    const afterRemoveAgain = fake.takeCalls();

    // Assert
    expect(again).toEqual({ batchItemFailures: [] });
    expect(putsAgain).toEqual([
      ["PutSuppressedDestination", { EmailAddress: address, Reason: "BOUNCE" }],
      ["PutSuppressedDestination", { EmailAddress: address, Reason: "COMPLAINT" }],
    ]);
    expect(stateAfterPuts).toEqual(["COMPLAINT", [{ tenant: OPTED_IN, reason: "COMPLAINT" }]]);
    expect(removedAgain).toEqual({ batchItemFailures: [] });
    expect(afterRemoveAgain).toEqual([]);
    expect(fake.list.has(address)).toBe(false);
  });

  it("reports a poison record as a batch item failure, with the good records around it applied", async () => {
    // Arrange: a MODIFY without its new image, and an entry image whose state is unreadable
    const [a, b, c] = [freshAddress(), freshAddress(), freshAddress()];
    const t = nowSeconds() - 60;
    const good = await write(OPTED_IN, a, events.userUnknown(a, t));
    const bImage = (await write(OPTED_IN, b, events.userUnknown(b, t))).dynamodb?.NewImage as Image;
    const noNewImage = streamRecord("MODIFY", { old: bImage });
    const badState = streamRecord("INSERT", { new: { ...bImage, state: { S: "not a state" } } });
    const after = await write(OPTED_IN, c, events.complaint(c, t));
    const errors = vi.spyOn(logger, "error");

    // Act
    const response = await handlerWith()(streamEvent(good, noNewImage, badState, after));

    // Assert
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      sequenceOf(noNewImage),
      sequenceOf(badState),
    ]);
    expect(fake.list.get(a)).toBe("BOUNCE");
    expect(fake.list.get(c)).toBe("COMPLAINT");
    expect(fake.list.has(b)).toBe(false);
    const logged = JSON.stringify(errors.mock.calls);
    expect(errors).toHaveBeenCalledTimes(2);
    expect(logged).not.toContain(b);
    expect(logged).toContain(`${b.slice(0, 1)}***@example.org`);
    errors.mockRestore();
  });

  it("skips items that are not entries (the markers it writes come back on the stream too)", async () => {
    // Arrange
    const address = freshAddress();
    await sesMarkers(store).put(OPTED_IN, address, "BOUNCE");
    const marker = (
      await running.client.send(
        new GetItemCommand({
          TableName: TABLE,
          Key: {
            pk: { S: sesMarkerKey(OPTED_IN, address).pk },
            sk: { S: sesMarkerKey(OPTED_IN, address).sk },
          },
          ConsistentRead: true,
        }),
      )
    ).Item as Image;

    // Act
    const response = await handlerWith()(
      streamEvent(streamRecord("INSERT", { new: marker }), streamRecord("REMOVE", { old: marker })),
    );

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(fake.takeCalls()).toEqual([]);
  });

  it("reports a record whose SES call stays throttled, and its redelivery completes the put", async () => {
    // Arrange: the mock bypasses the SDK's retries, so this is "retries spent"
    const address = freshAddress();
    const inserted = await write(OPTED_IN, address, events.userUnknown(address, nowSeconds() - 60));
    fake.mock
      .on(PutSuppressedDestinationCommand)
      .rejectsOnce(new TooManyRequestsException({ message: "Maximum sending rate exceeded.", ...META }));
    const invoke = handlerWith();

    // Act
    const first = await invoke(streamEvent(inserted)).catch((err: unknown) => err);
    fake.install();
    fake.takeCalls();
    const retried = await invoke(streamEvent(inserted));

    // Assert: a batch of one that fails is a whole-batch failure (Lambda retries it)
    expect(first).toBeInstanceOf(Error);
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(fake.takeCalls()).toEqual([
      ["PutSuppressedDestination", { EmailAddress: address, Reason: "BOUNCE" }],
    ]);
    expect(fake.list.get(address)).toBe("BOUNCE");
  });

  it("lets the SDK of createSesClient retry a TooManyRequestsException within the record", async () => {
    // Arrange: a real client whose innermost step answers 404 (get), then 429, then 200 (put)
    vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
    vi.stubEnv("AWS_SESSION_TOKEN", "");
    const ses = createSesClient({ region: "us-east-1" });
    const answers = [
      { status: 404, errorType: "NotFoundException" },
      { status: 429, errorType: "TooManyRequestsException" },
      { status: 200 },
    ];
    const sent: string[] = [];
    ses.middlewareStack.add(
      () => async (args) => {
        const request = args.request as { method: string };
        const answer = answers[Math.min(sent.length, answers.length - 1)] as (typeof answers)[number];
        sent.push(request.method);
        const headers = {
          "content-type": "application/json",
          ...(answer.errorType ? { "x-amzn-errortype": answer.errorType } : {}),
        };
        const body = new TextEncoder().encode(
          JSON.stringify(answer.errorType ? { message: "scripted" } : {}),
        );
        return { output: undefined, response: { statusCode: answer.status, headers, body } } as never;
      },
      { step: "deserialize", priority: "low", name: "scriptedSesResponses" },
    );
    const address = freshAddress();
    const inserted = await write(OPTED_IN, address, events.userUnknown(address, nowSeconds() - 60));

    // Act
    const response = await handlerWith(ses)(streamEvent(inserted));

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual(["GET", "PUT", "PUT"]);
    expect(await holders(address)).toEqual([{ tenant: OPTED_IN, reason: "BOUNCE" }]);
    ses.destroy();
    vi.unstubAllEnvs();
  });
});
