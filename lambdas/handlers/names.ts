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
