import { describe, expect, it } from "vitest";
import { type NormalizedEvent, NormalizedEventSchema } from "../../../lambdas/core/events.js";
import { DEFAULT_POLICY } from "../../../lambdas/core/policy/defaults.js";
import { REASON_IDS, type Reason } from "../../../lambdas/core/taxonomy.js";
import { toOurReason } from "../../../lambdas/local/corpus-eval.js";
import { EmailParseError } from "../../../lambdas/providers/email/errors.js";
import { type EmailEventContext, emailEvents } from "../../../lambdas/providers/email/events.js";
import type { ParsedBounceEmail, ParsedRecipient } from "../../../lambdas/providers/email/parse.js";
import { CORPUS_ROWS, parseCorpusEmail } from "./corpus-rows.js";

const CONTEXT: EmailEventContext = {
  tenant: "default",
  receivedAt: new Date("2026-11-20T10:00:00.000Z"),
  reportId: "sha256:0123abcd",
};
/** `email` is not an event source yet: the schema check runs with an existing one. */
const PROVIDER = "ses";

const RECIPIENT: ParsedRecipient = {
  recipient: "jdoe@example.org",
  originalRecipient: null,
  action: "failed",
  status: "5.1.1",
  diagnostic: "550 5.1.1 <jdoe@example.org>: Recipient address rejected: User unknown",
  remoteMta: "mx.example.org",
  command: "RCPT",
  lastAttemptAt: "2026-11-20T09:58:00.000Z",
  feedbackType: null,
};

function dsn(recipients: readonly Partial<ParsedRecipient>[], extra: Partial<ParsedBounceEmail> = {}) {
  return {
    kind: "dsn",
    messageId: "<report-1@mx.example.net>",
    subject: "Undelivered Mail Returned to Sender",
    date: "2026-11-20T09:59:00.000Z",
    from: "mailer-daemon@mx.example.net",
    original: null,
    reportingMta: "mx.example.net",
    arrivalAt: null,
    recipients: recipients.map((r) => ({ ...RECIPIENT, ...r })),
    skipped: [],
    ...extra,
  } as ParsedBounceEmail;
}

const valid = (events: readonly NormalizedEvent[]) => {
  for (const e of events) expect(NormalizedEventSchema.safeParse(e).error).toBeUndefined();
};

