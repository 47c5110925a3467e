/**
 * What the job routes and the `jobs` function need besides the store: the file store and a way to
 * start a run. Built from the environment in AWS; `npm start` and the tests build their own.
 */
import {
  createFileStore,
  createS3Client,
  exportBucketFromEnv,
  type FileStore,
  s3OptionsFromEnv,
} from "../files/index.js";
import { JOBS_FUNCTION_ENV, type JobLauncher, lambdaLauncher } from "./launcher.js";

export type JobServices = {
  /** Built on first use (importing a handler opens no connection). */
  readonly files: () => FileStore;
  readonly launch: JobLauncher;
};

/**
 * The container's job services: the bucket `EXPORT_BUCKET` (through `S3_ENDPOINT` when set) and
 * the `jobs` function `JOBS_FUNCTION_NAME`.
 *
 * @example
 * export const handler = createExportsHandler(containerDeps(getPolicy), containerJobServices());
 */
export function containerJobServices(env: NodeJS.ProcessEnv = process.env): JobServices {
  let files: FileStore | undefined;
  return {
    files: () => {
      files ??= createFileStore({
        client: createS3Client(s3OptionsFromEnv(env)),
        bucket: exportBucketFromEnv(env),
      });
      return files;
    },
    launch: lambdaLauncher(env[JOBS_FUNCTION_ENV]?.trim() ?? ""),
  };
}
