/**
 * Names the functions and the CDK stack share. A data module: no imports, nothing built at load,
 * so `lib/` may import it (the stack sets `POWERTOOLS_SERVICE_NAME` from it) without evaluating
 * handler code.
 */

/**
 * The service's name: Powertools' `serviceName` (logs, metrics) and the realm of the API's
 * `WWW-Authenticate` challenge.
 *
 * @example
 * new Logger({ serviceName: SERVICE_NAME }); // every log line carries "service": "suppression-service"
 */
export const SERVICE_NAME = "suppression-service";

/** The CloudWatch namespace of the deployed functions' metrics. */
export const METRICS_NAMESPACE = "SuppressionService";

/**
 * The per-tenant reputation metrics (docs/figures.md): for each event first accepted (never a
 * duplicate), one count in the metric of its type, with the dimensions `service` and
 * `REPUTATION_DIMENSION` (the tenant). The webhook, import and ses-events functions publish them;
 * the stack's per-tenant alarms (lib/constructs/alarms.ts) compute the two rates from them.
 */
export const REPUTATION_METRICS = {
  request: "Requests",
  delivered: "Deliveries",
  soft_bounce: "SoftBounces",
  invalid: "HardBounces",
  complaint: "Complaints",
  unsubscribe: "Unsubscribes",
} as const;
export const REPUTATION_DIMENSION = "tenant";
