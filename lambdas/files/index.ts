/** The file store: the only code that talks to S3 (design.md §4). */
export {
  createS3Client,
  DEFAULT_LOCAL_BUCKET,
  EXPORT_BUCKET_ENV,
  exportBucketFromEnv,
  S3_ENDPOINT_ENV,
  type S3ClientOptions,
  S3RVER_CREDENTIALS,
  s3OptionsFromEnv,
} from "./client.js";
export {
  FileError,
  FileFaultError,
  FileLinkExpiredError,
  FileUnavailableError,
  isTransientFileError,
  toFileError,
} from "./errors.js";
export {
  createFileStore,
  type FileStore,
  type FileStoreOptions,
  MAX_LINK_SECONDS,
  UPLOAD_PART_BYTES,
  UPLOAD_QUEUE_SIZE,
  type UploadOptions,
  type UploadSource,
} from "./file-store.js";
export { JOB_FILES_PREFIX, type JobFileOwner, jobFileKey } from "./keys.js";
