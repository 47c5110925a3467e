import type { ParsedNotification } from "../core/events.js";
import { parseSes } from "./ses/index.js";

/** What every provider's parser gets besides the body. */
export type ParseContext = { readonly tenant: string; readonly receivedAt: Date };
export type ProviderParser = (body: unknown, context: ParseContext) => ParsedNotification;

/** Providers whose payloads `POST /v1/import/{provider}` accepts. */
const IMPORT_PARSERS = {
  ses: (body, context) => parseSes(body, context),
} as const satisfies Record<string, ProviderParser>;

export const SUPPORTED_PROVIDERS = Object.keys(IMPORT_PARSERS);

/**
 * The parser for a provider named in a path, or `undefined` for one we do not support.
 *
 * @example
 * importParser("ses")?.(body, { tenant: "default", receivedAt: new Date() });
 */
export function importParser(provider: string): ProviderParser | undefined {
  return Object.hasOwn(IMPORT_PARSERS, provider)
    ? IMPORT_PARSERS[provider as keyof typeof IMPORT_PARSERS]
    : undefined;
}
