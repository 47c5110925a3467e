/**
 * What the policy decided for one event and, once stored, what storing it did: the `decisions` of
 * every ingestion answer and the decision of each event in an address's history (design.md §5.3).
 */
import type { DecisionView } from "../contract/ingestion.js";
import type { NormalizedEvent } from "../core/events.js";
import { fromEpochSeconds } from "../core/ledger/time.js";
import type { Decision, Outcome } from "../core/ledger/types.js";
import type { RecordResult } from "../store/index.js";

const iso = (epoch: number | null): string | null => (epoch === null ? null : fromEpochSeconds(epoch));

/**
 * The view of `decision` for `event`; with `result`, what recording it did (or, from the history,
 * the outcome stored with it).
 *
 * @example
 * decisionView(event, decide(event, DEFAULT_POLICY)); // { recipient, eventId, action: "suppress", cause: "bounce", … }
 */
export function decisionView(
  event: NormalizedEvent,
  decision: Decision,
  result?: RecordResult | { readonly stored: Outcome },
): DecisionView {
  const base = { recipient: event.recipient, eventId: event.eventId, action: decision.action };
  const scope = decision.action === "none" ? null : decision.scope;
  const planned: DecisionView = {
    ...base,
    scope,
    cause: decision.action === "suppress" || decision.action === "lift" ? decision.cause : null,
    expiresAt: decision.action === "suppress" ? iso(decision.expiresAt) : null,
    ...(decision.action === "none" ? { why: decision.why } : {}),
  };
  if (result === undefined) return planned;
  if ("stored" in result) return { ...planned, outcome: result.stored };
  if (result.duplicate) return { ...planned, outcome: "duplicate" };
  return {
    ...planned,
    cause: result.cause ?? planned.cause,
    expiresAt: iso(result.expiresAt),
    outcome: result.outcome,
  };
}
