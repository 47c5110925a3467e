/**
 * `applySesSync` (ses-account/sync-out.ts) with the markers in a real table (both engines) and SES
 * mocked with aws-sdk-client-mock as a small list: several tenants holding one address, the
 * strongest reason, handing over on delete, and the race of a delete with another tenant's put.
 */
import {
  DeleteSuppressedDestinationCommand,
  GetSuppressedDestinationCommand,
  NotFoundException,
  PutSuppressedDestinationCommand,
  SESv2Client,
} from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SesReason, SesSyncAction } from "../../lambdas/core/ses-sync.js";
import { applySesSync, type SyncOutDeps, strongestReason } from "../../lambdas/ses-account/sync-out.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { sesMarkers } from "../../lambdas/store/ses-markers.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { freshAddress } from "../store/helpers.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";

const TABLE = "ses-sync-out-test";
const META = { $metadata: {} };
const [A, B, C] = ["tenant-a", "tenant-b", "tenant-c"];

const put = (tenant: string, address: string, reason: SesReason): SesSyncAction => ({
  kind: "put",
  tenant,
  address,
  reason,
});
const del = (tenant: string, address: string): SesSyncAction => ({ kind: "delete", tenant, address });

describe("strongestReason", () => {
  it("is COMPLAINT when any holder wants it, BOUNCE otherwise, null for none", () => {
    // Arrange
    const sets = [
      [{ tenant: A, reason: "BOUNCE" as const }],
      [
        { tenant: A, reason: "BOUNCE" as const },
        { tenant: B, reason: "COMPLAINT" as const },
      ],
      [],
    ];

    // Act
    const reasons = sets.map((s) => strongestReason(s));

    // Assert
    expect(reasons).toEqual(["BOUNCE", "COMPLAINT", null]);
  });
});

