/**
 * The SESv2 client of the account-level suppression sync, one per container (Lambda reuses the
 * module between invocations, so its connections survive warm starts). `lambdas/ses-account/` is
 * the only code that talks to SES, as `store/` is for DynamoDB and `files/` for S3.
 *
 * SES has no local engine: `npm start` never syncs, and the tests drive this client through
 * `aws-sdk-client-mock`. `npm run ses:import` uses the credentials and region of the environment,
 * as the AWS CLI does.
 */
import { SESv2Client } from "@aws-sdk/client-sesv2";

/** How to reach SES. */
export type SesClientOptions = {
  readonly region?: string;
  /**
   * SDK attempts per request, the first included. The suppression-list actions are rate limited
   * per account (a throttled call is retried by the SDK with exponential backoff and jitter, in its
   * `adaptive` mode, which also slows the client down); default `SES_MAX_ATTEMPTS`.
   */
  readonly maxAttempts?: number;
};

/** Attempts per SES request, the first included, before a throttled or failing call is given up. */
export const SES_MAX_ATTEMPTS = 8;

/**
 * Reads `AWS_REGION` / `AWS_DEFAULT_REGION` from `env` (Lambda sets the first).
 *
 * @example
 * sesOptionsFromEnv({ AWS_REGION: "eu-west-1" }); // { region: "eu-west-1" }
 */
export function sesOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SesClientOptions {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  return region ? { region } : {};
}

/**
 * An SESv2 client with adaptive retries (client-side rate limiting on throttling).
 *
 * @example
 * const ses = createSesClient(sesOptionsFromEnv());
 */
export function createSesClient(options: SesClientOptions = {}): SESv2Client {
  return new SESv2Client({
    ...(options.region !== undefined ? { region: options.region } : {}),
    maxAttempts: options.maxAttempts ?? SES_MAX_ATTEMPTS,
    retryMode: "adaptive",
  });
}
