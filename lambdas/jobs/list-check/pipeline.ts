/**
 * The list-check pipeline (issue #13): streams a list through the batch check into two files, the
 * rows to keep and the rows to drop with `cause` and `reason` (lambdas/contract/list-checks.ts).
 * The decisions are lambdas/core/list-cleaning.ts's; records come from records.ts. The job (which
 * reads the upload and writes the files) and the store behind `check` are the caller's.
 *
 * What the two files hold, exactly:
 *
 * - **keep**: the header (when there is one) and every kept row, each the list's own text for that
 *   record (quotes, spaces and embedded line breaks as they were; the BOM dropped), each followed by
 *   the list's line break (that of its first record; `\n` for a one-line list). Fed back as a list,
 *   it reads the same: same delimiter, same header, same column.
 * - **drop**: CSV written by csv-stringify with the list's delimiter and line break: the header's
 *   fields and `cause`, `reason` (when there is a header), then each dropped row's fields padded with
 *   empty fields to the width of the first record, and its cause and reason (a row wider than the
 *   first keeps all its fields, so its cause comes later). A malformed row is one field: its text.
 *
 * Rows, in both files in the order of the list:
 *
 * - A row whose address (canonical form) met an earlier row's is a `duplicate`, whatever the earlier
 *   row's fate; it is not checked again.
 * - A row with no address is `invalid_syntax`: a blank row (`ROW_REASONS.emptyRow`: blank rows are
 *   rows, counted and dropped, never skipped, so that the two files account for every row), an empty
 *   address column, a value that is not one address (`@example.org`, `example.org`, …: a domain is
 *   not an address), or malformed CSV (a quote that never closes, a row over `MAX_RECORD_CHARS`).
 * - Every other row is dropped when `check` says its address is suppressed (its own entry, or its
 *   domain's), kept otherwise.
 *
 * The first row that is not blank decides the header and the column (`chooseColumn`); its first line
 * the delimiter (`detectDelimiter`).
 */
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { stringify } from "csv-stringify/sync";
import {
  type ColumnChoice,
  chooseColumn,
  DROP_COLUMNS,
  decideRow,
  detectDelimiter,
  dropRow,
  LIST_CHECK_MAX_ROWS,
  type ListDelimiter,
  type ListSummary,
  ListTooLongError,
  type ListVerdict,
  ROW_REASONS,
  type RowDecision,
  rowAddress,
  SeenAddresses,
  SummaryTally,
} from "../../core/list-cleaning.js";
import { type LineBreak, type ListRecord, readRecords } from "./records.js";

/**
 * Canonical address → verdict; must answer every address asked. `signal` is aborted when the list
 * check stops (the caller's signal, or a failure elsewhere): a checker may pass it on, or ignore it.
 *
 * @example
 * const check: AddressChecker = async (addresses) =>
 *   new Map((await store.checkAddresses(tenant, addresses, scope, now)).map((v) => [v.address, v]));
 */
export type AddressChecker = (
  addresses: readonly string[],
  signal: AbortSignal,
) => Promise<ReadonlyMap<string, ListVerdict>>;

/** Addresses per `check` call, by default: what one `POST /v1/check` takes. */
export const DEFAULT_BATCH_SIZE = 1000;
/** `check` calls in flight at once, by default (each is ⌈batch/100⌉ BatchGetItem calls). */
export const DEFAULT_CONCURRENCY = 4;
/** Rows between two `onProgress` calls, by default. */
export const DEFAULT_PROGRESS_ROWS = 10_000;

export type CleanListOptions = {
  readonly check: AddressChecker;
  /** The rows to keep, exactly as they were (the header kept). Ended when done; destroyed on failure. */
  readonly keep: Writable;
  /** The dropped rows with `DROP_COLUMNS` added. Ended when done; destroyed on failure. */
  readonly drop: Writable;
  /** The address column's header (the first row is then the header); else detected. */
  readonly column?: string;
  /**
   * Rows processed so far (written to either file): called in order, awaited, with growing
   * numbers, at most every `progressRows` rows, and once at the end with the total.
   */
  readonly onProgress?: (done: number) => void | Promise<void>;
  readonly signal?: AbortSignal;
  /** Addresses per `check` call (default `DEFAULT_BATCH_SIZE`). */
  readonly batchSize?: number;
  /** `check` calls in flight at once (default `DEFAULT_CONCURRENCY`). */
  readonly concurrency?: number;
  /** Rows between two `onProgress` calls (default `DEFAULT_PROGRESS_ROWS`). */
  readonly progressRows?: number;
  /** Rows allowed (the header not counted); default `LIST_CHECK_MAX_ROWS`. For tests. */
  readonly maxRows?: number;
};

/** A row read, with its fate, or the canonical address whose verdict decides it. */
type Row = { readonly record: ListRecord; readonly fate: RowDecision | string };

/**
 * Rows in list order, and the addresses among them to check (each once). A segment ends at
 * `batchSize` addresses or `2 × batchSize` rows (a run of duplicates or bad rows needs no check, but
 * must not grow a segment without bound). `answered` once its check settled (or it needs none).
 */
