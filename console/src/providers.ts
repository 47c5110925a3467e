/**
 * The providers the service knows, with the names people read, as the build put them in
 * (console/build.ts reads lambdas/providers/registry.ts: the one list).
 */
declare const __PROVIDERS__: readonly { readonly id: string; readonly title: string }[];

export const PROVIDERS: readonly { readonly id: string; readonly title: string }[] =
  typeof __PROVIDERS__ === "undefined" ? [] : __PROVIDERS__;

/** `ses` → `SES`; an id the build did not know stays as it is. */
export const providerTitle = (id: string): string => PROVIDERS.find((p) => p.id === id)?.title ?? id;
