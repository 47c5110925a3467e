import { describe, expect, it } from "vitest";
import { sendgridSigner } from "../fixtures/sendgrid/signing.js";
import { sesFixture } from "../support/ses-fixtures.js";
import { call, useLocalServer } from "./http-helpers.js";

const KEY = "test-key-cross-provider";
const signer = sendgridSigner();
const ADDRESS = "both.providers@example.net";

describe("one suppression list across providers", () => {
  const running = useLocalServer(KEY, { secrets: { SENDGRID_VERIFICATION_KEY: signer.verificationKey } });

  it("an SES bounce and a SendGrid spam report make one verdict with the strongest cause", async () => {
    // Prepare: a hard bounce through SES, a complaint through SendGrid's signed webhook
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const bounce = JSON.parse(
      JSON.stringify(sesFixture("bounce-permanent-general"))
        .replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, `"${hourAgo}"`)
        .replaceAll("jane@example.com", ADDRESS),
    );
    const spamreport = JSON.stringify([
      {
        email: ADDRESS.toUpperCase(),
        timestamp: Math.floor(Date.now() / 1000) - 60,
        event: "spamreport",
        sg_event_id: "Y3Jvc3MtcHJvdmlkZXI",
        sg_message_id: "cross.provider.filter0001",
      },
    ]);
    // Act
    const ses = await call(running().url, "POST", "/v1/import/ses", { key: KEY, body: bounce });
    const sendgrid = await call(running().url, "POST", "/webhooks/sendgrid", {
      raw: spamreport,
      headers: signer.headers(spamreport),
    });
    const checked = await call(running().url, "POST", "/v1/check", {
      key: KEY,
      body: { addresses: [ADDRESS] },
    });
    const single = await call(running().url, "GET", `/v1/suppressions/${ADDRESS}`, { key: KEY });
    // Assess
    expect(ses.body).toMatchObject({ accepted: 1, decisions: [{ cause: "bounce", outcome: "suppressed" }] });
    expect(sendgrid.body).toMatchObject({
      accepted: 1,
      decisions: [{ cause: "complaint", outcome: "suppressed" }],
    });
    expect(checked.body).toMatchObject({
      suppressedCount: 1,
      results: [{ address: ADDRESS, suppressed: true, cause: "complaint", source: "sendgrid" }],
    });
    expect(single.body).toMatchObject({
      cause: "complaint",
      entries: [
        expect.objectContaining({ cause: "complaint", source: "sendgrid" }),
        expect.objectContaining({
          cause: "bounce",
          source: "ses",
          reason: expect.objectContaining({ reason: "user_unknown" }),
        }),
      ],
    });
  });
});
