/**
 * Where a console URL leads, written once as the CloudFront Function the distribution runs on every
 * viewer request (lib/constructs/console-site.ts); the local server runs the same code
 * (lambdas/local/console-files.ts), so `npm start` routes exactly as CloudFront does.
 */
import { CONSOLE_PATH } from "./build.js";

/**
 * The viewer-request CloudFront Function (runtime cloudfront-js-2.0): the console is one page with
 * hash routes (`#/…`), served at {@link CONSOLE_PATH}. index.html names its files relatively
 * (`./main-<hash>.js`), so the page must be served from a URL whose directory is the console's:
 * `/console/` and `/console/<word>` get index.html; `/`, `/console` and deeper paths without a dot
 * are redirected to `/console/` (serving the page there would make the browser look for its script
 * in the wrong directory); files (a dot in the name) pass through unchanged.
 */
export const CONSOLE_ROUTER_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var prefix = ${JSON.stringify(CONSOLE_PATH)};
  var home = { statusCode: 302, statusDescription: "Found", headers: { location: { value: prefix } } };
  if (uri === "/" || uri === prefix.slice(0, -1)) return home;
  if (uri.indexOf(prefix) !== 0) return request;
  var rest = uri.slice(prefix.length);
  if (rest.indexOf(".") !== -1) return request;
  if (rest.indexOf("/") !== -1) return home;
  request.uri = prefix + "index.html";
  return request;
}
`;

/** What the function answers: the request (its `uri` perhaps rewritten), or a redirect. */
export type RouterResult =
  | { readonly uri: string }
  | { readonly statusCode: number; readonly headers: { readonly location: { readonly value: string } } };

/**
 * The function, runnable in Node.
 *
 * @example
 * routeConsoleRequest("/console/"); // { uri: "/console/index.html" }
 */
export function routeConsoleRequest(uri: string): RouterResult {
  const handler = new Function(`${CONSOLE_ROUTER_CODE}; return handler;`)() as (
    event: unknown,
  ) => RouterResult;
  return handler({ request: { uri, method: "GET", headers: {}, querystring: {}, cookies: {} } });
}
