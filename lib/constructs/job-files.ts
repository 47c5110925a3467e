import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { JOB_FILE_DAYS } from "../../lambdas/contract/jobs.js";
import { JOB_FILES_PREFIX } from "../../lambdas/files/keys.js";

export type JobFilesProps = {
  /** Days the bucket's access logs are kept. @default 90 */
  readonly logRetentionDays?: number;
};

/** What a function may do with the jobs' files. */
export type FileAccess = "read" | "read-write";

/**
 * The jobs' files (docs/exports.md, docs/list-cleaning.md): exports, uploaded lists and list
 * checks' results, in a private bucket encrypted with S3-managed keys, TLS only, its accesses
 * logged. Every object is deleted `JOB_FILE_DAYS` after it was written (the lifecycle rule: the
 * links the service hands out never outlive that), and a multipart upload a crashed job left is
 * aborted after a day.
 *
 * No CORS: the console sends lists in the request body (up to 5 MiB) and downloads files by
 * following their links (a navigation, `Content-Disposition: attachment`); only `npm run
 * clean-list` and other non-browser clients PUT to an upload link.
 */
export class JobFiles extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: JobFilesProps = {}) {
    super(scope, id);
    // (cdk-nag's S1 does not ask a log destination to log its own accesses.)
    this.logBucket = new s3.Bucket(this, "AccessLogs", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays ?? 90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // DESTROY: nothing in it outlives seven days, and a stack deletion needs no archive of it.
    // Without autoDeleteObjects (a custom resource with a managed policy) a non-empty bucket stays.
    this.bucket = new s3.Bucket(this, "Bucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: "s3/job-files/",
      lifecycleRules: [
        {
          id: "job-files-expire",
          expiration: Duration.days(JOB_FILE_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /**
   * Grants `grantee` the job files: `read` to sign GET links (and read objects, their size);
   * `read-write` also to write them (multipart included, and its abort).
   */
  grant(grantee: iam.IGrantable & Construct, access: FileAccess): void {
    const prefix = `${JOB_FILES_PREFIX}*`;
    // Exact actions: a presigned link carries the signer's rights, HeadObject is GetObject's.
    const actions = [
      "s3:GetObject",
      ...(access === "read-write" ? ["s3:PutObject", "s3:AbortMultipartUpload"] : []),
    ];
    iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.bucket.arnForObjects(prefix)] });
    const stack = Stack.of(this);
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${prefix}]`,
      reason:
        "The jobs' files are named by tenant, job and run when the job runs (jobs/<tenant>/<kind>/<id>/…), so the grant is on that prefix of their own bucket.",
    });
  }
}
