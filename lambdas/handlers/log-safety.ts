import { createHmac } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { ADDRESS_IN_TEXT } from "../core/mask.js";
import { purposeKey } from "../store/internal-key.js";
import { SERVICE_NAME } from "./names.js";

/** Hex digits of the HMAC kept: 64 bits tell addresses apart in logs and cannot be searched back. */
const HASH_DIGITS = 16;

/**
 * The log form of an address: a keyed hash of it (HMAC-SHA-256 under the internal key's
 * `log-hash` key, store/internal-key.ts, so nobody without the key can
 * test a guess against a log line) and the domain, which tells operators which mailbox provider
 * is involved without naming anybody.
 *
 * @example
 * addressRef("jdoe@example.org", "k"); // "<addr:6c1f…@example.org>"
 */
export function addressRef(address: string, key: string | Buffer): string {
  const at = address.lastIndexOf("@");
  const digest = createHmac("sha256", key).update(address.toLowerCase(), "utf8").digest("hex");
  return `<addr:${digest.slice(0, HASH_DIGITS)}${at > 0 ? address.slice(at) : ""}>`;
}

/**
 * `text` with every address in it replaced by its `addressRef`.
 *
 * @example
 * scrubAddresses("550 <jdoe@example.org> unknown", "k"); // "550 <<addr:6c1f…@example.org>> unknown"
 */
export function scrubAddresses(text: string, key: string | Buffer): string {
  return text.includes("@") ? text.replace(ADDRESS_IN_TEXT, (found) => addressRef(found, key)) : text;
}

/**
 * The service's Powertools logger: every string of every log line (messages, attributes, error
 * messages and stacks) goes through `scrubAddresses` as it is serialized, so no code path can log
 * a full address, whatever it passes (design.md §5.4).
 *
 * @example
 * const logger = serviceLogger({ logLevel: "INFO" });
 * logger.warn("refused", { detail: "not deliverable: jdoe@example.org" }); // detail holds <addr:…@example.org>
 */
export function serviceLogger(
  options: {
    serviceName?: string;
    logLevel?: "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT";
    hashKey?: string;
  } = {},
): Logger {
  const key = options.hashKey ?? purposeKey("log-hash");
  return new Logger({
    serviceName: options.serviceName ?? SERVICE_NAME,
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    jsonReplacerFn: (_name, value) => (typeof value === "string" ? scrubAddresses(value, key) : value),
  });
}
