import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Context } from "aws-lambda";
import { JOB_FILE_DAYS } from "../contract/jobs.js";
import { DEFAULT_TENANT } from "../core/access.js";
import { PolicyError } from "../core/policy/index.js";
import {
  generateUnsubscribeSecret,
  parseUnsubscribeKeys,
  type UnsubscribeKeys,
} from "../core/unsubscribe-token.js";
import {
  createFileStore,
  createS3Client,
  DEFAULT_LOCAL_BUCKET,
  S3RVER_CREDENTIALS,
  s3OptionsFromEnv,
} from "../files/index.js";
import { createAdminHandler } from "../handlers/admin.js";
import { createAllowlistHandler } from "../handlers/allowlist.js";
import { createCheckHandler } from "../handlers/check.js";
import { createExportsHandler } from "../handlers/exports.js";
import { createHealthHandler, unmatched } from "../handlers/health.js";
import { createHistoryHandler } from "../handlers/history.js";
import { createAuthenticator } from "../handlers/http/authenticate.js";
import { MAX_BODY_BYTES } from "../handlers/http/body.js";
import { HttpProblem } from "../handlers/http/problem.js";
import { type HttpResponse, json, problem } from "../handlers/http/response.js";
import { type HttpHandler, httpRoute } from "../handlers/http/route.js";
import { createRouter } from "../handlers/http/router.js";
import { createImportHandler } from "../handlers/import.js";
import { createKeysHandler } from "../handlers/keys.js";
import { createListChecksHandler } from "../handlers/list-checks.js";
import { createListsHandler } from "../handlers/lists.js";
import { serviceLogger } from "../handlers/log-safety.js";
import { getPolicy } from "../handlers/policy-source.js";
import { HTTP_ROUTES, type HttpFunction, LOCAL_ROUTES, type LocalFunction } from "../handlers/routes.js";
import { type RuntimeDeps, secretsByTenant } from "../handlers/runtime.js";
import { TENANT_SECRETS_ENV } from "../handlers/secret-api-key.js";
import { createStatsHandler } from "../handlers/stats.js";
import { createStatusHandler } from "../handlers/status.js";
import { createSuppressionsHandler } from "../handlers/suppressions.js";
import { createUnsubscribeHandler } from "../handlers/unsubscribe.js";
import { createWebhookHandler, type WebhookOptions } from "../handlers/webhook.js";
import { inProcessLauncher, type JobLauncher } from "../jobs/launcher.js";
import { runJob } from "../jobs/run-job.js";
import { JOB_RUNNERS } from "../jobs/runners.js";
import type { JobServices } from "../jobs/services.js";
import { PROVIDER_SECRET_NAMES, PROVIDER_SETTING_NAMES } from "../providers/registry.js";
import { httpFunctionTimeoutSeconds } from "../store/budget.js";
import {
  createDynamoDbClient,
  createStore,
  ensureTable,
  StoreUnavailableError,
  toDocumentClient,
} from "../store/index.js";
import { statsStore } from "../store/stats.js";
import { toApiGatewayEvent } from "./api-gateway-event.js";
import { createConsoleFiles } from "./console-files.js";
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from "./embedded-dynamodb.js";
import { type EmbeddedS3, startEmbeddedS3 } from "./embedded-s3.js";
import { openApiDocument } from "./openapi.js";

