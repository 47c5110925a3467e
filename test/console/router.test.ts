import { describe, expect, it } from "vitest";
import { hrefOf, parseHash } from "../../console/src/router.js";

describe("hash routes", () => {
  it("round-trips an address, a filtered list and the status view", () => {
    const address = parseHash(hrefOf({ page: "address", address: "Jane.Doe+x@example.org" }));
    expect(address).toEqual({ page: "address", address: "Jane.Doe+x@example.org" });
    const list = parseHash(
      hrefOf({ page: "lists", kind: "complaints", query: new URLSearchParams({ q: "@example.org" }) }),
    );
    expect(list.page === "lists" && list.kind).toBe("complaints");
    expect(list.page === "lists" && list.query.get("q")).toBe("@example.org");
    const status = parseHash("#/status?type=invalid&provider=ses");
    expect(status.page === "status" && status.query.get("type")).toBe("invalid");
  });

  it("round-trips the exports, list cleaning and stats pages with their queries", () => {
    for (const page of ["exports", "list-checks", "stats"] as const) {
      const query = new URLSearchParams({ from: "2026-11-01", to: "2026-11-30" });
      const href = hrefOf({ page, query });
      expect(href).toBe(`#/${page}?from=2026-11-01&to=2026-11-30`);
      const route = parseHash(href);
      expect(route.page).toBe(page);
      expect("query" in route && route.query.get("to")).toBe("2026-11-30");
    }
    expect(hrefOf({ page: "stats", query: new URLSearchParams() })).toBe("#/stats");
    expect(parseHash("#/list-checks?id=0123456789ab0123456789ab")).toMatchObject({ page: "list-checks" });
  });

  it("reads anything else as the address page", () => {
    expect(parseHash("")).toEqual({ page: "address", address: null });
    expect(parseHash("#/address/%E0%A4%A")).toEqual({ page: "address", address: "%E0%A4%A" });
    expect(parseHash("#/lists/nope")).toMatchObject({ page: "lists", kind: "bounces" });
  });
});
