/**
 * The reading half of `npm run import` (import-cli.ts): files of provider payloads → items → chunks
 * that `POST /v1/import/{provider}` accepts within `MAX_EVENTS_PER_REQUEST`.
 *
 * - **Files** are read as a stream and split into top-level JSON values without holding the file:
 *   a JSON document, several (JSON Lines, or concatenated), or a JSON array, whose elements are then
 *   the values. Each value's own text is parsed, keeping every number's exact digits (Postmark's
 *   int64 `ID`s must reach the server as written), so memory is one value, not one file.
 * - **Items** are what a request body may hold several of, as each provider's adapter splits a
 *   payload (`importUnits`, in lambdas/providers/<esp>/): a SendGrid, SparkPost or SendCloud event;
 *   a Mailgun event (an Events API page is split into its `items`); a Postmark record (a Bounces API
 *   page into its `Bounces`); an SES Lambda record, or any other SES shape wrapped as an SQS record.
 * - **Chunks** group items of one envelope up to an event budget (an item counts the events it will
 *   become: an SES record its recipients, a SendCloud `request` its recipients, anything else 1) and
 *   a byte budget under the 6 MB body limit. The server stays the judge: a chunk answered 413 is split.
 */
import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { MAX_BODY_BYTES } from "../handlers/http/body.js";
import { ADAPTERS, type Provider } from "../providers/registry.js";

/** A file that cannot be read as payloads: the message starts with `file:line:` (or `file:`). */
export class InputFileError extends Error {
  override readonly name = "InputFileError";

  /** @param line where the problem is, when known (the splitter's errors; `readPayloads` adds the file). */
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** One top-level value of a file (or one element of a top-level array), as parsed. */
export type Payload = { readonly value: unknown; readonly where: string };

/** How a chunk's body wraps its items: `null` a JSON array, a name `{"<name>": [...]}` (`ImportUnit`). */
export type Envelope = string | null;

/** One unit a request body holds several of: its exact JSON text and the events it may become. */
export type Item = {
  readonly json: string;
  readonly bytes: number;
  readonly events: number;
  readonly envelope: Envelope;
  readonly where: string;
};

/** Items sent in one request. */
export type Chunk = {
  readonly envelope: Envelope;
  readonly items: readonly Item[];
  readonly events: number;
  readonly bytes: number;
};

/** Room left for the wrapper and separators: a chunk's items stay under the server's body limit. */
export const MAX_CHUNK_BYTES = MAX_BODY_BYTES - 64 * 1024;

const rawJSON = (JSON as unknown as { rawJSON: (text: string) => unknown }).rawJSON;

/** `JSON.parse` reviver that keeps a number's source text when a double would change it (int64 ids). */
function exactNumbers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === "number" && context?.source !== undefined && String(value) !== context.source) {
    return rawJSON(context.source);
  }
  return value;
}

/**
 * Splits streamed JSON text into top-level values: each object at the top, and each element of a
 * top-level array. Only brackets and strings are tracked (as in `JSON.parse`'s grammar); each value's
 * text is then parsed by `JSON.parse`, which judges it. Top-level scalars are refused.
 *
 * @example
 * const splitter = new JsonSplitter();
 * splitter.push('[{"a":1},{"a"'); // [{ text: '{"a":1}', line: 1 }]
 * splitter.push(':2}]\n{"b":3}'); // [{ text: '{"a":2}', line: 1 }, { text: '{"b":3}', line: 2 }]
 * splitter.end();
 */
