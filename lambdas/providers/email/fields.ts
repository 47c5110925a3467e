/**
 * Reading the `name: value` field blocks of RFC 3464 and RFC 5965 report parts: both reuse the
 * RFC 5322 header syntax (folded continuation lines), grouped into blank-line separated blocks.
 */

/** One unfolded field: lower-case name, value with folding whitespace collapsed. */
export type Field = { readonly name: string; readonly value: string };

/** Field blocks longer than this are cut: no real report part comes near it. */
const MAX_FIELDS = 10_000;
const FIELD_LINE = /^([!-9;-~]+)[ \t]*:(.*)$/;

/**
 * Splits report text into blocks (separated by blank lines) of unfolded fields. Lines that are
 * neither a field nor a continuation are skipped rather than failing the block, because MTAs in the
 * wild add comments and stray text there.
 *
 * @example
 * readFieldBlocks("Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822;\n a@example.org\n");
 * // [[{ name: "reporting-mta", value: "dns; mx.example" }], [{ name: "final-recipient", value: "rfc822; a@example.org" }]]
 */
export function readFieldBlocks(text: string): Field[][] {
  const blocks: Field[][] = [];
  let block: { name: string; value: string }[] = [];
  let count = 0;
  const close = (): void => {
    if (block.length > 0) blocks.push(block);
    block = [];
  };
  for (const line of text.split(/\r?\n|\r/)) {
    if (line.trim() === "") {
      close();
      continue;
    }
    const last = block[block.length - 1];
    if (/^[ \t]/.test(line)) {
      // A continuation line (RFC 5322 §2.2.3 folding); without a field before it, it is noise.
      if (last !== undefined) last.value = `${last.value} ${line.trim()}`;
      continue;
    }
    const match = FIELD_LINE.exec(line);
    if (match === null) continue;
    if (++count > MAX_FIELDS) break;
    block.push({ name: (match[1] ?? "").toLowerCase(), value: (match[2] ?? "").trim() });
  }
  close();
  return blocks.map((b) => b.map((f) => ({ name: f.name, value: f.value.replace(/\s+/g, " ").trim() })));
}

/**
 * Drops the `type;` prefix of a typed field (`rfc822; a@example.org`, `dns; mx.example`,
 * `smtp; 550 …`). A value without a semicolon is returned as it is.
 *
 * @example
 * stripType("rfc822; <A@Example.org>"); // "<A@Example.org>"
 * stripType("mx.example.org");          // "mx.example.org"
 */
export function stripType(value: string): string {
  const match = /^[A-Za-z0-9][A-Za-z0-9.+-]*[ \t]*;(.*)$/s.exec(value);
  return (match ? (match[1] ?? "") : value).trim();
}

/**
 * An RFC 5322 date field as ISO 8601, or `null` when it does not parse.
 *
 * @example
 * isoDate("Sat, 13 Sep 2014 05:23:57 +0000 (UTC)"); // "2014-09-13T05:23:57.000Z"
 */
export function isoDate(value: string | undefined): string | null {
  if (value === undefined || value === "") return null;
  // Date.parse rejects the trailing RFC 5322 comment some MTAs add, e.g. "(UTC)".
  const ms = Date.parse(value.replace(/\([^)]*\)/g, " ").trim());
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
