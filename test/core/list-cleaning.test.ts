import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addressHash,
  chooseColumn,
  DROP_CAUSES,
  DROP_COLUMNS,
  decideRow,
  detectDelimiter,
  dropRow,
  EMAIL_COLUMN_NAMES,
  KEEP,
  LIST_CHECK_MAX_ROWS,
  ListColumnError,
  ListTooLongError,
  type ListVerdict,
  MAX_RECORD_CHARS,
  ROW_REASONS,
  type RowDecision,
  reasonLabel,
  rowAddress,
  SeenAddresses,
  SummaryTally,
} from "../../lambdas/core/list-cleaning.js";

const CLEAR: ListVerdict = { suppressed: false, cause: null, reason: null };
const USER_UNKNOWN: ListVerdict = {
  suppressed: true,
  cause: "bounce",
  reason: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
};

describe("constants", () => {
  it("names the limits and columns the contract documents", () => {
    expect(LIST_CHECK_MAX_ROWS).toBe(1_000_000);
    expect(MAX_RECORD_CHARS).toBe(65_536);
    expect(DROP_COLUMNS).toEqual(["cause", "reason"]);
    // Suppression causes first (strongest first), then the row's own.
    expect(DROP_CAUSES).toEqual([
      "manual",
      "unsubscribe",
      "complaint",
      "bounce",
      "soft_escalation",
      "invalid_syntax",
      "duplicate",
    ]);
    expect(ROW_REASONS.tooLong).toBe("row longer than 65,536 characters");
  });
});

describe("detectDelimiter", () => {
  it.each([
    ["email,name,city", ","],
    ["email;name;city", ";"],
    ["email\tname\tcity", "\t"],
    ["jdoe@example.org", ","],
    ["", ","],
    // Inside quotes a delimiter does not count.
    ['"Doe; J" <j@example.org>', ","],
    ['"a,b,c";d;e', ";"],
    // The most frequent wins; a tie goes to the earlier of `,` `;` tab.
    ["a;b;c,d", ";"],
    ["a,b;c", ","],
    ["a;b\tc", ";"],
  ])("%j → %j", (line, delimiter) => {
    // Act / Assess
    expect(detectDelimiter(line)).toBe(delimiter);
  });
});

