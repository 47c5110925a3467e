import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_POLICY, PolicyError } from "../../lambdas/core/policy/index.js";
import {
  getPolicy,
  loadPolicyFile,
  resetPolicyCache,
  withHistoryDays,
} from "../../lambdas/handlers/policy-source.js";

const dir = mkdtempSync(join(tmpdir(), "policy-source-"));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

function errorOf(act: () => unknown): PolicyError {
  try {
    act();
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return err as PolicyError;
  }
  throw new Error("expected a PolicyError");
}

describe("getPolicy", () => {
  beforeEach(() => resetPolicyCache());
  afterEach(() => {
    vi.unstubAllEnvs();
    resetPolicyCache();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("uses the defaults when POLICY_FILE is not set", () => {
    // Prepare
    vi.stubEnv("POLICY_FILE", "");
    // Act
    const policy = getPolicy();
    // Assess
    expect(policy).toBe(DEFAULT_POLICY);
  });

  it("takes HISTORY_DAYS over the policy's history.keepDays, with or without a file", () => {
    vi.stubEnv("POLICY_FILE", "");
    vi.stubEnv("HISTORY_DAYS", "90");
    expect(getPolicy().history.keepDays).toBe(90);
    expect(getPolicy().bounce).toEqual(DEFAULT_POLICY.bounce);
  });

  it.each(["ninety", "0", "-3", "1e9"])("refuses HISTORY_DAYS=%s, naming the variable", (value) => {
    vi.stubEnv("POLICY_FILE", "");
    vi.stubEnv("HISTORY_DAYS", value);
    expect(() => getPolicy()).toThrow(/HISTORY_DAYS/);
    expect(() => withHistoryDays(DEFAULT_POLICY, value)).toThrow(PolicyError);
  });

  it("reads POLICY_FILE once per process", () => {
    // Prepare
    const path = file(
      "valid.json",
      JSON.stringify({ complaint: { expiresAfterDays: 1, ignoreFeedbackTypes: [] } }),
    );
    vi.stubEnv("POLICY_FILE", path);
    // Act
    const first = getPolicy();
    writeFileSync(path, "{ not json");
    const second = getPolicy();
    // Assess
    expect(first.complaint.expiresAfterDays).toBe(1);
    expect(first.softBounce).toEqual(DEFAULT_POLICY.softBounce);
    expect(second).toBe(first);
  });

  it("names the file when it is not JSON", () => {
    // Prepare
    const path = file("broken.json", '{ "complaint": ');
    vi.stubEnv("POLICY_FILE", path);
    // Act
    const err = errorOf(getPolicy);
    // Assess
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });

  it("names the file and every issue when the document is invalid", () => {
    // Prepare
    const path = file("invalid.json", JSON.stringify({ softBounce: { threshold: 0 }, extra: true }));
    vi.stubEnv("POLICY_FILE", path);
    // Act
    const err = errorOf(getPolicy);
    // Assess
    expect(err.message).toContain(path);
    expect(err.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(["softBounce.threshold", "softBounce.reasons", ""]),
    );
    expect(err.message).toMatch(/extra/);
    expect(err.cause).toBeInstanceOf(PolicyError);
  });

  it("does not cache a failure: a fixed file is read on the next call", () => {
    // Prepare
    const path = file("later.json", "nope");
    vi.stubEnv("POLICY_FILE", path);
    errorOf(getPolicy);
    writeFileSync(path, "{}");
    // Act
    const policy = getPolicy();
    // Assess
    expect(policy).toEqual(DEFAULT_POLICY);
  });

  it("names a file that cannot be read", () => {
    const path = join(dir, "missing.json");
    const err = errorOf(() => loadPolicyFile(path));
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/cannot be read/);
  });
});
