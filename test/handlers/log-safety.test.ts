/**
 * Logs never hold a full address: the service's logger scrubs every string it serializes. The
 * lines are captured from the logger's real output (Powertools writes JSON to stdout).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { addressRef, scrubAddresses, serviceLogger } from "../../lambdas/handlers/log-safety.js";
import { INTERNAL_KEY_ENV, internalKey, purposeKey } from "../../lambdas/store/internal-key.js";

afterEach(() => {
  vi.restoreAllMocks();
});

/** What the logger printed while `body` ran, one parsed JSON object per line. */
function captured(body: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const sink = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(sink as typeof process.stdout.write);
  vi.spyOn(process.stderr, "write").mockImplementation(sink as typeof process.stderr.write);
  const info = vi.spyOn(console, "info");
  const warn = vi.spyOn(console, "warn");
  const error = vi.spyOn(console, "error");
  for (const spy of [info, warn, error]) spy.mockImplementation((line: unknown) => lines.push(String(line)));
  body();
  return lines
    .flatMap((l) => l.split("\n"))
    .filter((l) => l.trim().startsWith("{"))
    .map((l) => JSON.parse(l));
}

describe("addressRef", () => {
  it("is a keyed hash with the domain: stable under one key, different under another", () => {
    const a = addressRef("jdoe@example.org", "k1");
    expect(a).toMatch(/^<addr:[0-9a-f]{16}@example\.org>$/);
    expect(addressRef("JDoe@example.org", "k1")).toBe(a);
    expect(addressRef("jdoe@example.org", "k2")).not.toBe(a);
    expect(addressRef("jane@example.org", "k1")).not.toBe(a);
  });

  it("scrubs every address of a text", () => {
    const text = scrubAddresses("550 <jdoe@example.org>, cc ana@example.net", "k");
    expect(text).not.toMatch(/jdoe|ana@/);
    expect(text).toContain(addressRef("jdoe@example.org", "k"));
  });

  it("keys with INTERNAL_KEY's log-hash key, else one random key per process", () => {
    expect(internalKey({ [INTERNAL_KEY_ENV]: "configured" })).toBe("configured");
    expect(internalKey({})).toBe(internalKey({}));
    expect(internalKey({})).not.toBe("configured");
    expect(purposeKey("log-hash", "k")).not.toEqual(purposeKey("cursor", "k"));
    expect(purposeKey("log-hash", "k")).toEqual(purposeKey("log-hash", "k"));
  });
});

describe("serviceLogger", () => {
  it("never prints a full address: messages, attributes, nested values, errors and stacks", () => {
    const logger = serviceLogger({ logLevel: "DEBUG", hashKey: "k" });
    const lines = captured(() => {
      logger.info("about jdoe@example.org", {
        detail: "550 <jdoe@example.org>",
        nested: { list: ["ana@example.net"] },
      });
      logger.error("failed", { error: new Error("could not store jdoe@example.org") });
      logger.warn("refused", new Error("bad ana@example.net"));
    });
    expect(lines.length).toBe(3);
    const all = JSON.stringify(lines);
    expect(all).not.toContain("jdoe@example.org");
    expect(all).not.toContain("ana@example.net");
    expect(all).toContain(addressRef("jdoe@example.org", "k").slice(1, -1));
    expect(lines[0]?.message).toBe(`about ${addressRef("jdoe@example.org", "k")}`);
  });
});
