/**
 * A parsed bounce or complaint email (`parseBounceEmail`, parse.ts) → normalized events, one per
 * recipient (issue #15). Pure: no I/O, no store, no clock (the caller gives `receivedAt`).
 *
 * - `dsn`, per recipient, by its `Action`:
 *   - `failed` → the classifier, permanent when the `Status` is 5.x.x; a 4.x.x status is never
 *     permanent (the reply code of the text is then not given to the classifier: the DSN's status is
 *     the reporting MTA's own verdict); without a status the codes of the diagnostic decide;
 *   - `delayed` → always a `soft_bounce` (the MTA is still trying): the classifier with
 *     `permanent: false`, and `expired` (soft/service_unreachable, Sisimai's reason for a delayed
 *     delivery too) when it finds nothing specific or names a reason that would make it `invalid`;
 *   - `delivered`, `relayed`, `expanded` → a `delivered` event (its rule names the action:
 *     `relayed` and `expanded` only say the mail left the reporting MTA, and a later reader may want
 *     to tell them apart);
 *   - no `Action` → read from the status class (5 → failed, 4 → delayed, 2 → delivered), else ignored.
 * - `arf` → a `complaint` per recipient, with its feedback type.
 * - `auto-reply`, `unrecognised`, and a report that names no recipient → no event, `ignored: 1`.
 *
 * Recipients the parser skipped (no usable address) and repeats of an address are counted in
 * `ignored`. Nothing of the original message is read (its headers, let alone its body); the only free
 * text kept is the DSN's `Diagnostic-Code`, cut by `smtpFrom` to `MAX_DIAGNOSTIC_CHARS`.
 */
import { createHash } from "node:crypto";
import { classify } from "../../core/classifier/index.js";
import type { Stage } from "../../core/classifier/rules/types.js";
import type { Classification, DiagnosticInput } from "../../core/classifier/types.js";
import { MAX_EVENT_ID_CHARS, type NormalizedEvent, type Smtp } from "../../core/events.js";
import { ALL_MAIL } from "../../core/scope.js";
import { enhancedCodeIn } from "../../core/smtp-codes.js";
import { NO_EXTRAS } from "../shared/event-defaults.js";
import { smtpFrom, withoutDiagnosticType } from "../shared/smtp.js";
import type { DsnAction, SmtpCommand } from "./dsn.js";
import type { ParsedBounceEmail, ParsedRecipient } from "./parse.js";

export type EmailEventContext = {
  /** The tenant every event belongs to. */
  readonly tenant: string;
  /** When the email was received: `occurredAt` when the report dates nothing. */
  readonly receivedAt: Date;
  /**
   * The report's id when it has no `Message-ID`: computed by the caller, which has the raw bytes
   * (a SHA-256 of them, say), so the same email delivered twice yields the same event ids.
   */
  readonly reportId: string;
};

/** The rules events carry when the email, not the classifier, decided. */
export const EMAIL_RULES = {
  delivered: "dsn-delivered",
  relayed: "dsn-relayed",
  expanded: "dsn-expanded",
  complaint: "arf-complaint",
} as const;

type Verdict = Pick<NormalizedEvent, "type" | "subtype" | "reason" | "rule">;

const verdictOf = ({ type, subtype, reason, rule }: Classification): Verdict => ({
  type,
  subtype,
  reason,
  rule,
});

/** The first digit of an RFC 3463 status, when it is one. */
function statusClass(status: string | null): 2 | 4 | 5 | null {
  const first = status?.trim()[0];
  return first === "2" ? 2 : first === "4" ? 4 : first === "5" ? 5 : null;
}

/** `Action`, or what the status class implies when the MTA left it out. */
function actionOf(recipient: ParsedRecipient): DsnAction | null {
  if (recipient.action !== null) return recipient.action;
  const cls = statusClass(recipient.status);
  return cls === 5 ? "failed" : cls === 4 ? "delayed" : cls === 2 ? "delivered" : null;
}

/**
 * What the classifier is given for a `failed` or `delayed` recipient (exported so the classify CLI's
 * `--explain` reads the same input).
 *
 * `failed`: permanent when the DSN status is 5.x.x. A 4.x.x status is the reporting MTA's verdict:
 * no 5xx or 5.x.x of the text may make it permanent, so the status is always given and the text's
 * reply code never is. On a 5.x.x (or no) status, a diagnostic that carries an enhanced code of its
 * own is left to the classifier to read: it knows which of several codes in a text is the
 * receiver's (`5.1.0 - Unknown address error 550-'5.7.1 … Access denied'`, SES relaying a
 * sender-side refusal, is 5.7.1), and the DSN status was often taken from that text anyway
 * (parse.ts `refinedStatus`). Measured on the corpus: one more reason agrees with Sisimai, and a
 * `user_unknown` (a suppression) on a sender-side refusal goes.
 *
 * `delayed`: never permanent (the MTA is still trying), so no reply code and no 5.x.x is given, and
 * the action is: the classifier keeps a specific soft reason and makes anything else `expired`.
 *
 * @example
 * classifierInput("failed", { code: "550", enhanced: "5.1.1", diagnostic: "smtp; 550 user unknown" });
 * // { diagnostic: "550 user unknown", smtpCode: "550", enhancedCode: "5.1.1", permanent: true,
 * //   action: "failed", stage: null }
 */
