import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectDelimiter, MAX_RECORD_CHARS, ROW_REASONS } from "../../../lambdas/core/list-cleaning.js";
import { type ListRecord, readRecords } from "../../../lambdas/jobs/list-check/records.js";

async function* chunks(parts: readonly (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const part of parts) yield part;
}

/** Every record of `parts`, and the lines the delimiter was detected from. */
async function read(parts: readonly (string | Uint8Array)[]) {
  const detectedFrom: string[] = [];
  const records: ListRecord[] = [];
  for await (const batch of readRecords(chunks(parts), (line) => {
    detectedFrom.push(line);
    return detectDelimiter(line);
  })) {
    records.push(...batch);
  }
  return { records, detectedFrom };
}

/** A record as [raw, end, fields or problem]. */
const brief = (r: ListRecord) => [r.raw, r.end, r.fields ?? r.problem];

const bytes = (text: string) => new TextEncoder().encode(text);

describe("readRecords", () => {
  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
    ["CR", "\r"],
  ])("splits %s lines, a last line without a line break included", async (_name, eol) => {
    // Act
    const { records } = await read([`email,name${eol}a@example.org,A${eol}b@example.org,B`]);
    // Assess
    expect(records.map(brief)).toEqual([
      ["email,name", eol, ["email", "name"]],
      ["a@example.org,A", eol, ["a@example.org", "A"]],
      ["b@example.org,B", "", ["b@example.org", "B"]],
    ]);
  });

  it("ends the last record at a last line break: no empty record after it", async () => {
    // Act
    const { records } = await read(["a@example.org\r\nb@example.org\r\n"]);
    // Assess
    expect(records.map(brief)).toEqual([
      ["a@example.org", "\r\n", ["a@example.org"]],
      ["b@example.org", "\r\n", ["b@example.org"]],
    ]);
  });

  it("drops a UTF-8 BOM, from bytes or from a string", async () => {
    // Act
    const fromBytes = await read([new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf, 0x61, 0x0a])]);
    const fromText = await read(["\uFEFFa\n"]);
    // Assess
    expect(fromBytes.records.map(brief)).toEqual([["a", "\n", ["a"]]]);
    expect(fromText.records.map(brief)).toEqual([["a", "\n", ["a"]]]);
  });

  it("keeps quoted fields whole (delimiters, line breaks, doubled quotes) and their text as it was", async () => {
    // Arrange
    const list =
      'email;note\r\n"a@example.org";"one; two"\r\n"b@example.org";"line 1\r\nline 2\nline ""3"""\r\n';
    // Act
    const { records } = await read([list]);
    // Assess
    expect(records.map(brief)).toEqual([
      ["email;note", "\r\n", ["email", "note"]],
      ['"a@example.org";"one; two"', "\r\n", ["a@example.org", "one; two"]],
      [
        '"b@example.org";"line 1\r\nline 2\nline ""3"""',
        "\r\n",
        ["b@example.org", 'line 1\r\nline 2\nline "3"'],
      ],
    ]);
  });

  it("reads tab-separated lists, and quotes inside a field as text", async () => {
    // Act
    const { records } = await read(['email\tname\na@example.org\tO"Brien\n"b@example.org"x\tB\n']);
    // Assess
    expect(records.map((r) => r.fields)).toEqual([
      ["email", "name"],
      ["a@example.org", 'O"Brien'],
      ['"b@example.org"x', "B"],
    ]);
  });

  it("gives a blank record one empty field, spaces and all", async () => {
    // Act
    const { records } = await read(["a@example.org\n\n  \t \nb@example.org\n"]);
    // Assess
    expect(records.map(brief)).toEqual([
      ["a@example.org", "\n", ["a@example.org"]],
      ["", "\n", [""]],
      ["  \t ", "\n", [""]],
      ["b@example.org", "\n", ["b@example.org"]],
    ]);
  });

  it("detects the delimiter once, from the first line that is not blank", async () => {
    // Act
    const { records, detectedFrom } = await read(["\n  \n", "Name;Email\n", "J;j@example.org\n"]);
    // Assess
    expect(detectedFrom).toEqual(["Name;Email"]);
    expect(records.map((r) => r.fields)).toEqual([[""], [""], ["Name", "Email"], ["J", "j@example.org"]]);
  });

  it("detects from an empty line when the list is blank, and not at all when it is empty", async () => {
    // Act
    const blank = await read(["\n\n"]);
    const empty = await read([]);
    // Assess
    expect(blank.detectedFrom).toEqual([""]);
    expect(blank.records.map(brief)).toEqual([
      ["", "\n", [""]],
      ["", "\n", [""]],
    ]);
    expect(empty).toEqual({ records: [], detectedFrom: [] });
  });

  it("takes a quote that never closes (up to the end) as a malformed first line, and reads on", async () => {
    // Act
    const { records } = await read(['email,name\na@example.org,"Doe\nb@example.org,B\n']);
    // Assess
    expect(records.map(brief)).toEqual([
      ["email,name", "\n", ["email", "name"]],
      ['a@example.org,"Doe', "\n", ROW_REASONS.badQuoting],
      ["b@example.org,B", "\n", ["b@example.org", "B"]],
    ]);
  });

  it("gives up on a quote still open after MAX_RECORD_CHARS, while the list streams", async () => {
    // Arrange: 6 000 lines of 14 characters after the open quote, in chunks of 4 KiB.
    const line = "x@example.org\n";
    const list = `a@example.org,"Doe\n${line.repeat(6000)}`;
    const parts = list.match(/[\s\S]{1,4096}/g) ?? [];
    // Act
    const { records } = await read(parts);
    // Assess
    expect(records.length).toBe(6001);
    expect(brief(records[0] as ListRecord)).toEqual(['a@example.org,"Doe', "\n", ROW_REASONS.badQuoting]);
    expect(records.slice(1).every((r) => r.fields?.[0] === "x@example.org")).toBe(true);
  });

  it("cuts a line longer than MAX_RECORD_CHARS to that length and skips the rest of it", async () => {
    // Arrange: 200 000 characters without a line break, then a good line, in chunks of 1000.
    const list = `${"y".repeat(200_000)}\r\nb@example.org\n`;
    const parts = list.match(/[\s\S]{1,1000}/g) ?? [];
    // Act
    const { records } = await read(parts);
    // Assess
    expect(records.map((r) => [r.raw.length, r.fields ?? r.problem])).toEqual([
      [MAX_RECORD_CHARS, ROW_REASONS.tooLong],
      ["b@example.org".length, ["b@example.org"]],
    ]);
  });

  it("takes a record longer than MAX_RECORD_CHARS through a quoted field as too long", async () => {
    // Act
    const { records } = await read([`a@example.org,"${"z".repeat(MAX_RECORD_CHARS)}"\nb@example.org\n`]);
    // Assess
    expect(records.map((r) => r.fields ?? r.problem)).toEqual([ROW_REASONS.tooLong, ["b@example.org"]]);
  });

  it("yields the records of a chunk before the next chunk arrives", async () => {
    // Arrange
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* input() {
      yield "a@example.org\nb@exam";
      await held;
      yield "ple.org\n";
    }
    const records = readRecords(input(), detectDelimiter);
    // Act
    const first = await records.next();
    release();
    const second = await records.next();
    // Assess
    expect(first.value?.map((r: ListRecord) => r.raw)).toEqual(["a@example.org"]);
    expect(second.value?.map((r: ListRecord) => r.raw)).toEqual(["b@example.org"]);
    expect((await records.next()).done).toBe(true);
  });

  it("reads the same records however the bytes are cut into chunks (property)", async () => {
    // Arrange: fields with delimiters, quotes, line breaks and multi-byte characters; any line breaks.
    const field = fc.oneof(
      fc.constantFrom("a@example.org", "Zoë", "名前", "😀", "", " "),
      fc.constantFrom('"q; ""x"", y"', '"two\r\nlines"', '"a\nb"', 'O"Brien'),
    );
    const record = fc.array(field, { minLength: 1, maxLength: 4 }).map((fields) => fields.join(";"));
    const list = fc
      .tuple(
        fc.array(fc.tuple(record, fc.constantFrom("\n", "\r\n", "\r")), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
      )
      .map(([rows, bom]) => (bom ? "\uFEFF" : "") + rows.map(([r, eol]) => r + eol).join(""));
    await fc.assert(
      fc.asyncProperty(list, fc.array(fc.nat(), { maxLength: 8 }), async (text, cuts) => {
        const all = bytes(text);
        const at = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
        const parts = [0, ...at].map((from, i) => all.slice(from, at[i] ?? all.length));
        // Act
        const whole = await read([text]);
        const cut = await read(parts);
        // Assess
        expect(cut).toEqual(whole);
      }),
    );
  });

  it("reads back the fields csv-stringify wrote, whatever they hold (property)", async () => {
    // Arrange: fields of delimiters, quotes, line breaks, spaces and letters, any delimiter and line break.
    const char = fc.constantFrom("a", "é", "名", "😀", " ", ",", ";", "\t", '"', "\r", "\n", "@", ".");
    const rows = fc.array(fc.array(fc.string({ unit: char, maxLength: 6 }), { minLength: 1, maxLength: 4 }), {
      minLength: 1,
      maxLength: 10,
    });
    const format = fc.record({
      delimiter: fc.constantFrom(",", ";", "\t"),
      eol: fc.constantFrom("\n", "\r\n"),
    });
    await fc.assert(
      fc.asyncProperty(rows, format, async (fields, { delimiter, eol }) => {
        const text = stringify(fields, { delimiter, record_delimiter: eol, quote_record_delimiter: true });
        // Act
        const records: ListRecord[] = [];
        for await (const batch of readRecords(chunks([text]), () => delimiter)) records.push(...batch);
        // Assess: a row written as nothing but blanks (spaces, tabs: unquoted) reads as a blank record.
        const blank = (row: string[]) =>
          stringify([row], { delimiter, quote_record_delimiter: true }).trim() === "";
        expect(records.map((r) => r.fields)).toEqual(fields.map((row) => (blank(row) ? [""] : row)));
        expect(records.every((r) => r.end === eol)).toBe(true);
      }),
    );
  });
});
