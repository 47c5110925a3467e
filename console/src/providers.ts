/** The providers the service knows, with the names people read (lambdas/providers/names.ts: the one list). */
import { PROVIDERS as IDS, PROVIDER_TITLES } from "../../lambdas/providers/names.js";
import { type Lang, MESSAGES } from "./i18n.js";

export const PROVIDERS: readonly { readonly id: string; readonly title: string }[] = IDS.map((id) => ({
  id,
  title: PROVIDER_TITLES[id],
}));

/** `ses` → `SES`; an id the console does not know stays as it is. */
export const providerTitle = (id: string): string => PROVIDERS.find((p) => p.id === id)?.title ?? id;

/** Who set a cause: a provider's name, or "operator" for a manual entry (`admin`). */
export const sourceName = (source: string, lang: Lang): string =>
  source === "admin" ? MESSAGES[lang].operator : providerTitle(source);
