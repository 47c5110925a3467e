/** One route as API Gateway knows it: `METHOD /path/{param}`. */
export type RouteMatch<T> = { target: T; routeKey: string; pathParameters: Record<string, string> };

type Compiled<T> = { method: string; routeKey: string; parts: string[]; target: T };

/**
 * Matches requests to API Gateway style route keys (`POST /v1/import/{provider}`), as the HTTP API does.
 *
 * @example
 * const router = createRouter({ "GET /v1/suppressions/{address}": "api" });
 * router.match("GET", "/v1/suppressions/a%40b.example");
 * // { target: "api", routeKey: "GET /v1/suppressions/{address}", pathParameters: { address: "a@b.example" } }
 */
export function createRouter<T>(routes: Record<string, T>) {
  const compiled: Compiled<T>[] = Object.entries(routes).map(([routeKey, target]) => {
    const [method = "", path = ""] = routeKey.split(" ");
    return { method, routeKey, parts: path.split("/").slice(1), target };
  });
  return {
    /** The route for this request, `"method"` when only the method is wrong, or `undefined`. */
    match(method: string, pathname: string): RouteMatch<T> | "method" | undefined {
      const segments = pathname.split("/").slice(1);
      let pathMatched = false;
      for (const route of compiled) {
        const params = matchPath(route.parts, segments);
        if (!params) continue;
        if (route.method !== method) {
          pathMatched = true;
          continue;
        }
        return { target: route.target, routeKey: route.routeKey, pathParameters: params };
      }
      return pathMatched ? "method" : undefined;
    },
  };
}

function matchPath(parts: string[], segments: string[]): Record<string, string> | undefined {
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] ?? "";
    if (part.startsWith("{") && part.endsWith("}")) {
      if (segment === "") return undefined;
      try {
        params[part.slice(1, -1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}