describe.each(ENGINES)("applySesSync on $name", (engine) => {
  let running: RunningEngine;
  let client: ReturnType<typeof createDynamoDbClient>;
  let store: SuppressionStore;
  const ses = new SESv2Client({ region: "us-east-1" });
  const mock = mockClient(ses);
  const list = new Map<string, SesReason>();
  /** Runs before the next Delete reaches the list (the race test). */
  let beforeDelete: (() => Promise<void>) | null = null;

  const install = () => {
    mock.reset();
    mock.on(GetSuppressedDestinationCommand).callsFake((input: { EmailAddress: string }) => {
      const reason = list.get(input.EmailAddress);
      if (reason === undefined) throw new NotFoundException({ message: "not on the list", ...META });
      return { SuppressedDestination: { EmailAddress: input.EmailAddress, Reason: reason }, ...META };
    });
    mock
      .on(PutSuppressedDestinationCommand)
      .callsFake((input: { EmailAddress: string; Reason: SesReason }) => {
        list.set(input.EmailAddress, input.Reason);
        return META;
      });
    mock.on(DeleteSuppressedDestinationCommand).callsFake(async (input: { EmailAddress: string }) => {
      const hook = beforeDelete;
      beforeDelete = null;
      if (hook) await hook();
      if (!list.delete(input.EmailAddress)) throw new NotFoundException({ message: "gone", ...META });
      return META;
    });
  };
  const deps = (): SyncOutDeps => ({ ses, markers: sesMarkers(store), tenants: new Set([A, B]) });
  const writes = () =>
    mock
      .calls()
      .map((c) => c.args[0])
      .filter((cmd) => !(cmd instanceof GetSuppressedDestinationCommand))
      .map((cmd) => [cmd.constructor.name, (cmd.input as { Reason?: string }).Reason ?? null]);

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1", maxAttempts: 2 });
    store = createStore({ client: toDocumentClient(client), tableName: TABLE, backoffBaseMs: 2 });
    install();
  });
  afterEach(() => {
    list.clear();
    beforeDelete = null;
    install();
  });
  afterAll(async () => {
    client?.destroy();
    await running?.stop();
  });

  it("puts the strongest reason of all holders, and hands the address over on one tenant's delete", async () => {
    // Arrange
    const address = freshAddress();

    // Act
    const first = await applySesSync(deps(), put(A, address, "COMPLAINT"));
    const second = await applySesSync(deps(), put(B, address, "BOUNCE"));
    const handedOver = await applySesSync(deps(), del(A, address));
    const last = await applySesSync(deps(), del(B, address));

    // Assert
    expect(first).toEqual({ kind: "put", tenant: A, address, reason: "COMPLAINT" });
    expect(second).toEqual({ kind: "put", tenant: B, address, reason: "COMPLAINT" });
    expect(handedOver).toEqual({ kind: "handed-over", tenant: A, address, reason: "BOUNCE", holders: [B] });
    expect(last).toEqual({ kind: "deleted", tenant: B, address, wasThere: true });
    expect(writes()).toEqual([
      ["PutSuppressedDestinationCommand", "COMPLAINT"],
      ["PutSuppressedDestinationCommand", "COMPLAINT"],
      ["PutSuppressedDestinationCommand", "BOUNCE"],
      ["DeleteSuppressedDestinationCommand", null],
    ]);
    expect(list.has(address)).toBe(false);
  });

  it("puts a tenant's weaker reason over its own stronger one when it is the only holder", async () => {
    // Arrange
    const address = freshAddress();
    await applySesSync(deps(), put(A, address, "COMPLAINT"));

    // Act
    const outcome = await applySesSync(deps(), put(A, address, "BOUNCE"));

    // Assert
    expect(outcome).toMatchObject({ kind: "put", reason: "BOUNCE" });
    expect(list.get(address)).toBe("BOUNCE");
  });

  it("does nothing for a delete of an address the tenant never put, nor for a tenant not opted in", async () => {
    // Arrange
    const address = freshAddress();
    list.set(address, "BOUNCE");

    // Act
    const notOurs = await applySesSync(deps(), del(A, address));
    const notOptedIn = await applySesSync(deps(), put(C, address, "COMPLAINT"));
    const none = await applySesSync(deps(), { kind: "none", why: "still BOUNCE" });

    // Assert
    expect(notOurs).toEqual({ kind: "not-ours", tenant: A, address });
    expect(notOptedIn).toEqual({ kind: "not-opted-in", tenant: C });
    expect(none).toEqual({ kind: "none", why: "still BOUNCE" });
    expect(mock.calls()).toHaveLength(0);
    expect(list.get(address)).toBe("BOUNCE");
  });

  it("leaves SES's own entry alone: no put over it, and no marker", async () => {
    // Arrange
    const address = freshAddress();
    list.set(address, "COMPLAINT");

    // Act
    const outcome = await applySesSync(deps(), put(A, address, "BOUNCE"));
    const holders = await sesMarkers(store).holders(address);

    // Assert
    expect(outcome).toEqual({ kind: "left-alone", tenant: A, address, held: "COMPLAINT" });
    expect(holders).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it("puts back another tenant's put that landed just before our delete (concurrent shards)", async () => {
    // Arrange: A holds the address; B's record is processed while A's delete is in flight
    const address = freshAddress();
    await applySesSync(deps(), put(A, address, "BOUNCE"));
    let concurrent: unknown;
    beforeDelete = async () => {
      concurrent = await applySesSync(deps(), put(B, address, "COMPLAINT"));
    };

    // Act
    const outcome = await applySesSync(deps(), del(A, address));

    // Assert
    expect(concurrent).toMatchObject({ kind: "put", tenant: B, reason: "COMPLAINT" });
    expect(outcome).toEqual({ kind: "handed-over", tenant: A, address, reason: "COMPLAINT", holders: [B] });
    expect(list.get(address)).toBe("COMPLAINT");
    expect(await sesMarkers(store).holders(address)).toEqual([{ tenant: B, reason: "COMPLAINT" }]);
  });

  it("finishes a delete whose marker removal failed on redelivery (the marker outlives the Delete)", async () => {
    // Arrange: the Delete happened, then the record failed before the marker went
    const address = freshAddress();
    await applySesSync(deps(), put(A, address, "BOUNCE"));
    list.delete(address);

    // Act
    const outcome = await applySesSync(deps(), del(A, address));

    // Assert
    expect(outcome).toEqual({ kind: "deleted", tenant: A, address, wasThere: false });
    expect(await sesMarkers(store).holders(address)).toEqual([]);
  });
});
