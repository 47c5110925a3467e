/**
 * Receivers that put their own error code (a number or a name) in the reply and publish what each
 * code means (design.md §2.5: provider-specific rules first). The code decides: Orange's "Service
 * refusé" wording, for one, is the same for a spam block and for a server fault; only the number
 * after it tells them apart. A code the provider documents without a cause (Orange's "try again
 * later" family) gives no verdict, and the text rules decide.
 */

import type { Reason } from "../taxonomy.js";
import type { RuleExample } from "./rules.js";

/** Inclusive range of a provider's code numbers and the reason the provider documents for it. */
export type CodeRange = readonly [from: number, to: number, reason: Reason];

export type ProviderCodeTable = {
  readonly id: string;
  /** Finds the code in the lower-cased diagnostic: group 1 is the code. Bounded, no nesting. */
  readonly pattern: RegExp;
  /**
   * Substrings one of which every code of this table contains; the classifier's bigram prefilter
   * skips the pattern on texts without any (the pattern alone decides, the markers only save time).
   */
  readonly marker: readonly string[];
  /** At least one of these substrings must occur too, when the code's shape alone is ambiguous. */
  readonly also?: readonly string[];
  /** Numbered codes: inclusive ranges, ordered. */
  readonly ranges?: readonly CodeRange[];
  /** Named codes (lower-case, as group 1 captures them). */
  readonly names?: Readonly<Record<string, Reason>>;
  readonly note: string;
  readonly example: RuleExample;
};

