/**
 * `npm run keys` as a child process (tsx on the pinned node, as the npm script runs it), against a
 * dynalite endpoint (`DYNAMODB_ENDPOINT`, `--endpoint`) and against a temporary `DATA_DIR` (the
 * local store `npm start` uses): keys made are stored hashed and authenticate on a local server
 * over the same store, listing, revoking, the refusal while `npm start` holds the directory, usage
 * errors (exit 2) and `--help`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreatedKey, KeyView } from "../../lambdas/contract/keys.js";
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from "../../lambdas/local/embedded-dynamodb.js";
import { HELP, parseKeysArgs } from "../../lambdas/local/keys-cli.js";
import { startLocalServer } from "../../lambdas/local/server.js";
import { apiKeysStore, keyMatches } from "../../lambdas/store/api-keys.js";
import { createDynamoDbClient, createStore, toDocumentClient } from "../../lambdas/store/index.js";
import { freeLoopbackPort } from "../support/engines.js";
import { runTsx } from "../support/run-tsx.js";
import { call } from "./http-helpers.js";

const CLI = "lambdas/local/keys-cli.ts";
const TABLE = "keys-cli-test";
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "keys-cli-"));
  dirs.push(dir);
  return dir;
};
let tenantCount = 0;
const freshTenant = (): string => `cli-${process.pid}-${++tenantCount}`;

/** The environment of a run: no endpoint, table or data directory of the test's own environment. */
const env = (extra: Record<string, string>) => ({
  DYNAMODB_ENDPOINT: "",
  DATA_DIR: "",
  TABLE_NAME: "",
  ...extra,
});

/** Parses stdout as JSON, saying what the run printed when it is not. */
function jsonOf(run: { code: number | null; stdout: string; stderr: string }): unknown {
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout);
}

