import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  LIST_CHECK_MAX_ROWS,
  ListColumnError,
  ListTooLongError,
  type ListVerdict,
} from "../../../lambdas/core/list-cleaning.js";
import {
  type AddressChecker,
  type CleanListOptions,
  cleanList,
} from "../../../lambdas/jobs/list-check/pipeline.js";

const CLEAR: ListVerdict = { suppressed: false, cause: null, reason: null };
/** What the store says of the addresses the lists below hold (everything else is clear). */
const SUPPRESSED: Readonly<Record<string, ListVerdict>> = {
  "bob@blocked.org": {
    suppressed: true,
    cause: "bounce",
    reason: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
  },
  "cy@example.net": {
    suppressed: true,
    cause: "unsubscribe",
    reason: { type: "unsubscribe", subtype: null, reason: null },
  },
};
/** A domain entry (`@spam-domain.test`, manual): every address at it is suppressed. */
const DOMAIN_ENTRY: ListVerdict = {
  suppressed: true,
  cause: "manual",
  reason: { type: "invalid", subtype: "blocklisted", reason: "manual" },
};

const verdictOf = (address: string): ListVerdict =>
  SUPPRESSED[address] ?? (address.endsWith("@spam-domain.test") ? DOMAIN_ENTRY : CLEAR);

/** A checker stub answering `verdictOf`, recording its calls; `delayMs(call)` delays each answer. */
function stubChecker(delayMs: (call: number) => number = () => 0) {
  const calls: string[][] = [];
  let inFlight = 0;
  let peak = 0;
  const check: AddressChecker = async (addresses) => {
    const call = calls.push([...addresses]) - 1;
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((resolve) => setTimeout(resolve, delayMs(call)));
    inFlight--;
    return new Map(addresses.map((a) => [a, verdictOf(a)]));
  };
  return { check, calls, peak: () => peak };
}

/** A writable that collects what it is given; `slow`: a tiny buffer and a delay on every write. */
function sink(slow = false) {
  const parts: string[] = [];
  let drains = 0;
  const stream = new Writable({
    highWaterMark: slow ? 8 : 16_384,
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      parts.push(String(chunk));
      if (slow) setTimeout(callback, 1);
      else callback();
    },
  });
  stream.on("drain", () => drains++);
  return { stream, text: () => parts.join(""), drains: () => drains };
}

async function* chunks(parts: readonly (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const part of parts) yield part;
}

