/** Scopes (design.md §3): `*` is all mail; other scopes are `/`-separated list/topic paths. */
export const ALL_MAIL = "*";

/** `*`, or names without `*`, `/` or white space, separated by `/`; at most 200 characters. */
export const SCOPE_PATTERN = /^(\*|[^*/\s]+(\/[^*/\s]+)*)$/;
export const MAX_SCOPE_LENGTH = 200;

export function isScope(value: string): boolean {
  return value.length <= MAX_SCOPE_LENGTH && SCOPE_PATTERN.test(value);
}

/**
 * The scopes whose live entries suppress a check for `scope`: `*` and every ancestor.
 *
 * @example
 * scopeChain("newsletter/product-updates"); // ["*", "newsletter", "newsletter/product-updates"]
 * scopeChain(undefined);                    // ["*"]
 */
export function scopeChain(scope: string | undefined): string[] {
  if (scope === undefined || scope === ALL_MAIL) return [ALL_MAIL];
  const parts = scope.split("/");
  return [ALL_MAIL, ...parts.map((_, i) => parts.slice(0, i + 1).join("/"))];
}