export const PROVIDER_CODE_TABLES: readonly ProviderCodeTable[] = [
  {
    id: "provider-orange-laposte-code",
    // OFR005_505, OFR_416, LPN007_426, LPN000_630, LPNAAA_101, OUK_513: the last three digits.
    pattern: /\b(?:ofr|lpn|ouk)(?:aaa)?(?:\d{3})?[-_](\d{3})\b/,
    marker: ["ofr", "lpn", "ouk"],
    ranges: [
      [101, 103, "blocked"], // client IP blocked (Spamhaus, spam incident)
      [104, 104, "too_many_conn"], // "Trop de connexions" / too many connections
      [305, 305, "security_error"], // invalid authentication code
      [401, 401, "auth_failure"], // "SPF: … is not allowed to send mail"
      [402, 402, "security_error"], // authentication required
      [403, 405, "rejected"], // "Emetteur invalide" / invalid sender
      [415, 415, "rejected"], // invalid sender
      [416, 416, "user_unknown"], // "Adresse d au moins un destinataire invalide"
      [417, 417, "mailbox_full"], // "Boite du destinataire pleine" / over quota
      [418, 418, "user_unknown"], // invalid recipient
      [420, 420, "suspend"], // "Boite du destinataire archivee" / archived mailbox
      [421, 421, "rejected"], // mail from not owned by user
      [426, 426, "suspend"], // "Le compte du destinataire est bloque"
      [505, 505, "system_error"], // "Service refuse" after DATA: a fault of the receiving system
      [506, 506, "spam_detected"], // "Mail rejete" / mail rejected as spam
      [510, 510, "blocked"], // service refused to the client after DATA
      [514, 514, "mesg_too_big"], // "Taille limite du message atteinte"
      [517, 517, "auth_failure"], // "verification DMARC en echec"
      [630, 630, "policy_violation"], // client host rejected by policy
      [999, 999, "blocked"], // service refused to the client
    ],
    note:
      "Orange (orange.fr, wanadoo.fr) and La Poste (laposte.net) end each refusal with a code such as " +
      "OFR005_505 or LPN007_426; their wordings repeat across unrelated causes, the number does not.",
    example: {
      smtpCode: "421",
      enhancedCode: "4.2.0",
      diagnostic:
        "421 4.2.0 Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR005_505 [505]",
    },
  },
  {
    id: "provider-spectrum-aup-code",
    // AUP#I-1000, AUP#In-1310, AUP#O-1520: incoming (I) or outgoing (O), then four digits.
    pattern: /aup#[a-z]{0,3}-?(\d{4})\b/,
    marker: ["aup#"],
    also: ["spectrum", "charter"],
    ranges: [
      [1000, 1000, "blocked"], // sending IP blocked for suspicious activity
      [1010, 1080, "rejected"], // the sending account is blocked or limited
      [1090, 1090, "system_error"], // the message cannot be processed now
      [1100, 1150, "require_ptr"], // no full-circle DNS / reverse DNS for the sending IP
      [1160, 1190, "policy_violation"], // against the domain's security policies
      [1200, 1250, "blocked"], // listed by Cloudmark CSI or Spamhaus
      [1260, 1260, "network_error"], // IPv6 not served
      [1300, 1340, "too_many_conn"], // too many concurrent or total connections
      [1350, 1490, "speeding"], // message, recipient or spam-potential limits
      [1500, 1520, "rejected"], // sending as an address not signed in with / not hosted
      [1530, 1530, "mesg_too_big"], // larger than 20 MB
      [1540, 1550, "speeding"], // too many messages in a session / recipients in one message
      [1560, 1560, "policy_violation"], // too many invalid recipients
      [1580, 1580, "speeding"], // too many recipients in a short period
    ],
    note:
      "Spectrum (Charter) ends each refusal with an AUP# code from its published list; the wording " +
      "before it ('sender rejected') is the same for most of them.",
    example: {
      smtpCode: "550",
      diagnostic:
        "550 5.1.0 <bounce@example.com> sender rejected. Please see https://www.spectrum.net/support/internet/understanding-email-error-codes for more information. AUP#In-1310",
    },
  },
  {
    id: "provider-godaddy-ib-code",
    // "… IB112": GoDaddy (secureserver.net) ends its refusals with IB and three digits.
    pattern: /\bib(\d{3})\b/,
    marker: ["ib0", "ib1", "ib2", "ib4", "ib5", "ib6", "ib7"],
    ranges: [
      [7, 7, "too_many_conn"], // too many sessions from this IP
      [101, 101, "speeding"], // server temporarily unavailable: try later
      [103, 103, "bad_reputation"], // poor reputation on Cloudmark CSI
      [104, 106, "blocked"], // listed on Spamhaus SBL / XBL / PBL
      [108, 108, "require_ptr"], // reverse DNS for this IP failed
      [110, 113, "blocked"], // IP blocked for spam volume (110, 111) or invalid recipients (112, 113)
      [212, 212, "spam_detected"], // content judged to be spam
      [401, 401, "security_error"], // authentication not allowed
      [501, 502, "not_compliant_rfc"], // blank From:, IP address as From:
      [504, 504, "speeding"], // too many messages this hour
      [506, 506, "rejected"], // From: domain invalid
      [508, 508, "auth_failure"], // invalid SPF record
      [510, 510, "speeding"], // too many messages per session
      [605, 605, "too_many_conn"], // too many recipients in one message
      [607, 607, "speeding"], // too many recipients this hour
      [705, 705, "virus_detected"], // virus infected message
    ],
    note:
      "GoDaddy documents each IBnnn code (godaddy.com help 'email error codes'); IB112/IB113 say the " +
      "sending IP mailed too many invalid recipients — a block of us, not a dead address.",
    example: {
      smtpCode: "554",
      diagnostic:
        "554 This IP has been blocked for the day, for attempting to send too many messages containing content judged to be spam by the Internet community. IB111",
    },
  },
  {
    id: "provider-cox-aup-code",
    // AUP#CXBL, AUP#CDRBL, AUP#IPBL0001, AUP#URLBL011: Cox's named codes (Spectrum's are numbers).
    pattern: /aup#(cx[a-z]{2,5}|cdrbl|ipbl\d{4,5}|urlbl\d{3,4})\b/,
    marker: ["aup#"],
    names: {
      cxbl: "blocked",
      cdrbl: "blocked",
      cxdns: "require_ptr",
      cxsndr: "auth_failure",
      cxsmtp: "rejected",
      cxcnct: "too_many_conn",
      cxmxrt: "too_many_conn",
      cxthrt: "security_error",
      cxmj: "security_error",
      ipbl0001: "blocked",
      ipbl1000: "blocked",
      ipbl00001: "blocked",
      urlbl011: "spam_detected",
      urlbl1001: "spam_detected",
    },
    note:
      "Cox ends its refusals with an AUP# code from cox.com's 'email error codes' page: CX…BL and " +
      "IPBL are block lists, CXDNS reverse DNS, CXSNDR sender authentication, URLBL spam links.",
    example: {
      smtpCode: "554",
      diagnostic:
        "554 5.7.1 192.0.2.1 rejected - Refer to Error Codes section at https://www.cox.com/residential/support/email-error-codes.html for more information. AUP#CXBL",
    },
  },
  {
    id: "provider-facebook-code",
    // "550 5.1.1 RCP-P1 http://postmaster.facebook.com/response_codes…": category, P(ermanent)/T(emporary), number.
    pattern: /\b((?:pol|msg|rcp|dns|con)-[pt]\d)\b/,
    marker: ["pol-", "msg-", "rcp-", "dns-", "con-"],
    also: ["facebook"],
    names: {
      "pol-p1": "blocked",
      "pol-p2": "blocked",
      "pol-t1": "blocked",
      "pol-p5": "virus_detected",
      "pol-p6": "spam_detected",
      "pol-p7": "auth_failure",
      "msg-p1": "mesg_too_big",
      "msg-p2": "content_error",
      "msg-p3": "not_compliant_rfc",
      "msg-t1": "too_many_conn",
      "rcp-p1": "user_unknown",
      "rcp-p2": "filtered",
      "rcp-p3": "filtered",
      "rcp-t1": "system_error",
      "rcp-t4": "suspend",
      "dns-p1": "rejected",
      "dns-t1": "rejected",
      "dns-p3": "require_ptr",
      "con-t1": "too_many_conn",
    },
    note:
      "Facebook's postmaster page (postmaster.facebook.com/response_codes) gives every refusal a " +
      "code: POL policy, MSG message, RCP recipient, DNS sender DNS, CON connection.",
    example: {
      smtpCode: "550",
      diagnostic:
        "550 5.7.1 POL-P2 http://postmaster.facebook.com/response_codes?ip=192.0.2.1#pol Facebook will no longer accept mail from your mail server's IP address",
    },
  },
  {
    id: "provider-iua-error-page",
    // "… https://mail.i.ua/err/2/": i.ua links each refusal to a numbered explanation page.
    pattern: /\.i\.ua\/err\/(\d{1,2})\//,
    marker: [".i.ua/err/"],
    ranges: [
      [1, 1, "no_relaying"], // SMTP used as a mail gate
      [2, 2, "user_unknown"], // user not found
      [3, 3, "suspend"], // mailbox unused for more than 3 months
      [4, 4, "mailbox_full"],
      [5, 5, "speeding"], // sending limit exceeded
      [6, 6, "no_relaying"], // use your provider's SMTP
      [7, 7, "blocked"], // wrong HELO/EHLO
      [8, 8, "rejected"], // sender address could not be checked
      [9, 9, "blocked"], // sender IP blacklisted
      [10, 10, "filtered"], // not in the recipient's allowed list
    ],
    note: "i.ua links each refusal to mail.i.ua/err/N/, whose page names the cause.",
    example: { smtpCode: "550", diagnostic: "550 Mailbox is full. See https://mail.i.ua/err/4/" },
  },
];

/**
 * The reason `table` documents for the code in `text` (lower-cased), or null when the text has no
 * such code or the provider documents none for it.
 *
 * @example
 * const orange = PROVIDER_CODE_TABLES[0];
 * reasonFromProviderCode(orange, "550 5.5.0 le compte du destinataire est bloque. lpn007_426"); // "suspend"
 */
export function reasonFromProviderCode(table: ProviderCodeTable, text: string): Reason | null {
  const found = table.pattern.exec(text)?.[1];
  if (found === undefined) return null;
  if (table.also !== undefined && !table.also.some((s) => text.includes(s))) return null;
  if (table.names !== undefined)
    return Object.hasOwn(table.names, found) ? (table.names[found] ?? null) : null;
  const code = Number(found);
  for (const [from, to, reason] of table.ranges ?? []) if (code >= from && code <= to) return reason;
  return null;
}
