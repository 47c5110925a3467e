import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  generateUnsubscribeSecret,
  MAX_UNSUBSCRIBE_TOKEN_CHARS,
  openUnsubscribeToken,
  parseUnsubscribeKeys,
  sealUnsubscribeToken,
  type UnsubscribeClaims,
  UnsubscribeClaimsError,
  UnsubscribeKeyError,
} from "../../lambdas/core/unsubscribe-token.js";

/** A fixed 32-byte secret of one repeated byte, base64url: tests stay deterministic. */
const secret = (byte: number): string => Buffer.alloc(32, byte).toString("base64url");
const K1 = `k1:${secret(1)}`;
const K2 = `k2:${secret(2)}`;

const NOW = 1_800_000_000;
const CLAIMS: UnsubscribeClaims = {
  tenant: "default",
  address: "jane.doe@example.com",
  scope: "*",
  expiresAt: NOW + 30 * 86_400,
  keyId: "0123456789ab",
};

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

describe("sealUnsubscribeToken / openUnsubscribeToken", () => {
  it("round-trips the claims in a short URL-safe token", () => {
    // Arrange
    const keys = parseUnsubscribeKeys(K1);
    // Act
    const token = sealUnsubscribeToken(CLAIMS, keys);
    const opened = openUnsubscribeToken(token, keys, NOW);
    // Assert
    expect(opened).toEqual({ ok: true, claims: CLAIMS });
    expect(token).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+$/);
    expect(token).toHaveLength(109);
  });

  it("round-trips non-ASCII addresses and scopes, and the longest claims stay under the limit", () => {
    // Arrange
    const keys = parseUnsubscribeKeys(`${"k".repeat(16)}:${secret(3)}`);
    const unicode: UnsubscribeClaims = {
      ...CLAIMS,
      address: "张三@xn--fsqu00a.xn--fiqs8s",
      scope: "新闻/每周",
    };
    const longest: UnsubscribeClaims = {
      tenant: `t${"x".repeat(63)}`,
      address: `${"a".repeat(64)}@${"b".repeat(185)}.com`,
      scope: "界".repeat(200),
      expiresAt: 0xffff_ffff,
      keyId: "k".repeat(64),
    };
    // Act
    const tokens = [unicode, longest].map((claims) => sealUnsubscribeToken(claims, keys));
    // Assert
    expect(openUnsubscribeToken(tokens[0] ?? "", keys, NOW)).toEqual({ ok: true, claims: unicode });
    expect(openUnsubscribeToken(tokens[1] ?? "", keys, NOW)).toEqual({ ok: true, claims: longest });
    expect(tokens[1]?.length).toBeLessThan(MAX_UNSUBSCRIBE_TOKEN_CHARS);
  });

  it("never opens a token with any one character changed", () => {
    // Arrange
    const keys = parseUnsubscribeKeys(`${K1},${K2}`);
    const token = sealUnsubscribeToken(CLAIMS, keys);
    const bodyStart = token.lastIndexOf(".") + 1;
    // Act
    const outcomes = [...token].flatMap((original, i) =>
      [...`${BASE64URL}.`]
        .filter((c) => c !== original)
        .map((c) => ({
          i,
          opened: openUnsubscribeToken(token.slice(0, i) + c + token.slice(i + 1), keys, NOW),
        })),
    );
    // Assert
    for (const { i, opened } of outcomes) {
      expect(opened.ok).toBe(false);
      if (!opened.ok && i >= bodyStart) expect(["tampered", "malformed"]).toContain(opened.reason);
    }
  });

  it("answers tampered for every flipped bit of the sealed bytes", () => {
    // Arrange
    const keys = parseUnsubscribeKeys(K1);
    const token = sealUnsubscribeToken(CLAIMS, keys);
    const prefix = token.slice(0, token.lastIndexOf(".") + 1);
    const sealed = Buffer.from(token.slice(prefix.length), "base64url");
    const reasons = new Set<string>();
    // Act
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const flipped = Buffer.from(sealed);
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      const opened = openUnsubscribeToken(prefix + flipped.toString("base64url"), keys, NOW);
      reasons.add(opened.ok ? "ok" : opened.reason);
    }
    // Assert
    expect([...reasons]).toEqual(["tampered"]);
  });

  it("never opens truncated, extended or re-keyed tokens", () => {
    // Arrange
    const keys = parseUnsubscribeKeys(`${K1},${K2}`);
    const token = sealUnsubscribeToken(CLAIMS, keys);
    const body = token.slice("v1.k1.".length);
    // Act
    const truncated = Array.from({ length: token.length }, (_, n) =>
      openUnsubscribeToken(token.slice(0, n), keys, NOW),
    );
    const extended = ["A", "=", ".", "..x"].map((tail) => openUnsubscribeToken(token + tail, keys, NOW));
    const rekeyed = openUnsubscribeToken(`v1.k2.${body}`, keys, NOW);
    const otherVersion = openUnsubscribeToken(`v2.k1.${body}`, keys, NOW);
    // Assert
    for (const opened of [...truncated, ...extended]) expect(opened.ok).toBe(false);
    expect(rekeyed).toEqual({ ok: false, reason: "tampered" });
    expect(otherVersion).toEqual({ ok: false, reason: "malformed" });
  });

  it("expires exactly at expiresAt and opens one second before", () => {
    // Arrange
    const keys = parseUnsubscribeKeys(K1);
    const token = sealUnsubscribeToken(CLAIMS, keys);
    // Act
    const before = openUnsubscribeToken(token, keys, CLAIMS.expiresAt - 1);
    const at = openUnsubscribeToken(token, keys, CLAIMS.expiresAt);
    const after = openUnsubscribeToken(token, keys, CLAIMS.expiresAt + 86_400);
    const noClock = openUnsubscribeToken(token, keys, Number.NaN);
    // Assert
    expect(before.ok).toBe(true);
    expect(at).toEqual({ ok: false, reason: "expired" });
    expect(after).toEqual({ ok: false, reason: "expired" });
    expect(noClock).toEqual({ ok: false, reason: "expired" });
  });

  it("keeps old tokens valid after rotation and revokes them when their key is removed", () => {
    // Arrange
    const before = parseUnsubscribeKeys(K1);
    const rotated = parseUnsubscribeKeys(`${K2},${K1}`);
    const retired = parseUnsubscribeKeys(K2);
    const oldToken = sealUnsubscribeToken(CLAIMS, before);
    // Act
    const newToken = sealUnsubscribeToken(CLAIMS, rotated);
    // Assert
    expect(rotated.current).toBe("k2");
    expect(newToken.startsWith("v1.k2.")).toBe(true);
    expect(openUnsubscribeToken(oldToken, rotated, NOW)).toEqual({ ok: true, claims: CLAIMS });
    expect(openUnsubscribeToken(newToken, rotated, NOW)).toEqual({ ok: true, claims: CLAIMS });
    expect(openUnsubscribeToken(newToken, retired, NOW)).toEqual({ ok: true, claims: CLAIMS });
    expect(openUnsubscribeToken(oldToken, retired, NOW)).toEqual({ ok: false, reason: "unknown_key" });
    expect(openUnsubscribeToken(newToken, before, NOW)).toEqual({ ok: false, reason: "unknown_key" });
  });

  it("does not open a token of another deployment that uses the same kid", () => {
    // Arrange
    const ours = parseUnsubscribeKeys(K1);
    const theirs = parseUnsubscribeKeys(`k1:${secret(9)}`);
    const token = sealUnsubscribeToken(CLAIMS, theirs);
    // Act
    const opened = openUnsubscribeToken(token, ours, NOW);
    // Assert
    expect(opened).toEqual({ ok: false, reason: "tampered" });
  });

  it("carries the tenant it was made for, so the route can refuse foreign ones", () => {
    // Arrange
    const keys = parseUnsubscribeKeys(K1);
    const forA = sealUnsubscribeToken({ ...CLAIMS, tenant: "tenant-a" }, keys);
    const forB = sealUnsubscribeToken({ ...CLAIMS, tenant: "tenant-b" }, keys);
    // Act
    const openedA = openUnsubscribeToken(forA, keys, NOW);
    const openedB = openUnsubscribeToken(forB, keys, NOW);
    // Assert
    expect(openedA).toEqual({ ok: true, claims: { ...CLAIMS, tenant: "tenant-a" } });
    expect(openedB).toEqual({ ok: true, claims: { ...CLAIMS, tenant: "tenant-b" } });
  });

  it("is opaque: the address cannot be read from the token, and two links look unrelated", () => {
    // Arrange
    const keys = parseUnsubscribeKeys(K1);
    const claims = { ...CLAIMS, address: "very.distinctive.person@example.org", keyId: "bootstrap" };
    const address = Buffer.from(claims.address, "utf8");
    // Every alignment of the address inside a base64 stream, without the edge characters.
    const spellings = [0, 1, 2].flatMap((shift) => {
      const encoded = Buffer.concat([Buffer.alloc(shift), address]);
      return ["base64", "base64url", "hex"].map((encoding) =>
        encoded
          .toString(encoding as BufferEncoding)
          .slice(shift === 0 ? 0 : 4, -4)
          .replace(/=+$/, ""),
      );
    });
    // Act
    const token = sealUnsubscribeToken(claims, keys);
    const again = sealUnsubscribeToken(claims, keys);
    // Assert
    expect(token.toLowerCase()).not.toContain("distinctive");
    for (const spelling of spellings) expect(token).not.toContain(spelling);
    expect(Buffer.from(token.slice("v1.k1.".length), "base64url").includes(address)).toBe(false);
    expect(again).not.toBe(token);
    expect(openUnsubscribeToken(again, keys, NOW)).toEqual(openUnsubscribeToken(token, keys, NOW));
  });

  it("is stateless: a replayed token opens the same way each time", () => {
    // Arrange
    const keys = parseUnsubscribeKeys(K1);
    const token = sealUnsubscribeToken(CLAIMS, keys);
    // Act
    const openings = Array.from({ length: 3 }, () => openUnsubscribeToken(token, keys, NOW));
    // Assert
    expect(openings).toEqual([1, 2, 3].map(() => ({ ok: true, claims: CLAIMS })));
  });

  it.each<[string, Partial<UnsubscribeClaims>, keyof UnsubscribeClaims]>([
    ["an invalid tenant", { tenant: "Acme Corp" }, "tenant"],
    ["an empty address", { address: "" }, "address"],
    ["an address over 254 bytes", { address: `${"a".repeat(64)}@${"b".repeat(190)}.com` }, "address"],
    ["an invalid scope", { scope: "news/*" }, "scope"],
    ["a fractional expiry", { expiresAt: NOW + 0.5 }, "expiresAt"],
    ["an expiry past 2106", { expiresAt: 2 ** 32 }, "expiresAt"],
    ["an expiry of 0", { expiresAt: 0 }, "expiresAt"],
    ["an empty key id", { keyId: "" }, "keyId"],
    ["a key id over 64 bytes", { keyId: "k".repeat(65) }, "keyId"],
  ])("refuses to seal %s", (_, change, field) => {
    // Arrange
    const keys = parseUnsubscribeKeys(K1);
    // Act
    const seal = () => sealUnsubscribeToken({ ...CLAIMS, ...change }, keys);
    // Assert
    expect(seal).toThrow(UnsubscribeClaimsError);
    expect(seal).toThrow(expect.objectContaining({ field }));
  });
});

