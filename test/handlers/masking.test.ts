/**
 * Masked addresses over real HTTP: a key without `pii` sees `j***@example.org` in every string of
 * the lists, the history, the status view and the allowlist; with `pii` (the bootstrap key has every scope)
 * the addresses in full; the check and the single-address lookup answer the address as sent.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { CreatedKey } from "../../lambdas/contract/index.js";
import { sendgridEvents } from "../fixtures/sendgrid/signing.js";
import { call, useLocalServer } from "../local/http-helpers.js";

const ROOT = "test-key-masking-root";

describe("masking without the pii scope", () => {
  const running = useLocalServer(ROOT);
  const salt = randomBytes(4).toString("hex");
  const address = `masked-${salt}@example.org`;
  const masked = `m***@example.org`;
  let plain = "";

  beforeAll(async () => {
    const created = await call(running().url, "POST", "/v1/keys", {
      key: ROOT,
      body: { name: "no pii", scopes: ["admin", "check"] },
    });
    expect(created.status).toBe(201);
    plain = CreatedKey.parse(created.body).key;
    const [bounce] = sendgridEvents("bounce-invalid-address");
    const event = {
      ...bounce,
      email: address,
      sg_event_id: `mask-${salt}`,
      reason: `550 5.1.1 <${address}>: Recipient address rejected`,
      timestamp: Math.floor(Date.now() / 1000) - 60,
    };
    const second = { ...event, email: `second-${salt}@example.org`, sg_event_id: `mask2-${salt}` };
    const imported = await call(running().url, "POST", "/v1/import/sendgrid", {
      key: ROOT,
      body: [event, second],
    });
    expect(imported.status).toBe(200);
    expect(
      (
        await call(running().url, "PUT", `/v1/allowlist/${encodeURIComponent(`seed-${salt}@example.org`)}`, {
          key: ROOT,
        })
      ).status,
    ).toBe(200);
  });

  const get = (path: string, key: string) => call(running().url, "GET", path, { key });

  it("masks every address of an address's history, diagnostics and event ids included", async () => {
    const path = `/v1/events/${encodeURIComponent(address)}`;
    const withoutPii = await get(path, plain);
    expect(withoutPii.status).toBe(200);
    const text = JSON.stringify(withoutPii.body);
    expect(text).not.toContain(address);
    expect(text).toContain(masked);
    expect(withoutPii.body).toMatchObject({ subject: masked });
    const withPii = await get(path, ROOT);
    expect(JSON.stringify(withPii.body)).toContain(`<${address}>`);
    expect(withPii.body).toMatchObject({ subject: address });
  });

  it("masks the tenant's lists and the status view, cursors included", async () => {
    for (const path of ["/v1/suppressions?cause=bounce&limit=100", "/v1/events?type=invalid&limit=100"]) {
      const withoutPii = await get(path, plain);
      expect(withoutPii.status, path).toBe(200);
      const text = JSON.stringify(withoutPii.body);
      expect(text, path).not.toContain(address);
      expect(text, path).toContain(masked);
      expect(JSON.stringify((await get(path, ROOT)).body), path).toContain(address);
    }
    const paged = await get("/v1/events?limit=1", plain);
    const cursor = String(paged.body.cursor ?? "");
    expect(cursor).not.toBe("");
    expect(Buffer.from(cursor, "base64url").toString("latin1")).not.toContain("@example.org");
  });

  it("keeps another tenant's lists and status view empty of this tenant's entries and events", async () => {
    const other = await call(running().url, "POST", "/v1/keys", {
      key: ROOT,
      body: { name: "tenant b", scopes: ["admin", "pii"], tenant: `b-${salt}` },
    });
    const bKey = CreatedKey.parse(other.body).key;
    for (const path of ["/v1/suppressions?limit=100", "/v1/events?limit=100"]) {
      const answer = await get(path, bKey);
      expect(answer.status, path).toBe(200);
      expect(JSON.stringify(answer.body), path).not.toContain(address);
    }
  });

  it("masks the allowlist", async () => {
    const withoutPii = JSON.stringify((await get("/v1/allowlist", plain)).body);
    expect(withoutPii).not.toContain(`seed-${salt}@`);
    expect(withoutPii).toContain("s***@example.org");
    expect(JSON.stringify((await get("/v1/allowlist", ROOT)).body)).toContain(`seed-${salt}@example.org`);
  });

  it("leaves the check and the single-address lookup as they are (the caller sent the address)", async () => {
    const check = await call(running().url, "POST", "/v1/check", {
      key: plain,
      body: { addresses: [address] },
    });
    expect(check.body).toMatchObject({ results: [{ address, suppressed: true }] });
    const lookup = await get(`/v1/suppressions/${encodeURIComponent(address)}`, plain);
    expect(lookup.body).toMatchObject({ address, suppressed: true });
  });
});
