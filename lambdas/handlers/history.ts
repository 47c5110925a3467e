import { HISTORY_PAGE_DEFAULT, type HistoryPage, HistoryQuery } from "../contract/history.js";
import { InputError } from "../core/errors.js";
import { toEpochSeconds } from "../core/ledger/time.js";
import { parseAt } from "../providers/shared/validate.js";
import { historyStore } from "../store/history.js";
import { historyEntry } from "./history-view.js";
import { json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { type RuntimeDeps, readOnlyDeps } from "./runtime.js";
import { subjectOfPath } from "./subject-path.js";

/** Shared with the status view (`GET /v1/events`): history-view.ts. */
export { historyEntry };

/**
 * `GET /v1/events/{address}?from=&to=&type=&cursor=&limit=`: every provider event of one address
 * (or, for `@domain`, every operator's action on the domain) and every operator's action on it,
 * newest first, in pages of `limit` (default 50, at most 100) with an opaque `cursor`. History is
 * kept as long as the policy's `history.keepDays` (30 days by default).
 *
 * @example
 * const page = await handler(apiGatewayEvent("GET", "/v1/events/jdoe@example.org?limit=20"), context);
 */
export function createHistoryHandler(deps: RuntimeDeps): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: deps.auth, maskWithoutPii: true }, async (event, caller) => {
    const subject = subjectOfPath(event);
    const query = parseAt(HistoryQuery, event.queryStringParameters ?? {}, [], "Not a valid history query.");
    const from = query.from === undefined ? undefined : toEpochSeconds(query.from);
    const to = query.to === undefined ? undefined : toEpochSeconds(query.to);
    const now = Math.floor(deps.now().getTime() / 1000);
    // `to` defaults to now, so a `from` in the future names an empty window, as on GET /v1/events.
    if (from !== undefined && from > (to ?? now)) {
      const upper = query.to ?? `now (${new Date(now * 1000).toISOString()})`;
      throw new InputError(
        `\`from\` is after \`to\`${query.to === undefined ? " (now, when `to` is not given)" : ""}.`,
        [{ path: "from", message: `${query.from} > ${upper}` }],
      );
    }
    const page = await historyStore(deps.store()).read(
      {
        tenant: caller.tenant,
        subject: subject,
        limit: query.limit ?? HISTORY_PAGE_DEFAULT,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(query.type === undefined ? {} : { type: query.type }),
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      },
      now,
    );
    const answer: HistoryPage = {
      subjectKind: subject.kind,
      subject: subject.value,
      items: page.items.map(historyEntry),
      cursor: page.cursor,
    };
    return json(200, answer);
  });
}

export const handler = createHistoryHandler(readOnlyDeps);
