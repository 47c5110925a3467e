/**
 * Hash routes (`#/address/jane.doe%40example.org`): the page never leaves `/console/`, so one static
 * file serves every view, and an address in the URL stays in the browser (a fragment is never sent
 * to the server, so it is in no access log).
 */
export const LIST_KINDS = ["bounces", "complaints", "unsubscribes", "manual", "allowlist"] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export type Route =
  | { readonly page: "address"; readonly address: string | null }
  | { readonly page: "lists"; readonly kind: ListKind; readonly query: URLSearchParams }
  | { readonly page: QueryPage; readonly query: URLSearchParams };

/** The pages whose whole state is a query string (`#/stats?from=2026-11-01`): filters, not paths. */
export const QUERY_PAGES = ["status", "exports", "list-checks", "stats"] as const;
export type QueryPage = (typeof QUERY_PAGES)[number];

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * @example
 * parseHash("#/lists/complaints?q=%40example.org"); // { page: "lists", kind: "complaints", query }
 */
export function parseHash(hash: string): Route {
  const text = hash.replace(/^#\/?/, "");
  const [path = "", search = ""] = text.split("?", 2);
  const [head = "", ...rest] = path.split("/");
  const query = new URLSearchParams(search);
  if (head === "lists") {
    const kind = (LIST_KINDS as readonly string[]).includes(rest[0] ?? "")
      ? (rest[0] as ListKind)
      : "bounces";
    return { page: "lists", kind, query };
  }
  const queryPage = QUERY_PAGES.find((page) => page === head);
  if (queryPage !== undefined) return { page: queryPage, query };
  const address = rest.length > 0 ? decode(rest.join("/")) : null;
  return { page: "address", address: address?.trim() ? address : null };
}

/** The `href` of a route. */
export function hrefOf(route: Route): string {
  if (route.page === "address") {
    return route.address ? `#/address/${encodeURIComponent(route.address)}` : "#/address";
  }
  const search = route.query.toString();
  const path = route.page === "lists" ? `#/lists/${route.kind}` : `#/${route.page}`;
  return search === "" ? path : `${path}?${search}`;
}
