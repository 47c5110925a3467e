/**
 * The local S3 (`npm start`, the tests): s3rver, an S3-compatible server on the file system, on a
 * free loopback port, with the jobs' bucket created. It checks SigV4 signatures and presigned
 * links' expiry as S3 does, so a link the service hands out works (and stops working) in a browser
 * as it would in AWS.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";

/** An S3-compatible endpoint served in this process. */
export type EmbeddedS3 = { readonly endpoint: string; readonly bucket: string; stop(): Promise<void> };

export type EmbeddedS3Options = {
  /** Where objects are kept; absent: a temporary directory removed at `stop()` (`:memory:` data). */
  readonly path?: string;
  readonly bucket: string;
  /** Loopback by default. */
  readonly host?: string;
};

/**
 * Starts s3rver with `bucket`.
 *
 * @example
 * const s3 = await startEmbeddedS3({ bucket: "suppression-files" });
 * createS3Client({ endpoint: s3.endpoint, credentials: S3RVER_CREDENTIALS });
 * await s3.stop();
 */
export async function startEmbeddedS3(options: EmbeddedS3Options): Promise<EmbeddedS3> {
  const temporary = options.path === undefined;
  const directory = options.path ?? mkdtempSync(join(tmpdir(), "suppression-s3-"));
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    port: 0,
    address: options.host ?? "127.0.0.1",
    silent: true,
    directory,
    configureBuckets: [{ name: options.bucket }],
  });
  const { address, port } = await server.run();
  const host = address.includes(":") ? `[${address}]` : address;
  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${port}`,
    bucket: options.bucket,
    stop: () => {
      stopping ??= server.close().finally(() => {
        if (temporary) rmSync(directory, { recursive: true, force: true });
      });
      return stopping;
    },
  };
}
