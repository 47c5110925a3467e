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
 * process/container), else `DEFAULT_POLICY`; `HISTORY_DAYS`, when set, over its `history.keepDays`. A bad file fails loudly on first use (and again on
 * every call: the failure is not cached).
 *
 * @throws PolicyError when `POLICY_FILE` is set but unusable, or `HISTORY_DAYS` is not a number of days.
 * @example
 * const decision = decide(event, getPolicy());
 */
export function getPolicy(): Policy {
  if (cached) return cached;
  const path = process.env.POLICY_FILE;
  cached = withHistoryDays(path ? loadPolicyFile(path) : DEFAULT_POLICY, process.env.HISTORY_DAYS);
  return cached;
}

/**
 * `policy` with `history.keepDays` set from `HISTORY_DAYS` when that is set: the one setting of the
 * policy that also has a variable of its own (issue #11: how long the history is kept), so it can
 * be changed without writing a policy file. Checked by the policy's own schema.
 *
 * @throws PolicyError when `HISTORY_DAYS` is not a number of days the policy accepts
 * @example
 * withHistoryDays(DEFAULT_POLICY, "90").history.keepDays; // 90
 */
export function withHistoryDays(policy: Policy, value: string | undefined): Policy {
  if (value === undefined || value.trim() === "") return policy;
  const days = Number(value.trim());
  try {
    return parsePolicy({ ...policy, history: { ...policy.history, keepDays: days } });
  } catch (err) {
    if (!(err instanceof PolicyError) || !Number.isFinite(days)) {
      throw new PolicyError(`HISTORY_DAYS must be a number of days; got ${JSON.stringify(value)}`, [], {
        cause: err,
      });
    }
    throw new PolicyError(`HISTORY_DAYS ${value}: ${err.message}`, err.issues, { cause: err });
  }
}

/** Forgets the cached policy (tests, or after changing `POLICY_FILE`). */
export function resetPolicyCache(): void {
  cached = undefined;
}
