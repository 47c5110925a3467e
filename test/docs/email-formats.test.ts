/**
 * docs/providers/email.md lists the plain-text bounce formats in the order parse.ts tries them:
 * FORMATS (lambdas/providers/email/formats/index.ts) is the one source, this holds the page to it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FORMATS } from "../../lambdas/providers/email/formats/index.js";

const PAGE = readFileSync(new URL("../../docs/providers/email.md", import.meta.url), "utf8");
const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8").replace(/\s+/g, " ");

describe("docs/providers/email.md's table of plain-text formats", () => {
  it("names every format of FORMATS, in its order, and no other", () => {
    const start = PAGE.indexOf("| format ");
    expect(start).toBeGreaterThan(0);
    const lines = PAGE.slice(start).split("\n").slice(2);
    const end = lines.findIndex((line) => !line.startsWith("|"));
    const rows = end < 0 ? lines : lines.slice(0, end);
    const ids = rows.map((row) => /^\|\s*`([^`]+)`/.exec(row)?.[1]);
    expect(ids).toEqual(FORMATS.map((f) => f.id));
  });

  it("is counted right in the README", () => {
    expect(README).toContain(`the plain-text bounces of ${FORMATS.length} MTAs and mailbox providers`);
  });
});
