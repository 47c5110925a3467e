/**
 * DynamoDB clients. One per container: Lambda reuses the module between invocations, so the
 * connection pool (and its TLS sessions) survive warm starts.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { STORE_TIMEOUTS } from "./budget.js";
import { DEFAULT_TABLE_NAME } from "./schema.js";

/** How to reach DynamoDB. Everything is optional; `clientOptionsFromEnv` fills it from the environment. */
export type ClientOptions = {
  /** A DynamoDB-compatible endpoint (DynamoDB Local, dynalite); absent means AWS itself. */
  readonly endpoint?: string;
  readonly region?: string;
  /** SDK attempts per command, first included; default `STORE_TIMEOUTS.maxAttempts` (3). */
  readonly maxAttempts?: number;
  /** Milliseconds to open a connection, per attempt; default `STORE_TIMEOUTS.connectionTimeoutMs`. */
  readonly connectionTimeoutMs?: number;
  /**
   * Milliseconds from sending a request to its response headers, and of socket silence after them,
   * per attempt; default `STORE_TIMEOUTS.attemptTimeoutMs`. Exceeding it aborts the attempt.
   */
  readonly requestTimeoutMs?: number;
};

/** Region used against a local endpoint when none is configured (local engines accept any). */
const LOCAL_REGION = "us-east-1";

/**
 * Reads `DYNAMODB_ENDPOINT`, `AWS_REGION` / `AWS_DEFAULT_REGION` from `env`.
 *
 * @example
 * clientOptionsFromEnv({ DYNAMODB_ENDPOINT: "http://127.0.0.1:8000" });
 * // { endpoint: "http://127.0.0.1:8000", region: "us-east-1" }
 */
export function clientOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ClientOptions {
  const endpoint = env.DYNAMODB_ENDPOINT?.trim() || undefined;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || (endpoint ? LOCAL_REGION : undefined);
  return { ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}) };
}

/** The table name from `TABLE_NAME`, default `suppressions`. @example tableNameFromEnv({}); // "suppressions" */
export function tableNameFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.TABLE_NAME?.trim() || DEFAULT_TABLE_NAME;
}

/**
 * A low-level client. Against a local endpoint without AWS credentials in the environment it uses
 * dummy ones (local engines do not check them).
 *
 * Every attempt is bounded (see budget.ts): `throwOnRequestTimeout` makes `requestTimeout` abort
 * the attempt (without it @smithy/node-http-handler 4.x only logs a warning and waits on), and
 * `socketTimeout` ends a response that goes silent after its headers. The resulting `TimeoutError`
 * is retried by the SDK and, once the attempts are spent, becomes a `StoreUnavailableError`.
 *
 * @example
 * const raw = createDynamoDbClient({ endpoint: "http://127.0.0.1:8000", maxAttempts: 1 });
 */
export function createDynamoDbClient(options: ClientOptions = {}, env = process.env): DynamoDBClient {
  const localCredentials =
    options.endpoint !== undefined && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE
      ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {};
  const attemptTimeout = options.requestTimeoutMs ?? STORE_TIMEOUTS.attemptTimeoutMs;
  return new DynamoDBClient({
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.region !== undefined
      ? { region: options.region }
      : options.endpoint !== undefined && !env.AWS_REGION && !env.AWS_DEFAULT_REGION
        ? { region: LOCAL_REGION }
        : {}),
    maxAttempts: options.maxAttempts ?? STORE_TIMEOUTS.maxAttempts,
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? STORE_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: attemptTimeout,
      throwOnRequestTimeout: true,
      socketTimeout: attemptTimeout,
    },
    ...localCredentials,
  });
}

/**
 * Wraps a low-level client as the document client the store uses: plain JS values in and out,
 * `undefined` properties dropped (the ledger's optional fields), numbers as JS numbers.
 * Note that lib-dynamodb binds this translation to the low-level client: wrap each client once.
 *
 * @example
 * const doc = toDocumentClient(createDynamoDbClient({ endpoint }));
 */
export function toDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

let shared: DynamoDBDocumentClient | undefined;

/**
 * The container's document client, built once from the environment and then reused.
 *
 * @example
 * const store = createStore({ client: defaultDocumentClient(), tableName: tableNameFromEnv() });
 */
export function defaultDocumentClient(): DynamoDBDocumentClient {
  shared ??= toDocumentClient(createDynamoDbClient(clientOptionsFromEnv()));
  return shared;
}
