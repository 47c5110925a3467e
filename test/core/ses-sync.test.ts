// fast-check runs with the repository's fixed seed (test/support/fast-check-seed.ts, a vitest setup
// file), so no property here sets a seed of its own.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyDecision,
  applyRemoval,
  CAUSES,
  type Cause,
  type CauseState,
  type EntryState,
  emptyEntry,
  itemExpiry,
  liveCauses,
} from "../../lambdas/core/ledger/index.js";
import { DEFAULT_POLICY, decide } from "../../lambdas/core/policy/index.js";
import {
  type EntryChange,
  type EntryItemLike,
  IMPORTED_FROM_SES,
  isImportedFromSes,
  isTtlRemoval,
  type SesReason,
  type SesSyncAction,
  sesReasonOf,
  sesSyncAction,
} from "../../lambdas/core/ses-sync.js";
import { DAY, delivered, T0 } from "./ledger/events.js";

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

const ADDRESS = "jdoe@example.org";
const TTL_IDENTITY = { type: "Service", principalId: "dynamodb.amazonaws.com" } as const;

/** Epoch seconds `days` (may be fractional) after T0. */
const sec = (days: number): number => T0 + Math.round(days * DAY);
const iso = (s: number): string => new Date(s * 1000).toISOString();

/** A cause set at `setAt` (epoch seconds) that expires at `expiresAt` (`null`: never). */
function cause(setAt: number, expiresAt: number | null = null): CauseState {
  return {
    since: iso(setAt),
    lastAt: iso(setAt),
    expiresAt,
    verdict: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
    source: "ses",
    eventId: `e${setAt}`,
    rule: "test",
  };
}

/** A state with the given causes, each set at T0 and never expiring unless said otherwise. */
function withCauses(causes: Partial<Record<Cause, CauseState>>): EntryState {
  return { ...emptyEntry(), causes };
}
const causes = (...names: Cause[]): EntryState =>
  withCauses(Object.fromEntries(names.map((c) => [c, cause(T0)])) as Partial<Record<Cause, CauseState>>);

/** An address entry at scope `*` of tenant `default`, written at `writtenAt`. */
function item(state: EntryState, writtenAt: number = T0, over: Partial<EntryItemLike> = {}): EntryItemLike {
  return {
    kind: "entry",
    tenant: "default",
    subjectKind: "address",
    subject: ADDRESS,
    scope: "*",
    state,
    updatedAt: iso(writtenAt),
    ...over,
  };
}

const put = (reason: SesReason): SesSyncAction => ({
  kind: "put",
  tenant: "default",
  address: ADDRESS,
  reason,
});
const del: SesSyncAction = { kind: "delete", tenant: "default", address: ADDRESS };
const NOW = sec(1);

// ---------------------------------------------------------------------------------------------
// sesReasonOf
// ---------------------------------------------------------------------------------------------

describe("sesReasonOf", () => {
  it.each([
    ["bounce", "BOUNCE"],
    ["soft_escalation", "BOUNCE"],
    ["manual", "BOUNCE"],
    ["complaint", "COMPLAINT"],
    ["unsubscribe", "COMPLAINT"],
  ] as const)("maps %s to %s", (c, reason) => {
    // Arrange
    const live: Cause[] = [c];

    // Act
    const mapped = sesReasonOf(live);

    // Assert
    expect(mapped).toBe(reason);
  });

  it("gives null when no cause is live", () => {
    // Arrange
    const live: Cause[] = [];

    // Act
    const mapped = sesReasonOf(live);

    // Assert
    expect(mapped).toBeNull();
  });

  it("lets COMPLAINT win over BOUNCE, in any order, manual included", () => {
    // Arrange
    const sets: Cause[][] = [
      ["manual", "complaint"],
      ["bounce", "unsubscribe"],
      ["unsubscribe", "soft_escalation", "manual"],
      [...CAUSES],
      [...CAUSES].reverse(),
    ];

    // Act
    const mapped = sets.map((s) => sesReasonOf(s));

    // Assert
    expect(mapped).toEqual(sets.map(() => "COMPLAINT"));
  });

  it("takes the ledger's liveCauses directly, leaving expired causes out", () => {
    // Arrange: the complaint expired at day 1, the bounce is live until day 10
    const state = withCauses({ complaint: cause(T0, sec(1)), bounce: cause(T0, sec(10)) });

    // Act
    const before = sesReasonOf(liveCauses(state, sec(0.5)));
    const after = sesReasonOf(liveCauses(state, sec(1)));
    const gone = sesReasonOf(liveCauses(state, sec(10)));

    // Assert
    expect([before, after, gone]).toEqual(["COMPLAINT", "BOUNCE", null]);
  });
});

