/**
 * An export's text (lambdas/jobs/export/rows.ts): JSONL is the items as they are; CSV has the
 * header of `EXPORT_CSV_COLUMNS`, flattens nested fields and lists, leaves `null` empty, quotes
 * what needs quoting, and never writes a cell a spreadsheet would run as a formula.
 */
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { EXPORT_CSV_COLUMNS } from "../../../lambdas/contract/exports.js";
import { cell, rowWriter } from "../../../lambdas/jobs/export/rows.js";

const ENTRY = {
  subjectKind: "address",
  subject: "jdoe@example.org",
  scope: "*",
  cause: "bounce",
  reason: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
  since: "2026-11-20T10:00:00.000Z",
  expiresAt: null,
  source: "ses",
  causes: [{ cause: "bounce" }, { cause: "complaint" }],
};

describe("export rows", () => {
  it("writes JSONL as the items, one per line", () => {
    // Act
    const text = rowWriter("suppressions", "jsonl").page([ENTRY, ENTRY]);
    // Assert
    expect(
      text
        .split("\n")
        .slice(0, 2)
        .map((l) => JSON.parse(l)),
    ).toEqual([ENTRY, ENTRY]);
    expect(text.endsWith("\n")).toBe(true);
  });

  it("writes the CSV header once, then the flattened fields", () => {
    // Arrange
    const writer = rowWriter("suppressions", "csv");
    // Act
    const text =
      writer.page([ENTRY]) + writer.page([{ ...ENTRY, subject: 'a,"b"@example.org' }]) + writer.end();
    const rows = parse(text) as string[][];
    // Assert
    expect(rows[0]).toEqual(EXPORT_CSV_COLUMNS.suppressions.map(([n]) => n));
    expect(rows[1]).toEqual([
      "address",
      "jdoe@example.org",
      "*",
      "bounce",
      "invalid",
      "mailbox_not_found",
      "user_unknown",
      "2026-11-20T10:00:00.000Z",
      "",
      "ses",
      "bounce|complaint",
    ]);
    expect(rows[2]?.[1]).toBe('a,"b"@example.org');
    expect(rows).toHaveLength(3);
  });

  it("writes the header alone for an export with no item", () => {
    // Act
    const writer = rowWriter("events", "csv");
    // Assert
    expect(writer.end()).toBe(`${EXPORT_CSV_COLUMNS.events.map(([n]) => n).join(",")}\n`);
    expect(writer.end()).toBe("");
  });

  it.each(['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"])(
    "defuses the formula-like cell %j with a leading quote",
    (text) => {
      // Assert
      expect(cell(text)).toBe(`'${text}`);
      expect(cell([text])).toBe(`'${text}`);
    },
  );

  it("leaves ordinary cells, null and numbers as they are", () => {
    // Assert
    expect(cell("550 5.1.1 user unknown")).toBe("550 5.1.1 user unknown");
    expect(cell(null)).toBe("");
    expect(cell(undefined)).toBe("");
    expect(cell(42)).toBe("42");
    expect(cell({ a: 1 })).toBe('{"a":1}');
  });
});
