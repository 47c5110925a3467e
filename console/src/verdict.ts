/**
 * The verdict in words: what the address page says first ("Suppressed for all mail until
 * 2027-05-19: the recipient reported your mail as spam (SES, 2026-11-20)"). Pure, so it is tested
 * without a browser (test/console/verdict.test.ts).
 */
import type { AddressView, LiveEntry } from "../../lambdas/contract/suppressions.js";
import { day } from "./format.js";
import { type Lang, MESSAGES, reasonLabel } from "./i18n.js";
import { sourceName } from "./providers.js";

/** The entry the verdict rests on: the live all-mail cause the service answered with. */
export function winningEntry(view: AddressView): LiveEntry | undefined {
  if (!view.suppressed || view.source === null) return undefined;
  return (
    view.entries.find((e) => e.cause === view.cause && e.scope === view.scope && e.since === view.since) ??
    view.entries.find((e) => e.cause === view.cause)
  );
}

/** Why, in words, for one cause. */
export function causeInWords(cause: LiveEntry["cause"], reason: LiveEntry["reason"], lang: Lang): string {
  const t = MESSAGES[lang];
  const label = reasonLabel(reason.reason, lang) ?? reason.type;
  switch (cause) {
    case "complaint":
      return t.whyComplaint;
    case "unsubscribe":
      return t.whyUnsubscribe;
    case "manual":
      return t.whyManual;
    case "soft_escalation":
      return t.whySoft({ reason: label });
    case "bounce":
      return t.whyBounce({ reason: label });
  }
}

/**
 * The sentence for an address view.
 *
 * @example
 * verdictSentence(view, "en");
 * // "Suppressed for all mail until 2027-05-19: the recipient reported your mail as spam (SES, 2026-11-20)"
 */
export function verdictSentence(view: AddressView, lang: Lang): string {
  const t = MESSAGES[lang];
  if ("problem" in view) return t.verdictBad({ problem: view.problem });
  if (!view.suppressed) return t.verdictClear;
  const scope = view.scope === "*" ? t.forAllMail : t.forScope({ scope: view.scope });
  const until = view.expiresAt === null ? t.noEnd : t.untilDate({ date: day(view.expiresAt) });
  const why = causeInWords(view.cause, view.reason, lang);
  const source = sourceName(view.source, lang);
  const entry = winningEntry(view);
  const sentence = t.verdictSuppressed({ scope, until, why, source, date: day(view.since) });
  if (entry?.subjectKind === "domain") return `${sentence} — ${t.domainWide({ domain: entry.subject })}`;
  return sentence;
}