// ---------------------------------------------------------------------------------------------
// sesSyncAction: INSERT and MODIFY
// ---------------------------------------------------------------------------------------------

describe("sesSyncAction on INSERT", () => {
  it.each([
    ["bounce", "BOUNCE"],
    ["soft_escalation", "BOUNCE"],
    ["manual", "BOUNCE"],
    ["complaint", "COMPLAINT"],
    ["unsubscribe", "COMPLAINT"],
  ] as const)("puts an inserted %s as %s", (c, reason) => {
    // Arrange
    const change: EntryChange = { eventName: "INSERT", newEntry: item(causes(c)) };

    // Act
    const action = sesSyncAction(change, NOW);

    // Assert
    expect(action).toEqual(put(reason));
  });

  it("does nothing for an inserted entry with no live cause (soft hits only, or already expired)", () => {
    // Arrange
    const hitsOnly: EntryState = { ...emptyEntry(), soft: { hits: { s1: T0 }, resetAt: null } };
    const expired = withCauses({ bounce: cause(T0, sec(0.5)) });

    // Act
    const actions = [hitsOnly, expired].map((s) =>
      sesSyncAction({ eventName: "INSERT", newEntry: item(s) }, NOW),
    );

    // Assert
    expect(actions.map((a) => a.kind)).toEqual(["none", "none"]);
  });
});

