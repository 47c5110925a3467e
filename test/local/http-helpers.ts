import { afterAll, beforeAll, expect } from "vitest";
import { startEmbeddedDynamoDb } from "../../lambdas/local/embedded-dynamodb.js";
import { type LocalServer, type LocalServerOptions, startLocalServer } from "../../lambdas/local/server.js";
import { type FaultyProxy, startFaultyProxy } from "../support/faulty-proxy.js";

export type Answer = {
  status: number;
  type: string;
  body: Record<string, unknown> & { [key: string]: unknown };
};

/** Calls the local server over a real socket and reads the JSON answer. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: {
    key?: string | null;
    body?: unknown;
    raw?: string | Buffer;
    contentType?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | Buffer | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const res = await fetch(`${baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    body: text ? JSON.parse(text) : {},
  };
}

/** Asserts an RFC 9457 problem answer with the given status. */
export function expectProblem(answer: Answer, status: number): void {
  expect(answer.status).toBe(status);
  expect(answer.type).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(String(answer.body.type)).toMatch(/^https:\/\//);
}

/**
 * Starts the local server (in memory, on a free port) for the enclosing `describe` and stops it
 * after; returns a getter for it. `options` adds to the defaults (provider `secrets`, webhook fakes).
 */
export function useLocalServer(apiKey: string, options: LocalServerOptions = {}): () => LocalServer {
  let server: LocalServer | undefined;
  beforeAll(async () => {
    server = await startLocalServer({ port: 0, dataDir: ":memory:", apiKey, logLevel: "SILENT", ...options });
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error("the local server is not started yet");
    return server;
  };
}

/**
 * Runs `run` against a local server whose store sits behind a fault-injecting proxy (real dynalite,
 * real SDK with one attempt per call, so a broken connection surfaces at once), and tears all down.
 */
export async function withFlakyStore(
  apiKey: string,
  options: LocalServerOptions,
  run: (server: LocalServer, proxy: FaultyProxy) => Promise<void>,
): Promise<void> {
  const db = await startEmbeddedDynamoDb();
  const proxy = await startFaultyProxy(db.endpoint);
  try {
    const server = await startLocalServer({
      port: 0,
      apiKey,
      logLevel: "SILENT",
      ...options,
      dynamodbEndpoint: proxy.endpoint,
      storeMaxAttempts: 1,
    });
    try {
      await run(server, proxy);
    } finally {
      await server.close();
    }
  } finally {
    await proxy.stop();
    await db.stop();
  }
}