export type LocalServerOptions = {
  /** 0 picks a free port. Default 3000. */
  readonly port?: number;
  readonly host?: string;
  /** Where the embedded store keeps its data; `:memory:` keeps nothing. Ignored with `dynamodbEndpoint`. */
  readonly dataDir?: string;
  /** Use this DynamoDB-compatible endpoint instead of the embedded store. */
  readonly dynamodbEndpoint?: string;
  readonly tableName?: string;
  /** The bearer key to accept; generated when absent. */
  readonly apiKey?: string;
  /**
   * The unsubscribe links' keys, `kid:secret[,kid:secret…]` (`UNSUBSCRIBE_SECRET`); one is
   * generated when absent, so links made before a restart stop opening unless it is set.
   */
  readonly unsubscribeSecret?: string;
  readonly logLevel?: "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT";
  /** Provider secrets by setting name, over the environment (tests): the default tenant's. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Other tenants' provider secrets and settings, over `TENANT_SECRETS` (tests). */
  readonly tenantSecrets?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** SDK attempts per store command (lower it to see a store outage quickly); default 3. */
  readonly storeMaxAttempts?: number;
  /** Per-attempt limit of a store request, in ms (see lambdas/store/budget.ts); default 1000. */
  readonly storeAttemptTimeoutMs?: number;
  /** Everything one store call may take, in ms (see lambdas/store/budget.ts); default 4000. */
  readonly storeCallBudgetMs?: number;
  /** How long start-up waits for the store to answer, in ms; default `STARTUP_TIMEOUT_MS`. */
  readonly startupTimeoutMs?: number;
  /** Test seams of `POST /webhooks/{provider}` (certificate fetcher, subscription confirmer, topics). */
  readonly webhookOptions?: WebhookOptions;
  /** Use this S3-compatible endpoint for the jobs' files instead of the embedded s3rver. */
  readonly s3Endpoint?: string;
  /** The jobs' bucket; default `DEFAULT_LOCAL_BUCKET` (created in the embedded s3rver). */
  readonly bucket?: string;
  /** Test seam: starts the jobs' runs instead of running them in this process (a launcher that fails, say). */
  readonly jobLauncher?: JobLauncher;
};

export type LocalServer = {
  readonly url: string;
  readonly apiKey: string;
  readonly apiKeyGenerated: boolean;
  /** The unsubscribe links' keys in use (`UNSUBSCRIBE_SECRET`'s text). */
  readonly unsubscribeSecret: string;
  readonly unsubscribeSecretGenerated: boolean;
  /** Where the data lives: the embedded store's directory, `:memory:`, or the external endpoint. */
  readonly storage: string;
  /** The S3 endpoint of the jobs' files (the embedded s3rver's, or `s3Endpoint`). */
  readonly s3Endpoint: string;
  /** Resolves once no job runs (the tests wait for their jobs with it). */
  jobsIdle(): Promise<void>;
  close(): Promise<void>;
};

/** Start-up waits this long for the store (a DynamoDB Local still starting, say) before giving up. */
export const STARTUP_TIMEOUT_MS = 10_000;

/**
 * The local server could not start; the message is one line for the console.
 *
 * @example
 * throw new LocalServerStartError("the store at http://127.0.0.1:8000 did not answer within 10 s");
 */
export class LocalServerStartError extends Error {
  override readonly name = "LocalServerStartError";
}

/** The local server never reads more than a deployed API would accept. */
const BODY_LIMIT = MAX_BODY_BYTES;

