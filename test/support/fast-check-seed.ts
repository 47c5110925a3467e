/**
 * vitest setup file: `npm test` is deterministic. Every fast-check property without a seed of its
 * own runs with one fixed seed, so CI never turns red on a case no earlier run met; a property that
 * fails prints its seed and path for replay. `FC_SEED=<n> npm test` runs another seed, and
 * `FC_SEED=random npm test` a new one each run (exploration, as `npm run fuzz` does for the routes).
 */
import * as fc from "fast-check";

const DEFAULT_SEED = 20261201;
const configured = process.env.FC_SEED?.trim();

if (configured !== "random") {
  const seed = configured ? Number(configured) : DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got ${configured}`);
  fc.configureGlobal({ seed });
}
