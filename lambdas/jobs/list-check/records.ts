/**
 * Splits a streamed list into records (quote-aware: a quoted field may hold delimiters and line
 * breaks), so that one malformed record costs only itself. csv-parse's own error recovery swallows
 * the rows after a bad quote (and, past `max_record_size`, the rest of the file), so records are
 * delimited here and their fields parsed by csv-parse, one run of records at a time — except the
 * common record, one line without quotes, whose fields are the line split at the delimiter.
 */
import { parse } from "csv-parse/sync";
import { type ListDelimiter, MAX_RECORD_CHARS, ROW_REASONS } from "../../core/list-cleaning.js";

/** The line break that ended a record: `""` for a last record with none. */
export type LineBreak = "\n" | "\r\n" | "\r" | "";

/**
 * One record: its text as it was (without its line break), the line break that ended it, and its
 * fields; or, when it is malformed, `fields: null` and the `problem` (a `ROW_REASONS` text).
 */
export type ListRecord =
  | { readonly raw: string; readonly end: LineBreak; readonly fields: readonly string[] }
  | { readonly raw: string; readonly end: LineBreak; readonly fields: null; readonly problem: string };

/** `text[start..i)` is a record, `text[i..next)` its line break. */
type Span = readonly [end: number, next: number];

const breakOf = (text: string, span: Span): LineBreak => text.slice(span[0], span[1]) as LineBreak;

/**
 * Where the record starting at `start` ends, `"open"` when its quote never closes, `undefined` when
 * more text is needed. `quoteAt` finds the next quote (`nextOf`).
 */
function recordEnd(
  text: string,
  start: number,
  delimiter: string,
  eof: boolean,
  quoteAt: (from: number) => number,
): Span | "open" | undefined {
  let i = start;
  let fieldStart = true;
  while (i < text.length) {
    const c = text[i];
    if (fieldStart && c === '"') {
      let j = i + 1;
      for (;;) {
        const q = quoteAt(j);
        if (q - start > MAX_RECORD_CHARS) {
          if (text.length - start > MAX_RECORD_CHARS || eof) return "open";
          return undefined;
        }
        if (text[q + 1] === '"') {
          j = q + 2;
          continue;
        }
        // A quote at the end of what has arrived may be the first of an escaped pair.
        if (q + 1 >= text.length && !eof) return undefined;
        i = q + 1;
        break;
      }
      fieldStart = false;
      continue;
    }
    if (c === "\n") return [i, i + 1];
    if (c === "\r") {
      // A `\r` at the end of what has arrived may be the first half of a `\r\n`.
      if (i + 1 >= text.length && !eof) return undefined;
      return [i, text[i + 1] === "\n" ? i + 2 : i + 1];
    }
    fieldStart = c === delimiter;
    i++;
  }
  return eof ? [text.length, text.length] : undefined;
}

/**
 * The end of the line that starts at `start`, quotes ignored (`\n`, `\r\n` or `\r`); at the end of
 * `text`, `[text.length, text.length]`. A `\r` that ends `text` is taken as a whole line break.
 */
function lineEnd(text: string, start: number): Span {
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") return [i, i + 1];
    if (c === "\r") return [i, text[i + 1] === "\n" ? i + 2 : i + 1];
  }
  return [text.length, text.length];
}

/**
 * The first line of `text` from `start` with something else than blanks, for the delimiter (at most
 * `MAX_RECORD_CHARS` of it); `""` when there is none (at the end of the list); `undefined` when more
 * text is needed.
 */
function firstContentLine(text: string, start: number, eof: boolean): string | undefined {
  let pos = start;
  for (;;) {
    const span = lineEnd(text, pos);
    // A line that runs to the end of what has arrived may go on (or its `\r` be half of a `\r\n`).
    if (!eof && span[1] === text.length) {
      return text.length - pos > MAX_RECORD_CHARS ? text.slice(pos, pos + MAX_RECORD_CHARS) : undefined;
    }
    const line = text.slice(pos, span[0]);
    if (line.trim() !== "") return line.slice(0, MAX_RECORD_CHARS);
    if (span[1] >= text.length) return "";
    pos = span[1];
  }
}

/**
 * The next `char` in `text` at or after a position: a search starts where the last one found it
 * while the positions asked grow (as they do but for the line after an unclosed quote, which
 * searches afresh), so a drain scans its text about once however many records it holds.
 */
function nextOf(text: string, char: string): (from: number) => number {
  let at = Number.NEGATIVE_INFINITY;
  /** Where the search that found `at` started: no `char` in `[searchedFrom, at)`. */
  let searchedFrom = 0;
  return (from) => {
    if (from < searchedFrom || at < from) {
      const i = text.indexOf(char, from);
      at = i < 0 ? Number.POSITIVE_INFINITY : i;
      searchedFrom = from;
    }
    return at;
  };
}

// `record_delimiter` is fixed: the records of a run are joined with `\n`, and a record holds other
// line breaks only inside quotes (where auto-detection would be misled by a quoted `\r\n`).
const OPTIONS = {
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: false,
  record_delimiter: "\n",
} as const;

/** Fields of each record of a run; a run that does not parse as one is parsed record by record. */
function fieldsOf(run: readonly (readonly [string, LineBreak])[], delimiter: ListDelimiter): ListRecord[] {
  try {
    const rows = parse(run.map(([raw]) => raw).join("\n"), { ...OPTIONS, delimiter }) as string[][];
    if (rows.length === run.length) return run.map(([raw, end], i) => ({ raw, end, fields: rows[i] ?? [] }));
  } catch {
    // fall through: one at a time, so that only the bad record is lost
  }
  return run.map(([raw, end]): ListRecord => {
    const bad = { raw, end, fields: null, problem: ROW_REASONS.badQuoting };
    try {
      const rows = parse(raw, { ...OPTIONS, delimiter }) as string[][];
      const fields = rows.length === 1 ? rows[0] : undefined;
      return fields === undefined ? bad : { raw, end, fields };
    } catch {
      return bad;
    }
  });
}

