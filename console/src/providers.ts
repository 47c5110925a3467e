/** The event sources the service knows (its providers and its own), with the names people read (lambdas/providers/names.ts: the one list). */
import { EVENT_SOURCE_TITLES, EVENT_SOURCES } from "../../lambdas/providers/names.js";
import { type Lang, MESSAGES } from "./i18n.js";

export const PROVIDERS: readonly { readonly id: string; readonly title: string }[] = EVENT_SOURCES.map(
  (id) => ({
    id,
    title: EVENT_SOURCE_TITLES[id],
  }),
);

/** `ses` → `SES`; an id the console does not know stays as it is. */
export const providerTitle = (id: string): string => PROVIDERS.find((p) => p.id === id)?.title ?? id;

/** Who set a cause: a source's name, or "operator" for a manual entry (`admin`). */
export const sourceName = (source: string, lang: Lang): string =>
  source === "admin" ? MESSAGES[lang].operator : providerTitle(source);
