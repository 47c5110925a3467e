/**
 * The URLs in an SNS HTTP(S) message that we may visit (docs/providers/ses.md §1.7): the `SigningCertURL`
 * (fetched to verify the signature) and a confirmation's `SubscribeURL` (visited to confirm). Both are
 * checked here, on the string alone, before anything is fetched.
 *
 * A URL passes only in its canonical form (`new URL(url).href === url`), so no normalization trick
 * (`:443`, `..`, `%2e`, upper case, a trailing `?`) can smuggle a different resource past the pins.
 */

/**
 * An SNS regional endpoint: `sns.<region>.amazonaws.com`, or `.amazonaws.com.cn` in China. The region
 * must look like one (`us-east-1`, `us-gov-west-1`, `cn-north-1`): a strict subset of the SDK
 * validators' `^sns\.[a-zA-Z0-9\-]{3,}\.amazonaws\.com(\.cn)?$`, which also matches S3 hosts such as
 * `sns.s3-us-west-2.amazonaws.com` (a bucket named `sns`, see docs/providers/ses.md §1.7 pitfall b).
 */
export const SNS_HOST = /^sns\.[a-z]{2}(?:-[a-z]+)+-\d{1,2}\.amazonaws\.com(?:\.cn)?$/;

/** The only path an SNS signing certificate has. */
export const SNS_CERT_PATH = /^\/SimpleNotificationService-[A-Za-z0-9]+\.pem$/;

/** Why a URL is refused, or `null` when it passes. */
type Check = string | null;

function parseCanonical(value: string): URL | string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a URL";
  }
  if (url.protocol !== "https:") return "is not https";
  if (url.username !== "" || url.password !== "") return "has user info";
  if (url.port !== "") return "names a port";
  if (url.hash !== "" || value.includes("#")) return "has a fragment";
  if (url.href !== value) return "is not in canonical form";
  if (!SNS_HOST.test(url.hostname))
    return `host ${url.hostname} is not an SNS endpoint (sns.<region>.amazonaws.com)`;
  return url;
}

/**
 * Why `value` is not an SNS signing-certificate URL, or `null` when it is one:
 * `https://sns.<region>.amazonaws.com(.cn)/SimpleNotificationService-<id>.pem`, nothing else (no
 * query, user info, port or fragment).
 *
 * @example
 * signingCertUrlProblem("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc123.pem"); // null
 * signingCertUrlProblem("https://s3.amazonaws.com/bucket/SimpleNotificationService-abc.pem"); // "host … is not …"
 */
export function signingCertUrlProblem(value: string): Check {
  const url = parseCanonical(value);
  if (typeof url === "string") return url;
  if (url.search !== "" || value.includes("?")) return "has a query string";
  if (!SNS_CERT_PATH.test(url.pathname)) return "path is not /SimpleNotificationService-<id>.pem";
  return null;
}

/**
 * Why a confirmation's `SubscribeURL` must not be visited, or `null` when it may be: it is
 * `https://<the same SNS host as the signing certificate>/?Action=ConfirmSubscription&…` and names the
 * message's own `TopicArn`. Checked after the signature, so this guards against SSRF by a validly
 * signed but unexpected URL.
 *
 * @example
 * subscribeUrlProblem(doc.SubscribeURL, { certHost: "sns.us-east-1.amazonaws.com", topicArn: doc.TopicArn });
 */
export function subscribeUrlProblem(
  value: string,
  expected: { readonly certHost: string; readonly topicArn: string },
): Check {
  const url = parseCanonical(value);
  if (typeof url === "string") return url;
  if (url.hostname !== expected.certHost) {
    return `host ${url.hostname} is not the signing certificate's host ${expected.certHost}`;
  }
  if (url.pathname !== "/") return "path is not /";
  if (url.searchParams.get("Action") !== "ConfirmSubscription") return "is not a ConfirmSubscription action";
  if (url.searchParams.get("TopicArn") !== expected.topicArn) return "names another topic";
  if (!url.searchParams.get("Token")) return "has no Token";
  return null;
}