/**
 * The records of a list, in order, decoded as UTF-8 (a BOM dropped, also from string chunks; bytes
 * that are not UTF-8 become U+FFFD), line breaks `\n`, `\r\n` or `\r`. `delimiterOf` is called once,
 * before the first record, with the first line that is not blank (at most `MAX_RECORD_CHARS` of it;
 * `""` when there is none), and answers the field delimiter.
 *
 * - A blank record (nothing but spaces) has `fields: [""]`.
 * - A record whose quote never closes (within `MAX_RECORD_CHARS`, or before the end) is its first
 *   line, malformed (`ROW_REASONS.badQuoting`); the records after it are read from the next line on.
 * - A record longer than `MAX_RECORD_CHARS` otherwise is malformed (`ROW_REASONS.tooLong`), its
 *   `raw` cut to that length; the rest of its line is skipped unread, as it arrives.
 * - A last line break ends the last record (there is no empty record after it).
 *
 * Yields the records of each chunk as they complete: memory stays at about a chunk and one record.
 *
 * @example
 * for await (const batch of readRecords(chunks, detectDelimiter)) for (const r of batch) console.log(r.fields);
 */
export async function* readRecords(
  input: AsyncIterable<Uint8Array | string>,
  delimiterOf: (firstLine: string) => ListDelimiter,
): AsyncGenerator<ListRecord[]> {
  const decoder = new TextDecoder("utf-8");
  let text = "";
  let started = false;
  /** Dropping the rest of a line too long to be a record, up to its line break. */
  let skipping = false;
  let delimiter: ListDelimiter | undefined;
  const drain = (eof: boolean): ListRecord[] => {
    const out: ListRecord[] = [];
    let run: [string, LineBreak][] = [];
    let pos = 0;
    const flush = () => {
      if (run.length > 0 && delimiter !== undefined) out.push(...fieldsOf(run, delimiter));
      run = [];
    };
    const quoteAt = nextOf(text, '"');
    const crAt = nextOf(text, "\r");
    const nlAt = nextOf(text, "\n");
    const tooLong = (): void => {
      flush();
      out.push({
        raw: text.slice(pos, pos + MAX_RECORD_CHARS),
        end: "",
        fields: null,
        problem: ROW_REASONS.tooLong,
      });
      pos += MAX_RECORD_CHARS;
      skipping = true;
    };
    while (pos < text.length) {
      if (skipping) {
        const span = lineEnd(text, pos);
        if (span[0] === text.length) {
          // No line break yet: drop what has arrived and wait for more.
          pos = text.length;
          break;
        }
        if (!eof && span[1] === text.length && text[span[0]] === "\r") {
          // A `\r` that may be half of a `\r\n`: keep it for the next chunk.
          pos = span[0];
          break;
        }
        pos = span[1];
        skipping = false;
        continue;
      }
      if (delimiter === undefined) {
        const line = firstContentLine(text, pos, eof);
        if (line === undefined) break;
        delimiter = delimiterOf(line);
      }
      // The common record: one line without quotes (nor a lone `\r`), whose fields are split at the
      // delimiter as csv-parse would; it skips the scan below and csv-parse (most of the time spent).
      const nl = nlAt(pos);
      if (nl - pos <= MAX_RECORD_CHARS && quoteAt(pos) > nl && crAt(pos) >= nl - 1) {
        const crlf = nl > pos && text.charCodeAt(nl - 1) === 13;
        const raw = text.slice(pos, crlf ? nl - 1 : nl);
        flush();
        out.push({ raw, end: crlf ? "\r\n" : "\n", fields: raw.trim() === "" ? [""] : raw.split(delimiter) });
        pos = nl + 1;
        continue;
      }
      const end = recordEnd(text, pos, delimiter, eof, quoteAt);
      if (end === undefined) {
        if (text.length - pos > MAX_RECORD_CHARS) {
          tooLong();
          continue;
        }
        break;
      }
      if (end === "open") {
        flush();
        const span = lineEnd(text, pos);
        if (!eof && span[1] === text.length && text[span[0]] === "\r") break;
        if (span[0] - pos > MAX_RECORD_CHARS) {
          tooLong();
          continue;
        }
        out.push({
          raw: text.slice(pos, span[0]),
          end: breakOf(text, span),
          fields: null,
          problem: ROW_REASONS.badQuoting,
        });
        pos = span[1];
        continue;
      }
      if (end[0] - pos > MAX_RECORD_CHARS) {
        tooLong();
        continue;
      }
      const raw = text.slice(pos, end[0]);
      if (raw.trim() === "") {
        flush();
        out.push({ raw, end: breakOf(text, end), fields: [""] });
      } else run.push([raw, breakOf(text, end)]);
      pos = end[1];
    }
    flush();
    text = text.slice(pos);
    return out;
  };
  for await (const chunk of input) {
    text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (!started && text.length > 0) {
      // TextDecoder drops a BOM from bytes; a string chunk keeps it.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      started = true;
    }
    const records = drain(false);
    if (records.length > 0) yield records;
  }
  text += decoder.decode();
  if (!started && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rest = drain(true);
  if (rest.length > 0) yield rest;
}