type Segment = {
  readonly rows: Row[];
  readonly addresses: string[];
  verdicts: Promise<ReadonlyMap<string, ListVerdict>> | undefined;
  answered: boolean;
};

const newSegment = (): Segment => ({ rows: [], addresses: [], verdicts: undefined, answered: false });

const NO_VERDICTS: ReadonlyMap<string, ListVerdict> = new Map();
/** A blank row: all blank rows are dropped alike (their text is not written). */
const BLANK: ListRecord = { raw: "", end: "", fields: [""] };
const noop = (): void => undefined;

/**
 * Cleans a list: reads `input` (the list's bytes or text, in chunks), checks each address once,
 * writes the kept rows to `keep` and the dropped ones to `drop` (module notes), and answers the
 * summary. Streams: at most `2 × concurrency + 1` segments of rows are held (plus the dedupe set,
 * 16 characters an address); a check starts as soon as one of the `concurrency` in flight ends; a
 * writable that is not ready (`write` answered `false`) is waited for (`drain`) before more is read.
 *
 * @throws ListTooLongError after `maxRows` rows (`LIST_CHECK_MAX_ROWS`); ListColumnError when
 *   `column` is not in the first row; the signal's reason when aborted; what `check`, `onProgress`
 *   or either writable fails with. Both writables are then destroyed with that error.
 * @example
 * const summary = await cleanList(createReadStream("list.csv"), {
 *   check, keep: createWriteStream("list.keep.csv"), drop: createWriteStream("list.drop.csv"),
 * });
 * // { rows: 3, kept: 1, dropped: 2, invalid: 1, duplicates: 0, suppressed: 1, byCause: {…}, byReason: {…} }
 */
