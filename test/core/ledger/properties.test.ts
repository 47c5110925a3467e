import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../lambdas/core/events.js";
import {
  applyDecision,
  CAUSES,
  type Cause,
  type EntryState,
  emptyEntry,
  liveCauses,
} from "../../../lambdas/core/ledger/index.js";
import { DEFAULT_POLICY, decide, type Policy, parsePolicy } from "../../../lambdas/core/policy/index.js";
import { DAY, ev, specArb, T0 } from "./events.js";

/** Policies with small, varied numbers, so windows, lives and ties interact within a few weeks. */
const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    threshold: fc.integer({ min: 1, max: 4 }),
    windowDays: fc.constantFrom(1, 3, 14),
    suppressForDays: fc.constantFrom(1, 7, 30),
    complaintDays: fc.constantFrom(5, 180, null),
    unsubscribeDays: fc.constantFrom(4, null),
  })
  .map((p) =>
    parsePolicy({
      bounce: {
        rules: [
          { reasons: ["user_unknown", "has_moved"], expiresAfterDays: 20 },
          { reasons: ["host_unknown"], expiresAfterDays: 3 },
          { reasons: ["bad_address_format"], expiresAfterDays: null },
        ],
      },
      softBounce: {
        reasons: ["mailbox_full", "system_full"],
        threshold: p.threshold,
        windowDays: p.windowDays,
        suppressForDays: p.suppressForDays,
      },
      complaint: { expiresAfterDays: p.complaintDays, ignoreFeedbackTypes: ["not-spam"] },
      unsubscribe: { expiresAfterDays: p.unsubscribeDays, suppressRefusals: true },
    }),
  );

/** Times on a coarse grid (quarter days over 40 days) so that equal times and boundaries happen. */
const timeArb = fc.integer({ min: 0, max: 160 }).map((q) => T0 + q * (DAY / 4));

/** Events with distinct ids (the provider's id identifies one event). */
const eventsArb = (max: number): fc.Arbitrary<NormalizedEvent[]> =>
  fc
    .array(
      fc.tuple(specArb, timeArb, fc.constantFrom("ses", "sendgrid") as fc.Arbitrary<"ses" | "sendgrid">),
      {
        maxLength: max,
      },
    )
    .map((rows) =>
      rows.map(([spec, t, provider], i) =>
        ev({ ...spec, provider, eventId: `e${i}`, occurredAt: new Date(t * 1000).toISOString() }),
      ),
    );

function applyAll(
  events: readonly NormalizedEvent[],
  policy: Policy,
  from: EntryState = emptyEntry(),
): EntryState {
  let state = from;
  for (const e of events) state = applyDecision(state, e, decide(e, policy)).state;
  return state;
}

/** What a reader sees at `now`: cause, expiry, latest time, and (except for escalations) the verdict. */
function view(state: EntryState, now: number) {
  return liveCauses(state, now).map(({ cause, state: s }) => ({
    cause,
    expiresAt: s.expiresAt,
    lastAt: cause === "soft_escalation" ? null : s.lastAt,
    verdict: cause === "soft_escalation" ? null : s.verdict,
    eventId: cause === "soft_escalation" ? null : s.eventId,
    source: cause === "soft_escalation" ? null : s.source,
  }));
}

const latest = (events: readonly NormalizedEvent[]): number =>
  Math.max(T0, ...events.map((e) => Date.parse(e.occurredAt) / 1000));

/** Times to read at: from the latest event on, close to it (where finite causes live) and far. */
const readTimes = (events: readonly NormalizedEvent[]): number[] =>
  [0, 0.25, 1, 2, 5, 8, 20, 40, 400].map((d) => latest(events) + d * DAY);

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 3000) };

