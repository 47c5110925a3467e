/**
 * Fuzzing the recipients' `/u/{token}` over real sockets: real tokens made by the server, mutated
 * (a flipped, dropped or added character, a swapped kid, truncation) or replaced by hostile
 * strings, sent as GET or POST with hostile bodies, content types and `Accept-Language` headers.
 *
 * Properties: no 5xx and nothing internal leaked; every answer is a page with the pages' policy
 * (200, 404, 410) or an RFC 9457 problem (400, 413, 415); a token that is not the server's own,
 * unchanged, never records anything (the addresses its mutations came from stay unsuppressed and
 * have no history). `npm test` runs a fixed seed with bounded runs; `npm run fuzz` runs long.
 */
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNSUBSCRIBE_PAGE_CSP } from "../../lambdas/handlers/unsubscribe-page.js";
import type { LocalServer } from "../../lambdas/local/server.js";
import { API_KEY, FUZZ_SEED, makeSigners, runs, send, startFuzzServer } from "./harness.js";

const PAGE_STATUSES = new Set([200, 404, 410]);
const PROBLEM_STATUSES = new Set([400, 413, 415]);
const INTERNALS = /TypeError|RangeError|ReferenceError|\/lambdas\/|node_modules|\.ts:\d+|\bat [\w.<>]+ \(/;

let fuzz: Awaited<ReturnType<typeof startFuzzServer>>;
let server: LocalServer;
/** The real tokens the mutations start from, with their addresses (never unsubscribed here). */
const originals: { token: string; address: string }[] = [];

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json()) as Record<string, unknown>;
};

beforeAll(async () => {
  fuzz = await startFuzzServer(makeSigners());
  server = fuzz.server;
  const addresses = Array.from({ length: 4 }, () => `fz-${randomBytes(5).toString("hex")}@example.org`);
  const made = (await api("POST", "/v1/unsubscribe-links", { addresses })) as {
    links: { token: string }[];
  };
  for (const [i, link] of made.links.entries()) {
    originals.push({ token: link.token, address: addresses[i] as string });
  }
});
afterAll(async () => {
  await fuzz?.stop();
});

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** A real token changed so it can no longer be the server's: each mutation keeps its shape close. */
const mutatedToken = fc
  .record({
    which: fc.nat(3),
    at: fc.nat(200),
    char: fc.constantFrom(...BASE64URL.split("")),
    kind: fc.constantFrom("flip", "drop", "add", "truncate", "kid"),
  })
  .map(({ which, at, char, kind }) => {
    const { token } = originals[which % originals.length] as { token: string };
    const i = at % token.length;
    const changed =
      kind === "flip"
        ? token.slice(0, i) + (token[i] === char ? (char === "A" ? "B" : "A") : char) + token.slice(i + 1)
        : kind === "drop"
          ? token.slice(0, i) + token.slice(i + 1)
          : kind === "add"
            ? token.slice(0, i) + char + token.slice(i)
            : kind === "truncate"
              ? token.slice(0, Math.max(1, i))
              : token.replace(/^v1\.[^.]+\./, `v1.k${char}.`);
    return changed === token ? `${token}A` : changed;
  });

const token = fc.oneof(
  { arbitrary: mutatedToken, weight: 4 },
  {
    arbitrary: fc.constantFrom(
      "constructor",
      "__proto__",
      "toString",
      "v1",
      "v1..",
      "v1.k1.",
      `v1.k1.${"A".repeat(3_000)}`,
      "A".repeat(10_000),
      "v1.k1.\u0000",
      "v1.k1.%ZZ",
    ),
    weight: 2,
  },
  { arbitrary: fc.string({ unit: "binary", maxLength: 300 }), weight: 1 },
);

const body = fc.oneof(
  fc.constant("List-Unsubscribe=One-Click"),
  fc.constant("reason=spam&confirm=yes"),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString("latin1")),
);
const contentType = fc.oneof(
  fc.constantFrom(
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "multipart/form-data",
    "application/json",
    "text/plain",
  ),
  fc.string({ maxLength: 60 }).filter((s) => /^[\t\x20-\x7e]*$/.test(s)),
);
const acceptLanguage = fc.oneof(
  fc.constantFrom("zh-CN,zh;q=0.9", "en", "*;q=0", "zh;q=x", ""),
  fc.string({ maxLength: 80 }).filter((s) => /^[\t\x20-\x7e]*$/.test(s)),
);

describe("fuzz: /u/{token}", () => {
  it("answers every hostile token and body with a page or a problem, and records nothing", async () => {
    const property = fc.asyncProperty(
      token,
      fc.constantFrom("GET", "POST"),
      body,
      contentType,
      acceptLanguage,
      async (t, method, text, type, lang) => {
        const headers: Record<string, string> = { "content-type": type, "accept-language": lang };
        const answer = await send(server.url, {
          method,
          path: `/u/${encodeURIComponent(t)}`,
          headers,
          ...(method === "POST" ? { body: Buffer.from(text, "latin1") } : {}),
        });
        const where = `${method} /u/${JSON.stringify(t).slice(0, 80)} → ${answer.status}`;
        expect(answer.status, where).toBeGreaterThan(0);
        expect(answer.status, where).toBeLessThan(500);
        expect(INTERNALS.test(answer.text), where).toBe(false);
        if (/^text\/html/.test(answer.contentType)) {
          expect(PAGE_STATUSES.has(answer.status), where).toBe(true);
        } else {
          // The router's own answers (an unroutable path: 404/405 problems) are problems too.
          expect(answer.contentType, where).toMatch(/^application\/problem\+json/);
          const routerOrRoute = PROBLEM_STATUSES.has(answer.status) || [404, 405].includes(answer.status);
          expect(routerOrRoute, where).toBe(true);
        }
        // No mutated token opens: the only pages are the refusals' (or the router's 404).
        expect(answer.status === 200, where).toBe(false);
      },
    );
    await fc.assert(property, {
      numRuns: runs(150),
      ...(FUZZ_SEED === undefined ? { seed: 8058 } : { seed: FUZZ_SEED }),
    });

    for (const { address } of originals) {
      const check = (await api("POST", "/v1/check", { addresses: [address] })) as {
        results: { suppressed: boolean }[];
      };
      expect(check.results[0]?.suppressed).toBe(false);
      const history = (await api("GET", `/v1/events/${encodeURIComponent(address)}`)) as { items: unknown[] };
      expect(history.items).toEqual([]);
    }
    expect(fuzz.errors).toEqual([]);
  });

  it("the real tokens still open afterwards, with the pages' policy", async () => {
    const res = await fetch(`${server.url}/u/${originals[0]?.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe(UNSUBSCRIBE_PAGE_CSP);
  });
});