describe("sesSyncAction on MODIFY", () => {
  const modify = (before: EntryState, after: EntryState, beforeAt: number = T0): EntryChange => ({
    eventName: "MODIFY",
    oldEntry: item(before, beforeAt),
    newEntry: item(after, NOW),
  });

  it("puts COMPLAINT when a complaint joins a bounce (stronger)", () => {
    // Arrange
    const change = modify(causes("bounce"), causes("bounce", "complaint"));

    // Act
    const action = sesSyncAction(change, NOW);

    // Assert
    expect(action).toEqual(put("COMPLAINT"));
  });

  it("puts BOUNCE when the complaint of complaint + bounce is removed (weaker)", () => {
    // Arrange
    const before = causes("bounce", "complaint");
    const after = applyRemoval(before, { at: NOW, causes: ["complaint"] }).state;

    // Act
    const action = sesSyncAction(modify(before, after), NOW);

    // Assert
    expect(action).toEqual(put("BOUNCE"));
  });

  it("does nothing when one of two causes with the same reason goes", () => {
    // Arrange
    const before = causes("bounce", "soft_escalation");
    const after = applyRemoval(before, { at: NOW, causes: ["soft_escalation"] }).state;

    // Act
    const action = sesSyncAction(modify(before, after), NOW);

    // Assert
    expect(action).toEqual({ kind: "none", why: "still BOUNCE" });
  });

  it("does nothing when a second cause of the same reason joins (unsubscribe + complaint)", () => {
    // Arrange
    const change = modify(causes("unsubscribe"), causes("unsubscribe", "complaint"));

    // Act
    const action = sesSyncAction(change, NOW);

    // Assert
    expect(action.kind).toBe("none");
  });

  it("deletes when an operator removes the last cause", () => {
    // Arrange
    const before = causes("manual");
    const after = applyRemoval(before, { at: NOW }).state;

    // Act
    const action = sesSyncAction(modify(before, after), NOW);

    // Assert
    expect(action).toEqual(del);
  });

  it("deletes when a delivery ends a soft escalation", () => {
    // Arrange: three soft bounces escalated on day 0; the mailbox takes a message on day 1
    const escalated: EntryState = {
      ...withCauses({ soft_escalation: cause(sec(0.2), sec(7)) }),
      soft: { hits: { s1: sec(0), s2: sec(0.1), s3: sec(0.2) }, resetAt: null },
    };
    const delivery = delivered("d1", 1);
    const after = applyDecision(escalated, delivery, decide(delivery, DEFAULT_POLICY)).state;

    // Act
    const action = sesSyncAction(modify(escalated, after, sec(0.2)), NOW);

    // Assert
    expect(after.causes.soft_escalation).toBeUndefined();
    expect(action).toEqual(del);
  });

  it("deletes on the next write when a cause expired since the old image was written", () => {
    // Arrange: bounced until day 0.5, written at T0 (BOUNCE put then); a delivery writes at day 1
    const bounced = withCauses({ bounce: cause(T0, sec(0.5)) });
    const delivery = delivered("d1", 1);
    const after = applyDecision(bounced, delivery, decide(delivery, DEFAULT_POLICY)).state;

    // Act
    const action = sesSyncAction(modify(bounced, after, T0), NOW);

    // Assert
    expect(action).toEqual(del);
  });

  it("does nothing when the old image was written after its cause had expired (deleted back then)", () => {
    // Arrange: the bounce expired at day 0.5, the old image was written at day 0.6
    const stale = withCauses({ bounce: cause(T0, sec(0.5)) });
    const later: EntryState = { ...stale, soft: { hits: {}, resetAt: sec(0.9) } };

    // Act
    const action = sesSyncAction(modify(stale, later, sec(0.6)), NOW);

    // Assert
    expect(action.kind).toBe("none");
  });

  it("puts a cause that was live when the change was written but compares what is live at now", () => {
    // Arrange: old image without causes; the new bounce expired before the record is processed
    const change = modify(emptyEntry(), withCauses({ bounce: cause(T0, sec(0.9)) }));

    // Act
    const late = sesSyncAction(change, NOW);
    const onTime = sesSyncAction(change, sec(0.5));

    // Assert
    expect(late.kind).toBe("none");
    expect(onTime).toEqual(put("BOUNCE"));
  });
});

// ---------------------------------------------------------------------------------------------
// sesSyncAction: REMOVE
// ---------------------------------------------------------------------------------------------

describe("sesSyncAction on REMOVE", () => {
  it("deletes when an operator deletes an item with a live cause", () => {
    // Arrange
    const change: EntryChange = { eventName: "REMOVE", oldEntry: item(causes("complaint")) };

    // Act
    const action = sesSyncAction(change, NOW);

    // Assert
    expect(isTtlRemoval(change)).toBe(false);
    expect(action).toEqual(del);
  });

  it("deletes on a TTL removal, whose causes have all expired by then", () => {
    // Arrange: a bounce until day 0.5 and a complaint until day 0.8; TTL deletes the item on day 1
    const state = withCauses({ bounce: cause(T0, sec(0.5)), complaint: cause(T0, sec(0.8)) });
    const change: EntryChange = { eventName: "REMOVE", userIdentity: TTL_IDENTITY, oldEntry: item(state) };

    // Act
    const action = sesSyncAction(change, NOW);

    // Assert
    expect(itemExpiry(state)).toBeLessThanOrEqual(NOW);
    expect(liveCauses(state, NOW)).toEqual([]);
    expect(isTtlRemoval(change)).toBe(true);
    expect(action).toEqual(del);
  });

  it("does nothing on the removal of an entry that held no cause (soft hits, reset and removal times)", () => {
    // Arrange
    const state: EntryState = {
      ...emptyEntry(),
      soft: { hits: { s1: T0 }, resetAt: T0 },
      removedAt: { bounce: T0 },
    };
    const change: EntryChange = { eventName: "REMOVE", userIdentity: TTL_IDENTITY, oldEntry: item(state) };

    // Act
    const action = sesSyncAction(change, NOW);

    // Assert
    expect(action).toEqual({
      kind: "none",
      why: "the removed entry held no cause of ours that SES could have",
    });
  });
});

