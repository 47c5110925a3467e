/**
 * The store a local CLI talks to (`npm run keys`, `npm run ses:import`): which one the command line
 * and the environment name (`targetOf`), how it reads for people (`describeTarget`), and opening it
 * (`openStore`): the local embedded store (`DATA_DIR`, dynalite, the directory `npm start` uses), a
 * DynamoDB-compatible endpoint, or the deployed table in AWS.
 *
 * What each CLI says about a failure stays in the CLI; `failureParts` gives the pieces.
 */
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Policy } from "../core/policy/schema.js";
import {
  createDynamoDbClient,
  createStore,
  DEFAULT_TABLE_NAME,
  ensureTable,
  type SuppressionStore,
  toDocumentClient,
} from "../store/index.js";
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from "./embedded-dynamodb.js";

/**
 * The `parseArgs` options that choose the store: `--endpoint` and `--table` (`targetOf`'s flags).
 *
 * @example
 * parseArgs({ args, options: { json: { type: "boolean" }, ...TARGET_FLAGS } });
 */
export const TARGET_FLAGS = {
  endpoint: { type: "string" },
  table: { type: "string" },
} as const;

/** The help's lines for `--endpoint` and `--table` (indented as the CLIs' options, no final newline). */
export const TARGET_OPTIONS_HELP = `      --endpoint <url>   a DynamoDB-compatible endpoint (DynamoDB Local, dynalite) instead of the
                         local store (default: $DYNAMODB_ENDPOINT)
      --table <name>     the deployed table in AWS (credentials and region from the AWS default
                         chain: AWS_PROFILE, AWS_REGION, …); never created`;

/**
 * The help's section on which store a CLI uses, the first that applies (as `targetOf` chooses; no
 * final newline).
 *
 * @param what what goes to the store, as in "Where the keys go"
 * @param localTail words after "One process at a time can open it: stop npm start first"
 * @example
 * const HELP = `Usage: …\n\n${targetHelp("events")}\n`;
 */
export function targetHelp(what: string, localTail = ""): string {
  return `Where the ${what} go, the first that applies:
  --table <name>      the deployed table, in AWS
  --endpoint <url>,   that endpoint; table $TABLE_NAME (default ${DEFAULT_TABLE_NAME}), created if missing
  DYNAMODB_ENDPOINT
  otherwise           the local store npm start uses: $DATA_DIR (default .data); table $TABLE_NAME
                      (default ${DEFAULT_TABLE_NAME}), created if missing. One process at a time can
                      open it: stop npm start first${localTail}`;
}

/** Where the store is. */
export type StoreTarget =
  | { readonly kind: "local"; readonly dataDir: string; readonly tableName: string }
  | { readonly kind: "endpoint"; readonly endpoint: string; readonly tableName: string }
  | { readonly kind: "aws"; readonly tableName: string };

/** Bad usage in choosing the store (the default error of `targetOf`); the message is one line. */
export class StoreTargetUsageError extends Error {
  override readonly name = "StoreTargetUsageError";
}

/** What `targetOf` needs from its CLI. */
export type TargetOfOptions = {
  /** The whole usage message for `DATA_DIR=:memory:` (a store that keeps nothing). */
  readonly inMemory: string;
  /** Makes the error thrown for bad usage; default a `StoreTargetUsageError`. */
  readonly usage?: (message: string) => Error;
};

/**
 * The store the flags and the environment name, the first that applies: `--table` (the deployed
 * table in AWS), `--endpoint` or `$DYNAMODB_ENDPOINT` (table `$TABLE_NAME`), else the local store
 * in `$DATA_DIR` (default `.data`; table `$TABLE_NAME`).
 *
 * @throws what `options.usage` makes (default `StoreTargetUsageError`) for a blank `--table`,
 *   `--table` with an endpoint, an endpoint that is no http(s) URL, `DATA_DIR=:memory:`.
 * @example
 * targetOf(undefined, undefined, { DATA_DIR: "/tmp/d" }, { inMemory: "DATA_DIR=:memory: keeps nothing" });
 * // { kind: "local", dataDir: "/tmp/d", tableName: "suppressions" }
 * targetOf(undefined, "prod", {}, { inMemory: "…", usage: (m) => new MyUsageError(m) });
 * // { kind: "aws", tableName: "prod" }
 */
export function targetOf(
  endpointFlag: string | undefined,
  table: string | undefined,
  env: NodeJS.ProcessEnv,
  options: TargetOfOptions,
): StoreTarget {
  const usage = options.usage ?? ((message: string) => new StoreTargetUsageError(message));
  const endpoint = endpointFlag ?? (env.DYNAMODB_ENDPOINT?.trim() || undefined);
  if (table !== undefined) {
    if (table.trim() === "") throw usage("--table needs a table name");
    if (endpoint !== undefined) {
      throw usage(
        `--table names the deployed table in AWS; for a table at ${endpoint} set TABLE_NAME instead${endpointFlag === undefined ? " (DYNAMODB_ENDPOINT is set)" : ""}`,
      );
    }
    return { kind: "aws", tableName: table.trim() };
  }
  const tableName = env.TABLE_NAME?.trim() || DEFAULT_TABLE_NAME;
  if (endpoint !== undefined) {
    if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
      throw usage(`--endpoint must be an http(s) URL; got ${endpoint}`);
    }
    return { kind: "endpoint", endpoint, tableName };
  }
  const dataDir = env.DATA_DIR?.trim() || ".data";
  if (dataDir === ":memory:") throw usage(options.inMemory);
  return { kind: "local", dataDir, tableName };
}