describe("ledger properties", () => {
  it("(a) never weakens: only a resubscribe ends an unsubscribe, only a delivery ends an escalation", () => {
    fc.assert(
      fc.property(policyArb, eventsArb(12), specArb, timeArb, (policy, history, spec, t) => {
        // Prepare
        const before = applyAll(history, policy);
        const event = ev({ ...spec, eventId: "next", occurredAt: new Date(t * 1000).toISOString() });
        const decision = decide(event, policy);
        // Act
        const after = applyDecision(before, event, decision).state;
        // Assess
        for (const cause of Object.keys(before.causes) as Cause[]) {
          const was = before.causes[cause];
          const now = after.causes[cause];
          const mayEnd =
            (cause === "unsubscribe" && decision.action === "lift") ||
            (cause === "soft_escalation" && decision.action === "reset_soft");
          if (!now) {
            expect(mayEnd, `${cause} removed by ${decision.action}`).toBe(true);
            continue;
          }
          if (mayEnd) continue;
          expect(now.expiresAt ?? Number.POSITIVE_INFINITY).toBeGreaterThanOrEqual(
            was?.expiresAt ?? Number.POSITIVE_INFINITY,
          );
        }
      }),
      RUNS,
    );
  });

  it("(b) is order independent: any order of the same events reads the same", () => {
    fc.assert(
      fc.property(
        policyArb,
        eventsArb(14).chain((events) =>
          fc.tuple(
            fc.constant(events),
            fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
          ),
        ),
        (policy, [events, shuffled]) => {
          // Act
          const a = applyAll(events, policy);
          const b = applyAll(shuffled, policy);
          // Assess
          for (const now of readTimes(events)) expect(view(b, now)).toEqual(view(a, now));
        },
      ),
      RUNS,
    );
  });

  it("(c) is idempotent: an event applied twice, now or later, is applied once", () => {
    fc.assert(
      fc.property(
        policyArb,
        eventsArb(12).filter((es) => es.length > 0),
        fc.nat(),
        fc.nat(),
        (policy, events, pick, where) => {
          // Prepare
          const replayed = events[pick % events.length] as NormalizedEvent;
          const withReplay = [...events];
          withReplay.splice(where % (events.length + 1), 0, replayed);
          const once = applyAll(events, policy);
          // Act
          const twiceInARow = applyDecision(once, replayed, decide(replayed, policy));
          const replayedSomewhere = applyAll(withReplay, policy);
          // Assess: what a reader sees is the same. (`since` alone may move earlier when a replayed
          // event bridges two lives that had arrived out of order: see the notes in apply.ts.)
          for (const now of readTimes(events)) {
            expect(view(twiceInARow.state, now)).toEqual(view(once, now));
            expect(view(replayedSomewhere, now)).toEqual(view(once, now));
          }
          expect(twiceInARow.state.soft).toEqual(once.soft);
          expect(twiceInARow.state.liftedAt).toBe(once.liftedAt);
        },
      ),
      RUNS,
    );
  });

  it("(c') the same event applied twice in a row returns the very same object", () => {
    fc.assert(
      fc.property(policyArb, eventsArb(10), specArb, timeArb, (policy, history, spec, t) => {
        const state = applyAll(history, policy);
        const event = ev({ ...spec, eventId: "again", occurredAt: new Date(t * 1000).toISOString() });
        const once = applyDecision(state, event, decide(event, policy));
        const twice = applyDecision(once.state, event, decide(event, policy));
        expect(twice.state).toBe(once.state);
        expect(["unchanged", "none"]).toContain(twice.outcome);
      }),
      RUNS,
    );
  });

  it("(d) liveCauses returns exactly the unexpired causes, strongest first", () => {
    fc.assert(
      fc.property(eventsArb(12), fc.integer({ min: -10, max: 400 * 4 }), (events, q) => {
        // Prepare
        const state = applyAll(events, DEFAULT_POLICY);
        const now = T0 + q * (DAY / 4);
        // Act
        const live = liveCauses(state, now);
        // Assess
        const expected = CAUSES.filter((c) => {
          const s = state.causes[c];
          return s !== undefined && (s.expiresAt === null || s.expiresAt > now);
        });
        expect(live.map((l) => l.cause)).toEqual(expected);
        for (const l of live) expect(l.state).toBe(state.causes[l.cause]);
      }),
      RUNS,
    );
  });

  it("keeps states plain JSON", () => {
    fc.assert(
      fc.property(policyArb, eventsArb(12), (policy, events) => {
        const state = applyAll(events, policy);
        expect(JSON.parse(JSON.stringify(state))).toEqual(state);
      }),
      { numRuns: 500 },
    );
  });
});
