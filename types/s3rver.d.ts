/** The part of s3rver 3 (a local S3-compatible server on the file system) that the local server and tests use. */
declare module "s3rver" {
  import type { AddressInfo } from "node:net";

  export interface S3rverOptions {
    /** 0 picks a free port. */
    port?: number;
    address?: string;
    silent?: boolean;
    /** Where buckets and objects are kept. */
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    /** Buckets created at `run()`. */
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  export default class S3rver {
    constructor(options?: S3rverOptions);
    /** Starts listening; answers the address it listens on. */
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