export class JsonSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Depth at which the value being collected opened (0: a top-level object; 1: an array element). */
  private base = -1;
  private parts: string[] = [];
  private size = 0;
  private startLine = 0;
  private line = 1;
  /** Inside a top-level array, between elements: what may come next. */
  private expect: "first" | "value" | "comma-or-close" = "first";

  constructor(private readonly maxValueChars = MAX_CHUNK_BYTES) {}

  /** Feeds the next piece of text; returns the values it completed, in order. */
  push(text: string): { text: string; line: number }[] {
    const out: { text: string; line: number }[] = [];
    let start = this.base >= 0 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) this.line++;
      if (this.base >= 0) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === 0x5c) this.escaped = true;
          else if (c === 0x22) this.inString = false;
          continue;
        }
        if (c === 0x22) this.inString = true;
        else if (c === 0x7b || c === 0x5b) this.depth++;
        else if (c === 0x7d || c === 0x5d) {
          this.depth--;
          if (this.depth === this.base) {
            this.parts.push(text.slice(start, i + 1));
            out.push({ text: this.parts.join(""), line: this.startLine });
            if (this.base === 1) this.expect = "comma-or-close";
            this.parts = [];
            this.size = 0;
            this.base = -1;
            start = -1;
          }
        }
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) continue;
      if (this.depth === 0) {
        if (c === 0x7b) {
          this.begin(0);
          start = i;
        } else if (c === 0x5b) {
          this.depth = 1;
          this.expect = "first";
        } else throw this.unexpected(text[i]);
        continue;
      }
      // Between the elements of a top-level array.
      if (c === 0x5d && this.expect !== "value") {
        this.depth = 0;
      } else if (c === 0x2c && this.expect === "comma-or-close") {
        this.expect = "value";
      } else if ((c === 0x7b || c === 0x5b) && this.expect !== "comma-or-close") {
        this.begin(1);
        start = i;
      } else {
        throw this.unexpected(text[i]);
      }
    }
    if (this.base >= 0 && start >= 0) {
      const rest = text.slice(start);
      this.size += rest.length;
      if (this.size > this.maxValueChars) {
        throw new InputFileError(
          `a value of more than ${this.maxValueChars} characters cannot be sent in one request`,
          this.startLine,
        );
      }
      this.parts.push(rest);
    }
    return out;
  }

  /** Ends the text; throws when a value or an array is left open. */
  end(): void {
    if (this.base >= 0 || this.depth > 0) {
      throw new InputFileError("the text ends inside a value", this.base >= 0 ? this.startLine : this.line);
    }
  }

  private begin(base: number): void {
    this.base = base;
    this.depth = base + 1;
    this.startLine = this.line;
    this.inString = false;
    this.escaped = false;
  }

  private unexpected(char: string | undefined): InputFileError {
    const what = this.depth === 0 ? "a JSON object or array" : "an object or array element, `,` or `]`";
    return new InputFileError(`expected ${what}, found ${JSON.stringify(char)}`, this.line);
  }
}

/**
 * Streams the payloads of one file (see `JsonSplitter` for the formats). `onBytes` hears how many
 * bytes of the file have been handed on as payloads so far, for a progress bar.
 *
 * @throws InputFileError naming `file:line` when the file is unreadable or a value is not JSON.
 * @example
 * for await (const { value, where } of readPayloads("bounces.jsonl")) console.log(where, value);
 */
