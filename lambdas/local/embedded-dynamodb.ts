import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type dynaliteType from "dynalite";

/** A DynamoDB-compatible endpoint served in this process by dynalite. */
export type EmbeddedDynamoDb = { readonly endpoint: string; stop(): Promise<void> };

const require = createRequire(import.meta.url);

/** The part of memory-level (dynalite's in-memory LevelDB stand-in) that `storeStrings` touches. */
type MemoryLevelModule = {
  MemoryLevel: new (location?: unknown, options?: Record<string, unknown>) => object;
};

let dynaliteModule: typeof dynaliteType | undefined;

/**
 * Loads dynalite with its in-memory store keeping keys and values as strings.
 *
 * Why (issue #9, defect 7c): dynalite builds its in-memory database as
 * `new MemoryLevel({ valueEncoding: "json" })`, whose default `storeEncoding` is `"buffer"`: every
 * key and JSON value is turned into a Buffer by `Buffer.from(string)`, which cuts values under 4 KB
 * out of Node's shared 8 KB allocation pool. A stored slice keeps its whole 8 KB slab alive, and the
 * rest of each slab is taken by the request's short-lived buffers (bodies, SDK and HTTP internals),
 * so each stored key or value pinned up to 8 KB of `external` memory for its ~0.1–1.5 KB of data.
 * Measured with bench/memory.ts: 8–13 KB of Buffers retained per ingested event (its data is
 * ~2.4 KB of JSON), RSS +36 MB a minute at 30 events/s. With `storeEncoding: "utf8"` the data lives
 * in the V8 heap as exactly-sized strings: ~3.3 KB per event, Buffers flat. The order is unchanged:
 * dynalite's keys are ASCII (hex-encoded key values, table-name prefixes), where string and byte
 * order agree.
 *
 * dynalite offers no option for it, so the subclass replaces memory-level's export before
 * dynalite's `db` module reads it (it does once, when first required). The LevelDB store (`path`)
 * is not concerned: LevelDB copies what it is given.
 */
function loadDynalite(): typeof dynaliteType {
  if (dynaliteModule !== undefined) return dynaliteModule;
  const fromDynalite = createRequire(require.resolve("dynalite"));
  const dbModule = fromDynalite.resolve("./db/index.js");
  if (require.cache[dbModule] !== undefined) {
    throw new Error("dynalite was loaded before embedded-dynamodb.ts could configure its memory store");
  }
  const memoryLevel = fromDynalite("memory-level") as MemoryLevelModule;
  const Original = memoryLevel.MemoryLevel;
  memoryLevel.MemoryLevel = class StringMemoryLevel extends Original {
    constructor(location?: unknown, options?: Record<string, unknown>) {
      // dynalite passes its options as the first argument (memory-level takes either form).
      const given = typeof location === "object" && location !== null ? location : options;
      super({ ...given, storeEncoding: "utf8" });
    }
  };
  dynaliteModule = fromDynalite("./index.js") as typeof dynaliteType;
  return dynaliteModule;
}

/**
 * Starts dynalite on a free loopback port, persisted in `path` (a LevelDB directory) or in memory.
 * In memory it holds every item for the life of the process: dynalite implements no TTL deletion.
 *
 * @example
 * const db = await startEmbeddedDynamoDb({ path: ".data/dynalite" });
 * // … DYNAMODB_ENDPOINT=db.endpoint …
 * await db.stop();
 */
export async function startEmbeddedDynamoDb(options: { path?: string } = {}): Promise<EmbeddedDynamoDb> {
  if (options.path !== undefined) mkdirSync(options.path, { recursive: true });
  const server = loadDynalite()({
    ...(options.path !== undefined ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        // dynalite closes its LevelDB when the server closes, so the data is flushed on a clean stop.
        server.close(() => resolve());
      });
      return stopped;
    },
  };
}