describe("emailEvents", () => {
  it("turns a failed 5.1.1 into an invalid user_unknown event keyed on the report's Message-ID", () => {
    // Act
    const { events, ignored } = emailEvents(dsn([{}]), CONTEXT, PROVIDER);
    // Assess
    expect(ignored).toBe(0);
    expect(events).toEqual([
      {
        tenant: "default",
        provider: "ses",
        eventId: "<report-1@mx.example.net>#jdoe@example.org",
        recipient: "jdoe@example.org",
        type: "invalid",
        subtype: "mailbox_not_found",
        reason: "user_unknown",
        rule: expect.any(String),
        occurredAt: "2026-11-20T09:58:00.000Z",
        scope: "*",
        smtp: { code: "550", enhanced: "5.1.1", diagnostic: RECIPIENT.diagnostic },
        feedbackType: null,
        unsubscribeReason: null,
        resubscribe: false,
      },
    ]);
    valid(events);
  });

  it("makes a delayed recipient a soft bounce, `expired` when the text says nothing specific", () => {
    // Act
    const { events } = emailEvents(
      dsn([
        { action: "delayed", status: "4.4.7", diagnostic: null, lastAttemptAt: null },
        {
          recipient: "b@example.org",
          action: "delayed",
          status: "4.2.2",
          diagnostic: "452 4.2.2 Mailbox full",
        },
        // A hard wording in a delayed DSN: still soft, the MTA is still trying.
        { recipient: "c@example.org", action: "delayed", status: "4.0.0", diagnostic: "User unknown" },
      ]),
      CONTEXT,
      PROVIDER,
    );
    // Assess
    expect(events.map((e) => [e.type, e.subtype, e.reason])).toEqual([
      ["soft_bounce", "service_unreachable", "expired"],
      ["soft_bounce", "other", "mailbox_full"],
      ["soft_bounce", "service_unreachable", "expired"],
    ]);
    expect(events.every((e) => e.type === "soft_bounce")).toBe(true);
    // No Last-Attempt-Date: the report's Date.
    expect(events[0]?.occurredAt).toBe("2026-11-20T09:59:00.000Z");
    valid(events);
  });

  it("never makes a failed 4.x.x permanent, even with a 5xx in its text", () => {
    // Act
    const { events } = emailEvents(
      dsn([{ status: "4.4.1", diagnostic: "550 connection timed out" }]),
      CONTEXT,
      PROVIDER,
    );
    // Assess
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe("soft_bounce");
    valid(events);
  });

  it("maps delivered, relayed and expanded to delivered events; no action and no status is ignored", () => {
    // Act
    const { events, ignored } = emailEvents(
      dsn([
        { action: "delivered", status: "2.0.0", diagnostic: null },
        { recipient: "b@example.org", action: "relayed", status: null, diagnostic: null },
        { recipient: "c@example.org", action: null, status: null, diagnostic: null },
        // A second block for the same address would share its event id.
        { action: "failed" },
      ]),
      CONTEXT,
      PROVIDER,
    );
    // Assess
    expect(events.map((e) => [e.recipient, e.type, e.rule])).toEqual([
      ["jdoe@example.org", "delivered", "dsn-delivered"],
      ["b@example.org", "delivered", "dsn-relayed"],
    ]);
    expect(ignored).toBe(2);
    valid(events);
  });

  it("turns an ARF abuse report into a complaint", () => {
    // Prepare
    const parsed = {
      ...dsn([{ action: null, status: null, diagnostic: null, lastAttemptAt: null, feedbackType: "abuse" }]),
      kind: "arf",
      messageId: null,
      arrivalAt: "2026-11-19T08:00:00.000Z",
    } as ParsedBounceEmail;
    // Act
    const { events, ignored } = emailEvents(parsed, CONTEXT, PROVIDER);
    // Assess
    expect(ignored).toBe(0);
    expect(events).toMatchObject([
      {
        type: "complaint",
        feedbackType: "abuse",
        subtype: null,
        reason: null,
        smtp: null,
        occurredAt: "2026-11-19T08:00:00.000Z",
        // No Message-ID: the caller's id.
        eventId: "sha256:0123abcd#jdoe@example.org",
      },
    ]);
    valid(events);
  });

  it("ignores auto-replies and unrecognised emails", () => {
    for (const kind of ["auto-reply", "unrecognised"] as const) {
      // Act
      const out = emailEvents({ ...dsn([]), kind, reason: "x" } as ParsedBounceEmail, CONTEXT, PROVIDER);
      // Assess
      expect(out).toEqual({ events: [], ignored: 1 });
    }
  });

  it("caps the event id and the diagnostic; falls back to receivedAt", () => {
    // Act
    const { events } = emailEvents(
      dsn([{ diagnostic: `550 5.1.1 ${"x".repeat(20_000)}`, lastAttemptAt: null }], {
        messageId: `<${"m".repeat(1000)}@example.net>`,
        date: null,
      }),
      CONTEXT,
      PROVIDER,
    );
    // Assess
    const [event] = events;
    expect(event?.eventId).toMatch(/#sha256:[0-9a-f]{64}$/);
    expect(event?.smtp?.diagnostic?.length).toBe(8192);
    expect(event?.occurredAt).toBe("2026-11-20T10:00:00.000Z");
    valid(events);
  });
});

// ── The dev corpus ───────────────────────────────────────────────────────────────────────────────

/**
 * Reasons the default policy never suppresses on, whatever the type (design.md §3: a block of our
 * IP, an authentication failure, spam content, a rate limit, a too-large message… say nothing about
 * the address): neither a bounce rule's nor a soft-bounce escalation's.
 */
const SUPPRESSING_INVALID: ReadonlySet<Reason> = new Set(
  DEFAULT_POLICY.bounce.rules.flatMap((r) => r.reasons),
);
/**
 * Sisimai's "could not decide" reasons (`onhold`, `undefined`) blame nobody, the sender least: a
 * report it cannot place (DragonFly's "Recipient address rejected: On hold") is no sender-side
 * refusal, and our reading of its text may well be right.
 */
const UNDECIDED: ReadonlySet<Reason> = new Set(["on_hold", "undefined"]);
const NEVER_SUPPRESSING: ReadonlySet<Reason> = new Set(
  REASON_IDS.filter(
    (r) => !SUPPRESSING_INVALID.has(r) && !DEFAULT_POLICY.softBounce.reasons.includes(r) && !UNDECIDED.has(r),
  ),
);

/** Whether the default policy suppresses the address on this one event. */
const suppresses = (e: NormalizedEvent): boolean =>
  e.type === "invalid" && e.reason !== null && SUPPRESSING_INVALID.has(e.reason);

const ratio = (ok: number, total: number): number => (total === 0 ? 1 : ok / total);

describe("emailEvents over the dev corpus", () => {
  it("agrees with Sisimai on the reason and on hard/soft, and never suppresses on a sender-side reason", async () => {
    let reasonTotal = 0;
    let reasonOk = 0;
    let hardTotal = 0;
    let hardOk = 0;
    let suppressOk = 0;
    let senderSide = 0;
    const suppressingOnSenderSide: string[] = [];
    const invalidOnSenderSide: string[] = [];
    for (const row of CORPUS_ROWS) {
      let parsed: ParsedBounceEmail;
      try {
        parsed = await parseCorpusEmail(row.file);
      } catch (error) {
        if (error instanceof EmailParseError) continue;
        throw error;
      }
      if (parsed.kind !== "dsn") continue;
      const { events } = emailEvents(parsed, { ...CONTEXT, reportId: row.file }, PROVIDER);
      for (const s of row.sisimai) {
        const event = events.find((e) => e.recipient === s.recipient.toLowerCase());
        if (event === undefined || (event.type !== "invalid" && event.type !== "soft_bounce")) continue;
        const expected = toOurReason(s.v5_reason);
        if (expected === null) continue;
        reasonTotal++;
        if (event.reason === expected) reasonOk++;
        hardTotal++;
        if ((event.type === "invalid") === s.hardbounce) hardOk++;
        if (suppresses(event) === s.hardbounce) suppressOk++;
        if (NEVER_SUPPRESSING.has(expected)) {
          senderSide++;
          const line = `${row.file} ${s.recipient}: sisimai ${s.v5_reason}, ours ${event.type}/${event.reason}`;
          if (event.type === "invalid") invalidOnSenderSide.push(line);
          if (suppresses(event)) {
            suppressingOnSenderSide.push(line);
          }
        }
      }
    }
    const figures = {
      reason: ratio(reasonOk, reasonTotal),
      hardSoft: ratio(hardOk, hardTotal),
      suppressesAtOnce: ratio(suppressOk, hardTotal),
      counts: { reasonOk, reasonTotal, hardOk, suppressOk, hardTotal, senderSide },
    };
    console.log(
      "email events vs Sisimai",
      JSON.stringify(figures, null, 2),
      { invalidOnSenderSide: invalidOnSenderSide.length },
      suppressingOnSenderSide,
    );

    // Gates at the level reached (rounded down), so a regression shows.
    // Measured: 246/292 reasons, 269/292 suppress-at-once, 172/292 invalid-vs-hardbounce.
    expect(reasonTotal).toBeGreaterThanOrEqual(290);
    expect(figures.reason).toBeGreaterThanOrEqual(0.84);
    expect(figures.suppressesAtOnce).toBeGreaterThanOrEqual(0.92);
    // Sisimai's `hardbounce` is false for a permanent block or policy refusal, which our taxonomy
    // types `invalid` (with a subtype no default rule suppresses on): this figure is low by design.
    expect(figures.hardSoft).toBeGreaterThanOrEqual(0.58);
    // The property: a sender-side refusal never suppresses the address (design.md §3). It may well
    // be `invalid` (a permanent `blocked` is invalid/sender_or_recipient_rejected), never with a
    // reason a bounce rule of the default policy suppresses on.
    expect(senderSide).toBeGreaterThanOrEqual(100);
    expect(suppressingOnSenderSide).toEqual([]);
  });
});