export async function* readPayloads(
  file: string,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<Payload> {
  const splitter = new JsonSplitter();
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  const decoder = new StringDecoder("utf8");
  let consumed = 0;
  try {
    for await (const chunk of stream) {
      let values: { text: string; line: number }[];
      try {
        values = splitter.push(decoder.write(chunk as Buffer));
      } catch (error) {
        throw located(file, error);
      }
      for (const { text, line } of values) {
        let value: unknown;
        try {
          value = JSON.parse(text, exactNumbers);
        } catch (error) {
          throw new InputFileError(`${file}:${line}: not valid JSON (${(error as Error).message})`, line);
        }
        yield { value, where: `${file}:${line}` };
      }
      consumed += (chunk as Buffer).byteLength;
      onBytes?.(consumed);
    }
    splitter.push(decoder.end());
    splitter.end();
  } catch (error) {
    throw located(file, error);
  } finally {
    stream.destroy();
  }
}

/** `error` as an `InputFileError` whose message names `file` (and the line, when known). */
function located(file: string, error: unknown): InputFileError {
  if (error instanceof InputFileError) {
    if (error.message.startsWith(`${file}:`)) return error;
    const where = error.line === undefined ? file : `${file}:${error.line}`;
    return new InputFileError(`${where}: ${error.message}`, error.line);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new InputFileError(`${file}: cannot be read (${message})`);
}

/**
 * The items of one payload for `provider`: each element of a top-level array, each as its adapter
 * splits it (`importUnits`).
 *
 * @example
 * itemsOf("sendgrid", [{ email: "a@example.org", event: "bounce" }, { email: "b@example.org", event: "open" }], "f:1");
 * // two items, 1 event each, envelope null
 */
export function itemsOf(provider: Provider, value: unknown, where: string): Item[] {
  if (Array.isArray(value)) return value.flatMap((element) => itemsOf(provider, element, where));
  return ADAPTERS[provider].importUnits(value).map((unit) => {
    const json = JSON.stringify(unit.value);
    return { json, bytes: Buffer.byteLength(json), events: unit.events, envelope: unit.envelope, where };
  });
}

/**
 * Groups items into chunks of at most `maxEvents` events and `maxBytes` bytes (an item over either
 * goes alone; the server then says why). A change of envelope starts a new chunk.
 *
 * @example
 * const chunks = new ChunkBuilder(500);
 * const full = chunks.add(item); // a chunk to send now, or undefined
 * const last = chunks.flush();
 */
export class ChunkBuilder {
  private items: Item[] = [];
  private events = 0;
  private bytes = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes = MAX_CHUNK_BYTES,
  ) {}

  /** Adds `next`; returns the chunk it closed (to send before it), if any. */
  add(next: Item): Chunk | undefined {
    const first = this.items[0];
    const fits =
      first === undefined ||
      (first.envelope === next.envelope &&
        this.events + next.events <= this.maxEvents &&
        this.bytes + next.bytes + 1 <= this.maxBytes);
    const closed = fits ? undefined : this.flush();
    this.items.push(next);
    this.events += next.events;
    this.bytes += next.bytes + 1;
    return closed;
  }

  /** The chunk being built, if it holds anything; starts a new one. */
  flush(): Chunk | undefined {
    const first = this.items[0];
    if (first === undefined) return undefined;
    const chunk: Chunk = {
      envelope: first.envelope,
      items: this.items,
      events: this.events,
      bytes: this.bytes,
    };
    this.items = [];
    this.events = 0;
    this.bytes = 0;
    return chunk;
  }
}

/** A chunk of `items`, its totals recomputed. */
export function chunkOf(items: readonly Item[]): Chunk {
  const first = items[0];
  if (first === undefined) throw new Error("a chunk needs an item");
  return {
    envelope: first.envelope,
    items,
    events: items.reduce((sum, i) => sum + i.events, 0),
    bytes: items.reduce((sum, i) => sum + i.bytes + 1, 0),
  };
}

/** The two halves of a chunk the server found too large. */
export function splitChunk(chunk: Chunk): [Chunk, Chunk] {
  const middle = Math.ceil(chunk.items.length / 2);
  return [chunkOf(chunk.items.slice(0, middle)), chunkOf(chunk.items.slice(middle))];
}

/**
 * The request body for a chunk: a JSON array of its items, or `{"<envelope>": [...]}` (an SQS →
 * Lambda event's `Records` for SES, a Postmark Bounces API page's `Bounces`).
 *
 * @example
 * chunkBody(chunk); // '[{"email":"a@example.org",…},{…}]'
 */
export function chunkBody(chunk: Chunk): string {
  const list = chunk.items.map((i) => i.json).join(",");
  return chunk.envelope === null ? `[${list}]` : `{${JSON.stringify(chunk.envelope)}:[${list}]}`;
}
