/**
 * `npm run ses:import` (lambdas/local/ses-import-cli.ts): `--help` and bad usage as the npm script
 * runs it (tsx, a child process); the import itself in process through `main`, with the mocked
 * SESv2 client injected (SES has no local engine), against a dynalite endpoint and a temporary
 * `DATA_DIR` (the local store): the summary and the per-page lines, a resume after a failure,
 * a re-read of only duplicates, a dry run, a checkpoint held by another run, and Ctrl-C.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from "../../lambdas/local/embedded-dynamodb.js";
import { HELP, main, parseSesImportArgs } from "../../lambdas/local/ses-import-cli.js";
import { SES_IMPORT_LEASE_MS } from "../../lambdas/ses-account/import.js";
import {
  createDynamoDbClient,
  createStore,
  ensureTable,
  toDocumentClient,
} from "../../lambdas/store/index.js";
import { sesImportState } from "../../lambdas/store/ses-import-state.js";
import { type FakeSesList, fakeSesList, summary } from "../providers/ses-account-list/fake-ses-list.js";
import { expectHelp, expectUsageError, oneLineOf } from "./cli-test-helpers.js";

const CLI = "lambdas/local/ses-import-cli.ts";
const HOUR = 3_600_000;
const expectOneLine = oneLineOf("ses-import");

/** A stream that keeps what is written to it (not a terminal: plain lines). */
function sink(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** Five SES entries of fresh addresses, updated in the last hours. */
function listing() {
  const tag = randomUUID().slice(0, 8);
  const at = (h: number) => new Date(Math.floor(Date.now() / 1000) * 1000 - h * HOUR);
  return [
    summary(`b1-${tag}@example.org`, "BOUNCE", at(5)),
    summary(`c1-${tag}@example.org`, "COMPLAINT", at(4)),
    summary(`b2-${tag}@example.org`, "BOUNCE", at(3)),
    summary(`c2-${tag}@example.org`, "COMPLAINT", at(2)),
    summary(`b3-${tag}@example.org`, "BOUNCE", at(1)),
  ];
}

/** The environment of a run: no endpoint, table or data directory of the test's own environment. */
const env = (extra: Record<string, string>) => ({
  DYNAMODB_ENDPOINT: "",
  DATA_DIR: "",
  TABLE_NAME: "",
  ...extra,
});

describe("npm run ses:import, as a script", () => {
  it("prints its help with --help and -h", async () => {
    await expectHelp(CLI, HELP, "Usage: npm run ses:import");
  });

  it.each([
    [[], /--tenant is required/],
    [["--tenant", "Not A Tenant"], /--tenant: not a tenant id/],
    [["--tenant", "default", "--bogus"], /Unknown option '--bogus'/],
  ])("refuses %j with one line and exit code 2", async (args, message) => {
    await expectUsageError(CLI, expectOneLine, args, message);
  });
});

describe("parseSesImportArgs", () => {
  const NOW = new Date("2026-11-20T10:00:00Z");

  it("reads repeated and comma-separated tenants, the window, the flags and the store", () => {
    expect(
      parseSesImportArgs(
        [
          "--tenant",
          "default,acme",
          "--tenant",
          "acme",
          "--since",
          "2026-11-01T00:00:00Z",
          "--restart",
          "--dry-run",
        ],
        { AWS_REGION: "eu-west-1" },
        NOW,
      ),
    ).toEqual({
      tenants: ["default", "acme"],
      since: new Date("2026-11-01T00:00:00Z"),
      restart: true,
      dryRun: true,
      region: "eu-west-1",
      json: false,
      target: { kind: "local", dataDir: ".data", tableName: "suppressions" },
    });
    expect(
      parseSesImportArgs(["--tenant", "a", "--table", "prod", "--region", "us-east-2"], {}, NOW),
    ).toMatchObject({
      region: "us-east-2",
      target: { kind: "aws", tableName: "prod" },
    });
    expect(
      parseSesImportArgs(["--tenant", "a"], { DYNAMODB_ENDPOINT: "http://127.0.0.1:8000" }, NOW),
    ).toMatchObject({
      target: { kind: "endpoint", endpoint: "http://127.0.0.1:8000", tableName: "suppressions" },
    });
    expect(parseSesImportArgs(["-h"], {}, NOW)).toBe("help");
  });

  it.each([
    [["--tenant", "a", "--since", "yesterday"], /--since takes an ISO time/],
    [["--tenant", "a", "--since", "2026-11-20"], /--since takes an ISO time/],
    [["--tenant", "a", "--since", "2026-12-01T00:00:00Z"], /--since is in the future/],
    [["--tenant", "a", "--page-size", "0"], /--page-size/],
    [["--tenant", "a", "--page-size", "1001"], /--page-size/],
    [["--tenant", "a", "--endpoint", "ftp://x"], /--endpoint must be an http/],
    [["--tenant", "a", "--table", "t", "--endpoint", "http://x"], /--table names the deployed table/],
    [["--tenant", "a", "extra"], /unexpected argument 'extra'/],
  ])("refuses %j", (args, message) => {
    expect(() => parseSesImportArgs(args, {}, NOW)).toThrow(message);
  });
});

describe("npm run ses:import, in process", () => {
  let db: EmbeddedDynamoDb;
  let raw: ReturnType<typeof createDynamoDbClient>;
  let ses: FakeSesList;
  const dirs: string[] = [];

  beforeAll(async () => {
    db = await startEmbeddedDynamoDb();
    raw = createDynamoDbClient({ endpoint: db.endpoint, region: "us-east-1" });
  });
  afterAll(async () => {
    raw?.destroy();
    await db?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => ses?.mock.restore());

  /** Runs `main` against the endpoint's table `table` with the fake list. */
  const cli = async (table: string, args: readonly string[], extraEnv: Record<string, string> = {}) => {
    const stdout = sink();
    const stderr = sink();
    const code = await main(args, {
      ses: ses.client,
      env: env({ DYNAMODB_ENDPOINT: db.endpoint, TABLE_NAME: table, ...extraEnv }),
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
  const freshTable = () => `ses-import-cli-${randomUUID().slice(0, 8)}`;
  const stateOf = async (table: string) => {
    await ensureTable(raw, table);
    return sesImportState(createStore({ client: toDocumentClient(raw), tableName: table }));
  };

  it("imports every page for the tenants, a line per page on stderr and the summary on stdout", async () => {
    // Prepare
    ses = fakeSesList(listing());
    const table = freshTable();
    // Act
    const run = await cli(table, ["--tenant", "default,acme", "--page-size", "2"]);
    // Assert
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.split("\n").filter(Boolean)).toEqual([
      expect.stringMatching(/^ses-import: opening window \(beginning\) → \S+ for acme, default$/),
      "ses-import: page 1: listed 2, imported 4, duplicates 0, skipped ours 0, invalid 0",
      "ses-import: page 2: listed 4, imported 8, duplicates 0, skipped ours 0, invalid 0",
      "ses-import: page 3: listed 5, imported 10, duplicates 0, skipped ours 0, invalid 0",
    ]);
    expect(run.stdout).toMatch(
      /^Imported the SES suppression list for acme, default: window \(beginning\) → \S+, read to its end\.\n/,
    );
    expect(run.stdout).toMatch(
      /This run: 3 pages, listed 5, imported 10, duplicates 0, skipped ours 0, invalid 0\./,
    );
    expect(run.stdout).toMatch(new RegExp(`store: table ${table} at ${db.endpoint}\\n$`));
    expect(run.stdout).not.toMatch(/@/);
    const state = await stateOf(table);
    expect((await state.get()).lastCompleted?.counts).toMatchObject({ imported: 10 });
  });

  it("with --restart --json reads the list again: only duplicates", async () => {
    // Prepare
    ses = fakeSesList(listing());
    const table = freshTable();
    await cli(table, ["--tenant", "default,acme"]);
    // Act
    const run = await cli(table, ["--tenant", "default", "--tenant", "acme", "--restart", "--json"]);
    // Assert
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: "completed",
      dryRun: false,
      window: { start: null, tenants: ["acme", "default"] },
      counts: { pages: 1, listed: 5, imported: 0, duplicates: 10 },
      tenants: ["default", "acme"],
    });
  });

  it("fails with one line and exit code 1 when SES fails on page 2; run again, it resumes at the saved page", async () => {
    // Prepare
    ses = fakeSesList(listing());
    ses.failCalls.add(2);
    const table = freshTable();
    // Act
    const failed = await cli(table, ["--tenant", "default", "--page-size", "2"]);
    const resumed = await cli(table, ["--tenant", "default", "--page-size", "2", "--json"]);
    // Assert
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe("");
    expect(failed.stderr.split("\n").at(-2)).toMatch(
      /^ses-import: ListSuppressedDestinations failed: injected failure/,
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/^ses-import: resuming window/);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      resumed: true,
      counts: { pages: 3, listed: 5, imported: 5, duplicates: 0 },
      run: { pages: 2, listed: 3, imported: 3 },
    });
  });

  it("with --dry-run counts what would be recorded and saves nothing", async () => {
    // Prepare
    ses = fakeSesList(listing());
    const table = freshTable();
    // Act
    const run = await cli(table, ["--tenant", "default", "--dry-run"]);
    // Assert
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Dry run of the SES import for default: /);
    expect(run.stdout).toMatch(/imported 5, duplicates 0/);
    expect(run.stdout).toMatch(/Nothing was recorded or saved/);
    expect((await (await stateOf(table)).get()).updatedAt).toBeNull();
  });

  it("refuses to run while another run holds the checkpoint: one line, exit code 1", async () => {
    // Prepare
    ses = fakeSesList(listing());
    const table = freshTable();
    const state = await stateOf(table);
    await state.acquire(Date.now(), SES_IMPORT_LEASE_MS);
    // Act
    const run = await cli(table, ["--tenant", "default"]);
    // Assert
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expectOneLine(
      run.stderr,
      /another SES import holds the checkpoint until \S+ \(the scheduled ses-import function/,
    );
    expect(ses.calls).toEqual([]);
  });

  it("stops after the page in hand on Ctrl-C, exit code 130, and the next run resumes", async () => {
    // Prepare
    ses = fakeSesList(listing());
    const table = freshTable();
    ses.onCall = () => {
      if (ses.calls.length === 1) process.emit("SIGINT");
    };
    // Act
    const stopped = await cli(table, ["--tenant", "default", "--page-size", "2"]);
    ses.onCall = undefined;
    const resumed = await cli(table, ["--tenant", "default", "--page-size", "2", "--json"]);
    // Assert
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/stopped; the checkpoint holds the next page: run again to resume\./);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ resumed: true, counts: { pages: 3, imported: 5 } });
  });

  it("uses the local store of DATA_DIR, which keeps the checkpoint between runs", async () => {
    // Prepare
    ses = fakeSesList(listing());
    const dir = mkdtempSync(join(tmpdir(), "ses-import-cli-"));
    dirs.push(dir);
    const local = async (args: readonly string[]) => {
      const stdout = sink();
      const stderr = sink();
      const code = await main(args, {
        ses: ses.client,
        env: env({ DATA_DIR: dir }),
        stdout: stdout.stream,
        stderr: stderr.stream,
      });
      return { code, stdout: stdout.text(), stderr: stderr.text() };
    };
    // Act
    const first = await local(["--tenant", "default"]);
    const again = await local(["--tenant", "default", "--restart", "--json"]);
    // Assert
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/\(the local store\)\n$/);
    expect(JSON.parse(again.stdout)).toMatchObject({ counts: { imported: 0, duplicates: 5 } });
  });
});
