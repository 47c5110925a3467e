/**
 * The response headers of every console file, written once: the local server sends them
 * (lambdas/local/console-files.ts) and the stack's CloudFront response-headers policy is built from
 * them (lib/constructs/console-site.ts), so the browser sees the same policy in both places.
 *
 * The console loads only its own script and stylesheet and talks only to its own origin (`/v1/*`
 * is routed to the API by the same distribution), so everything else is refused.
 */

/** Content-Security-Policy directives, in the order they are written. No inline script or style. */
export const CONTENT_SECURITY_POLICY: Readonly<Record<string, string>> = {
  "default-src": "'none'",
  "script-src": "'self'",
  "style-src": "'self'",
  "img-src": "'self' data:",
  "connect-src": "'self'",
  "font-src": "'self'",
  "manifest-src": "'self'",
  "base-uri": "'none'",
  "form-action": "'self'",
  "frame-ancestors": "'none'",
};

/** HSTS: two years, subdomains included (the value browsers' preload lists ask for). */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** The referrer never carries the console's path (it may name an address) to another origin. */
export const REFERRER_POLICY = "no-referrer";

/** The policy as one header value. */
export function contentSecurityPolicy(): string {
  return Object.entries(CONTENT_SECURITY_POLICY)
    .map(([name, value]) => `${name} ${value}`)
    .join("; ");
}

/**
 * Every security header of a console response, as the local server sends them.
 *
 * @example
 * securityHeaders()["content-security-policy"]; // "default-src 'none'; script-src 'self'; …"
 */
export function securityHeaders(): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(),
    "strict-transport-security": `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": REFERRER_POLICY,
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
}
