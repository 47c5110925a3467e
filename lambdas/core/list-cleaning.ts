/**
 * List cleaning (docs/list-cleaning.md): the pure decisions of a list check. Which column holds the
 * address, what one row's fate is given its verdict, how the summary adds up. No I/O: the streaming
 * job (lambdas/jobs/list-check/) reads the file, calls the store and writes the two files.
 */
import { hash } from "node:crypto";
import { type AddressResult, canonicalizeAddress } from "./address.js";
import { CAUSES, type Cause, type VerdictReason } from "./ledger/types.js";

/** A list check reads at most this many rows (the header not counted); more fails the job. */
export const LIST_CHECK_MAX_ROWS = 1_000_000;

/**
 * Header names (compared trimmed and lower-cased) that mark the first row as a header and name the
 * address column, when the request names no `column`.
 */
export const EMAIL_COLUMN_NAMES = ["email", "e-mail", "email address", "address", "mail"] as const;

/** The causes a list check drops a row for that are not suppressions: the row itself is at fault. */
export const LIST_ROW_CAUSES = ["invalid_syntax", "duplicate"] as const;

/** Every `cause` of the drop file: the suppression causes (strongest first), then the row's own. */
export const DROP_CAUSES = [...CAUSES, ...LIST_ROW_CAUSES] as const;
export type DropCause = (typeof DROP_CAUSES)[number];

/** The columns the drop file adds to each input row, in this order. */
export const DROP_COLUMNS = ["cause", "reason"] as const;

/**
 * A record longer than this (UTF-16 units, its line break not counted) is malformed: a quote still
 * open by then is taken as one that never closes (`ROW_REASONS.badQuoting`); otherwise the row is
 * too long (`ROW_REASONS.tooLong`). Bounds the text held for one record, and the time spent on it.
 */
export const MAX_RECORD_CHARS = 64 * 1024;

/**
 * The `reason` of a row dropped for itself (`invalid_syntax`, `duplicate`); an address that does not
 * parse gives `canonicalizeAddress`'s problem (`"not an email address"`, …) instead.
 */
export const ROW_REASONS = {
  badQuoting: "malformed CSV row (a quote that never closes)",
  tooLong: `row longer than ${MAX_RECORD_CHARS.toLocaleString("en-US")} characters`,
  emptyRow: "empty row",
  noAddress: "no value in the address column",
  duplicate: "same address as an earlier row",
} as const;

/** The field delimiters a list may use; the first is the default. */
export const LIST_DELIMITERS = [",", ";", "\t"] as const;
export type ListDelimiter = (typeof LIST_DELIMITERS)[number];

/** What `LIST_CHECK_MAX_ROWS` stops: the job fails with this error. */
export class ListTooLongError extends Error {
  override readonly name = "ListTooLongError";
  constructor(readonly maxRows: number) {
    super(`The list has more than ${maxRows.toLocaleString("en-US")} rows; split it and check each part.`);
  }
}

/** The `column` the request named is not in the list's first row. */
export class ListColumnError extends Error {
  override readonly name = "ListColumnError";
  constructor(
    readonly column: string,
    readonly header: readonly string[],
  ) {
    super(
      `No column named "${column}" in the first row (it has: ${header
        .slice(0, 20)
        .map((h) => `"${h.trim()}"`)
        .join(", ")}).`,
    );
  }
}

/**
 * The delimiter of a list from its first record's text: the one of `,` `;` tab that occurs most
 * often outside double quotes; `,` when none does (a plain list).
 *
 * @example
 * detectDelimiter("email;name"); // ";"
 * detectDelimiter('"Doe; J" <j@example.org>'); // ","
 */
export function detectDelimiter(firstRecord: string): ListDelimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const c of firstRecord) {
    if (c === '"') quoted = !quoted;
    else if (!quoted) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: ListDelimiter = ",";
  let most = 0;
  for (const d of LIST_DELIMITERS) {
    const n = counts.get(d) ?? 0;
    if (n > most) {
      best = d;
      most = n;
    }
  }
  return best;
}