// ---------------------------------------------------------------------------------------------
// What is never mirrored; malformed records; replays
// ---------------------------------------------------------------------------------------------

describe("sesSyncAction leaves alone", () => {
  const cases: [string, Partial<EntryItemLike>][] = [
    ["a domain entry", { subjectKind: "domain", subject: "example.org" }],
    ["an entry at a narrower scope", { scope: "marketing" }],
    ["an entry at a nested scope", { scope: "marketing/newsletter" }],
    ["an item that is not an entry", { kind: "allow" }],
  ];

  it.each(cases)("%s, on INSERT, MODIFY and REMOVE", (_what, over) => {
    // Arrange
    const suppressed = item(causes("bounce", "complaint"), T0, over);
    const clear = item(emptyEntry(), NOW, over);
    const changes: EntryChange[] = [
      { eventName: "INSERT", newEntry: suppressed },
      { eventName: "MODIFY", oldEntry: clear, newEntry: suppressed },
      { eventName: "MODIFY", oldEntry: suppressed, newEntry: clear },
      { eventName: "REMOVE", oldEntry: suppressed },
      { eventName: "REMOVE", userIdentity: TTL_IDENTITY, oldEntry: suppressed },
    ];

    // Act
    const actions = changes.map((c) => sesSyncAction(c, NOW));

    // Assert
    expect(actions.map((a) => a.kind)).toEqual(changes.map(() => "none"));
  });
});