/**
 * Runs the service as API Gateway + Lambda would, on `node:http`: each request becomes an HTTP API
 * (payload v2) event for the same handler code, backed by the embedded dynalite store or by
 * `dynamodbEndpoint`. Creates the table when it is missing.
 *
 * @example
 * const server = await startLocalServer({ port: 0, dataDir: ":memory:" });
 * await fetch(`${server.url}/healthz`);
 * await server.close();
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const dataDir = options.dataDir ?? ".data";
  let embedded: EmbeddedDynamoDb | undefined;
  let endpoint = options.dynamodbEndpoint;
  if (endpoint === undefined) {
    embedded = await startEmbeddedDynamoDb(dataDir === ":memory:" ? {} : { path: join(dataDir, "dynalite") });
    endpoint = embedded.endpoint;
  }
  const bucket = options.bucket ?? DEFAULT_LOCAL_BUCKET;
  let embeddedS3: EmbeddedS3 | undefined;
  let s3Endpoint = options.s3Endpoint;
  if (s3Endpoint === undefined) {
    try {
      embeddedS3 = await startEmbeddedS3({
        bucket,
        ...(dataDir === ":memory:" ? {} : { path: join(dataDir, "s3") }),
      });
    } catch (error) {
      await embedded?.stop();
      throw new LocalServerStartError(`the embedded S3 (s3rver) did not start: ${String(error)}`, {
        cause: error,
      });
    }
    s3Endpoint = embeddedS3.endpoint;
  }
  const tableName = options.tableName ?? "suppressions";
  const raw = createDynamoDbClient({
    endpoint,
    ...(options.storeMaxAttempts !== undefined ? { maxAttempts: options.storeMaxAttempts } : {}),
    ...(options.storeAttemptTimeoutMs !== undefined
      ? {
          connectionTimeoutMs: options.storeAttemptTimeoutMs,
          requestTimeoutMs: options.storeAttemptTimeoutMs,
        }
      : {}),
  });
  try {
    await prepareTable(raw, tableName, endpoint, options.startupTimeoutMs ?? STARTUP_TIMEOUT_MS);
  } catch (error) {
    raw.destroy();
    await embedded?.stop();
    await embeddedS3?.stop();
    throw error;
  }
  const policy = getPolicy();
  const store = createStore({
    client: toDocumentClient(raw),
    tableName,
    policy,
    ...(options.storeCallBudgetMs !== undefined ? { callBudgetMs: options.storeCallBudgetMs } : {}),
  });
  const apiKey = options.apiKey ?? randomBytes(24).toString("base64url");
  const unsubscribeSecret = options.unsubscribeSecret ?? generateUnsubscribeSecret();
  let unsubscribeKeys: UnsubscribeKeys;
  try {
    unsubscribeKeys = parseUnsubscribeKeys(unsubscribeSecret);
  } catch (error) {
    raw.destroy();
    await embedded?.stop();
    await embeddedS3?.stop();
    throw new LocalServerStartError(`UNSUBSCRIBE_SECRET: ${(error as Error).message}`, { cause: error });
  }
  // The links point at this server; its address is known once it listens.
  let serverUrl: string | undefined;
  const deps: RuntimeDeps = {
    logger: serviceLogger({ logLevel: options.logLevel ?? "INFO" }),
    store: () => store,
    policy: () => policy,
    auth: createAuthenticator({ bootstrapKey: () => apiKey, store: () => store }),
    secrets: secretsByTenant(PROVIDER_SECRET_NAMES, PROVIDER_SETTING_NAMES, {
      env: environmentOver({
        ...options.secrets,
        ...(options.tenantSecrets ? { [TENANT_SECRETS_ENV]: JSON.stringify(options.tenantSecrets) } : {}),
      }),
    }),
    tenant: DEFAULT_TENANT,
    now: () => new Date(),
  };
  // The jobs' files in s3rver (or `s3Endpoint`); the `jobs` function's runs in this process.
  const s3 = createS3Client(
    embeddedS3 === undefined
      ? { ...s3OptionsFromEnv({ ...process.env, S3_ENDPOINT: s3Endpoint }), endpoint: s3Endpoint }
      : { endpoint: s3Endpoint, credentials: S3RVER_CREDENTIALS },
  );
  const files = createFileStore({ client: s3, bucket });
  const launch = inProcessLauncher(
    (ref) => runJob(ref, { store, files, logger: deps.logger, runners: JOB_RUNNERS }),
    deps.logger,
  );
  const jobServices: JobServices = { files: () => files, launch: options.jobLauncher ?? launch };
  const factories: Record<HttpFunction | LocalFunction, (d: RuntimeDeps) => HttpHandler> = {
    health: createHealthHandler,
    check: createCheckHandler,
    suppressions: createSuppressionsHandler,
    admin: createAdminHandler,
    allowlist: createAllowlistHandler,
    history: createHistoryHandler,
    lists: createListsHandler,
    status: createStatusHandler,
    stats: createStatsHandler,
    exports: (d) => createExportsHandler(d, jobServices),
    "list-checks": (d) => createListChecksHandler(d, jobServices),
    import: createImportHandler,
    keys: createKeysHandler,
    webhook: (d) => createWebhookHandler(d, options.webhookOptions),
    unsubscribe: (d) =>
      createUnsubscribeHandler(d, { keys: async () => unsubscribeKeys, baseUrl: () => serverUrl }),
    openapi: createOpenApiHandler,
  };
  const routes = { ...HTTP_ROUTES, ...LOCAL_ROUTES };
  const router = createRouter(
    Object.fromEntries(Object.entries(routes).map(([key, fn]) => [key, factories[fn](deps)])),
  );

  // The stack's daily `stats-rollup`, hourly here (docs/figures.md); readers roll up what it missed.
  const statsRollup = setInterval(() => {
    statsStore(store)
      .rollup()
      .catch((error: unknown) => deps.logger.warn("stats rollup failed; the next run retries", { error }));
  }, 3_600_000);
  statsRollup.unref();
  // The bucket's 7-day lifecycle rule, here: every hour, files older than JOB_FILE_DAYS go.
  const fileSweep = setInterval(() => {
    files
      .sweep(JOB_FILE_DAYS * 86_400)
      .catch((error: unknown) => deps.logger.warn("file sweep failed; the next run retries", { error }));
  }, 3_600_000);
  fileSweep.unref();

  const consoleFiles = createConsoleFiles();
  const server = createServer((req, res) => {
    consoleFiles
      .serve(req, res)
      .then((served) => (served ? undefined : serve(req, res, router)))
      .catch((error: unknown) => {
        deps.logger.error("local server failure", { error });
        if (!res.headersSent) send(res, problem(new HttpProblem(500, "An unexpected error occurred.")));
        else res.destroy();
      });
  });
  await new Promise<void>((listening, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, options.host ?? "127.0.0.1", () => listening());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  serverUrl = `http://${host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: serverUrl,
    apiKey,
    apiKeyGenerated: options.apiKey === undefined,
    unsubscribeSecret,
    unsubscribeSecretGenerated: options.unsubscribeSecret === undefined,
    storage: options.dynamodbEndpoint ?? (dataDir === ":memory:" ? ":memory:" : resolve(dataDir)),
    s3Endpoint,
    jobsIdle: () => launch.idle(),
    close: () => {
      closing ??= (async () => {
        clearInterval(statsRollup);
        clearInterval(fileSweep);
        await new Promise<void>((closed) => {
          server.close(() => closed());
          server.closeIdleConnections();
        });
        await launch.idle();
        raw.destroy();
        s3.destroy();
        await embedded?.stop();
        await embeddedS3?.stop();
      })();
      return closing;
    },
  };
}

/** `process.env` as it is at each read, with `overrides` over it (tests' secrets). */
function environmentOver(
  overrides: Readonly<Record<string, string>>,
): Readonly<Record<string, string | undefined>> {
  return new Proxy<Record<string, string | undefined>>(
    {},
    {
      get: (_target, name) => (typeof name === "string" ? (overrides[name] ?? process.env[name]) : undefined),
    },
  );
}