/** Where the address is: the column index, and whether the first row is a header (not checked). */
export type ColumnChoice = { readonly index: number; readonly header: boolean };

const normalizeHeader = (name: string) => name.trim().toLowerCase();

/**
 * Picks the address column from the first row. With `column`, the first row is the header and
 * must have that column (trimmed, case-insensitive); otherwise a first row with a column named as
 * in `EMAIL_COLUMN_NAMES` is the header and that column holds the address; otherwise there is no
 * header and the first column holds it.
 *
 * @throws ListColumnError when `column` is given and the first row has no such column
 * @example
 * chooseColumn(["Name", "E-Mail"], undefined); // { index: 1, header: true }
 * chooseColumn(["jdoe@example.org"], undefined); // { index: 0, header: false }
 * chooseColumn(["id", "contact"], "Contact"); // { index: 1, header: true }
 */
export function chooseColumn(firstRow: readonly string[], column: string | undefined): ColumnChoice {
  const names = firstRow.map(normalizeHeader);
  if (column !== undefined) {
    const index = names.indexOf(normalizeHeader(column));
    if (index < 0) throw new ListColumnError(column, firstRow);
    return { index, header: true };
  }
  for (const known of EMAIL_COLUMN_NAMES) {
    const index = names.indexOf(known);
    if (index >= 0) return { index, header: true };
  }
  return { index: 0, header: false };
}