export async function cleanList(
  input: AsyncIterable<Uint8Array | string>,
  options: CleanListOptions,
): Promise<ListSummary> {
  const { keep, drop } = options;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const progressRows = Math.max(1, options.progressRows ?? DEFAULT_PROGRESS_ROWS);
  const maxRows = options.maxRows ?? LIST_CHECK_MAX_ROWS;

  // One signal stops everything: the caller's, a failed check, a failed writable.
  const stop = new AbortController();
  const fail = (err: unknown) => {
    if (!stop.signal.aborted) stop.abort(err);
  };
  const onAbort = () => fail(options.signal?.reason);
  if (options.signal?.aborted) fail(options.signal.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  keep.on("error", fail);
  drop.on("error", fail);

  let delimiter: ListDelimiter = ",";
  const records = readRecords(input, (line) => {
    delimiter = detectDelimiter(line);
    return delimiter;
  })[Symbol.asyncIterator]();
  const seen = new SeenAddresses();
  const tally = new SummaryTally();
  let eol: LineBreak = "\n";
  let choice: ColumnChoice | undefined;
  let width = 1;
  /** Blank rows before the first row with content (all alike): dropped once the header is known. */
  let leadingBlanks = 0;
  let rows = 0;
  let reported = -1;
  /** Segments whose check was started, in list order, not yet written: at most `2 × concurrency`. */
  const queue: Segment[] = [];
  let current = newSegment();
  let inFlight = 0;
  /** Called when a check settles: wakes `makeRoom`. */
  let wake: () => void = noop;

  const dropText = (list: readonly (readonly string[])[]) =>
    list.length === 0
      ? ""
      : stringify(list as string[][], {
          delimiter,
          record_delimiter: eol,
          // An embedded `\r` or `\n` must be quoted even when the line break is `\r\n`.
          quote_record_delimiter: true,
        });

  const dropFields = (record: ListRecord, decision: Extract<RowDecision, { keep: false }>): string[] => {
    const fields = record.fields === null ? [record.raw] : [...record.fields];
    while (fields.length < width) fields.push("");
    fields.push(decision.cause, decision.reason);
    return fields;
  };

  const addRow = async (record: ListRecord) => {
    if (++rows > maxRows) throw new ListTooLongError(maxRows);
    let fate: RowDecision | string;
    if (record.fields === null) fate = dropRow("invalid_syntax", record.problem);
    else {
      const found = rowAddress(record.fields, choice?.index ?? 0);
      if (!found.ok) fate = dropRow("invalid_syntax", found.reason);
      else if (!seen.firstTime(found.address)) fate = dropRow("duplicate", ROW_REASONS.duplicate);
      else {
        fate = found.address;
        current.addresses.push(found.address);
      }
    }
    current.rows.push({ record, fate });
    if (current.addresses.length >= batchSize || current.rows.length >= 2 * batchSize) await closeSegment();
  };

  /**
   * Writes the answered segments at the head of the queue, then waits (writing as they are
   * answered) until a check may start: fewer than `concurrency` in flight, and fewer than `room`
   * segments held. So a check starts as soon as one ends, not when the oldest does.
   */
  const makeRoom = async (room: number) => {
    for (;;) {
      while (queue[0]?.answered) await writeOldest();
      if (inFlight < concurrency && queue.length < room) return;
      await untilAborted(
        new Promise<void>((resolve) => {
          wake = resolve;
        }),
        stop.signal,
      );
    }
  };

  const closeSegment = async () => {
    if (current.rows.length === 0) return;
    const segment = current;
    current = newSegment();
    await makeRoom(2 * concurrency);
    if (segment.addresses.length === 0) segment.answered = true;
    else {
      const asked = segment.addresses;
      inFlight++;
      segment.verdicts = Promise.resolve()
        .then(() => options.check(asked, stop.signal))
        .then((verdicts) => {
          for (const address of asked) {
            if (!verdicts.has(address)) throw new Error("the address checker left an address unanswered");
          }
          return verdicts;
        });
      // Fails the whole run at once, whichever segment it is (and is never an unhandled rejection).
      segment.verdicts
        .catch(fail)
        .finally(() => {
          inFlight--;
          segment.answered = true;
          wake();
        })
        .catch(noop);
    }
    queue.push(segment);
  };

  const writeOldest = async () => {
    const segment = queue.shift();
    if (segment === undefined) return;
    const verdicts =
      segment.verdicts === undefined ? NO_VERDICTS : await untilAborted(segment.verdicts, stop.signal);
    stop.signal.throwIfAborted();
    const kept: string[] = [];
    const dropped: string[][] = [];
    for (const { record, fate } of segment.rows) {
      const decision = typeof fate === "string" ? decideRow(verdictOf(verdicts, fate)) : fate;
      tally.add(decision);
      if (decision.keep) kept.push(record.raw, eol);
      else dropped.push(dropFields(record, decision));
    }
    await write(keep, kept.join(""), stop.signal);
    await write(drop, dropText(dropped), stop.signal);
    const done = tally.rows;
    if (options.onProgress !== undefined && done - Math.max(reported, 0) >= progressRows) {
      reported = done;
      await untilAborted(Promise.resolve(options.onProgress(done)), stop.signal);
    }
  };

  /** The first row with content: the delimiter, the header, the column and the width are known. */
  const start = async (first: ListRecord) => {
    choice = chooseColumn(first.fields ?? [first.raw], options.column);
    width = first.fields?.length ?? 1;
    if (choice.header) {
      await write(keep, first.raw + eol, stop.signal);
      await write(drop, dropText([[...(first.fields ?? [first.raw]), ...DROP_COLUMNS]]), stop.signal);
    }
    await addBlanks();
    if (!choice.header) await addRow(first);
  };

  const addBlanks = async () => {
    for (; leadingBlanks > 0; leadingBlanks--) await addRow(BLANK);
  };

  let first = true;
  try {
    for (;;) {
      stop.signal.throwIfAborted();
      const next = await untilAborted(records.next(), stop.signal);
      if (next.done) break;
      for (const record of next.value) {
        if (first) {
          first = false;
          eol = record.end === "" ? "\n" : record.end;
        }
        if (choice !== undefined) await addRow(record);
        else if (record.fields?.every((f) => f.trim() === "")) {
          if (++leadingBlanks > maxRows) throw new ListTooLongError(maxRows);
        } else await start(record);
      }
    }
    // A list of blank rows only: no header, and every row dropped as blank.
    if (choice === undefined) choice = { index: 0, header: false };
    await addBlanks();
    await closeSegment();
    await makeRoom(1);
    if (options.onProgress !== undefined && reported !== tally.rows) {
      reported = tally.rows;
      await untilAborted(Promise.resolve(options.onProgress(tally.rows)), stop.signal);
    }
    stop.signal.throwIfAborted();
    keep.end();
    drop.end();
    await Promise.all([
      finished(keep, { readable: false, signal: stop.signal }),
      finished(drop, { readable: false, signal: stop.signal }),
    ]);
    keep.off("error", fail);
    drop.off("error", fail);
    return tally.summary();
  } catch (err) {
    // The first failure is the one to report (a later one is often its consequence).
    fail(err);
    const reason: unknown = stop.signal.reason;
    // `fail` stays listening: the error a destroyed writable emits is then not an uncaught one.
    keep.destroy(toError(reason));
    drop.destroy(toError(reason));
    throw reason;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    // Not awaited: a read still pending would hold it back. Closes the input when it is not.
    records.return(undefined).catch(noop);
  }
}

function verdictOf(verdicts: ReadonlyMap<string, ListVerdict>, address: string): ListVerdict {
  const verdict = verdicts.get(address);
  // Checked when the answer came: every address asked has its verdict.
  if (verdict === undefined) throw new Error("the address checker left an address unanswered");
  return verdict;
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** `promise`, or the signal's reason as soon as it is aborted (the promise is then left to settle). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(noop);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

/** Writes `chunk` and, when the writable asks for it, waits for `drain` (backpressure). */
async function write(stream: Writable, chunk: string, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  if (chunk === "" || stream.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const settle = (err?: unknown) => {
      stream.off("drain", onDrain);
      stream.off("close", onClose);
      signal.removeEventListener("abort", onAbort);
      if (err === undefined) resolve();
      else reject(err);
    };
    const onDrain = () => settle();
    const onClose = () =>
      settle(stream.errored ?? new Error("an output file closed before the list was written"));
    const onAbort = () => settle(signal.reason);
    stream.on("drain", onDrain);
    stream.on("close", onClose);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