/** `GET /openapi.json` (local only): the OpenAPI document of the contract, as docs/openapi.json holds it. */
function createOpenApiHandler(deps: RuntimeDeps): HttpHandler {
  let document: unknown;
  return httpRoute({ logger: deps.logger, auth: "none" }, async () => {
    document ??= openApiDocument();
    return json(200, document);
  });
}

/**
 * Creates the table, waiting up to `timeoutMs` for the store to answer: transient failures
 * (refused connections, attempt timeouts) are retried until then, every request is cut off at the
 * deadline, and a store that never answered is one `LocalServerStartError` line, not a silent hang.
 */
async function prepareTable(
  raw: ReturnType<typeof createDynamoDbClient>,
  tableName: string,
  endpoint: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = AbortSignal.timeout(timeoutMs);
  let last: unknown;
  while (!deadline.aborted) {
    try {
      await ensureTable(raw, tableName, { abortSignal: deadline });
      return;
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      last = error;
    }
    await new Promise<void>((resolveWait) => {
      const timer = setTimeout(done, 200);
      function done() {
        clearTimeout(timer);
        deadline.removeEventListener("abort", done);
        resolveWait();
      }
      deadline.addEventListener("abort", done, { once: true });
    });
  }
  const seconds = Number((timeoutMs / 1000).toFixed(3));
  const reason = lastReason(last);
  throw new LocalServerStartError(
    `the store at ${endpoint} did not answer within ${seconds} s${reason ? ` (${reason})` : ""}`,
    { cause: last },
  );
}

