/**
 * What the unsubscribe tests read back through the API after a click: the address's verdict
 * (`POST /v1/check`) and its event history (`GET /v1/events/{address}`), parsed with the contract.
 */
import { expect } from "vitest";
import { CheckResponse, HistoryPage } from "../../lambdas/contract/index.js";
import { call } from "../local/http-helpers.js";

/**
 * Readers against the server at `url()` with the bootstrap `key`.
 *
 * @example
 * const { verdict, history } = readback(() => running().url, BOOTSTRAP);
 * expect((await verdict("jane@example.org")).suppressed).toBe(true);
 */
export function readback(url: () => string, key: string) {
  const verdict = async (address: string, scope = "*", tenant?: string) => {
    const answer = await call(url(), "POST", "/v1/check", {
      key,
      body: { addresses: [address], scope },
      ...(tenant ? { headers: { "x-tenant": tenant } } : {}),
    });
    expect(answer.status).toBe(200);
    const [result] = CheckResponse.parse(answer.body).results;
    if (result === undefined) throw new Error("the check answered no verdict");
    return result;
  };
  const history = async (address: string) => {
    const answer = await call(url(), "GET", `/v1/events/${encodeURIComponent(address)}`, { key });
    expect(answer.status).toBe(200);
    return HistoryPage.parse(answer.body).items.flatMap((item) =>
      item.kind === "event" ? [item.event] : [],
    );
  };
  return { verdict, history };
}
