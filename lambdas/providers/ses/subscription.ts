/**
 * The SES webhook's settings and outbound calls: which SNS topics it accepts documents from, and
 * the GET that confirms a subscription (docs/providers/ses.md §1.7).
 */

/** The setting that lists the SNS topics whose documents `POST /webhooks/ses` accepts. */
export const SNS_TOPIC_ARNS = "SNS_TOPIC_ARNS";

/**
 * `SNS_TOPIC_ARNS` as a list: comma-separated, blanks ignored. Read at each request, so a changed
 * setting applies without a restart of the local server.
 *
 * @example
 * topicArnsFromEnv("arn:aws:sns:eu-west-1:1:a, arn:aws:sns:eu-west-1:1:b"); // two ARNs
 */
export function topicArnsFromEnv(value = process.env[SNS_TOPIC_ARNS]): string[] {
  return (value ?? "")
    .split(",")
    .map((arn) => arn.trim())
    .filter((arn) => arn !== "");
}

const CONFIRM_TIMEOUT_MS = 5_000;

/**
 * GETs a verified confirmation's `SubscribeURL` (no redirects, 5 s timeout); SNS answers 200 with
 * an XML body.
 *
 * @throws Error when SNS does not answer 2xx in time.
 */
export async function confirmOverHttps(url: string): Promise<void> {
  const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(CONFIRM_TIMEOUT_MS) });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`ConfirmSubscription answered ${response.status}`);
}
