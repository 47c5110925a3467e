/**
 * The DynamoDB engines the store suites run against: Amazon's DynamoDB Local (Java, started as a
 * child process) and dynalite (in process). Both listen on a free 127.0.0.1 port only and hand back
 * an SDK client with dummy credentials.
 *
 * ```ts
 * describe.each(ENGINES)("store on $name", (engine) => {
 *   let running: RunningEngine;
 *   beforeAll(async () => { running = await engine.start(); });
 *   afterAll(() => running.stop());
 * });
 * ```
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { startEmbeddedDynamoDb } from "../../lambdas/local/embedded-dynamodb.js";
import {
  DYNAMODB_LOCAL_DIR,
  DYNAMODB_LOCAL_JAR,
  DYNAMODB_LOCAL_LIB,
  fetchDynamoDbLocal,
} from "./fetch-dynamodb-local.js";

const run = promisify(execFile);

export const LOOPBACK = "127.0.0.1";
/** Dummy settings: local engines accept any credentials; the region only has to be valid. */
export const LOCAL_REGION = "us-east-1";
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" } as const;

/** One started engine. `stop()` is idempotent. */
export type RunningEngine = {
  readonly name: string;
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
};

/** An engine the suites can start, for `describe.each(ENGINES)`. */
export type EngineSpec = { readonly name: string; start(): Promise<RunningEngine> };

/** An engine could not be started (Java missing, jar missing, never answered). Tests fail on it. */
export class EngineStartError extends Error {
  override readonly name = "EngineStartError";
}

/** An SDK client for a local endpoint: dummy credentials and region, few retries. */
export function localClient(endpoint: string, maxAttempts = 3): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts });
}

/** A port that was free on 127.0.0.1 a moment ago. */
export async function freeLoopbackPort(): Promise<number> {
  return await new Promise<number>((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

async function waitUntilAnswering(client: DynamoDBClient, timeoutMs: number, exited: () => string | null) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const gone = exited();
    if (gone !== null) throw new EngineStartError(gone);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new EngineStartError(`no answer within ${timeoutMs} ms`, { cause: last });
}

/**
 * DynamoDB Local has no flag for the listen address (its Jetty binds every interface). This small
 * launcher builds the server the way `-jar DynamoDBLocal.jar` does, then sets the Jetty connector's
 * host to the loopback address before starting it.
 */
const LAUNCHER_SOURCE = `
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import java.util.Arrays;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

public final class LoopbackLauncher {
  public static void main(String[] args) throws Exception {
    String host = args[0];
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(Arrays.copyOfRange(args, 1, args.length));
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    for (Connector connector : jetty.getConnectors()) ((ServerConnector) connector).setHost(host);
    proxy.start();
    System.out.println("DynamoDB Local listening on " + host);
  }
}
`;
const LAUNCHER_DIR = join(DYNAMODB_LOCAL_DIR, "launcher");
const DYNAMODB_LOCAL_CLASSPATH = `${DYNAMODB_LOCAL_JAR}:${DYNAMODB_LOCAL_LIB}/*`;

async function javaVersion(): Promise<string> {
  try {
    const { stderr, stdout } = await run("java", ["-version"]);
    return `${stderr}${stdout}`.split("\n")[0] ?? "";
  } catch (err) {
    throw new EngineStartError("DynamoDB Local needs Java 17+ on PATH (`java` was not found)", {
      cause: err,
    });
  }
}

/** Compiles the loopback launcher once (needs a JDK); `false` when only a JRE is installed. */
async function loopbackLauncher(): Promise<boolean> {
  if (existsSync(join(LAUNCHER_DIR, "LoopbackLauncher.class"))) return true;
  try {
    await run("javac", ["-version"]);
  } catch {
    return false;
  }
  const work = `${LAUNCHER_DIR}.${process.pid}`;
  await mkdir(work, { recursive: true });
  await writeFile(join(work, "LoopbackLauncher.java"), LAUNCHER_SOURCE);
  await run("javac", [
    "-nowarn",
    "-cp",
    DYNAMODB_LOCAL_CLASSPATH,
    "-d",
    work,
    join(work, "LoopbackLauncher.java"),
  ]);
  try {
    await rename(work, LAUNCHER_DIR);
  } catch {
    await rm(work, { recursive: true, force: true }); // another worker won the race
  }
  return true;
}

/**
 * Starts DynamoDB Local in memory on a free loopback port (`-inMemory -sharedDb -disableTelemetry`).
 * Fails (never skips) when Java is missing. With a JDK it binds 127.0.0.1 only (see the launcher);
 * with only a JRE it falls back to `-jar DynamoDBLocal.jar`, which binds every interface, and says so.
 *
 * @example
 * const engine = await startDynamoDbLocal();
 * await engine.client.send(new ListTablesCommand({}));
 * await engine.stop();
 */
export async function startDynamoDbLocal(): Promise<RunningEngine> {
  await javaVersion();
  await fetchDynamoDbLocal();
  const port = await freeLoopbackPort();
  const serverArgs = ["-inMemory", "-sharedDb", "-disableTelemetry", "-port", String(port)];
  const libPath = `-Djava.library.path=${DYNAMODB_LOCAL_LIB}`;
  const args = (await loopbackLauncher())
    ? [
        libPath,
        "-cp",
        `${LAUNCHER_DIR}:${DYNAMODB_LOCAL_CLASSPATH}`,
        "LoopbackLauncher",
        LOOPBACK,
        ...serverArgs,
      ]
    : [libPath, "-jar", DYNAMODB_LOCAL_JAR, ...serverArgs];
  if (args.includes("-jar"))
    console.warn(
      "DynamoDB Local: no JDK (javac) found, so it listens on every interface, not only 127.0.0.1",
    );
  const child: ChildProcess = spawn("java", ["-Xss1m", "-XX:+UseSerialGC", ...args], {
    cwd: DYNAMODB_LOCAL_DIR,
    env: { ...process.env, DDB_LOCAL_TELEMETRY: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let exitNote: string | null = null;
  child.once("exit", (code, signal) => {
    exitNote = `DynamoDB Local exited (code ${code}, signal ${signal}): ${output.trim()}`;
  });
  child.once("error", (err) => {
    exitNote = `DynamoDB Local could not start: ${err.message}`;
  });
  // Never leave a JVM behind, even when the test worker ends without calling stop().
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const endpoint = `http://${LOOPBACK}:${port}`;
  const client = localClient(endpoint);
  const stop = async (): Promise<void> => {
    client.destroy();
    process.off("exit", killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((done) => {
      const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(force);
        done();
      });
      child.kill("SIGTERM");
    });
  };
  try {
    await waitUntilAnswering(client, 60_000, () => exitNote);
  } catch (err) {
    await stop();
    throw err;
  }
  return { name: "DynamoDB Local", endpoint, client, stop };
}

/**
 * Starts dynalite in this process, in memory, on a free loopback port, with tables ACTIVE at once.
 *
 * @example
 * const engine = await startDynalite();
 * await engine.stop();
 */
export async function startDynalite(): Promise<RunningEngine> {
  // The same embedded engine `npm start` runs, so the suite covers what users get.
  const db = await startEmbeddedDynamoDb();
  const client = localClient(db.endpoint);
  const stop = async (): Promise<void> => {
    client.destroy();
    await db.stop();
  };
  return { name: "dynalite", endpoint: db.endpoint, client, stop };
}

/** Both engines, for `describe.each(ENGINES)("… on $name", …)`. */
export const ENGINES: readonly EngineSpec[] = [
  { name: "dynalite", start: startDynalite },
  { name: "DynamoDB Local", start: startDynamoDbLocal },
];
