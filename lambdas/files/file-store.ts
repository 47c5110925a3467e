/**
 * The file store: the only code that talks to S3 (design.md §4). The jobs' files (exports, list
 * checks) are written here as streams (multipart upload, a bounded number of parts in memory, never
 * the whole file), read back as streams, and handed out as presigned links that never outlive the
 * file: every file lasts `JOB_FILE_DAYS` (the bucket's lifecycle rule deletes it; locally the
 * server's sweep).
 */
import { Readable } from "node:stream";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { FileLinkExpiredError, isNotFound, toFileError } from "./errors.js";

/** The longest a SigV4 presigned link may be valid (S3's limit: 7 days). */
export const MAX_LINK_SECONDS = 7 * 86_400;
/** Bytes of one uploaded part (S3's minimum but for the last). */
export const UPLOAD_PART_BYTES = 5 * 1024 * 1024;
/** Parts uploaded at once: with `UPLOAD_PART_BYTES`, at most ~10 MB of a file is in memory. */
export const UPLOAD_QUEUE_SIZE = 2;
/** S3's limit of keys per DeleteObjects. */
const DELETE_BATCH = 1_000;

/** What an upload reads: chunks of text (UTF-8) or bytes, or a byte stream. */
export type UploadSource = AsyncIterable<string | Uint8Array> | Readable;

export type UploadOptions = {
  /** Aborting it stops the upload and aborts the multipart upload (no object is left). */
  readonly signal?: AbortSignal;
};

/** The jobs' files in one bucket. */
export type FileStore = {
  readonly bucket: string;
  /**
   * Streams `source` into the object `key` (multipart once it passes one part), reading ahead at
   * most `UPLOAD_QUEUE_SIZE` parts. On any failure, the source's or S3's, the multipart upload is
   * aborted: the object is written whole or not at all. A failure of the source is rethrown as it
   * is; S3's becomes a `FileError`.
   */
  upload(
    key: string,
    source: UploadSource,
    contentType: string,
    options?: UploadOptions,
  ): Promise<{ readonly bytes: number }>;
  /** The object's bytes as a stream. @throws FileFaultError when there is no such object */
  read(key: string): Promise<Readable>;
  /** The object's size in bytes, or `null` when there is no such object. */
  head(key: string): Promise<number | null>;
  /**
   * A presigned GET of `key` that downloads as `filename` (`Content-Disposition: attachment`),
   * valid for min(7 days, `expiresAt` − now).
   *
   * @param expiresAt epoch seconds: the file's end, past which no link may be valid
   * @throws FileLinkExpiredError when `expiresAt` is not in the future
   */
  downloadUrl(key: string, expiresAt: number, filename: string): Promise<string>;
  /** A presigned PUT of `key`, valid `seconds` (at most 7 days), with `contentType` when given. */
  uploadUrl(key: string, seconds: number, contentType?: string): Promise<string>;
  /** Deletes the objects (missing ones are no error). */
  remove(keys: readonly string[]): Promise<void>;
  /** Deletes every object last modified more than `olderThanSeconds` ago; answers how many. */
  sweep(olderThanSeconds: number): Promise<number>;
};

export type FileStoreOptions = {
  readonly client: S3Client;
  readonly bucket: string;
  /** Milliseconds since the epoch: links are signed at this time (tests move it). @default Date.now */
  readonly now?: () => number;
  /** @default UPLOAD_PART_BYTES */
  readonly partBytes?: number;
  /** @default UPLOAD_QUEUE_SIZE */
  readonly queueSize?: number;
};

/** A `filename` safe inside `attachment; filename="…"`: ASCII letters, digits, `._-`. */
const safeFilename = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 200) || "file";

