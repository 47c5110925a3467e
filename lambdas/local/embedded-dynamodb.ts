import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";

/** A DynamoDB-compatible endpoint served in this process by dynalite. */
export type EmbeddedDynamoDb = { readonly endpoint: string; stop(): Promise<void> };

/**
 * Starts dynalite on a free loopback port, persisted in `path` (a LevelDB directory) or in memory.
 *
 * @example
 * const db = await startEmbeddedDynamoDb({ path: ".data/dynalite" });
 * // … DYNAMODB_ENDPOINT=db.endpoint …
 * await db.stop();
 */
export async function startEmbeddedDynamoDb(options: { path?: string } = {}): Promise<EmbeddedDynamoDb> {
  if (options.path !== undefined) mkdirSync(options.path, { recursive: true });
  const server = dynalite({
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