/**
 * Where the store is, for people.
 *
 * @example
 * describeTarget({ kind: "endpoint", endpoint: "http://127.0.0.1:8000", tableName: "suppressions" });
 * // "table suppressions at http://127.0.0.1:8000"
 */
export function describeTarget(target: StoreTarget): string {
  if (target.kind === "aws") return `table ${target.tableName} in AWS`;
  if (target.kind === "endpoint") return `table ${target.tableName} at ${target.endpoint}`;
  return `table ${target.tableName} in ${resolve(target.dataDir)} (the local store)`;
}

const require = createRequire(import.meta.url);

type LevelLike = { open(): Promise<void>; close(): Promise<void> };

/**
 * Whether another process (a running `npm start`) holds the LevelDB directory. Checked before
 * dynalite opens it: dynalite would only fail on its first request, by throwing out of its request
 * handler and ending this process with a stack trace.
 *
 * @example
 * if (await inUse(join(dataDir, "dynalite"))) console.error("stop npm start first");
 */
export async function inUse(path: string): Promise<boolean> {
  const fromDynalite = createRequire(require.resolve("dynalite"));
  const { ClassicLevel } = fromDynalite("classic-level") as {
    ClassicLevel: new (location: string) => LevelLike;
  };
  const db = new ClassicLevel(path);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    if (cause?.code === "LEVEL_LOCKED") return true;
    throw error;
  }
  await db.close();
  return false;
}

/** The local store's directory is held by another process (a running `npm start`). */
export class StoreInUseError extends Error {
  override readonly name = "StoreInUseError";
  constructor(readonly dataDir: string) {
    super(`${resolve(dataDir)} is in use by a running npm start; stop it first`);
  }
}

/** An open store and how to close it. */
export type OpenedStore = {
  readonly store: SuppressionStore;
  /** Closes the client and the embedded engine (which flushes its data). */
  close(): Promise<void>;
};

/**
 * Opens the store `target` names: starts the embedded engine for the local store, creates the
 * table if missing (never in AWS), with a CLI's wider limits than a function's (it may talk to AWS
 * across the internet). Closes what it opened if it fails.
 *
 * @throws StoreInUseError when another process holds the local store; the store's errors.
 * @example
 * const { store, close } = await openStore(target);
 * try {
 *   await apiKeysStore(store).list("default");
 * } finally {
 *   await close();
 * }
 */
export async function openStore(
  target: StoreTarget,
  options: { readonly policy?: Policy } = {},
): Promise<OpenedStore> {
  let embedded: EmbeddedDynamoDb | undefined;
  let raw: DynamoDBClient | undefined;
  const close = async () => {
    raw?.destroy();
    await embedded?.stop();
  };
  try {
    let endpoint: string | undefined;
    if (target.kind === "local") {
      const path = join(target.dataDir, "dynalite");
      if (await inUse(path)) throw new StoreInUseError(target.dataDir);
      embedded = await startEmbeddedDynamoDb({ path });
      endpoint = embedded.endpoint;
    } else if (target.kind === "endpoint") {
      endpoint = target.endpoint;
    }
    raw = createDynamoDbClient({
      ...(endpoint !== undefined ? { endpoint } : {}),
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 10_000,
    });
    if (target.kind !== "aws")
      await ensureTable(raw, target.tableName, { abortSignal: AbortSignal.timeout(30_000) });
    const store = createStore({
      client: toDocumentClient(raw),
      tableName: target.tableName,
      ...(options.policy !== undefined ? { policy: options.policy } : {}),
      callBudgetMs: 30_000,
    });
    return { store, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The pieces of a failure's one line: its message, its innermost cause, and that cause as text. */
export type FailureParts = {
  readonly message: string;
  readonly inner: unknown;
  /** ` (Name: message)` of the innermost cause, or "" when the message already says it. */
  readonly reason: string;
};

/**
 * The message of `error` and its innermost cause, for a CLI's one-line failure.
 *
 * @example
 * const { message, reason } = failureParts(new Error("put failed", { cause: new Error("ECONNREFUSED") }));
 * // message "put failed", reason " (Error: ECONNREFUSED)"
 */
export function failureParts(error: unknown): FailureParts {
  let inner: unknown = error;
  const seen = new Set<unknown>();
  while (inner instanceof Error && inner.cause !== undefined && !seen.has(inner.cause)) {
    seen.add(inner);
    inner = inner.cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  const reason =
    inner instanceof Error && inner !== error && !message.includes(inner.message)
      ? ` (${inner.name}: ${inner.message})`
      : "";
  return { message, inner, reason };
}