describe("parseUnsubscribeKeys", () => {
  it("takes the first entry as current, keeps every kid, and ignores white space", () => {
    // Arrange
    const text = ` ${K2} ,\n${K1}\n`;
    // Act
    const keys = parseUnsubscribeKeys(text);
    // Assert
    expect(keys.current).toBe("k2");
    expect([...keys.keys.keys()]).toEqual(["k2", "k1"]);
  });

  it.each([
    ["", /is empty/],
    ["  \n", /is empty/],
    [secret(1), /entry 1 is not "<kid>:<secret>"/],
    [`${K1},`, /entry 2 is not "<kid>:<secret>"/],
    [`:${secret(1)}`, /entry 1: the kid must be/],
    [`k.1:${secret(1)}`, /entry 1: the kid must be/],
    [`${"k".repeat(17)}:${secret(1)}`, /entry 1: the kid must be/],
    [`${K1},k1:${secret(2)}`, /entry 2: kid "k1" is listed twice/],
    [`k1:${Buffer.alloc(32, 1).toString("base64")}`, /entry 1 \(kid "k1"\): the secret is not base64url/],
    [`k1:${Buffer.alloc(32, 0xfb).toString("base64")}`, /the secret is not base64url/],
    [`k1:${secret(1).slice(0, -1)}B`, /the secret is not base64url/],
    ["k1:", /the secret is not base64url/],
    [`k1:${Buffer.alloc(31, 1).toString("base64url")}`, /has 31 bytes, at least 32/],
    [`k1:${"correct horse battery staple!!!!"}`, /not base64url/],
    [`${K1},k2:${secret(1)}`, /entry 2 \(kid "k2"\): same secret as kid "k1"/],
  ])("refuses %j", (text, message) => {
    // Act
    const parse = () => parseUnsubscribeKeys(text);
    // Assert
    expect(parse).toThrow(UnsubscribeKeyError);
    expect(parse).toThrow(message);
  });

  it("never puts a secret in its error messages", () => {
    // Arrange
    const short = Buffer.alloc(20, 7).toString("base64url");
    // Act
    const error = (() => {
      try {
        parseUnsubscribeKeys(`${K1},k2:${secret(1)},k3:${short}`);
      } catch (e) {
        return e;
      }
    })();
    // Assert
    expect(error).toBeInstanceOf(UnsubscribeKeyError);
    expect(String(error)).not.toContain(secret(1));
    expect(String(error)).not.toContain(short);
  });
});

