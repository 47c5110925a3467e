/**
 * docs/exports.md, docs/list-cleaning.md and docs/unsubscribe.md run as written: every shell example of each guide, in
 * order, in one scratch directory (the examples hand files to each other: `export.json`, `list.csv`),
 * against a local server started as the guide's first block says (`SUPPRESSION_API_KEY=demo-key`,
 * an in-memory store and s3rver), only on a free port instead of 3400. Each block must exit 0 and
 * print what the guide says it does.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { useLocalServer } from "../local/http-helpers.js";

const GUIDE_URL = "http://127.0.0.1:3400";
const START = "PORT=3400 DATA_DIR=:memory: SUPPRESSION_API_KEY=demo-key npm start";
const run = promisify(execFile);

/** The guide's shell blocks, the first (starting the server) apart. */
function blocks(file: string): { start: string; examples: string[] } {
  const all = [...readFileSync(file, "utf8").matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  const [start = "", ...examples] = all;
  return { start: start.trim(), examples };
}

describe.each([
  {
    guide: "docs/exports.md",
    expected: [
      /"status": "queued"/,
      /"status": "succeeded",\s+"rows": 1,[\s\S]*^address,jane@example\.org,\*,manual,/m,
      /"rows": 1,/,
    ],
  },
  {
    guide: "docs/list-cleaning.md",
    expected: [
      /"status": "queued",\s+"scope": "newsletter"/,
      /"rows": 4,\s+"kept": 1,\s+"dropped": 3,\s+"invalid": 1,\s+"duplicates": 1,\s+"suppressed": 1,[\s\S]*^email,name\njdoe@example\.org,Jane\n[\s\S]*^anyone@blocked\.example,Ann,manual,/m,
      /"status": "queued",\s+"column": "email"/,
    ],
  },
  {
    guide: "docs/unsubscribe.md",
    expected: [
      /"scope": "\*",\s+"expiresAt": "[^"]+",\s+"headers": \[\s+"List-Unsubscribe",\s+"List-Unsubscribe-Post"\s+\]/,
      /^200$/m,
      /"suppressed": true,\s+"cause": "unsubscribe",\s+"source": "unsubscribe-link"/,
      /^\{"address":"ann@example\.org","scope":"newsletter"\}\n\{"address":"bob@example\.net","scope":"newsletter"\}$/m,
    ],
  },
])("$guide", ({ guide, expected }) => {
  const running = useLocalServer("demo-key");
  const dir = mkdtempSync(join(tmpdir(), "job-guide-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { start, examples } = blocks(guide);

  it("starts the server with the key, the store and the port the examples use", () => {
    expect(start).toBe(START);
    expect(examples).toHaveLength(expected.length);
    for (const example of examples) expect(example).toContain(GUIDE_URL);
  });

  it("runs every example as written, printing what the guide describes", async () => {
    for (const [i, example] of examples.entries()) {
      const command = example.replaceAll(GUIDE_URL, running().url);
      const { stdout } = await run("bash", ["-e", "-o", "pipefail", "-c", command], {
        cwd: dir,
        timeout: 30_000,
      });
      expect(stdout, example).toMatch(expected[i] as RegExp);
    }
  }, 60_000);
});
