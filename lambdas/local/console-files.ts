/**
 * Serves the web console from the local server as CloudFront serves it deployed: the same files
 * (built by console/build.ts, in memory, on the first request), the same routing (the very
 * CloudFront Function of console/router-function.ts), the same security headers
 * (console/security-headers.ts) and the same cache rules (the page revalidated on every load, the
 * content-hashed script and stylesheet kept for a year).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  buildConsole,
  CONSOLE_PATH,
  type ConsoleFiles,
  contentTypeOf,
  HASHED_CACHE_CONTROL,
  PAGE_CACHE_CONTROL,
  UNHASHED_FILES,
} from "../../console/build.js";
import { routeConsoleRequest } from "../../console/router-function.js";
import { securityHeaders } from "../../console/security-headers.js";
import { HttpProblem } from "../handlers/http/problem.js";
import { problem } from "../handlers/http/response.js";

/** A refusal as the API answers one (problem+json), with the console's headers. */
function sendProblem(res: ServerResponse, failure: HttpProblem): void {
  const answer = problem(failure);
  const body = Buffer.from(answer.body ?? "", "utf8");
  res.writeHead(answer.statusCode, {
    ...securityHeaders(),
    ...answer.headers,
    "content-length": String(body.byteLength),
  });
  res.end(body);
}

/**
 * The console's request handler: resolves `true` when it answered (`/`, `/console`, `/console/…`),
 * `false` for every other path (the API's).
 *
 * @example
 * const consoleFiles = createConsoleFiles();
 * if (await consoleFiles.serve(req, res)) return;
 */
export function createConsoleFiles(build: () => Promise<ConsoleFiles> = buildConsole): {
  serve(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
} {
  let files: Promise<ConsoleFiles> | undefined;
  return {
    async serve(req, res) {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (path !== "/" && path !== CONSOLE_PATH.slice(0, -1) && !path.startsWith(CONSOLE_PATH)) return false;
      req.resume();
      const headers = securityHeaders();
      const method = req.method ?? "GET";
      if (method !== "GET" && method !== "HEAD") {
        sendProblem(
          res,
          new HttpProblem(405, "The console serves GET and HEAD only.", {
            slug: "method-not-allowed",
            headers: { allow: "GET, HEAD" },
          }),
        );
        return true;
      }
      const routed = routeConsoleRequest(path);
      if ("statusCode" in routed) {
        res.writeHead(routed.statusCode, {
          ...headers,
          location: routed.headers.location.value,
          "content-length": "0",
        });
        res.end();
        return true;
      }
      files ??= build().catch((error: unknown) => {
        files = undefined;
        throw error;
      });
      const built = await files;
      const name = routed.uri.startsWith(CONSOLE_PATH) ? routed.uri.slice(CONSOLE_PATH.length) : "";
      const body = built.get(name);
      if (body === undefined) {
        sendProblem(
          res,
          new HttpProblem(404, `The console has no file ${JSON.stringify(name)}.`, { slug: "not-found" }),
        );
        return true;
      }
      res.writeHead(200, {
        ...headers,
        "content-type": contentTypeOf(name),
        "content-length": String(body.byteLength),
        "cache-control": (UNHASHED_FILES as readonly string[]).includes(name)
          ? PAGE_CACHE_CONTROL
          : HASHED_CACHE_CONTROL,
      });
      res.end(method === "HEAD" ? undefined : body);
      return true;
    },
  };
}
