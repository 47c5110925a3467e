import { describe, expect, it } from "vitest";
import { allShapes, type Json, sesFixture } from "../support/ses-fixtures.js";
import { call, expectProblem, useLocalServer, withFlakyStore } from "./http-helpers.js";

const KEY = "test-key-ses-flow";

/** The AWS example records are from 2016; move every timestamp to `at` so causes are live now. */
function at(record: Json, iso: string, salt = ""): Json {
  const text = JSON.stringify(record).replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"/g, `"${iso}"`);
  // A salt makes the SES ids (feedbackId, messageId) unique per test, so events are not duplicates.
  return JSON.parse(salt ? text.replaceAll("-000000", `-${salt}`) : text) as Json;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

describe("SES end to end over HTTP: import → classify → policy → store → check", () => {
  const running = useLocalServer(KEY);

  const importSes = (body: unknown, query = "") =>
    call(running().url, "POST", `/v1/import/ses${query}`, { key: KEY, body });
  const check = (addresses: string[], scope?: string) =>
    call(running().url, "POST", "/v1/check", { key: KEY, body: { addresses, ...(scope ? { scope } : {}) } });

  it.each(allShapes(sesFixture("bounce-permanent-general")).map(([label], i) => [label, i] as const))(
    "suppresses a hard bounce delivered as %s",
    async (_label, i) => {
      // Prepare: the same AWS example, as its own message per shape
      const record = at(sesFixture("bounce-permanent-general"), hoursAgo(1), `shape${i}`);
      const body = allShapes(record)[i]?.[1];
      // Act
      const imported = await importSes(body);
      const verdict = await check(["Jane@Example.com"]);
      // Assess
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({
        accepted: 1,
        duplicates: 0,
        events: [
          {
            recipient: "jane@example.com",
            type: "invalid",
            subtype: "mailbox_not_found",
            reason: "user_unknown",
            rule: expect.any(String),
            provider: "ses",
            scope: "*",
            smtp: { code: "550", enhanced: "5.1.1" },
          },
        ],
        decisions: [
          { recipient: "jane@example.com", action: "suppress", cause: "bounce", outcome: expect.any(String) },
        ],
      });
      expect(verdict.body).toMatchObject({
        suppressedCount: 1,
        results: [
          {
            address: "jane@example.com",
            suppressed: true,
            cause: "bounce",
            reason: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
            scope: "*",
            source: "ses",
          },
        ],
      });
    },
  );

  it("counts a redelivered notification as a duplicate", async () => {
    const record = at(sesFixture("complaint-abuse"), hoursAgo(2), "dup");
    const first = await importSes(record);
    const second = await importSes(record);
    expect(first.body).toMatchObject({ accepted: expect.any(Number), duplicates: 0 });
    expect(second.body).toMatchObject({ accepted: 0, duplicates: first.body.accepted });
    expect((second.body.decisions as { outcome: string }[]).every((d) => d.outcome === "duplicate")).toBe(
      true,
    );
  });

  it("answers a dry run with events and decisions, and stores nothing", async () => {
    const record = at(sesFixture("bounce-permanent-general"), hoursAgo(1), "dry");
    const body = JSON.parse(JSON.stringify(record).replaceAll("jane@example.com", "dry.run@example.com"));
    const answer = await importSes(body, "?dryRun=true");
    expect(answer.body).toMatchObject({
      dryRun: true,
      accepted: 0,
      events: [{ recipient: "dry.run@example.com", reason: "user_unknown" }],
      decisions: [{ action: "suppress", cause: "bounce", expiresAt: expect.any(String) }],
    });
    expect((await check(["dry.run@example.com"])).body).toMatchObject({ suppressedCount: 0 });
  });

  it("keeps a complaint stronger than a later bounce, and lists both entries", async () => {
    const address = "both.causes@example.net";
    const complaint = at(sesFixture("complaint-abuse"), hoursAgo(3), "both1");
    const bounce = at(sesFixture("bounce-permanent-general"), hoursAgo(1), "both2");
    await importSes(
      JSON.parse(JSON.stringify(complaint).replace(/"[^"@\s]+@example\.(com|org|net)"/g, `"${address}"`)),
    );
    await importSes(JSON.parse(JSON.stringify(bounce).replace(/"jane@example\.com"/g, `"${address}"`)));
    const single = await call(running().url, "GET", `/v1/suppressions/${encodeURIComponent(address)}`, {
      key: KEY,
    });
    expect(single.body).toMatchObject({
      address,
      suppressed: true,
      cause: "complaint",
      entries: [
        expect.objectContaining({ cause: "complaint" }),
        expect.objectContaining({ cause: "bounce" }),
      ],
    });
  });

  it("scopes an SES list unsubscribe to its contact list", async () => {
    const record = at(sesFixture("ep-subscription-unsubscribe-all"), hoursAgo(1), "unsub");
    const imported = await importSes(record);
    const event = (imported.body.events as { recipient: string; scope: string }[])[0];
    expect(event).toMatchObject({ scope: expect.not.stringMatching(/^\*$/) });
    const recipient = event?.recipient ?? "";
    const list = event?.scope ?? "";
    const scoped = await check([recipient], `${list}/some-topic`);
    const all = await check([recipient]);
    expect(scoped.body).toMatchObject({ results: [{ suppressed: true, cause: "unsubscribe", scope: list }] });
    expect(all.body).toMatchObject({ results: [{ suppressed: false }] });
  });

  it("does not suppress on a delivery, a send or an open", async () => {
    for (const name of ["delivery", "ep-send", "ep-open"]) {
      const answer = await importSes(at(sesFixture(name), hoursAgo(1), name));
      expect(answer.status).toBe(200);
    }
    const answer = await check(["recipient@example.com"]);
    expect(answer.body).toMatchObject({ suppressedCount: 0 });
  });

  it.each([
    ["not an SES shape", { hello: "world" }],
    ["an SNS message that is not JSON", { Type: "Notification", MessageId: "m", Message: "{nope" }],
    [
      "a bounce without recipients",
      { notificationType: "Bounce", bounce: { bounceType: "Permanent" }, mail: {} },
    ],
    ["an empty SQS batch", { Records: [] }],
  ])("answers %s with 400 and stores nothing", async (_name, body) => {
    expectProblem(await importSes(body), 400);
  });
});

describe("SES import when the store is down", () => {
  it("answers 503, then a retry applies every event exactly once", async () => {
    // Prepare: the server talks to dynalite through a proxy we can break
    await withFlakyStore(KEY, {}, async (server, proxy) => {
      const record = at(sesFixture("bounce-permanent-general"), hoursAgo(1), "outage");
      const recipients = ["one@example.org", "two@example.org", "three@example.org"];
      const bounce = record.bounce as { bouncedRecipients: Json[] };
      bounce.bouncedRecipients = recipients.map((emailAddress) => ({
        ...bounce.bouncedRecipients[0],
        emailAddress,
      }));
      // Act 1: the store fails part-way through the batch
      proxy.fail({ afterRequests: 4 });
      const failed = await call(server.url, "POST", "/v1/import/ses", { key: KEY, body: record });
      // Assess 1
      expectProblem(failed, 503);
      proxy.heal();
      // Act 2: the sender retries the same notification
      const retried = await call(server.url, "POST", "/v1/import/ses", { key: KEY, body: record });
      const again = await call(server.url, "POST", "/v1/import/ses", { key: KEY, body: record });
      const checked = await call(server.url, "POST", "/v1/check", {
        key: KEY,
        body: { addresses: recipients },
      });
      // Assess 2: every recipient suppressed; the first try's partial work counted once
      expect(retried.status).toBe(200);
      expect(Number(retried.body.accepted) + Number(retried.body.duplicates)).toBe(3);
      expect(again.body).toMatchObject({ accepted: 0, duplicates: 3 });
      expect(checked.body).toMatchObject({ suppressedCount: 3 });
      // Act 3: reads fail too → 503 for the check
      proxy.fail("down");
      expectProblem(
        await call(server.url, "POST", "/v1/check", { key: KEY, body: { addresses: recipients } }),
        503,
      );
    });
  });
});