describe("generateUnsubscribeSecret", () => {
  it("makes a fresh one-entry secret text that parses and seals", () => {
    // Act
    const first = generateUnsubscribeSecret();
    const second = generateUnsubscribeSecret("k2");
    // Assert
    expect(first).toMatch(/^k1:[A-Za-z0-9_-]{43}$/);
    expect(second).toMatch(/^k2:[A-Za-z0-9_-]{43}$/);
    const keys = parseUnsubscribeKeys(`${second},${first}`);
    expect(openUnsubscribeToken(sealUnsubscribeToken(CLAIMS, keys), keys, NOW).ok).toBe(true);
  });

  it("refuses a kid that could not appear in a token", () => {
    // Act
    const generate = () => generateUnsubscribeSecret("k.2");
    // Assert
    expect(generate).toThrow(UnsubscribeKeyError);
  });
});

describe("openUnsubscribeToken on hostile input (property)", () => {
  const keys = parseUnsubscribeKeys(`${K1},${K2}`);
  const token = sealUnsubscribeToken(CLAIMS, keys);
  const neverOk = (input: string) => {
    const opened = openUnsubscribeToken(input, keys, NOW);
    expect(opened.ok).toBe(false);
  };

  it("never throws and never opens random strings", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 3000 }), neverOk), { numRuns: 2000 });
  });

  it("never opens token-shaped strings under a known kid", () => {
    const body = fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 0, maxLength: 400 });
    fc.assert(
      fc.property(fc.constantFrom("k1", "k2", "k3"), body, (kid, text) => neverOk(`v1.${kid}.${text}`)),
      { numRuns: 2000 },
    );
  });

  it("never opens a real token with random edits", () => {
    const edit = fc.record({
      at: fc.nat({ max: token.length }),
      drop: fc.nat({ max: 4 }),
      insert: fc.string({ maxLength: 4 }),
    });
    fc.assert(
      fc.property(edit, ({ at, drop, insert }) => {
        const edited = token.slice(0, at) + insert + token.slice(at + drop);
        fc.pre(edited !== token);
        neverOk(edited);
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses over-long input as malformed before any crypto", () => {
    // Arrange
    const long = token + "A".repeat(MAX_UNSUBSCRIBE_TOKEN_CHARS);
    // Act
    const opened = openUnsubscribeToken(long, keys, NOW);
    // Assert
    expect(opened).toEqual({ ok: false, reason: "malformed" });
  });
});
