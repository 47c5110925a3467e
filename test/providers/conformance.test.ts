/**
 * One conformance suite for every webhook provider the registry lists (and SES, served beside it):
 * the same promises, checked the same way, over real sockets against the local server. A provider
 * added to the registry without requests here fails the first test.
 *
 * - a genuine request is accepted and suppresses its recipient; the same request again is a duplicate;
 * - a forged, an unsigned and a malformed request are refused with a 4xx problem and store nothing;
 * - a store outage answers 503 with `Retry-After`, and the provider's retry of the same request is
 *   then accepted once, counting nothing twice.
 */
import { describe, expect, it } from "vitest";
import { PROVIDERS } from "../../lambdas/providers/registry.js";
import { type Answer, call, expectProblem, useLocalServer, withFlakyStore } from "../local/http-helpers.js";
import {
  type Posted,
  REQUESTS,
  salt,
  WEBHOOK_PROVIDERS,
  WEBHOOK_SERVER_OPTIONS,
  WEBHOOKLESS_PROVIDERS,
} from "../support/provider-requests.js";

const KEY = "test-key-conformance";

function post(url: string, request: Posted): Promise<Answer> {
  return call(url, "POST", `/webhooks/${request.provider}`, {
    raw: request.body,
    contentType: request.headers["content-type"] ?? "application/json",
    headers: request.headers,
  });
}

describe("every webhook provider", () => {
  const running = useLocalServer(KEY, WEBHOOK_SERVER_OPTIONS);
  const isSuppressed = async (address: string) => {
    const answer = await call(running().url, "POST", "/v1/check", {
      key: KEY,
      body: { addresses: [address] },
    });
    return answer.body.suppressedCount === 1;
  };
  const requests = (provider: string) => {
    const kinds = REQUESTS[provider];
    if (!kinds) throw new Error(`test/support/provider-requests.ts has no requests for ${provider}`);
    return kinds;
  };

  it("has requests for every provider of the registry that takes webhooks", () => {
    expect(Object.keys(REQUESTS).sort()).toEqual([...WEBHOOK_PROVIDERS].sort());
    expect([...WEBHOOK_PROVIDERS, ...WEBHOOKLESS_PROVIDERS].sort()).toEqual([...PROVIDERS].sort());
  });

  it.each(WEBHOOKLESS_PROVIDERS)("%s: every webhook is refused with a 4xx problem", async (provider) => {
    for (const [contentType, body] of [
      ["message/rfc822", "From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n"],
      ["application/json", "{}"],
      ["text/plain", ""],
    ] as const) {
      const answer = await post(running().url, { provider, headers: { "content-type": contentType }, body });
      expect([401, 403]).toContain(answer.status);
      expectProblem(answer, answer.status);
    }
  });

  it.each(WEBHOOK_PROVIDERS)(
    "%s: a genuine request is accepted once; its redelivery is a duplicate",
    async (provider) => {
      const recipient = `genuine-${salt()}@example.org`;
      const request = requests(provider).genuine(recipient);
      const first = await post(running().url, request);
      const again = await post(running().url, request);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
      expect(await isSuppressed(recipient)).toBe(true);
    },
  );

  it.each(
    WEBHOOK_PROVIDERS.flatMap((provider) =>
      (["forged", "unsigned"] as const).map((kind) => [provider, kind] as const),
    ),
  )("%s: a %s request is refused and stores nothing", async (provider, kind) => {
    const recipient = `${kind}-${salt()}@example.org`;
    const answer = await post(running().url, requests(provider)[kind](recipient));
    expect([401, 403, 406]).toContain(answer.status);
    expectProblem(answer, answer.status);
    expect(await isSuppressed(recipient)).toBe(false);
  });

  it.each(WEBHOOK_PROVIDERS)(
    "%s: a replayed signature is refused and stores nothing (or, unsigned in time, is a duplicate)",
    async (provider) => {
      const recipient = `replayed-${salt()}@example.org`;
      const sequence = requests(provider).replayed(recipient);
      if (sequence === null) {
        // Basic auth signs no time or token: a replay is the same bytes, counted once.
        const request = requests(provider).genuine(recipient);
        expect((await post(running().url, request)).body).toMatchObject({ accepted: 1 });
        expect((await post(running().url, request)).body).toMatchObject({ accepted: 0, duplicates: 1 });
        return;
      }
      const replay = sequence.at(-1);
      if (replay === undefined) throw new Error(`${provider}: an empty replay sequence`);
      for (const genuine of sequence.slice(0, -1))
        expect((await post(running().url, genuine)).status).toBe(200);
      const answer = await post(running().url, replay);
      expect([401, 403, 406]).toContain(answer.status);
      expectProblem(answer, answer.status);
      expect(await isSuppressed(recipient)).toBe(false);
    },
  );

  it.each(WEBHOOK_PROVIDERS)("%s: a malformed body is refused with a 4xx problem", async (provider) => {
    const answer = await post(running().url, requests(provider).malformed());
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expectProblem(answer, answer.status);
  });

  it.each(WEBHOOK_PROVIDERS)(
    "%s: a store outage answers 503 with Retry-After; the retry is accepted once",
    async (provider) => {
      await withFlakyStore(KEY, WEBHOOK_SERVER_OPTIONS, async (server, proxy) => {
        const recipient = `outage-${salt()}@example.org`;
        const request = requests(provider).genuine(recipient);
        proxy.fail("down");
        const failed = await fetch(`${server.url}/webhooks/${provider}`, {
          method: "POST",
          headers: request.headers,
          body: request.body,
        });
        await failed.body?.cancel();
        expect(failed.status).toBe(503);
        expect(failed.headers.get("retry-after")).toBe("1");
        proxy.heal();
        const retried = await post(server.url, request);
        const again = await post(server.url, request);
        expect(retried.status).toBe(200);
        expect(retried.body).toMatchObject({ accepted: 1, duplicates: 0 });
        expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
      });
    },
  );
});
