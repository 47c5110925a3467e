import type { ParsedNotification } from "../core/events.js";
import { ADAPTER_PROVIDERS, webhookAdapter } from "./registry.js";
import { parseSes } from "./ses/index.js";
import { parseJsonBody } from "./shared/decode.js";
import type { ParseContext, WebhookRequest } from "./types.js";

export type ImportParser = (request: WebhookRequest, context: ParseContext) => ParsedNotification;

/** Providers whose payloads `POST /v1/import/{provider}` accepts. */
export const SUPPORTED_PROVIDERS: readonly string[] = ["ses", ...ADAPTER_PROVIDERS];

const importSes: ImportParser = (request, context) => parseSes(parseJsonBody(request.rawBody), context);

/**
 * The parser for a provider named in a path, or `undefined` for one we do not support. Imports
 * carry no transport signature: they are authorized by the API key instead.
 *
 * @example
 * importParser("ses")?.(request, { tenant: "default", receivedAt: new Date() });
 */
export function importParser(provider: string): ImportParser | undefined {
  if (provider === "ses") return importSes;
  const adapter = webhookAdapter(provider);
  return adapter ? (request, context) => adapter.parse(request, context) : undefined;
}
