/** The event sources the service knows (its providers and its own), with the names people read (lambdas/providers/names.ts: the one list). */
import { EVENT_SOURCE_TITLES, EVENT_SOURCES, OWN_SOURCE_LABELS } from "../../lambdas/providers/names.js";
import { type Lang, MESSAGES } from "./i18n.js";

/** `ses` → `SES` (a brand, in every language); the service's own sources in `lang`; an unknown id as it is. */
export const providerTitle = (id: string, lang: Lang = "en"): string =>
  Object.hasOwn(OWN_SOURCE_LABELS, id)
    ? OWN_SOURCE_LABELS[id as keyof typeof OWN_SOURCE_LABELS][lang]
    : Object.hasOwn(EVENT_SOURCE_TITLES, id)
      ? EVENT_SOURCE_TITLES[id as keyof typeof EVENT_SOURCE_TITLES]
      : id;

/** Every source, in the one order, with its name in `lang` (the provider filters list these). */
export const sourcesIn = (lang: Lang): readonly { readonly id: string; readonly title: string }[] =>
  EVENT_SOURCES.map((id) => ({ id, title: providerTitle(id, lang) }));

/** Who set a cause: a source's name, or "operator" for a manual entry (`admin`). */
export const sourceName = (source: string, lang: Lang): string =>
  source === "admin" ? MESSAGES[lang].operator : providerTitle(source, lang);
