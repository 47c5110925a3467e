/**
 * One stored history item as the API shows it: the items of an address's history
 * (`GET /v1/events/{address}`) and of the status view (`GET /v1/events`). A module of its own, so
 * that neither function's handler module imports the other's.
 */
import type { HistoryEntry } from "../contract/history.js";
import type { AdminActionItem } from "../store/admin.js";
import type { EventItem } from "../store/index.js";
import { decisionView } from "./decision-view.js";

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** A provider event's entry (the history's, the status view's). */
export type EventEntry = Extract<HistoryEntry, { kind: "event" }>;

/** One stored history item as the API shows it (keys, TTL and request tokens left out). */
export function historyEntry(item: EventItem | AdminActionItem): HistoryEntry {
  if (item.kind === "admin") {
    return {
      kind: "admin",
      at: item.at,
      actionId: item.actionId,
      action: item.action,
      scope: item.scope,
      actor: { keyId: item.actor.keyId, name: item.actor.name },
      note: item.note ?? null,
      expiresAt: item.expiresAt === undefined || item.expiresAt === null ? null : iso(item.expiresAt),
      reason: item.reason ?? null,
      causes: [...(item.causes ?? [])],
      removed: item.removed === undefined ? null : [...item.removed],
      applied: item.applied,
    };
  }
  return eventEntry(item);
}

/** One stored provider event as the API shows it, with its recipient (in `event`) and decision. */
export function eventEntry(item: EventItem): EventEntry {
  const { tenant: _tenant, ...event } = item.event;
  const stored = item.outcome === undefined ? undefined : { stored: item.outcome };
  return {
    kind: "event",
    at: new Date(item.event.occurredAt).toISOString(),
    receivedAt: item.receivedAt,
    event,
    decision: decisionView(item.event, item.decision, stored),
    applied: item.applied,
    outcome: item.outcome ?? null,
  };
}
