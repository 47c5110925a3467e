import { canonicalizeAddress } from "../core/address.js";
import type { Verdict } from "../store/index.js";
import { parseCheckBody } from "./check-body.js";
import { jsonBody } from "./http/body.js";
import { json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { type RuntimeDeps, readOnlyDeps } from "./runtime.js";
import { badFormat } from "./verdict-view.js";

/**
 * `POST /v1/check`: verdicts for 1–1000 addresses, in request order, from one round of concurrent
 * BatchGetItem calls.
 */
export function createCheckHandler(deps: RuntimeDeps): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: deps.auth }, async (event, caller) => {
    const { addresses, scope } = parseCheckBody(jsonBody(event));
    const parsed = addresses.map(canonicalizeAddress);
    const valid = [...new Set(parsed.flatMap((p) => (p.ok ? [p.address] : [])))];
    const now = Math.floor(deps.now().getTime() / 1000);
    const verdicts = await deps.store().checkAddresses(caller.tenant, valid, scope, now);
    const byAddress = new Map(verdicts.map((v) => [v.address, v]));
    const results = parsed.map((p) =>
      p.ok ? verdictFor(byAddress, p.address) : badFormat(p.input.trim(), p.problem),
    );
    return json(200, { results, suppressedCount: results.filter((r) => r.suppressed).length });
  });
}

/** The store answers every address it is asked about; a gap is our bug, never a silent `null`. */
function verdictFor(verdicts: ReadonlyMap<string, Verdict>, address: string): Verdict {
  const verdict = verdicts.get(address);
  // The message is logged, so it does not name the address.
  if (verdict === undefined)
    throw new Error("the store returned no verdict for an address it was asked about");
  return verdict;
}

export const handler = createCheckHandler(readOnlyDeps);