describe("npm run keys against a DynamoDB endpoint", () => {
  let db: EmbeddedDynamoDb;
  let raw: ReturnType<typeof createDynamoDbClient>;
  const cli = (args: readonly string[]) =>
    runTsx(CLI, args, { env: env({ DYNAMODB_ENDPOINT: db.endpoint, TABLE_NAME: TABLE }) });
  const store = () => createStore({ client: toDocumentClient(raw), tableName: TABLE });

  beforeAll(async () => {
    db = await startEmbeddedDynamoDb();
    raw = createDynamoDbClient({ endpoint: db.endpoint });
  });
  afterAll(async () => {
    raw?.destroy();
    await db?.stop();
  });

  it("create --json prints the key once; it is stored hashed and authenticates on a server", async () => {
    // Prepare
    const tenant = freshTenant();
    // Act (the first run also creates the table)
    const run = await cli([
      "create",
      "--tenant",
      tenant,
      "--name",
      "ci pipeline",
      "--scopes",
      "check,ingest",
      "--json",
    ]);
    // Assert
    const created = CreatedKey.parse(jsonOf(run));
    expect(created).toMatchObject({
      tenant,
      name: "ci pipeline",
      scopes: ["check", "ingest"],
      createdBy: { keyId: "cli", name: "npm run keys" },
      revokedAt: null,
    });
    expect(created.key).toMatch(new RegExp(`^ssk_${created.id}_[A-Za-z0-9_-]{43}$`));
    const item = await apiKeysStore(store()).find(created.id);
    if (item === undefined) throw new Error("the key was not stored");
    expect(item.hash).not.toBe(created.key);
    expect(keyMatches(item, created.key)).toBe(true);
    const server = await startLocalServer({
      port: 0,
      dynamodbEndpoint: db.endpoint,
      tableName: TABLE,
      apiKey: "bootstrap-of-the-cli-test",
      logLevel: "SILENT",
    });
    try {
      const check = await call(server.url, "POST", "/v1/check", {
        key: created.key,
        body: { addresses: ["someone@example.org"] },
      });
      expect(check.status).toBe(200);
      const allowlist = await call(server.url, "GET", "/v1/allowlist", { key: created.key });
      expect(allowlist.status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it("create without --json says the key is shown once; the tenant defaults to `default`", async () => {
    // Act
    const run = await cli(["create", "--name", "console", "--scopes", "admin"]);
    // Assert
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ssk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/);
    expect(run.stdout).toMatch(/only time the key is shown/);
    expect(run.stdout).toContain("tenant default");
    expect(run.stdout).toContain(`table ${TABLE} at ${db.endpoint}`);
  });

  it("list shows the tenant's keys newest first, never a key; revoke revokes; an unknown id exits 1", async () => {
    // Prepare
    const tenant = freshTenant();
    const first = CreatedKey.parse(
      jsonOf(await cli(["create", "--tenant", tenant, "--name", "one", "--scopes", "check", "--json"])),
    );
    await new Promise((resolve) => setTimeout(resolve, 1100)); // createdAt has whole seconds
    const second = CreatedKey.parse(
      jsonOf(await cli(["create", "--tenant", tenant, "--name", "two", "--scopes", "check,pii", "--json"])),
    );
    const elsewhere = CreatedKey.parse(
      jsonOf(
        await cli(["create", "--tenant", freshTenant(), "--name", "other", "--scopes", "check", "--json"]),
      ),
    );
    // Act
    const [listed, text] = await Promise.all([
      cli(["list", "--tenant", tenant, "--json"]),
      cli(["list", "--tenant", tenant]),
    ]);
    const revoked = await cli(["revoke", "--tenant", tenant, first.id, "--json"]);
    const notHis = await cli(["revoke", "--tenant", tenant, elsewhere.id]);
    const after = await cli(["list", "--tenant", tenant, "--json"]);
    // Assert
    const keys = KeyView.array().parse(jsonOf(listed));
    expect(keys.map((k) => k.id)).toEqual([second.id, first.id]);
    expect(listed.stdout).not.toContain(first.key);
    expect(listed.stdout).not.toContain(second.key);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ID +NAME +SCOPES +CREATED +STATUS$/m);
    expect(text.stdout).toContain(first.id);
    expect(text.stdout).not.toContain(first.key);
    expect(KeyView.parse(jsonOf(revoked))).toMatchObject({
      id: first.id,
      revokedAt: expect.any(String),
      revokedBy: { keyId: "cli", name: "npm run keys" },
    });
    expect(notHis.code).toBe(1);
    expect(notHis.stdout).toBe("");
    expect(notHis.stderr).toBe(
      `keys: tenant ${tenant} has no key ${elsewhere.id} (npm run keys -- list --tenant ${tenant} shows its keys)\n`,
    );
    const afterKeys = KeyView.array().parse(jsonOf(after));
    expect(afterKeys.find((k) => k.id === first.id)?.revokedAt).not.toBeNull();
    expect(afterKeys.find((k) => k.id === second.id)?.revokedAt).toBeNull();
    const item = await apiKeysStore(store()).find(elsewhere.id);
    expect(item?.revokedAt).toBeUndefined();
  }, 60_000);

  it("--endpoint names the endpoint; one that does not answer exits 1 with one line", async () => {
    // Prepare
    const port = await freeLoopbackPort();
    // Act
    const viaFlag = await runTsx(
      CLI,
      ["list", "--tenant", freshTenant(), "--endpoint", db.endpoint, "--json"],
      {
        env: env({ TABLE_NAME: TABLE }),
      },
    );
    const dead = await runTsx(CLI, ["list", "--endpoint", `http://127.0.0.1:${port}`], { env: env({}) });
    // Assert
    expect(KeyView.array().parse(jsonOf(viaFlag))).toEqual([]);
    expect(dead.code).toBe(1);
    expect(dead.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(dead.stderr).toMatch(
      /^keys: the store \(table suppressions at http:\/\/127\.0\.0\.1:\d+\) did not answer/,
    );
  });
});

describe("npm run keys on the local store (DATA_DIR)", () => {
  it("makes, lists and revokes keys in the directory npm start serves, and refuses while it runs", async () => {
    // Prepare
    const dataDir = tempDir();
    const cli = (args: readonly string[]) => runTsx(CLI, args, { env: env({ DATA_DIR: dataDir }) });
    // Act
    const made = CreatedKey.parse(
      jsonOf(await cli(["create", "--tenant", "acme", "--name", "pre-send", "--scopes", "check", "--json"])),
    );
    const gone = CreatedKey.parse(
      jsonOf(await cli(["create", "--tenant", "acme", "--name", "old", "--scopes", "check", "--json"])),
    );
    const revoked = await cli(["revoke", "--tenant", "acme", gone.id]);
    const listed = KeyView.array().parse(jsonOf(await cli(["list", "--tenant", "acme", "--json"])));
    // Assert
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked key ${gone.id}`);
    expect(listed.map((k) => k.id).sort()).toEqual([made.id, gone.id].sort());
    const server = await startLocalServer({
      port: 0,
      dataDir,
      apiKey: "bootstrap-of-the-cli-test",
      logLevel: "SILENT",
    });
    try {
      const body = { addresses: ["someone@example.org"] };
      expect((await call(server.url, "POST", "/v1/check", { key: made.key, body })).status).toBe(200);
      expect((await call(server.url, "POST", "/v1/check", { key: gone.key, body })).status).toBe(401);
      const page = await call(server.url, "GET", "/v1/keys", {
        key: "bootstrap-of-the-cli-test",
        headers: { "x-tenant": "acme" },
      });
      expect(page.body).toMatchObject({
        keys: expect.arrayContaining([expect.objectContaining({ id: made.id })]),
      });
      // While the server holds the directory, the CLI says so in one line.
      const busy = await cli(["list", "--tenant", "acme"]);
      expect(busy.code).toBe(1);
      expect(busy.stdout).toBe("");
      expect(busy.stderr).toMatch(
        /^keys: .* is in use by a running npm start; stop it first, or make the key through the server with POST \/v1\/keys\n$/,
      );
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe("npm run keys usage", () => {
  const USAGE_ERRORS: [string, string[]][] = [
    ["no command", []],
    ["an unknown command", ["make"]],
    ["an unknown option", ["list", "--verbose"]],
    ["create without --name", ["create", "--scopes", "check"]],
    ["create without --scopes", ["create", "--name", "x"]],
    ["an unknown scope", ["create", "--name", "x", "--scopes", "check,root"]],
    ["a scope twice", ["create", "--name", "x", "--scopes", "check,check"]],
    ["a blank name", ["create", "--name", " ", "--scopes", "check"]],
    ["a bad tenant", ["list", "--tenant", "Not A Tenant"]],
    ["revoke without an id", ["revoke"]],
    ["a malformed id", ["revoke", "12345"]],
    ["a whole key for an id", ["revoke", `ssk_0123456789ab_${"A".repeat(43)}`]],
    ["--name on list", ["list", "--name", "x"]],
    ["an argument to list", ["list", "acme"]],
    ["--table with an endpoint", ["list", "--table", "prod", "--endpoint", "http://127.0.0.1:8000"]],
    ["--endpoint that is no URL", ["list", "--endpoint", "localhost:8000"]],
  ];

  it.each(USAGE_ERRORS)("%s: a usage error (exit code 2)", (_name, args) => {
    expect(() => parseKeysArgs(args, {})).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/^[^\n]+$/) }),
    );
  });

  it.concurrent.each(
    USAGE_ERRORS.filter(([name]) => /no command|unknown scope|bad tenant|malformed id/.test(name)),
  )("run with %s: exit 2, one line on stderr, nothing read", async (_name, args) => {
    // Act (the endpoint is closed: a run that reached the store would exit 1, not 2)
    const run = await runTsx(CLI, args, { env: env({ DYNAMODB_ENDPOINT: "http://127.0.0.1:9" }) });
    // Assert
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^keys: [^\n]+; see --help\n$/);
  });

  it("DATA_DIR=:memory: is a usage error: the key would be lost", async () => {
    const run = await runTsx(CLI, ["list"], { env: env({ DATA_DIR: ":memory:" }) });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/keeps nothing.*POST \/v1\/keys/);
  });

  it("--help prints the documentation and exits 0", async () => {
    const run = await runTsx(CLI, ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(HELP);
    expect(HELP).toMatch(/^Usage: npm run keys -- <command>/);
    for (const word of [
      "create",
      "list",
      "revoke",
      "--tenant",
      "--scopes",
      "--table",
      "--endpoint",
      "Exit codes",
    ]) {
      expect(HELP).toContain(word);
    }
  });

  it("parses the target: --table is AWS, an endpoint creates its table, else the local store", () => {
    expect(parseKeysArgs(["list", "--table", "prod-suppressions"], {})).toMatchObject({
      target: { kind: "aws", tableName: "prod-suppressions" },
    });
    expect(
      parseKeysArgs(["list"], { DYNAMODB_ENDPOINT: "http://127.0.0.1:8000", TABLE_NAME: "t" }),
    ).toMatchObject({
      target: { kind: "endpoint", endpoint: "http://127.0.0.1:8000", tableName: "t" },
    });
    expect(parseKeysArgs(["list", "--tenant", "acme"], {})).toMatchObject({
      command: "list",
      tenant: "acme",
      target: { kind: "local", dataDir: ".data", tableName: "suppressions" },
    });
    expect(
      parseKeysArgs(["create", "--name", " ci ", "--scopes", "check, admin"], { DATA_DIR: "/srv/data" }),
    ).toMatchObject({
      request: { tenant: "default", name: "ci", scopes: ["check", "admin"] },
      target: { kind: "local", dataDir: "/srv/data" },
    });
  });
});
