import { readFileSync } from "node:fs";
import { DEFAULT_POLICY, type Policy, PolicyError, parsePolicy } from "../core/policy/index.js";

let cached: Policy | undefined;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Reads and validates the policy document at `path` (JSON, see `parsePolicy`).
 *
 * @throws PolicyError naming the file: unreadable, not JSON, or an invalid document (with the
 *   document's issues and their paths; the underlying error is the `cause`).
 * @example
 * const policy = loadPolicyFile("/etc/suppression/policy.json");
 */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new PolicyError(`POLICY_FILE ${path} cannot be read: ${messageOf(err)}`, [], {
      cause: err,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PolicyError(`POLICY_FILE ${path} is not valid JSON: ${messageOf(err)}`, [], {
      cause: err,
    });
  }
  try {
    return parsePolicy(json);
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    throw new PolicyError(`POLICY_FILE ${path}: ${err.message}`, err.issues, { cause: err });
  }
}

/**
 * The policy this process runs with: the document at `POLICY_FILE` when that is set and not empty (read once per
 * process/container), else `DEFAULT_POLICY`. A bad file fails loudly on first use (and again on
 * every call: the failure is not cached).
 *
 * @throws PolicyError when `POLICY_FILE` is set but unusable.
 * @example
 * const decision = decide(event, getPolicy());
 */
export function getPolicy(): Policy {
  if (cached) return cached;
  const path = process.env.POLICY_FILE;
  cached = path ? loadPolicyFile(path) : DEFAULT_POLICY;
  return cached;
}

/** Forgets the cached policy (tests, or after changing `POLICY_FILE`). */
export function resetPolicyCache(): void {
  cached = undefined;
}