/** `text` as UTF-8 bytes in chunks of `size`, cutting characters and lines anywhere. */
function byteChunks(text: string, size: number): Uint8Array[] {
  const all = new TextEncoder().encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

type Run = Partial<Omit<CleanListOptions, "keep" | "drop">> & { readonly slow?: boolean };

/** Cleans `list` (text, or chunks) with the stub checker unless told otherwise. */
async function clean(list: string | readonly (string | Uint8Array)[], run: Run = {}) {
  const keep = sink(run.slow);
  const drop = sink(run.slow);
  const { slow: _slow, ...options } = run;
  const summary = await cleanList(chunks(typeof list === "string" ? [list] : list), {
    check: stubChecker().check,
    keep: keep.stream,
    drop: drop.stream,
    ...options,
  });
  return { summary, keep: keep.text(), drop: drop.text(), drains: keep.drains() + drop.drains() };
}

/**
 * A CSV with a header, a BOM and CRLF line breaks, a last line without one: every kind of row. The
 * quotes all come before the malformed row, so that nothing after it closes its quote.
 */
const MIXED = [
  "\uFEFFName,Email,Note",
  "Jane,JDoe@Example.org,first",
  "Jane again, jdoe@example.org ,dup",
  'J,"""J. Doe"" <JDOE@EXAMPLE.ORG>",display',
  'Bob,bob@blocked.org,"says ""hi"", twice"',
  'Ann,ann@example.com,"line one\r\nline two"',
  "Dom,@example.org,domain entry",
  "Dom2,example.org,bare domain",
  "Eve,eve@spam-domain.test,at a suppressed domain",
  "",
  "Short",
  'Bad,"unclosed,quote',
  "Cy,cy@example.net,unsubscribed",
  "Zed,zed@example.org,last line without a line break",
].join("\r\n");

const MIXED_KEEP = [
  "Name,Email,Note",
  "Jane,JDoe@Example.org,first",
  'Ann,ann@example.com,"line one\r\nline two"',
  "Zed,zed@example.org,last line without a line break",
  "",
].join("\r\n");

const MIXED_DROP = [
  "Name,Email,Note,cause,reason",
  "Jane again, jdoe@example.org ,dup,duplicate,same address as an earlier row",
  'J,"""J. Doe"" <JDOE@EXAMPLE.ORG>",display,duplicate,same address as an earlier row',
  'Bob,bob@blocked.org,"says ""hi"", twice",bounce,user_unknown',
  "Dom,@example.org,domain entry,invalid_syntax,not an email address",
  "Dom2,example.org,bare domain,invalid_syntax,not an email address",
  "Eve,eve@spam-domain.test,at a suppressed domain,manual,manual",
  ",,,invalid_syntax,empty row",
  "Short,,,invalid_syntax,no value in the address column",
  '"Bad,""unclosed,quote",,,invalid_syntax,malformed CSV row (a quote that never closes)',
  "Cy,cy@example.net,unsubscribed,unsubscribe,unsubscribe",
  "",
].join("\r\n");

const MIXED_SUMMARY = {
  rows: 13,
  kept: 3,
  dropped: 10,
  invalid: 5,
  duplicates: 2,
  suppressed: 3,
  byCause: { manual: 1, unsubscribe: 1, bounce: 1, invalid_syntax: 5, duplicate: 2 },
  byReason: {
    "not an email address": 2,
    "same address as an earlier row": 2,
    "empty row": 1,
    "malformed CSV row (a quote that never closes)": 1,
    manual: 1,
    "no value in the address column": 1,
    unsubscribe: 1,
    user_unknown: 1,
  },
};

describe("cleanList: the two files and the summary", () => {
  it("cleans a CSV with a header: duplicates, bad rows, domains, suppressions, quoted fields", async () => {
    // Arrange
    const checker = stubChecker();
    // Act
    const result = await clean(MIXED, { check: checker.check, batchSize: 2 });
    // Assess
    expect(result.keep).toBe(MIXED_KEEP);
    expect(result.drop).toBe(MIXED_DROP);
    expect(result.summary).toEqual(MIXED_SUMMARY);
    expect(Object.keys(result.summary.byReason)).toEqual(Object.keys(MIXED_SUMMARY.byReason));
    // Each address checked once, canonical, in list order, at most batchSize a call.
    expect(checker.calls.flat()).toEqual([
      "jdoe@example.org",
      "bob@blocked.org",
      "ann@example.com",
      "eve@spam-domain.test",
      "cy@example.net",
      "zed@example.org",
    ]);
    expect(checker.calls.every((call) => call.length <= 2)).toBe(true);
  });

  it("gives the same files however the bytes arrive (cut inside characters, lines, quotes)", async () => {
    // Act
    const results = await Promise.all([1, 3, 7, 64].map((size) => clean(byteChunks(MIXED, size))));
    // Assess
    for (const result of results) {
      expect(result.keep).toBe(MIXED_KEEP);
      expect(result.drop).toBe(MIXED_DROP);
      expect(result.summary).toEqual(MIXED_SUMMARY);
    }
  });

  it("cleans a semicolon-separated list, the column found by its header (E-Mail)", async () => {
    // Arrange
    const list = [
      "Name;E-Mail;City",
      '"Doe; Jane";jane@example.org;Paris',
      'Max;MAX@Example.ORG;"Köln; DE"',
      "Bob;bob@blocked.org;Berlin",
      "Dup;max@example.org;x",
      "",
    ].join("\n");
    // Act
    const result = await clean(list);
    // Assess
    expect(result.keep).toBe(
      ["Name;E-Mail;City", '"Doe; Jane";jane@example.org;Paris', 'Max;MAX@Example.ORG;"Köln; DE"', ""].join(
        "\n",
      ),
    );
    expect(result.drop).toBe(
      [
        "Name;E-Mail;City;cause;reason",
        "Bob;bob@blocked.org;Berlin;bounce;user_unknown",
        "Dup;max@example.org;x;duplicate;same address as an earlier row",
        "",
      ].join("\n"),
    );
    expect(result.summary).toMatchObject({ rows: 4, kept: 2, dropped: 2, duplicates: 1, suppressed: 1 });
  });

  it("cleans a tab-separated list by the column it is told (Contact), quoting tabs in the drop file", async () => {
    // Arrange
    const list = [
      "id\tContact\tNote",
      "1\tann@example.com\tx",
      '2\tcy@example.net\t"a\tb"',
      "3\tnot-an-address\tz",
    ].join("\n");
    // Act
    const result = await clean(list, { column: "contact" });
    // Assess
    expect(result.keep).toBe("id\tContact\tNote\n1\tann@example.com\tx\n");
    expect(result.drop).toBe(
      [
        "id\tContact\tNote\tcause\treason",
        '2\tcy@example.net\t"a\tb"\tunsubscribe\tunsubscribe',
        "3\tnot-an-address\tz\tinvalid_syntax\tnot an email address",
        "",
      ].join("\n"),
    );
    expect(result.summary).toMatchObject({ rows: 3, kept: 1, dropped: 2, invalid: 1, suppressed: 1 });
  });

  it("cleans a plain list, one address a line: no header, the drop file one column wide", async () => {
    // Arrange
    const list = [
      "JDoe@Example.org",
      "bob@blocked.org",
      "",
      "@example.org",
      " jdoe@example.org",
      '"Doe, Ann" <ann@example.com>',
      "eve@spam-domain.test",
    ].join("\n");
    // Act
    const result = await clean(list);
    // Assess
    expect(result.keep).toBe('JDoe@Example.org\n"Doe, Ann" <ann@example.com>\n');
    expect(result.drop).toBe(
      [
        "bob@blocked.org,bounce,user_unknown",
        ",invalid_syntax,empty row",
        "@example.org,invalid_syntax,not an email address",
        " jdoe@example.org,duplicate,same address as an earlier row",
        "eve@spam-domain.test,manual,manual",
        "",
      ].join("\n"),
    );
    expect(result.summary).toEqual({
      rows: 7,
      kept: 2,
      dropped: 5,
      invalid: 2,
      duplicates: 1,
      suppressed: 2,
      byCause: { manual: 1, bounce: 1, invalid_syntax: 2, duplicate: 1 },
      byReason: {
        "empty row": 1,
        manual: 1,
        "not an email address": 1,
        "same address as an earlier row": 1,
        user_unknown: 1,
      },
    });
  });

  it("drops blank rows before the header as empty rows, after the drop file's header", async () => {
    // Act
    const result = await clean("\n \nemail;name\na@example.org;A\n");
    // Assess
    expect(result.keep).toBe("email;name\na@example.org;A\n");
    expect(result.drop).toBe(
      "email;name;cause;reason\n;;invalid_syntax;empty row\n;;invalid_syntax;empty row\n",
    );
    expect(result.summary).toMatchObject({ rows: 3, kept: 1, invalid: 2 });
  });

  it("writes a row wider than the first whole, its cause after its own fields", async () => {
    // Act
    const result = await clean("email\nbob@blocked.org,extra,more\n");
    // Assess
    expect(result.drop).toBe("email,cause,reason\nbob@blocked.org,extra,more,bounce,user_unknown\n");
  });

  it("answers an empty list with empty files, and a header alone with the headers", async () => {
    // Arrange
    const progress: number[] = [];
    // Act
    const empty = await clean("", { onProgress: (done) => void progress.push(done) });
    const header = await clean("Email\r\n");
    // Assess
    expect(empty).toMatchObject({ keep: "", drop: "", summary: { rows: 0, kept: 0, dropped: 0 } });
    expect(progress).toEqual([0]);
    expect(header).toMatchObject({ keep: "Email\r\n", drop: "Email,cause,reason\r\n", summary: { rows: 0 } });
  });

  it("keeps a file that, cleaned again, keeps every row and drops none", async () => {
    // Arrange
    const first = await clean(MIXED);
    // Act
    const again = await clean(first.keep);
    // Assess
    expect(again.keep).toBe(first.keep);
    expect(again.drop).toBe("Name,Email,Note,cause,reason\r\n");
    expect(again.summary).toMatchObject({ rows: 3, kept: 3, dropped: 0 });
  });

  it("refuses a column the header does not have", async () => {
    // Arrange
    const keep = sink();
    const drop = sink();
    // Act
    const run = cleanList(chunks(["id,name\n1,a@example.org\n"]), {
      check: stubChecker().check,
      keep: keep.stream,
      drop: drop.stream,
      column: "email",
    });
    // Assess
    await expect(run).rejects.toBeInstanceOf(ListColumnError);
    expect(keep.stream.destroyed && drop.stream.destroyed).toBe(true);
  });
});

describe("cleanList: streaming, order and backpressure", () => {
  /** 3 000 distinct rows (one in 10 suppressed at its domain), a header, CRLF. */
  const big = [
    "email,n",
    ...Array.from(
      { length: 3000 },
      (_, i) => `u${i}@${i % 10 === 0 ? "spam-domain.test" : "example.org"},${i}`,
    ),
  ].join("\r\n");

  it("keeps the list's order whatever order the checks answer in", async () => {
    // Arrange: the earlier calls answer later.
    const sequential = await clean(big, { batchSize: 100, concurrency: 1 });
    const reversed = stubChecker((call) => 30 - (call % 30));
    // Act
    const result = await clean(big, { check: reversed.check, batchSize: 100, concurrency: 6 });
    // Assess
    expect(result.keep).toBe(sequential.keep);
    expect(result.drop).toBe(sequential.drop);
    expect(result.summary).toEqual(sequential.summary);
    expect(result.summary).toMatchObject({ rows: 3000, kept: 2700, suppressed: 300 });
    expect(reversed.peak()).toBeGreaterThan(1);
    expect(reversed.peak()).toBeLessThanOrEqual(6);
  });

  it("keeps exactly `concurrency` checks in flight while there are addresses to check", async () => {
    // Arrange: every answer takes 5 ms; the calls after the first few are in flight with two others.
    const checker = stubChecker(() => 5);
    // Act
    await clean(big, { check: checker.check, batchSize: 100, concurrency: 3 });
    // Assess
    expect(checker.calls).toHaveLength(30);
    expect(checker.peak()).toBe(3);
  });

  it("waits for slow writables (drain) and writes the same files", async () => {
    // Arrange
    const fast = await clean(MIXED);
    // Act
    const slow = await clean(MIXED, { slow: true, batchSize: 1 });
    const slowBig = await clean(big, { slow: true, batchSize: 50 });
    // Assess
    expect(slow.drains).toBeGreaterThan(0);
    expect(slow).toMatchObject({ keep: fast.keep, drop: fast.drop, summary: fast.summary });
    expect(slowBig.keep).toBe((await clean(big)).keep);
  });

  it("writes rows before the list has all arrived, holding at most 2 × concurrency + 1 batches", async () => {
    // Arrange: the input holds back its second half until the keep file has rows.
    const keep = sink();
    const drop = sink();
    let wroteEarly = false;
    let asked = 0;
    let ahead = 0;
    const keptRows = () => keep.text().split("\r\n").length - 2;
    const check: AddressChecker = async (addresses) => {
      asked += addresses.length;
      ahead = Math.max(ahead, asked - Math.max(0, keptRows()));
      return new Map(addresses.map((a) => [a, CLEAR]));
    };
    const [head, ...rest] = [big.slice(0, big.length / 2), big.slice(big.length / 2)];
    async function* input() {
      yield head as string;
      for (let i = 0; i < 100 && keep.text() === ""; i++) await new Promise((r) => setTimeout(r, 5));
      wroteEarly = keep.text() !== "";
      yield* rest;
    }
    // Act
    const summary = await cleanList(input(), {
      check,
      keep: keep.stream,
      drop: drop.stream,
      batchSize: 100,
      concurrency: 2,
    });
    // Assess
    expect(wroteEarly).toBe(true);
    expect(summary.rows).toBe(3000);
    expect(ahead).toBeLessThanOrEqual((2 * 2 + 1) * 100);
  });

  it("reports progress in order, growing, at most every progressRows rows, the total last", async () => {
    // Arrange
    const progress: number[] = [];
    // Act
    const { summary } = await clean(big, {
      batchSize: 100,
      progressRows: 250,
      onProgress: async (done) => {
        await new Promise((r) => setTimeout(r, 1));
        progress.push(done);
      },
    });
    // Assess
    expect(progress.at(-1)).toBe(summary.rows);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]).toBeGreaterThan(progress[i - 1] as number);
      if (i < progress.length - 1)
        expect((progress[i] as number) - (progress[i - 1] as number)).toBeGreaterThanOrEqual(250);
    }
    expect(progress.length).toBeGreaterThanOrEqual(3000 / 300);
  });
});