/**
 * The file store over `bucket`.
 *
 * @example
 * const files = createFileStore({ client: createS3Client(s3OptionsFromEnv()), bucket: exportBucketFromEnv() });
 * const { bytes } = await files.upload("jobs/default/export/…/1/export.csv", rows(), "text/csv");
 * const url = await files.downloadUrl("jobs/default/export/…/1/export.csv", expiresAt, "suppressions.csv");
 */
export function createFileStore(options: FileStoreOptions): FileStore {
  const { client, bucket } = options;
  const now = options.now ?? Date.now;

  const upload: FileStore["upload"] = async (key, source, contentType, uploadOptions = {}) => {
    let bytes = 0;
    let sourceError: unknown;
    async function* counted(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
          const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
          if (buffer.byteLength === 0) continue;
          bytes += buffer.byteLength;
          yield buffer;
        }
      } catch (error) {
        sourceError = error;
        throw error;
      }
    }
    const body = Readable.from(counted());
    const uploader = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType },
      partSize: options.partBytes ?? UPLOAD_PART_BYTES,
      queueSize: options.queueSize ?? UPLOAD_QUEUE_SIZE,
      leavePartsOnError: false,
    });
    const signal = uploadOptions.signal;
    const onAbort = () => {
      body.destroy();
      uploader.abort().catch(() => undefined);
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await uploader.done();
    } catch (error) {
      if (sourceError !== undefined) throw sourceError;
      if (signal?.aborted) throw signal.reason ?? error;
      throw toFileError(error, "Upload");
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    return { bytes };
  };

  const read: FileStore["read"] = async (key) => {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = out.Body;
      if (!(body instanceof Readable)) throw new Error("GetObject answered no stream");
      return body;
    } catch (error) {
      throw toFileError(error, "GetObject");
    }
  };

  const head: FileStore["head"] = async (key) => {
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return out.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw toFileError(error, "HeadObject");
    }
  };

  const downloadUrl: FileStore["downloadUrl"] = async (key, expiresAt, filename) => {
    const at = now();
    const seconds = Math.min(MAX_LINK_SECONDS, Math.floor(expiresAt - at / 1000));
    if (seconds <= 0) {
      throw new FileLinkExpiredError(`the file expired at ${new Date(expiresAt * 1000).toISOString()}`);
    }
    try {
      return await getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ResponseContentDisposition: `attachment; filename="${safeFilename(filename)}"`,
        }),
        { expiresIn: seconds, signingDate: new Date(at) },
      );
    } catch (error) {
      throw toFileError(error, "presign GetObject");
    }
  };

  const uploadUrl: FileStore["uploadUrl"] = async (key, seconds, contentType) => {
    try {
      return await getSignedUrl(
        client,
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(contentType === undefined ? {} : { ContentType: contentType }),
        }),
        {
          expiresIn: Math.max(1, Math.min(MAX_LINK_SECONDS, Math.floor(seconds))),
          signingDate: new Date(now()),
        },
      );
    } catch (error) {
      throw toFileError(error, "presign PutObject");
    }
  };

  const remove: FileStore["remove"] = async (keys) => {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      try {
        await client.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
      } catch (error) {
        throw toFileError(error, "DeleteObjects");
      }
    }
  };

  const sweep: FileStore["sweep"] = async (olderThanSeconds) => {
    const cutoff = now() - olderThanSeconds * 1000;
    let removed = 0;
    let token: string | undefined;
    do {
      let out: ListObjectsV2CommandOutput;
      try {
        out = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            ...(token === undefined ? {} : { ContinuationToken: token }),
          }),
        );
      } catch (error) {
        throw toFileError(error, "ListObjectsV2");
      }
      const old = (out.Contents ?? [])
        .filter(
          (o) => o.Key !== undefined && o.LastModified !== undefined && o.LastModified.getTime() < cutoff,
        )
        .map((o) => o.Key as string);
      await remove(old);
      removed += old.length;
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token !== undefined);
    return removed;
  };

  return { bucket, upload, read, head, downloadUrl, uploadUrl, remove, sweep };
}