/** The innermost error's message, unless it only says that time ran out (the line already does). */
function lastReason(error: unknown): string | null {
  let inner: unknown = error;
  const seen = new Set<unknown>();
  while (inner instanceof Error && inner.cause !== undefined && !seen.has(inner.cause)) {
    seen.add(inner);
    inner = inner.cause;
  }
  if (!(inner instanceof Error)) return null;
  if (/timeout|timed out|abort/i.test(`${inner.name} ${inner.message}`)) return null;
  return inner.message.split("\n")[0] ?? null;
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  router: ReturnType<typeof createRouter<HttpHandler>>,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const route = router.match(req.method ?? "GET", url.pathname);
  if (route === undefined || route === "method") {
    req.resume();
    send(res, problem(unmatched(req.method ?? "GET", url.pathname)));
    return;
  }
  const body = await readBody(req);
  if (body === "too-large") {
    send(
      res,
      problem(
        new HttpProblem(413, `The body is larger than ${BODY_LIMIT} bytes.`, { slug: "body-too-large" }),
      ),
    );
    return;
  }
  const event = toApiGatewayEvent(req, body, route);
  const result = await route.target(event, lambdaContext(route.routeKey, event.requestContext.requestId));
  send(res, result);
}

function readBody(req: IncomingMessage): Promise<Buffer | "too-large"> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > BODY_LIMIT) {
        req.removeAllListeners("data");
        req.resume();
        resolveBody("too-large");
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolveBody(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, result: HttpResponse): void {
  const body = result.isBase64Encoded
    ? Buffer.from(result.body, "base64")
    : Buffer.from(result.body ?? "", "utf8");
  res.writeHead(result.statusCode, { ...result.headers, "content-length": String(body.byteLength) });
  res.end(body);
}

function lambdaContext(routeKey: string, requestId: string): Context {
  const functionName = `local-${routeKey.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => httpFunctionTimeoutSeconds() * 1000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** `{ [option]: n }` when `env[name]` is set (a positive integer), `{}` when it is not. */
function positiveIntegerEnv<K extends keyof LocalServerOptions>(
  env: NodeJS.ProcessEnv,
  name: string,
  option: K,
): Partial<Record<K, number>> {
  const text = env[name]?.trim();
  if (!text) return {};
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new UsageError(`${name} must be a positive integer, got ${text}`);
  return { [option]: value } as Partial<Record<K, number>>;
}

export const HELP = `Usage: npm start [-- --help]    (npm run dev: the same, restarted when a file changes)

Runs the service on node:http as API Gateway + Lambda would, with the embedded store (dynalite,
data in ./.data) or a DynamoDB-compatible endpoint, an embedded S3 (s3rver) for the exports' and
list checks' files, the jobs in-process, and the web console at /console/. Serves until SIGINT or SIGTERM. Takes no
arguments: it is configured by the environment (docs/operations.md, "Configuration"):
  PORT (3000; 0 picks a free one), HOST (127.0.0.1), DATA_DIR (.data; :memory: keeps nothing),
  DYNAMODB_ENDPOINT, TABLE_NAME (suppressions), SUPPRESSION_API_KEY (generated and printed when unset),
  UNSUBSCRIBE_SECRET (the unsubscribe links' keys, kid:secret[,…]; generated and printed when unset),
  S3_ENDPOINT (the jobs' files; default an embedded s3rver, data in DATA_DIR/s3), EXPORT_BUCKET
  (suppression-files),
  POLICY_FILE, SNS_TOPIC_ARNS, the providers' webhook secrets (SENDGRID_VERIFICATION_KEY, …),
  STORE_STARTUP_TIMEOUT_MS, STORE_ATTEMPT_TIMEOUT_MS, STORE_MAX_ATTEMPTS, STORE_CALL_BUDGET_MS

Options:
  -h, --help   this text

Exit codes:
  0  stopped by SIGINT or SIGTERM
  1  could not start (the store did not answer, the port is taken…) or failed while stopping
  2  bad usage: an argument, a bad PORT or STORE_* value, a POLICY_FILE that cannot be read or is invalid
`;

/** Bad usage or configuration: exit code 2, the message is the one line printed. */
class UsageError extends Error {}

/** `--help`, or nothing: `npm start` is configured by the environment only. */
function parseServerArgs(argv: readonly string[]): { help: boolean } {
  let parsed: { values: { help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: { help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/, ""));
  }
  const extra = parsed.positionals[0];
  if (extra !== undefined && !parsed.values.help) {
    throw new UsageError(`unexpected argument '${extra}': the server is configured by the environment`);
  }
  return { help: parsed.values.help ?? false };
}

/** `npm start`: reads the environment (design.md §5.2), serves until SIGINT/SIGTERM. */
async function main(argv: readonly string[]): Promise<void> {
  if (parseServerArgs(argv).help) {
    process.stdout.write(HELP);
    return;
  }
  const env = process.env;
  const port = env.PORT === undefined ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`PORT must be a port number, got ${env.PORT}`);
  const server = await startLocalServer({
    port,
    ...(env.HOST ? { host: env.HOST } : {}),
    ...(env.DATA_DIR ? { dataDir: env.DATA_DIR } : {}),
    ...(env.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: env.DYNAMODB_ENDPOINT } : {}),
    ...(env.TABLE_NAME ? { tableName: env.TABLE_NAME } : {}),
    ...(env.S3_ENDPOINT ? { s3Endpoint: env.S3_ENDPOINT } : {}),
    ...(env.EXPORT_BUCKET ? { bucket: env.EXPORT_BUCKET } : {}),
    ...(env.SUPPRESSION_API_KEY ? { apiKey: env.SUPPRESSION_API_KEY } : {}),
    ...(env.UNSUBSCRIBE_SECRET ? { unsubscribeSecret: env.UNSUBSCRIBE_SECRET } : {}),
    ...positiveIntegerEnv(env, "STORE_STARTUP_TIMEOUT_MS", "startupTimeoutMs"),
    ...positiveIntegerEnv(env, "STORE_ATTEMPT_TIMEOUT_MS", "storeAttemptTimeoutMs"),
    ...positiveIntegerEnv(env, "STORE_MAX_ATTEMPTS", "storeMaxAttempts"),
    ...positiveIntegerEnv(env, "STORE_CALL_BUDGET_MS", "storeCallBudgetMs"),
  });
  const lines = [
    `suppression-service listening on ${server.url}`,
    `console: ${server.url}/console/`,
    `store: ${server.storage}`,
    `files: ${server.s3Endpoint}`,
  ];
  if (server.apiKeyGenerated) {
    lines.push(`API key (generated; set SUPPRESSION_API_KEY to choose one): ${server.apiKey}`);
  }
  if (server.unsubscribeSecretGenerated) {
    lines.push(
      `unsubscribe links' secret (generated; set UNSUBSCRIBE_SECRET to it to keep links working across restarts): ${server.unsubscribeSecret}`,
    );
  }
  console.log(lines.join("\n"));
  const stop = (signal: string) => {
    console.log(`${signal}: stopping`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    const usage = error instanceof UsageError || error instanceof PolicyError;
    const message = error instanceof Error ? error.message : String(error);
    console.error(
      `suppression-service could not start: ${message}${usage ? "; see npm start -- --help" : ""}`,
    );
    process.exit(usage ? 2 : 1);
  });
}
