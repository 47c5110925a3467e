/**
 * An export's items as file text: JSONL (the route's items, one per line) or CSV (a header, then
 * `EXPORT_CSV_COLUMNS`' fields; csv-stringify quotes what needs quoting).
 */
import { stringify } from "csv-stringify/sync";
import { EXPORT_CSV_COLUMNS, type ExportFormat, type ExportKind } from "../../contract/exports.js";

/** The value at `path` (dotted) of `item`; through a list, the list of each element's value. */
function valueAt(item: unknown, path: readonly string[]): unknown {
  let value: unknown = item;
  for (let i = 0; i < path.length; i++) {
    if (Array.isArray(value)) return value.map((v) => valueAt(v, path.slice(i)));
    if (value === null || typeof value !== "object") return null;
    value = (value as Record<string, unknown>)[path[i] as string];
  }
  return value;
}

/**
 * What a spreadsheet would run as a formula (OWASP "CSV injection"): an SMTP diagnostic, a tag or an
 * event id comes from a remote server or sender, so such a cell gets a leading `'`.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: `null` and absent empty, a list joined by `|`, an object as JSON, never a formula. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (Array.isArray(value))
    text = value.map((v) => (v === null || v === undefined ? "" : String(v))).join("|");
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** How one kind and format turns pages of items into text. */
export type RowWriter = {
  readonly contentType: string;
  readonly extension: string;
  /** The text of one page of items (with the header before the first page, for CSV). */
  page(items: readonly unknown[]): string;
  /** Text to write when no item came (the CSV header alone), else "". */
  end(): string;
};

/**
 * The writer of an export of `kind` in `format`.
 *
 * @example
 * const w = rowWriter("suppressions", "csv");
 * w.page([entry]); // "subject_kind,subject,scope,…\naddress,jdoe@example.org,*,…\n"
 */
export function rowWriter(kind: ExportKind, format: ExportFormat): RowWriter {
  if (format === "jsonl") {
    return {
      contentType: "application/x-ndjson; charset=utf-8",
      extension: "jsonl",
      page: (items) => items.map((item) => `${JSON.stringify(item)}\n`).join(""),
      end: () => "",
    };
  }
  const columns = EXPORT_CSV_COLUMNS[kind];
  const paths = columns.map(([, path]) => path.split("."));
  const header = stringify([columns.map(([name]) => name)]);
  let headed = false;
  const head = (): string => {
    if (headed) return "";
    headed = true;
    return header;
  };
  return {
    contentType: "text/csv; charset=utf-8",
    extension: "csv",
    page: (items) => head() + stringify(items.map((item) => paths.map((path) => cell(valueAt(item, path))))),
    end: head,
  };
}
