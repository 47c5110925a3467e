/** The providers the service knows, with the names people read (lambdas/providers/names.ts: the one list). */
import { PROVIDERS as IDS, PROVIDER_TITLES } from "../../lambdas/providers/names.js";

export const PROVIDERS: readonly { readonly id: string; readonly title: string }[] = IDS.map((id) => ({
  id,
  title: PROVIDER_TITLES[id],
}));

/** `ses` → `SES`; an id the console does not know stays as it is. */
export const providerTitle = (id: string): string => PROVIDERS.find((p) => p.id === id)?.title ?? id;