describe("chooseColumn", () => {
  it.each(EMAIL_COLUMN_NAMES.map((name) => [name]))("takes a column named %j as the header", (name) => {
    // Act
    const choice = chooseColumn(["id", ` ${name.toUpperCase()} `, "city"], undefined);
    // Assess
    expect(choice).toEqual({ index: 1, header: true });
  });

  it("prefers the names in EMAIL_COLUMN_NAMES' order", () => {
    // Act / Assess
    expect(chooseColumn(["Address", "Mail", "Email"], undefined)).toEqual({ index: 2, header: true });
    expect(chooseColumn(["mail", "address"], undefined)).toEqual({ index: 1, header: true });
  });

  it("sees no header in a first row without a known name: the first column holds the address", () => {
    // Act / Assess
    expect(chooseColumn(["jdoe@example.org", "Jane"], undefined)).toEqual({ index: 0, header: false });
    expect(chooseColumn(["emails", "name"], undefined)).toEqual({ index: 0, header: false });
  });

  it("takes the named column (trimmed, case-insensitive) and the first row as the header", () => {
    // Act / Assess
    expect(chooseColumn(["id", " Contact "], "contact")).toEqual({ index: 1, header: true });
    expect(chooseColumn(["email", "contact"], " CONTACT ")).toEqual({ index: 1, header: true });
  });

  it("refuses a named column the first row does not have, naming the first 20 it has", () => {
    // Arrange
    const header = Array.from({ length: 25 }, (_, i) => `c${i}`);
    // Act
    const error = (() => {
      try {
        chooseColumn(header, "email");
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    // Assess
    expect(error).toBeInstanceOf(ListColumnError);
    expect(error).toMatchObject({ name: "ListColumnError", column: "email", header });
    const message = (error as Error).message;
    expect(message).toMatch(/^No column named "email" in the first row \(it has: "c0", "c1", /);
    expect(message).toContain('"c19"');
    expect(message).not.toContain('"c20"');
  });
});

describe("rowAddress", () => {
  it("answers the canonical address of the column", () => {
    // Act / Assess
    expect(rowAddress(["  JDoe@Example.org "], 0)).toEqual({ ok: true, address: "jdoe@example.org" });
    expect(rowAddress(["Jane", '"J. Doe" <JDoe@Bücher.Example>'], 1)).toEqual({
      ok: true,
      address: "jdoe@xn--bcher-kva.example",
    });
  });

  it.each([
    ["a blank row", [""], 0, ROW_REASONS.emptyRow],
    ["a row of blank fields", [" ", "", "\t"], 1, ROW_REASONS.emptyRow],
    ["an empty address column", ["Jane", ""], 1, ROW_REASONS.noAddress],
    ["a blank address column", ["Jane", "   "], 1, ROW_REASONS.noAddress],
    ["a row shorter than the column", ["Jane"], 1, ROW_REASONS.noAddress],
    ["a domain entry written @domain", ["@example.org"], 0, "not an email address"],
    ["a bare domain", ["example.org"], 0, "not an email address"],
    ["two addresses", ["a@example.org, b@example.org"], 0, "not an email address"],
    ["a domain without a dot", ["jdoe@localhost"], 0, "domain is not a valid host name"],
  ])("has no address in %s", (_what, fields, index, reason) => {
    // Act / Assess
    expect(rowAddress(fields, index)).toEqual({ ok: false, reason });
  });
});

describe("addressHash and SeenAddresses", () => {
  it("hashes to 12 one-byte characters (96 bits of SHA-256), the same for the same address", () => {
    // Act
    const a = addressHash("jdoe@example.org");
    // Assess
    expect(a).toHaveLength(12);
    expect(Buffer.from(a, "latin1")).toEqual(
      createHash("sha256").update("jdoe@example.org").digest().subarray(0, 12),
    );
    expect(addressHash("jdoe@example.org")).toBe(a);
    expect(addressHash("jdoe@example.com")).not.toBe(a);
  });

  it("meets each address once, whatever its length", () => {
    // Arrange
    const seen = new SeenAddresses();
    const long = `${"x".repeat(60)}@${"d".repeat(60)}.example.org`;
    // Act
    const firsts = ["jdoe@example.org", long, "jdoe@example.org", long, "ana@example.org"].map((a) =>
      seen.firstTime(a),
    );
    // Assess
    expect(firsts).toEqual([true, true, false, false, true]);
    expect(seen.size).toBe(3);
  });
});

describe("reasonLabel and decideRow", () => {
  it("labels a verdict by its fine reason, else its subtype, else its type", () => {
    // Act / Assess
    expect(reasonLabel({ type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" })).toBe(
      "user_unknown",
    );
    expect(reasonLabel({ type: "invalid", subtype: "mailbox_not_found", reason: null })).toBe(
      "mailbox_not_found",
    );
    expect(reasonLabel({ type: "complaint", subtype: null, reason: null })).toBe("complaint");
    expect(reasonLabel({ type: "invalid", subtype: "blocklisted", reason: "manual" })).toBe("manual");
  });

  it("drops a suppressed address with its cause and reason, keeps the others", () => {
    // Act / Assess
    expect(decideRow(USER_UNKNOWN)).toEqual({ keep: false, cause: "bounce", reason: "user_unknown" });
    expect(
      decideRow({
        suppressed: true,
        cause: "unsubscribe",
        reason: { type: "unsubscribe", subtype: null, reason: null },
      }),
    ).toEqual({ keep: false, cause: "unsubscribe", reason: "unsubscribe" });
    expect(decideRow(CLEAR)).toBe(KEEP);
  });

  it("keeps a row whose verdict says suppressed but names no cause (nothing to write beside it)", () => {
    // Act / Assess
    expect(decideRow({ suppressed: true, cause: null, reason: null })).toBe(KEEP);
  });

  it("drops a row for itself with the cause and reason given", () => {
    // Act / Assess
    expect(dropRow("duplicate", ROW_REASONS.duplicate)).toEqual({
      keep: false,
      cause: "duplicate",
      reason: "same address as an earlier row",
    });
  });
});

describe("ListTooLongError", () => {
  it("says how many rows a list may have", () => {
    // Act
    const error = new ListTooLongError(LIST_CHECK_MAX_ROWS);
    // Assess
    expect(error).toMatchObject({ name: "ListTooLongError", maxRows: 1_000_000 });
    expect(error.message).toBe("The list has more than 1,000,000 rows; split it and check each part.");
  });
});

describe("SummaryTally", () => {
  it("adds up kept rows, causes and reasons (most first, then by name)", () => {
    // Arrange
    const tally = new SummaryTally();
    const decisions: RowDecision[] = [
      KEEP,
      decideRow(USER_UNKNOWN),
      dropRow("duplicate", ROW_REASONS.duplicate),
      KEEP,
      dropRow("invalid_syntax", ROW_REASONS.emptyRow),
      dropRow("invalid_syntax", "not an email address"),
      dropRow("invalid_syntax", "not an email address"),
      { keep: false, cause: "complaint", reason: "complaint" },
    ];
    // Act
    for (const d of decisions) tally.add(d);
    const summary = tally.summary();
    // Assess
    expect(tally.rows).toBe(8);
    expect(summary).toEqual({
      rows: 8,
      kept: 2,
      dropped: 6,
      invalid: 3,
      duplicates: 1,
      suppressed: 2,
      byCause: { complaint: 1, bounce: 1, invalid_syntax: 3, duplicate: 1 },
      byReason: {
        "not an email address": 2,
        complaint: 1,
        "empty row": 1,
        "same address as an earlier row": 1,
        user_unknown: 1,
      },
    });
    // byCause in DROP_CAUSES order, for stable JSON.
    expect(Object.keys(summary.byCause)).toEqual(["complaint", "bounce", "invalid_syntax", "duplicate"]);
  });

  it("is all zeros with nothing added", () => {
    // Act / Assess
    expect(new SummaryTally().summary()).toEqual({
      rows: 0,
      kept: 0,
      dropped: 0,
      invalid: 0,
      duplicates: 0,
      suppressed: 0,
      byCause: {},
      byReason: {},
    });
  });

  it("always adds up: rows = kept + dropped, byReason sums to dropped, any order (property)", () => {
    const decision: fc.Arbitrary<RowDecision> = fc.oneof(
      fc.constant(KEEP),
      fc.record({
        keep: fc.constant(false as const),
        cause: fc.constantFrom(...DROP_CAUSES),
        reason: fc.constantFrom("user_unknown", "complaint", ROW_REASONS.duplicate, ROW_REASONS.emptyRow),
      }),
    );
    fc.assert(
      fc.property(fc.array(decision, { maxLength: 60 }), (decisions) => {
        // Arrange
        const forward = new SummaryTally();
        const backward = new SummaryTally();
        // Act
        for (const d of decisions) forward.add(d);
        for (const d of [...decisions].reverse()) backward.add(d);
        const s = forward.summary();
        // Assess
        expect(backward.summary()).toEqual(s);
        expect(s.rows).toBe(decisions.length);
        expect(s.kept + s.dropped).toBe(s.rows);
        expect(Object.values(s.byReason).reduce((a, b) => a + b, 0)).toBe(s.dropped);
        expect(Object.values(s.byCause).reduce((a, b) => a + b, 0)).toBe(s.dropped);
        expect(s.suppressed).toBe(s.dropped - s.invalid - s.duplicates);
        expect(Object.values(s.byCause).every((n) => n > 0)).toBe(true);
      }),
    );
  });
});
