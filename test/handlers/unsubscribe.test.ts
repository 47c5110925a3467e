/**
 * One-click unsubscribe over real sockets on the local server (issue #14): links made by
 * `POST /v1/unsubscribe-links` (one and a batch, answers parsed with the contract), RFC 8058's
 * one-click POST in both encodings, the form's four reasons (spam and fraud also a complaint),
 * `GET /u/{token}` never unsubscribing, and every refusal recording nothing: tampered, expired,
 * unknown-kid and foreign-tenant tokens. Rotation keeps old links working; replays are duplicates.
 * The store is the real embedded dynalite; what was recorded is read back through the API.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CreatedKey, ONE_CLICK, UnsubscribeLink, UnsubscribeLinks } from "../../lambdas/contract/index.js";
import { MAX_UNSUBSCRIBE_LINKS } from "../../lambdas/contract/unsubscribe.js";
import { UNSUBSCRIBE_REASONS, type UnsubscribeReason } from "../../lambdas/core/taxonomy.js";
import {
  generateUnsubscribeSecret,
  parseUnsubscribeKeys,
  sealUnsubscribeToken,
} from "../../lambdas/core/unsubscribe-token.js";
import { UNSUBSCRIBE_PAGE_CSP } from "../../lambdas/handlers/unsubscribe-page.js";
import { call, expectProblem, useLocalServer } from "../local/http-helpers.js";
import { readback } from "./unsubscribe-readback.js";

const BOOTSTRAP = "test-key-unsubscribe-0123456789";
const OLD_SECRET = generateUnsubscribeSecret("k1");
const NEW_SECRET = generateUnsubscribeSecret("k2");
const nowSeconds = () => Math.floor(Date.now() / 1000);
const freshAddress = (): string => `un-${randomBytes(5).toString("hex")}@example.org`;
const freshTenant = (): string => `u-${randomBytes(5).toString("hex")}`;

describe("one-click unsubscribe over HTTP", () => {
  // Rotated: k2 seals new links, k1's (made before the rotation) still open.
  const running = useLocalServer(BOOTSTRAP, { unsubscribeSecret: `${NEW_SECRET},${OLD_SECRET}` });
  const url = () => running().url;
  const admin = { key: BOOTSTRAP };

  const makeLink = async (body: Record<string, unknown>, headers?: Record<string, string>) => {
    const answer = await call(url(), "POST", "/v1/unsubscribe-links", {
      ...admin,
      body,
      ...(headers ? { headers } : {}),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return UnsubscribeLink.parse(answer.body);
  };

  const page = (token: string, init: RequestInit = {}) => fetch(`${url()}/u/${token}`, init);
  const oneClick = (token: string) =>
    page(token, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: ONE_CLICK,
    });
  const submitForm = (token: string, reason: UnsubscribeReason | null) =>
    page(token, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...(reason ? { reason } : {}), confirm: "yes" }).toString(),
    });

  const { verdict, history } = readback(url, BOOTSTRAP);

  describe("POST /v1/unsubscribe-links", () => {
    it("answers the link, its token and the two headers; the link points at the server", async () => {
      const address = freshAddress();
      const link = await makeLink({ address: ` ${address.toUpperCase()} `, expiresInDays: 30 });
      expect(link.address).toBe(address);
      expect(link.scope).toBe("*");
      expect(link.url).toBe(`${url()}/u/${link.token}`);
      expect(link.token).toMatch(/^v1\.k2\./);
      expect(link.headers).toEqual({
        "List-Unsubscribe": `<${link.url}>`,
        "List-Unsubscribe-Post": ONE_CLICK,
      });
      const expires = Date.parse(link.expiresAt) / 1000;
      expect(Math.abs(expires - (nowSeconds() + 30 * 86_400))).toBeLessThan(120);
      // The token hides the address: nothing of it is in the URL.
      expect(link.url).not.toContain(address.split("@")[0]);
    });

    it("makes a campaign's links in one call, in order, up to 1000", async () => {
      const addresses = Array.from({ length: MAX_UNSUBSCRIBE_LINKS }, () => freshAddress());
      const answer = await call(url(), "POST", "/v1/unsubscribe-links", {
        ...admin,
        body: { addresses, scope: "newsletter" },
      });
      expect(answer.status).toBe(200);
      const { links } = UnsubscribeLinks.parse(answer.body);
      expect(links.map((l) => l.address)).toEqual(addresses);
      expect(new Set(links.map((l) => l.token)).size).toBe(addresses.length);
      expect(links.every((l) => l.scope === "newsletter")).toBe(true);

      const tooMany = await call(url(), "POST", "/v1/unsubscribe-links", {
        ...admin,
        body: { addresses: [...addresses, freshAddress()] },
      });
      expectProblem(tooMany, 400);
    });

    it("refuses bad input with a problem naming it, and needs the ingest scope", async () => {
      const bad = await call(url(), "POST", "/v1/unsubscribe-links", {
        ...admin,
        body: { addresses: [freshAddress(), "not an address"] },
      });
      expectProblem(bad, 400);
      expect(JSON.stringify(bad.body.errors)).toContain("addresses.1");
      for (const body of [
        {},
        { address: freshAddress(), scope: "a//b" },
        { address: "x@y.org", expiresInDays: 0 },
      ]) {
        expectProblem(await call(url(), "POST", "/v1/unsubscribe-links", { ...admin, body }), 400);
      }
      expectProblem(
        await call(url(), "POST", "/v1/unsubscribe-links", { body: { address: "a@b.org" } }),
        401,
      );

      const created = await call(url(), "POST", "/v1/keys", {
        ...admin,
        body: { name: "checker", scopes: ["check"] },
      });
      const checker = CreatedKey.parse(created.body).key;
      const refused = await call(url(), "POST", "/v1/unsubscribe-links", {
        key: checker,
        body: { address: freshAddress() },
      });
      expectProblem(refused, 403);
    });

    it("masks the addresses it echoes for a key without pii", async () => {
      const created = await call(url(), "POST", "/v1/keys", {
        ...admin,
        body: { name: "sender", scopes: ["ingest"] },
      });
      const sender = CreatedKey.parse(created.body).key;
      const address = freshAddress();
      const answer = await call(url(), "POST", "/v1/unsubscribe-links", { key: sender, body: { address } });
      expect(answer.status).toBe(200);
      const link = UnsubscribeLink.parse(answer.body);
      expect(link.address).not.toBe(address);
      expect(link.address).toMatch(/\*/);
      // The link itself works: it was sealed with the real address.
      expect((await oneClick(link.token)).status).toBe(200);
      expect((await verdict(address)).suppressed).toBe(true);
    });
  });

  describe("/u/{token}", () => {
    it("GET shows the confirmation and never unsubscribes", async () => {
      const address = freshAddress();
      const link = await makeLink({ address });
      for (let i = 0; i < 3; i++) {
        const res = await page(link.token, { headers: { "accept-language": "zh-CN,zh;q=0.9" } });
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^text\/html/);
        expect(res.headers.get("content-security-policy")).toBe(UNSUBSCRIBE_PAGE_CSP);
        expect(res.headers.get("cache-control")).toBe("no-store");
        const html = await res.text();
        expect(html).toContain("确认退订");
        expect(html).toContain(`action="/u/${link.token}"`);
        expect(html).not.toContain(address);
      }
      expect((await verdict(address)).suppressed).toBe(false);
      expect(await history(address)).toEqual([]);
    });

    it("one-click POST (form-encoded) unsubscribes at once, 200 without a redirect", async () => {
      const address = freshAddress();
      const link = await makeLink({ address });
      const res = await page(link.token, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: ONE_CLICK,
        redirect: "manual",
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("location")).toBeNull();
      const v = await verdict(address);
      expect(v).toMatchObject({ suppressed: true, cause: "unsubscribe", source: "unsubscribe-link" });
      const [event] = await history(address);
      expect(event).toMatchObject({
        provider: "unsubscribe-link",
        type: "unsubscribe",
        scope: "*",
        rule: "unsubscribe-link-one-click",
        unsubscribeReason: null,
      });
    });

    it("one-click POST as multipart/form-data, as some mailbox providers send it", async () => {
      const address = freshAddress();
      const link = await makeLink({ address });
      const form = new FormData();
      form.set("List-Unsubscribe", "One-Click");
      const res = await page(link.token, { method: "POST", body: form });
      expect(res.status).toBe(200);
      expect((await verdict(address)).suppressed).toBe(true);
    });

    it("a replayed POST is a duplicate: one event, one unsubscribe", async () => {
      const address = freshAddress();
      const link = await makeLink({ address });
      for (let i = 0; i < 3; i++) expect((await oneClick(link.token)).status).toBe(200);
      expect(await history(address)).toHaveLength(1);
    });

    it.each(Object.keys(UNSUBSCRIBE_REASONS) as UnsubscribeReason[])(
      "the form records the reason %s (spam and fraud also as a complaint)",
      async (reason) => {
        const address = freshAddress();
        const link = await makeLink({ address });
        const res = await submitForm(link.token, reason);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain(UNSUBSCRIBE_REASONS[reason].en);
        const events = await history(address);
        const unsubscribe = events.find((e) => e.type === "unsubscribe");
        expect(unsubscribe).toMatchObject({ unsubscribeReason: reason, rule: "unsubscribe-link-form" });
        const complaint = events.find((e) => e.type === "complaint");
        if (reason === "spam" || reason === "fraud") {
          expect(complaint).toMatchObject({
            feedbackType: reason === "spam" ? "abuse" : "fraud",
            scope: "*",
          });
        } else {
          expect(complaint).toBeUndefined();
        }
        expect(events).toHaveLength(reason === "spam" || reason === "fraud" ? 2 : 1);
      },
    );

    it("unsubscribes in the token's scope only", async () => {
      const address = freshAddress();
      const link = await makeLink({ address, scope: "newsletter/weekly" });
      expect((await oneClick(link.token)).status).toBe(200);
      expect((await verdict(address, "newsletter/weekly")).suppressed).toBe(true);
      expect((await verdict(address, "receipts")).suppressed).toBe(false);
    });

    it("honours an unsubscribe of an allowlisted address (the recipient asked)", async () => {
      const address = freshAddress();
      const allowed = await call(url(), "PUT", `/v1/allowlist/${encodeURIComponent(address)}`, {
        ...admin,
        body: { note: "seed inbox" },
      });
      expect(allowed.status).toBeLessThan(300);
      const link = await makeLink({ address });
      expect((await oneClick(link.token)).status).toBe(200);
      expect((await verdict(address)).suppressed).toBe(true);
    });

    it("a link made before the rotation (old kid) still works", async () => {
      const address = freshAddress();
      const old = sealUnsubscribeToken(
        { tenant: "default", address, scope: "*", expiresAt: nowSeconds() + 3600, keyId: "bootstrap" },
        parseUnsubscribeKeys(OLD_SECRET),
      );
      expect(old).toMatch(/^v1\.k1\./);
      expect((await page(old)).status).toBe(200);
      expect((await oneClick(old)).status).toBe(200);
      expect((await verdict(address)).suppressed).toBe(true);
    });

    const refusals: readonly [string, (address: string) => Promise<string>, number][] = [
      [
        "tampered",
        async (address) => {
          const { token } = await makeLink({ address });
          const i = token.length - 5;
          return token.slice(0, i) + (token[i] === "A" ? "B" : "A") + token.slice(i + 1);
        },
        404,
      ],
      [
        "expired",
        async (address) =>
          sealUnsubscribeToken(
            { tenant: "default", address, scope: "*", expiresAt: nowSeconds() - 1, keyId: "bootstrap" },
            parseUnsubscribeKeys(NEW_SECRET),
          ),
        410,
      ],
      [
        "sealed with a key this deployment does not hold",
        async (address) =>
          sealUnsubscribeToken(
            { tenant: "default", address, scope: "*", expiresAt: nowSeconds() + 3600, keyId: "bootstrap" },
            parseUnsubscribeKeys(generateUnsubscribeSecret("k2")),
          ),
        404,
      ],
      ["not a token", async () => "v1.k2.not-a-token", 404],
    ];

    it.each(refusals)("a %s token: 4xx page for GET and POST, nothing recorded", async (_, make, status) => {
      const address = freshAddress();
      const token = await make(address);
      const shown = await page(token);
      expect(shown.status).toBe(status);
      expect(await shown.text()).toContain("This link is not valid or has expired");
      expect((await oneClick(token)).status).toBe(status);
      expect((await submitForm(token, "spam")).status).toBe(status);
      expect((await verdict(address)).suppressed).toBe(false);
      expect(await history(address)).toEqual([]);
    });

    it("a foreign-tenant token (its key is another tenant's) is refused; nothing recorded in either", async () => {
      const [a, b] = [freshTenant(), freshTenant()];
      const created = await call(url(), "POST", "/v1/keys", {
        ...admin,
        body: { tenant: a, name: "sender of a", scopes: ["ingest"] },
      });
      const keyOfA = CreatedKey.parse(created.body);
      const address = freshAddress();
      // Sealed with the deployment's own current key, naming tenant b but a's key: a forgery that
      // only a holder of the secret could make, or a token from a deployment sharing it.
      const token = sealUnsubscribeToken(
        { tenant: b, address, scope: "*", expiresAt: nowSeconds() + 3600, keyId: keyOfA.id },
        parseUnsubscribeKeys(NEW_SECRET),
      );
      expect((await page(token)).status).toBe(404);
      expect((await oneClick(token)).status).toBe(404);
      expect((await verdict(address, "*", a)).suppressed).toBe(false);
      expect((await verdict(address, "*", b)).suppressed).toBe(false);

      // The same key's own link works, in its own tenant, even once the key is revoked.
      const answer = await call(url(), "POST", "/v1/unsubscribe-links", {
        key: keyOfA.key,
        body: { address },
      });
      const link = UnsubscribeLink.parse(answer.body);
      expect(
        (await call(url(), "DELETE", `/v1/keys/${keyOfA.id}`, { ...admin, headers: { "x-tenant": a } }))
          .status,
      ).toBe(200);
      expect((await oneClick(link.token)).status).toBe(200);
      expect((await verdict(address, "*", a)).suppressed).toBe(true);
      expect((await verdict(address, "*", b)).suppressed).toBe(false);
    });

    it("a POST that is neither one-click nor the form: 400 or 415 problem, nothing recorded", async () => {
      const address = freshAddress();
      const link = await makeLink({ address });
      const empty = await page(link.token, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=Maybe",
      });
      expect(empty.status).toBe(400);
      expect(empty.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      const asJson = await page(link.token, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ "List-Unsubscribe": "One-Click" }),
      });
      expect(asJson.status).toBe(415);
      const huge = await page(link.token, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `${ONE_CLICK}&pad=${"x".repeat(20_000)}`,
      });
      expect(huge.status).toBe(413);
      expect(await history(address)).toEqual([]);
    });
  });
});