describe("sesSyncAction contracts", () => {
  it("throws on a record without the image its event needs", () => {
    // Arrange
    const changes: EntryChange[] = [
      { eventName: "INSERT" },
      { eventName: "MODIFY", newEntry: item(causes("bounce")) },
      { eventName: "MODIFY", oldEntry: item(causes("bounce")) },
      { eventName: "REMOVE" },
    ];

    // Act
    const calls = changes.map((c) => () => sesSyncAction(c, NOW));

    // Assert
    for (const call of calls) expect(call).toThrow(TypeError);
  });

  it("gives the same action when the same record is delivered twice", () => {
    // Arrange
    const changes: EntryChange[] = [
      { eventName: "INSERT", newEntry: item(causes("bounce")) },
      {
        eventName: "MODIFY",
        oldEntry: item(causes("bounce")),
        newEntry: item(causes("bounce", "complaint")),
      },
      { eventName: "MODIFY", oldEntry: item(causes("bounce")), newEntry: item(emptyEntry(), NOW) },
      { eventName: "REMOVE", userIdentity: TTL_IDENTITY, oldEntry: item(causes("unsubscribe")) },
    ];

    // Act
    const first = changes.map((c) => sesSyncAction(c, NOW));
    const again = changes.map((c) => sesSyncAction(structuredClone(c), NOW));

    // Assert
    expect(again).toEqual(first);
    expect(first.map((a) => a.kind)).toEqual(["put", "put", "delete", "delete"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** Times on a coarse grid (quarter days over 10 days), so that equal times and boundaries happen. */
const timeArb = fc.integer({ min: 0, max: 40 }).map((q) => T0 + q * (DAY / 4));

/** A state with any subset of the causes, each with its own expiry (or none). */
const stateArb: fc.Arbitrary<EntryState> = fc
  .record(
    Object.fromEntries(
      CAUSES.map((c) => [c, fc.option(fc.tuple(timeArb, fc.option(timeArb)), { nil: undefined })]),
    ) as Record<Cause, fc.Arbitrary<[number, number | null] | undefined>>,
  )
  .map((spec) => {
    const set: Partial<Record<Cause, CauseState>> = {};
    for (const c of CAUSES) {
      const s = spec[c];
      if (s) set[c] = cause(s[0], s[1] === null ? null : Math.max(s[0], s[1]));
    }
    return withCauses(set);
  });

/** What SES holds after an action, starting from `held`. */
function applied(held: SesReason | null, action: SesSyncAction): SesReason | null {
  if (action.kind === "put") return action.reason;
  if (action.kind === "delete") return null;
  return held;
}

describe("sesSyncAction properties", () => {
  it("moves SES from the old image's reason (when written) to the new image's reason at now", () => {
    fc.assert(
      fc.property(
        fc.option(stateArb, { nil: undefined }),
        stateArb,
        timeArb,
        timeArb,
        (before, after, writtenAt, now) => {
          // Arrange
          const change: EntryChange = before
            ? { eventName: "MODIFY", oldEntry: item(before, writtenAt), newEntry: item(after, now) }
            : { eventName: "INSERT", newEntry: item(after, now) };
          const held = before ? sesReasonOf(liveCauses(before, writtenAt)) : null;
          const wanted = sesReasonOf(liveCauses(after, now));

          // Act
          const action = sesSyncAction(change, now);

          // Assert: exactly the move, and no call when there is none to make
          expect(applied(held, action)).toBe(wanted);
          expect(action.kind === "none").toBe(held === wanted);
          expect(sesSyncAction(change, now)).toEqual(action);
        },
      ),
    );
  });

  it("deletes on every REMOVE of an entry that held a cause, live or expired, and never puts", () => {
    fc.assert(
      fc.property(stateArb, timeArb, fc.boolean(), (before, now, ttl) => {
        // Arrange
        const change: EntryChange = {
          eventName: "REMOVE",
          ...(ttl ? { userIdentity: TTL_IDENTITY } : {}),
          oldEntry: item(before),
        };

        // Act
        const action = sesSyncAction(change, now);

        // Assert
        const held = Object.keys(before.causes).length > 0;
        expect(action.kind).toBe(held ? "delete" : "none");
      }),
    );
  });

  it("keeps SES equal to the latest image along a history of writes processed as they happen", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(stateArb, fc.integer({ min: 0, max: 8 })), { maxLength: 8 }),
        (writes) => {
          // Arrange: each image is written `gap` quarter days after the previous one
          let at = T0;
          const images = writes.map(([state, gap]) => {
            at += gap * (DAY / 4);
            return { image: item(state, at), writtenAt: at };
          });

          // Act: each record is processed at its write time
          let held: SesReason | null = null;
          images.forEach(({ image, writtenAt }, i) => {
            const old = images[i - 1]?.image;
            const change: EntryChange = old
              ? { eventName: "MODIFY", oldEntry: old, newEntry: image }
              : { eventName: "INSERT", newEntry: image };
            held = applied(held, sesSyncAction(change, writtenAt));
          });

          // Assert
          const last = images.at(-1);
          const expected = last ? sesReasonOf(liveCauses(last.image.state, last.writtenAt)) : null;
          expect(held).toBe(expected);
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Causes imported from SES's own list
// ---------------------------------------------------------------------------------------------

describe("sesSyncAction and causes imported from SES's list (source ses-account-list)", () => {
  const modify = (before: EntryState, after: EntryState): EntryChange => ({
    eventName: "MODIFY",
    oldEntry: item(before, T0),
    newEntry: item(after, NOW),
  });
  /** A cause set at T0 by the SES import, never expiring unless said otherwise. */
  const imported = (expiresAt: number | null = null): CauseState => ({
    ...cause(T0, expiresAt),
    source: "ses-account-list",
  });

  it("tells imported causes from our own by their source", () => {
    // Arrange
    const ours = cause(T0);

    // Act
    const flags = [
      isImportedFromSes(imported()),
      isImportedFromSes(ours),
      isImportedFromSes({ source: "admin" }),
    ];

    // Assert
    expect(IMPORTED_FROM_SES).toBe("ses-account-list");
    expect(flags).toEqual([true, false, false]);
  });

  it("puts nothing when an imported bounce or complaint is inserted", () => {
    // Arrange
    const changes: EntryChange[] = [
      { eventName: "INSERT", newEntry: item(withCauses({ bounce: imported() })) },
      { eventName: "INSERT", newEntry: item(withCauses({ complaint: imported() })) },
    ];

    // Act
    const actions = changes.map((c) => sesSyncAction(c, NOW));

    // Assert
    expect(actions).toEqual([
      { kind: "none", why: "not suppressed before or after" },
      { kind: "none", why: "not suppressed before or after" },
    ]);
  });

  it("puts only the reason of our own causes when an imported one is live beside them", () => {
    // Arrange: SES's list said COMPLAINT (imported); we saw a bounce of our own
    const state = withCauses({ complaint: imported(), bounce: cause(T0) });

    // Act
    const action = sesSyncAction({ eventName: "INSERT", newEntry: item(state) }, NOW);

    // Assert
    expect(action).toEqual(put("BOUNCE"));
  });

  it("puts when our own cause joins an imported one, and deletes when ours goes again", () => {
    // Arrange
    const importedOnly = withCauses({ bounce: imported() });
    const withOurs = withCauses({ bounce: imported(), complaint: cause(T0) });

    // Act
    const joined = sesSyncAction(modify(importedOnly, withOurs), NOW);
    const left = sesSyncAction(modify(withOurs, importedOnly), NOW);

    // Assert
    expect(joined).toEqual(put("COMPLAINT"));
    expect(left).toEqual(del);
  });

  it("does nothing when the import adds or drops a cause beside nothing of ours", () => {
    // Arrange
    const change = modify(emptyEntry(), withCauses({ complaint: imported(), bounce: imported() }));
    const back = modify(withCauses({ complaint: imported() }), emptyEntry());

    // Act
    const actions = [sesSyncAction(change, NOW), sesSyncAction(back, NOW)];

    // Assert
    expect(actions.map((a) => a.kind)).toEqual(["none", "none"]);
  });

  it("deletes nothing on the REMOVE (operator or TTL) of an entry holding only imported causes", () => {
    // Arrange
    const state = withCauses({ bounce: imported(sec(0.5)), complaint: imported(sec(0.8)) });
    const changes: EntryChange[] = [
      { eventName: "REMOVE", oldEntry: item(state) },
      { eventName: "REMOVE", userIdentity: TTL_IDENTITY, oldEntry: item(state) },
    ];

    // Act
    const actions = changes.map((c) => sesSyncAction(c, NOW));

    // Assert
    expect(actions).toEqual(
      changes.map(() => ({
        kind: "none",
        why: "the removed entry held no cause of ours that SES could have",
      })),
    );
  });

  it("deletes on the REMOVE of an entry holding an imported cause and one of ours, even expired", () => {
    // Arrange
    const state = withCauses({ complaint: imported(), bounce: cause(T0, sec(0.5)) });
    const change: EntryChange = { eventName: "REMOVE", userIdentity: TTL_IDENTITY, oldEntry: item(state) };

    // Act
    const action = sesSyncAction(change, NOW);

    // Assert
    expect(action).toEqual(del);
  });

  it("never puts or deletes for a history of writes made of imported causes only", () => {
    fc.assert(
      fc.property(fc.array(stateArb, { minLength: 1, maxLength: 6 }), timeArb, (states, now) => {
        // Arrange: every cause of every image came from the import
        const images = states.map((s) =>
          item({
            ...s,
            causes: Object.fromEntries(
              Object.entries(s.causes).map(([c, st]) => [c, { ...st, source: "ses-account-list" }]),
            ),
          }),
        );
        const changes: EntryChange[] = images.map((image, i) => {
          const old = images[i - 1];
          return old
            ? { eventName: "MODIFY", oldEntry: old, newEntry: image }
            : { eventName: "INSERT", newEntry: image };
        });
        const last = images.at(-1);
        if (last) changes.push({ eventName: "REMOVE", userIdentity: TTL_IDENTITY, oldEntry: last });

        // Act
        const actions = changes.map((c) => sesSyncAction(c, now));

        // Assert
        expect(actions.every((a) => a.kind === "none")).toBe(true);
      }),
    );
  });
});
