/**
 * Copies of one event recorded at the same time (a provider retrying while its first delivery is
 * still in flight), on both engines: exactly one copy reports `duplicate: false`, the others report
 * the duplicate with the winner's outcome, and the entry holds the event once. Also: a mark whose
 * answer is lost and which the SDK retries still belongs to the request that made it.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../lambdas/core/events.js";
import type { EntryState } from "../../lambdas/core/ledger/types.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { addressPk, entrySk, eventSk } from "../../lambdas/store/keys.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { DAY, decisionFor, events, freshAddress, nowSeconds } from "./helpers.js";

const TABLE = "concurrent-copies-test";
const COPIES = 5;
const TRIALS = 8;

describe.each(ENGINES)("concurrent copies of one event on $name", (engine) => {
  let running: RunningEngine;
  let store: SuppressionStore;
  const clients: DynamoDBClient[] = [];

  const readItem = async (pk: string, sk: string) =>
    (
      await toDocumentClient(running.client).send(
        new GetCommand({ TableName: TABLE, Key: { pk, sk }, ConsistentRead: true }),
      )
    ).Item;

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    const client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1" });
    clients.push(client);
    store = createStore({ client: toDocumentClient(client), tableName: TABLE, backoffBaseMs: 2 });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await running?.stop();
  });

  /** Records `COPIES` copies of `event` at once; returns their results. */
  const race = (event: NormalizedEvent) =>
    Promise.all(Array.from({ length: COPIES }, () => store.recordEvent(event, decisionFor(event))));

  it.each([
    ["a hard bounce (suppress)", (a: string) => events.userUnknown(a, nowSeconds() - 60)],
    ["a soft bounce (count)", (a: string) => events.softMailboxFull(a, nowSeconds() - 60)],
    ["an open (no decision)", (a: string) => events.open(a, nowSeconds() - 60)],
  ])("accepts %s exactly once, in every trial", async (_name, make) => {
    for (let trial = 0; trial < TRIALS; trial++) {
      // Prepare
      const address = freshAddress();
      const event = make(address);
      // Act
      const results = await race(event);
      const claim = await readItem(addressPk("default", address), eventSk("ses", event.eventId));
      // Assess
      const accepted = results.filter((r) => !r.duplicate);
      expect(accepted, `trial ${trial}`).toHaveLength(1);
      const winner = accepted[0];
      for (const r of results.filter((x) => x.duplicate)) expect(r.outcome).toBe(winner?.outcome);
      expect(claim).toMatchObject({ applied: true, outcome: winner?.outcome });
    }
  });

  it("applies the soft bounce to the entry once, however many copies raced", async () => {
    // Prepare
    const address = freshAddress();
    const event = events.softMailboxFull(address, nowSeconds() - DAY);
    // Act
    await race(event);
    const later = await store.recordEvent(event, decisionFor(event));
    const entry = await readItem(addressPk("default", address), entrySk("*"));
    // Assess
    expect(later.duplicate).toBe(true);
    expect(entry).toBeDefined();
    expect(Object.keys((entry?.state as EntryState | undefined)?.soft.hits ?? {})).toEqual([event.eventId]);
  });

  it("keeps a mark the SDK retried after its answer was lost (the request still wins)", async () => {
    // Prepare: a client whose first UpdateItem reaches the engine, then loses its answer, so the
    // SDK retries it and the retry meets its own mark (a condition failure)
    const client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1", maxAttempts: 2 });
    clients.push(client);
    let lose = true;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === "UpdateItemCommand" && lose) {
          lose = false;
          throw Object.assign(new Error("injected: the answer was lost"), { name: "TimeoutError" });
        }
        return result;
      },
      { step: "deserialize", name: "loseFirstUpdateAnswer" },
    );
    const flaky = createStore({ client: toDocumentClient(client), tableName: TABLE, backoffBaseMs: 2 });
    const event = events.userUnknown(freshAddress(), nowSeconds() - 60);
    // Act
    const first = await flaky.recordEvent(event, decisionFor(event));
    const again = await flaky.recordEvent(event, decisionFor(event));
    // Assess
    expect(lose).toBe(false); // the fault was injected
    expect(first).toMatchObject({ duplicate: false, outcome: "suppressed" });
    expect(again).toEqual({ duplicate: true, outcome: "suppressed" });
  });
});
