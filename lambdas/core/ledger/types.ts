import type { EventSource } from "../../providers/names.js";
import type { EventType, Reason, Subtype, UnsubscribeReason } from "../taxonomy.js";

/** Why an address (or domain) is suppressed; strongest first (design.md §5.3). */
export const CAUSES = ["manual", "unsubscribe", "complaint", "bounce", "soft_escalation"] as const;
export type Cause = (typeof CAUSES)[number];

/** The classification a cause carries into verdicts; a manual entry reads as invalid/blocklisted/"manual". */
export type VerdictReason = {
  readonly type: EventType;
  readonly subtype: Subtype | null;
  readonly reason: Reason | "manual" | null;
};

/** One live (or expired, until a read filters it) cause of one suppression entry. */
export type CauseState = {
  /** ISO time of the earliest event that set this cause (in its current life). */
  readonly since: string;
  /** ISO time of the latest event that set or extended it. */
  readonly lastAt: string;
  /** Epoch seconds; `null` means never expires. */
  readonly expiresAt: number | null;
  readonly verdict: VerdictReason;
  /** The source that reported the event (`NormalizedEvent.provider`: a provider or one of the service's own), or `admin`. */
  readonly source: EventSource | "admin";
  readonly eventId: string;
  readonly rule: string | null;
  /**
   * ISO time of the event whose verdict, source, eventId and rule this cause carries (the one giving
   * the longest expiry). Optional for compatibility: when absent, readers use `lastAt`.
   */
  readonly eventAt?: string;
  /** A manual cause's note, as the operator wrote it (`PUT /v1/suppressions/…`). */
  readonly note?: string;
  /**
   * The reason the recipient chose when unsubscribing (SendCloud's 取消订阅 reasons), from the event
   * this cause carries; absent when it gave none (and on causes stored before it was kept).
   */
  readonly unsubscribeReason?: UnsubscribeReason;
};

/**
 * Everything the service knows about one (tenant, address-or-domain, scope): its causes with their
 * own expiries, the soft-bounce hits that may escalate, and the times of the events that ended a
 * cause early (so that an older event arriving late cannot bring it back).
 */
export type EntryState = {
  readonly causes: Partial<Record<Cause, CauseState>>;
  readonly soft: {
    /** Soft-bounce event id → epoch seconds it occurred; keyed by id so a replay counts once. */
    readonly hits: Readonly<Record<string, number>>;
    /** Epoch seconds of the latest `delivered` (hits at or before it do not count). */
    readonly resetAt: number | null;
  };
  /** Epoch seconds of the latest resubscribe of this scope (older unsubscribes are ignored). */
  readonly liftedAt: number | null;
  /**
   * Epoch seconds at which an operator last removed each cause (`DELETE /v1/suppressions/…`): an
   * event that occurred at or before it cannot bring the cause back, only a newer one can. Absent in
   * entries no operator has touched.
   */
  readonly removedAt?: Readonly<Partial<Record<Cause, number>>>;
};

/** What the policy says one event should do, before looking at any stored state. */
export type Decision =
  | {
      readonly action: "suppress";
      readonly cause: "bounce" | "complaint" | "unsubscribe";
      readonly scope: string;
      /** Epoch seconds, or `null` for never. */
      readonly expiresAt: number | null;
    }
  | {
      readonly action: "count_soft";
      readonly scope: "*";
      readonly threshold: number;
      readonly windowSeconds: number;
      readonly escalateForSeconds: number;
    }
  | {
      readonly action: "reset_soft";
      readonly scope: "*";
      /**
       * The soft-bounce policy in force, so that a delivery keeps an escalation only when the soft
       * bounces after it still reach the threshold (order independence). `decide` always sets them;
       * when absent, the defaults of `DEFAULT_POLICY` apply.
       */
      readonly threshold?: number;
      readonly windowSeconds?: number;
    }
  | { readonly action: "lift"; readonly cause: "unsubscribe"; readonly scope: string }
  | { readonly action: "none"; readonly why: string };

/** What applying a decision did to the stored entry. */
export type Outcome =
  | "suppressed" // a cause that was not live now is
  | "extended" // a live cause now lasts longer (or its reason got stronger)
  | "unchanged" // a weaker, older or equal event: nothing changed
  | "counted" // a soft bounce was counted, not (yet) escalated
  | "escalated" // the soft-bounce count reached the threshold
  | "reset" // a delivery reset the soft-bounce count / ended the escalation
  | "lifted" // a resubscribe ended this scope's unsubscribe
  | "none"; // the decision was `none`
