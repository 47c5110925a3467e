/**
 * RFC 3834 automatic responses (vacation notices, "out of office"): recognised so that they are
 * ignored, not taken for bounces.
 */

/** The header view this module needs: lower-case name → values, in order. */
export type HeaderLookup = (name: string) => readonly string[];

/** Subjects vacation responders use when they set no header (Outlook, Gmail, iCloud…). */
const AUTO_SUBJECT =
  /^\s*(?:(?:automatic|auto)[ -]?(?:reply|response|antwort)|out of (?:the )?office|away from (?:the )?office|on vacation|vacation(?: reply| notice)?|absence|abwesenheit|r[ée]ponse automatique|respuesta autom[aá]tica|risposta automatica|自動応答|自动回复|不在)(?=$|[\s:：(（[-])/iu;
/** "Away until May 5", "Away: …": a bare leading "away" is a vacation notice too. */
const AWAY_SUBJECT = /^\s*away\b/i;

/**
 * Why a message is an automatic reply, or `null` when nothing says it is. Checked after the
 * report parts: a DSN often carries `Auto-Submitted: auto-replied` itself (Postfix sets it), and
 * is still a bounce.
 *
 * @example
 * autoReplyReason((n) => (n === "auto-submitted" ? ["auto-replied"] : [])); // "auto-submitted: auto-replied"
 * autoReplyReason((n) => (n === "subject" ? ["Automatic reply: Hello"] : [])); // "subject"
 * autoReplyReason(() => []); // null
 */
export function autoReplyReason(header: HeaderLookup): string | null {
  // Exim, Postfix and others mark their plain-text bounces `auto-replied` too (RFC 3834 §5 fits
  // them): a bounce is not a vacation notice, even one this parser cannot read.
  if (looksLikeBounce(header)) return null;
  for (const value of header("auto-submitted")) {
    // RFC 3834 §5: `auto-generated` is a notification (a DSN is one) and `no` a person; only
    // `auto-replied` is a response to a message.
    if (/^\s*auto-replied\b/i.test(value)) return "auto-submitted: auto-replied";
  }
  if (header("x-autoreply").some((v) => /^\s*(?:yes|true|1)\b/i.test(v))) return "x-autoreply";
  if (header("x-autorespond").length > 0) return "x-autorespond";
  if (header("x-autoresponder").length > 0) return "x-autoresponder";
  if (header("precedence").some((v) => /^\s*auto[_-]reply\b/i.test(v))) return "precedence: auto_reply";
  if (subjectMatches(header)) return "subject";
  return null;
}

function subjectMatches(header: HeaderLookup): boolean {
  const subject = header("subject")[0] ?? "";
  return AUTO_SUBJECT.test(subject) || AWAY_SUBJECT.test(subject);
}

/** Senders and subjects of MTA-written bounces (Sisimai's own first test is much the same). */
const BOUNCE_FROM =
  /\b(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon|mdaemon|mail delivery (?:system|subsystem))\b/i;
const BOUNCE_SUBJECT =
  /\b(?:undeliver(?:ed|able)|delivery (?:status notification|failure|failed|has failed|report|problem|notification)|mail delivery failed|returned mail|returning message|failure notice|could not be delivered|non[- ]?delivery|delayed (?:mail|\d+ hours)|warning: message|mail system error|rejected)\b/i;

/**
 * Whether the headers say an MTA wrote the message as a bounce.
 *
 * @example
 * looksLikeBounce((n) => (n === "from" ? ["Mail Delivery System <MAILER-DAEMON@mx.example>"] : [])); // true
 */
export function looksLikeBounce(header: HeaderLookup): boolean {
  if (header("content-type").some((v) => /^\s*multipart\/report\b/i.test(v))) return true;
  if (header("from").some((v) => BOUNCE_FROM.test(v))) return true;
  return header("subject").some((v) => BOUNCE_SUBJECT.test(v));
}