/** One row's address: canonical, or why the row has none. */
export type RowAddress =
  | { readonly ok: true; readonly address: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The canonical address of a data row (its fields as parsed), or the `invalid_syntax` reason.
 *
 * @example
 * rowAddress(["  JDoe@Example.org "], 0); // { ok: true, address: "jdoe@example.org" }
 * rowAddress(["x", ""], 1); // { ok: false, reason: "no value in the address column" }
 */
export function rowAddress(fields: readonly string[], index: number): RowAddress {
  if (fields.every((f) => f.trim() === "")) return { ok: false, reason: ROW_REASONS.emptyRow };
  const value = fields[index];
  if (value === undefined || value.trim() === "") return { ok: false, reason: ROW_REASONS.noAddress };
  const parsed: AddressResult = canonicalizeAddress(value);
  return parsed.ok ? { ok: true, address: parsed.address } : { ok: false, reason: parsed.problem };
}

/**
 * A 96-bit hash of a canonical address: the first 12 bytes of its SHA-256, as a string of 12
 * one-byte characters. That is what the dedupe set holds, so a million addresses cost ~55 MB of
 * heap whatever their length: a string that short is a copy of its own (V8 makes a slice of 13 or
 * more characters a view that keeps the whole digest alive; 16 base64 characters cost twice as
 * much). A collision (p ≈ n²/2⁹⁷, 10⁻¹⁷ at a million) would drop one address as a duplicate.
 *
 * @example
 * addressHash("jdoe@example.org").length; // 12
 */
export function addressHash(canonical: string): string {
  return hash("sha256", canonical, "binary").slice(0, 12);
}

/**
 * The addresses met so far in one list (by `addressHash`).
 *
 * @example
 * const seen = new SeenAddresses();
 * seen.firstTime("jdoe@example.org"); // true
 * seen.firstTime("jdoe@example.org"); // false
 */
export class SeenAddresses {
  readonly #hashes = new Set<string>();
  /** `true` the first time `canonical` is met (and remembers it), `false` after. */
  firstTime(canonical: string): boolean {
    const h = addressHash(canonical);
    if (this.#hashes.has(h)) return false;
    this.#hashes.add(h);
    return true;
  }
  get size(): number {
    return this.#hashes.size;
  }
}

/** What a list check needs of a verdict (the store's `Verdict` is one). */
export type ListVerdict = {
  readonly suppressed: boolean;
  readonly cause: Cause | null;
  readonly reason: VerdictReason | null;
};

/** A row's fate: kept, or dropped with the cause and reason written beside it. */
export type RowDecision =
  | { readonly keep: true }
  | { readonly keep: false; readonly cause: DropCause; readonly reason: string };

export const KEEP: RowDecision = { keep: true };

/**
 * The `reason` word of a verdict: its fine reason, else its subtype, else its type (a complaint
 * reads `complaint`, an unsubscribe `unsubscribe`, a manual entry `manual`).
 *
 * @example
 * reasonLabel({ type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" }); // "user_unknown"
 * reasonLabel({ type: "complaint", subtype: null, reason: null }); // "complaint"
 */
export function reasonLabel(reason: VerdictReason): string {
  return reason.reason ?? reason.subtype ?? reason.type;
}

/**
 * The fate of a row whose address was checked: dropped with the verdict's cause and reason when
 * suppressed, kept otherwise.
 *
 * @example
 * decideRow({ suppressed: true, cause: "complaint", reason: { type: "complaint", subtype: null, reason: null } });
 * // { keep: false, cause: "complaint", reason: "complaint" }
 */
export function decideRow(verdict: ListVerdict): RowDecision {
  if (!verdict.suppressed || verdict.cause === null || verdict.reason === null) return KEEP;
  return { keep: false, cause: verdict.cause, reason: reasonLabel(verdict.reason) };
}

/** A row dropped for itself. @example dropRow("duplicate", ROW_REASONS.duplicate); */
export function dropRow(cause: (typeof LIST_ROW_CAUSES)[number], reason: string): RowDecision {
  return { keep: false, cause, reason };
}

/** The summary of a list check (the contract's `ListCheckSummary`). */
export type ListSummary = {
  /** Data rows read (the header not counted): `kept + dropped`. */
  rows: number;
  kept: number;
  dropped: number;
  /** Rows dropped as `invalid_syntax`. */
  invalid: number;
  /** Rows dropped as `duplicate`. */
  duplicates: number;
  /** Rows dropped for a suppression: `dropped - invalid - duplicates`. */
  suppressed: number;
  /** Dropped rows by cause; causes with no row are absent. */
  byCause: Partial<Record<DropCause, number>>;
  /** Dropped rows by reason; sums to `dropped`. */
  byReason: Record<string, number>;
};

/**
 * Adds up the decisions of a list check, in any order.
 *
 * @example
 * const tally = new SummaryTally();
 * tally.add(KEEP);
 * tally.add(dropRow("duplicate", ROW_REASONS.duplicate));
 * tally.summary(); // { rows: 2, kept: 1, dropped: 1, duplicates: 1, byCause: { duplicate: 1 }, … }
 */
export class SummaryTally {
  #kept = 0;
  readonly #byCause = new Map<DropCause, number>();
  readonly #byReason = new Map<string, number>();

  add(decision: RowDecision): void {
    if (decision.keep) {
      this.#kept++;
      return;
    }
    this.#byCause.set(decision.cause, (this.#byCause.get(decision.cause) ?? 0) + 1);
    this.#byReason.set(decision.reason, (this.#byReason.get(decision.reason) ?? 0) + 1);
  }

  /** Rows added so far. */
  get rows(): number {
    let dropped = 0;
    for (const n of this.#byCause.values()) dropped += n;
    return this.#kept + dropped;
  }

  summary(): ListSummary {
    const byCause: Partial<Record<DropCause, number>> = {};
    for (const cause of DROP_CAUSES) {
      const n = this.#byCause.get(cause);
      if (n !== undefined) byCause[cause] = n;
    }
    const byReason = Object.fromEntries(
      [...this.#byReason].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)),
    );
    const dropped = Object.values(byCause).reduce((a, b) => a + b, 0);
    const invalid = byCause.invalid_syntax ?? 0;
    const duplicates = byCause.duplicate ?? 0;
    return {
      rows: this.#kept + dropped,
      kept: this.#kept,
      dropped,
      invalid,
      duplicates,
      suppressed: dropped - invalid - duplicates,
      byCause,
      byReason,
    };
  }
}
