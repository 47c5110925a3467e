/**
 * The S3 client of the file store, one per container (Lambda reuses the module between
 * invocations, so its connections survive warm starts), configured from the environment.
 */
import { S3Client } from "@aws-sdk/client-s3";

/** The bucket of the jobs' files (exports, list checks): set by the stack, or by the local server. */
export const EXPORT_BUCKET_ENV = "EXPORT_BUCKET";
/** An S3-compatible endpoint (s3rver locally and in tests); absent means S3 itself. */
export const S3_ENDPOINT_ENV = "S3_ENDPOINT";
/** The bucket `npm start` creates in its embedded S3 when `EXPORT_BUCKET` names none. */
export const DEFAULT_LOCAL_BUCKET = "suppression-files";
/** s3rver's fixed credentials (it checks signatures with them). */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

/** How to reach S3. */
export type S3ClientOptions = {
  /** An S3-compatible endpoint; path-style addressing is used with one. */
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** SDK attempts per request, the first included; default 3. */
  readonly maxAttempts?: number;
};

const LOCAL_REGION = "us-east-1";

/**
 * Reads `S3_ENDPOINT`, `AWS_REGION` / `AWS_DEFAULT_REGION` from `env`; against an endpoint without
 * AWS credentials in the environment, s3rver's.
 *
 * @example
 * s3OptionsFromEnv({ S3_ENDPOINT: "http://127.0.0.1:4568" });
 * // { endpoint: "http://127.0.0.1:4568", region: "us-east-1", credentials: S3RVER_CREDENTIALS }
 */
export function s3OptionsFromEnv(env: NodeJS.ProcessEnv = process.env): S3ClientOptions {
  const endpoint = env[S3_ENDPOINT_ENV]?.trim() || undefined;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || (endpoint ? LOCAL_REGION : undefined);
  const local = endpoint !== undefined && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE;
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    ...(local ? { credentials: S3RVER_CREDENTIALS } : {}),
  };
}

/**
 * An S3 client; with an endpoint, path-style (`http://host/bucket/key`), as s3rver needs.
 *
 * @example
 * const s3 = createS3Client({ endpoint: "http://127.0.0.1:4568", credentials: S3RVER_CREDENTIALS });
 */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  return new S3Client({
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    region: options.region ?? LOCAL_REGION,
    ...(options.credentials !== undefined ? { credentials: { ...options.credentials } } : {}),
    maxAttempts: options.maxAttempts ?? 3,
  });
}

/**
 * The bucket from `EXPORT_BUCKET`.
 *
 * @throws Error when it is not set (a deployment fault: the stack sets it on every function that needs it)
 * @example exportBucketFromEnv({ EXPORT_BUCKET: "files" }); // "files"
 */
export function exportBucketFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const bucket = env[EXPORT_BUCKET_ENV]?.trim();
  if (!bucket) throw new Error(`${EXPORT_BUCKET_ENV} is not set: the function has no file bucket`);
  return bucket;
}
