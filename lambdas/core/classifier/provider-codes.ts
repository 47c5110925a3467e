/**
 * Receivers that put their own numbered error code in the reply and publish what each number
 * means (design.md §2.5: provider-specific rules first). The code decides: Orange's "Service
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
  /** Finds the code in the lower-cased diagnostic: group 1 is the number. Bounded, no nesting. */
  readonly pattern: RegExp;
  /** A substring every code of this table contains: skips the pattern on texts without it. */
  readonly marker: readonly string[];
  /** At least one of these substrings must occur too, when the code's shape alone is ambiguous. */
  readonly also?: readonly string[];
  readonly codes: readonly CodeRange[];
  readonly note: string;
  readonly example: RuleExample;
};

export const PROVIDER_CODE_TABLES: readonly ProviderCodeTable[] = [
  {
    id: "provider-orange-laposte-code",
    // OFR005_505, OFR_416, LPN007_426, LPN000_630, LPNAAA_101, OUK_513: the last three digits.
    pattern: /\b(?:ofr|lpn|ouk)(?:aaa)?(?:\d{3})?[-_](\d{3})\b/,
    marker: ["ofr", "lpn", "ouk"],
    codes: [
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
    codes: [
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
  if (!table.marker.some((m) => text.includes(m))) return null;
  const found = table.pattern.exec(text)?.[1];
  if (found === undefined) return null;
  if (table.also !== undefined && !table.also.some((s) => text.includes(s))) return null;
  const code = Number(found);
  for (const [from, to, reason] of table.codes) if (code >= from && code <= to) return reason;
  return null;
}