describe("cleanList: failures", () => {
  it("stops when the signal is aborted: rejects with its reason, destroys both writables", async () => {
    // Arrange: a checker that answers only when aborted.
    const controller = new AbortController();
    const keep = sink();
    const drop = sink();
    let called = false;
    const check: AddressChecker = (_addresses, signal) => {
      called = true;
      return new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    };
    const run = cleanList(chunks([MIXED]), {
      check,
      keep: keep.stream,
      drop: drop.stream,
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 10));
    // Act
    controller.abort();
    // Assess
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(called).toBe(true);
    expect(keep.stream.destroyed && drop.stream.destroyed).toBe(true);
    expect(keep.stream.errored).toMatchObject({ name: "AbortError" });
  });

  it("stops at once while the list stalls, and before it starts when already aborted", async () => {
    // Arrange
    const controller = new AbortController();
    async function* stalled() {
      yield "email\na@example.org\n";
      await new Promise(() => undefined);
    }
    const run = cleanList(stalled(), {
      check: stubChecker().check,
      keep: sink().stream,
      drop: sink().stream,
      signal: controller.signal,
    });
    // Act
    setTimeout(() => controller.abort(new Error("job cancelled")), 10);
    // Assess
    await expect(run).rejects.toThrow("job cancelled");
    await expect(
      cleanList(chunks(["a@example.org"]), {
        check: stubChecker().check,
        keep: sink().stream,
        drop: sink().stream,
        signal: AbortSignal.abort(new Error("too late")),
      }),
    ).rejects.toThrow("too late");
  });

  it("refuses a list of more than maxRows rows (the header not counted)", async () => {
    // Arrange
    const list = (rows: number) =>
      ["email", ...Array.from({ length: rows }, (_, i) => `u${i}@example.org`)].join("\n");
    const keep = sink();
    const drop = sink();
    // Act
    const atLimit = await clean(list(5), { maxRows: 5 });
    const over = cleanList(chunks([list(6)]), {
      check: stubChecker().check,
      keep: keep.stream,
      drop: drop.stream,
      maxRows: 5,
    });
    // Assess
    expect(atLimit.summary.rows).toBe(5);
    await expect(over).rejects.toMatchObject({ name: "ListTooLongError", maxRows: 5 });
    expect(keep.stream.errored).toBeInstanceOf(ListTooLongError);
    expect(drop.stream.destroyed).toBe(true);
  });

  it(`refuses a list of ${LIST_CHECK_MAX_ROWS + 1} rows by default`, async () => {
    // Arrange: blank rows, the cheapest to read; in chunks of 64 KiB.
    const chunk = "\n".repeat(65_536);
    async function* blanks() {
      for (let n = 0; n <= LIST_CHECK_MAX_ROWS; n += chunk.length) yield chunk;
    }
    // Act
    const run = cleanList(blanks(), { check: stubChecker().check, keep: sink().stream, drop: sink().stream });
    // Assess
    await expect(run).rejects.toThrow("The list has more than 1,000,000 rows");
  });

  it("fails with the checker's error, and when the checker leaves an address unanswered", async () => {
    // Arrange
    const keep = sink();
    let calls = 0;
    const failing: AddressChecker = async (addresses) => {
      if (++calls === 2) throw new Error("store unavailable");
      return new Map(addresses.map((a) => [a, CLEAR]));
    };
    // Act
    const failed = cleanList(chunks([MIXED]), {
      check: failing,
      keep: keep.stream,
      drop: sink().stream,
      batchSize: 1,
    });
    const partial = clean(MIXED, { check: async () => new Map() });
    // Assess
    await expect(failed).rejects.toThrow("store unavailable");
    expect(keep.stream.errored).toMatchObject({ message: "store unavailable" });
    await expect(partial).rejects.toThrow("the address checker left an address unanswered");
  });

  it("fails with a writable's error", async () => {
    // Arrange
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error("disk full"));
      },
    });
    // Act
    const run = cleanList(chunks([MIXED]), { check: stubChecker().check, keep: broken, drop: sink().stream });
    // Assess
    await expect(run).rejects.toThrow("disk full");
  });
});