export function classifierInput(
  action: "failed" | "delayed",
  smtp: Smtp,
  command: SmtpCommand | null = null,
): DiagnosticInput {
  const cls = statusClass(smtp.enhanced);
  const diagnostic = withoutDiagnosticType(smtp.diagnostic);
  const stage = command === null ? null : STAGE_OF_COMMAND[command];
  if (action === "delayed") {
    return {
      diagnostic,
      smtpCode: null,
      enhancedCode: cls === 5 ? null : smtp.enhanced,
      permanent: false,
      action,
      stage,
    };
  }
  const textHasCode = diagnostic !== null && enhancedCodeIn(diagnostic) !== null;
  return {
    diagnostic,
    smtpCode: cls === 4 ? null : smtp.code,
    enhancedCode: cls === 4 || !textHasCode ? smtp.enhanced : null,
    permanent: cls === 5 ? true : cls === 4 ? false : null,
    action,
    stage,
  };
}

/** The parser's name of the SMTP command a failure answered, as the classifier's stage. */
const STAGE_OF_COMMAND: Readonly<Record<SmtpCommand, Stage>> = {
  CONN: "connect",
  HELO: "helo",
  MAIL: "mail",
  RCPT: "rcpt",
  DATA: "data",
};

/**
 * `reportId#recipient`; an id over `MAX_EVENT_ID_CHARS` keeps its head and a hash of the whole (as
 * the SES adapter does: a long `Message-ID` is legitimate, and two cut ids must not collide).
 */
function eventIdOf(reportId: string, recipient: string): string {
  const id = `${reportId}#${recipient}`;
  if (id.length <= MAX_EVENT_ID_CHARS) return id;
  return `${id.slice(0, 400)}#sha256:${createHash("sha256").update(id).digest("hex")}`;
}

/**
 * The normalized events of one parsed email.
 *
 * `provider` is the event source the events are recorded under: `email` for the raw-email adapter
 * (adapter.ts, `POST /v1/import/email`).
 *
 * @example
 * const parsed = await parseBounceEmail(readFileSync("bounce.eml"));
 * emailEvents(parsed, { tenant: "default", receivedAt: new Date(), reportId: "sha256:…" }, "email");
 * // { events: [{ type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown",
 * //              rule: "enhanced-5.1.1", eventId: "<report@mx.example>#jdoe@example.org", … }],
 * //   ignored: 0 }
 */
export function emailEvents(
  parsed: ParsedBounceEmail,
  context: EmailEventContext,
  provider: NormalizedEvent["provider"],
): { events: NormalizedEvent[]; ignored: number } {
  if (parsed.kind === "auto-reply" || parsed.kind === "unrecognised") return { events: [], ignored: 1 };
  const reportId = parsed.messageId?.trim() || context.reportId;
  const fallbackAt = parsed.date ?? context.receivedAt.toISOString();
  const events: NormalizedEvent[] = [];
  let ignored = parsed.skipped.length;
  const seen = new Set<string>();
  for (const r of parsed.recipients) {
    // One event per address and report: a second block for it would share its event id.
    if (seen.has(r.recipient)) {
      ignored++;
      continue;
    }
    seen.add(r.recipient);
    const base = {
      ...NO_EXTRAS,
      tenant: context.tenant,
      provider,
      eventId: eventIdOf(reportId, r.recipient),
      recipient: r.recipient,
      scope: ALL_MAIL,
    };
    if (parsed.kind === "arf") {
      events.push({
        ...base,
        type: "complaint",
        subtype: null,
        reason: null,
        rule: EMAIL_RULES.complaint,
        feedbackType: r.feedbackType,
        occurredAt: parsed.arrivalAt ?? fallbackAt,
        smtp: null,
      });
      continue;
    }
    const action = actionOf(r);
    if (action === null) {
      ignored++;
      continue;
    }
    const smtp = smtpFrom(r.diagnostic, r.status);
    const occurredAt = r.lastAttemptAt ?? fallbackAt;
    if (action === "failed" || action === "delayed") {
      // `delayed` is soft whatever the text says (the classifier's `action-delayed`).
      events.push({
        ...base,
        ...verdictOf(classify(classifierInput(action, smtp, r.command))),
        occurredAt,
        smtp,
      });
      continue;
    }
    events.push({
      ...base,
      type: "delivered",
      subtype: null,
      reason: null,
      rule: EMAIL_RULES[action],
      occurredAt,
      smtp: smtp.diagnostic === null && smtp.enhanced === null ? null : smtp,
    });
  }
  if (events.length === 0 && ignored === 0) ignored = 1;
  return { events, ignored };
}
