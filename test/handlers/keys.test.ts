/**
 * `POST`, `GET` and `DELETE /v1/keys` over real sockets on the local server, answers parsed with
 * the contract's zod schemas: making, listing and revoking keys with the bootstrap key and with a
 * tenant's `keys` key (no other tenant, no scope it lacks), the keys made at work on other routes
 * (their scopes, revocation at once on the local server's one authenticator), `GET /v1/me` (who a
 * key is, for any valid key, never the key), bad input, and the isolation of tenants' data:
 * entries, history, allowlist and imports of one tenant are invisible to another's keys.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  AddressView,
  AllowlistPage,
  CheckResponse,
  HistoryPage,
  IngestSummary,
  ProblemDocument,
} from "../../lambdas/contract/index.js";
import { CreatedKey, KeysPage, KeyView, Me } from "../../lambdas/contract/keys.js";
import { SCOPES, type Scope } from "../../lambdas/core/access.js";
import { hashKey } from "../../lambdas/store/api-key-lookup.js";
import { sendgridEvents } from "../fixtures/sendgrid/signing.js";
import { type Answer, call, expectProblem, useLocalServer } from "../local/http-helpers.js";

const BOOTSTRAP = "test-key-keys-0123456789";

const salt = (): string => randomBytes(5).toString("hex");
/** A tenant no other test of the run uses. */
const freshTenant = (): string => `t-${salt()}`;
const freshAddress = (): string => `k-${salt()}@example.org`;

/** The problem's slug: the last segment of its `type` URL. */
function slugOf(answer: Answer): string {
  return String(answer.body.type).split("/").at(-1) ?? "";
}

function expectRefusal(answer: Answer, status: number, slug: string): void {
  expectProblem(answer, status);
  expect(slugOf(answer), JSON.stringify(answer.body)).toBe(slug);
}

describe("/v1/keys over HTTP", () => {
  const running = useLocalServer(BOOTSTRAP);
  const url = () => running().url;
  const as = (key: string | null, tenant?: string) => ({
    key,
    ...(tenant === undefined ? {} : { headers: { "x-tenant": tenant } }),
  });

  /** `POST /v1/keys` as `key`; the answer, expected 201. */
  const create = async (body: Record<string, unknown>, key = BOOTSTRAP): Promise<CreatedKey> => {
    const answer = await call(url(), "POST", "/v1/keys", { key, body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return CreatedKey.parse(answer.body);
  };
  const list = async (key = BOOTSTRAP, tenant?: string): Promise<KeysPage> => {
    const answer = await call(url(), "GET", "/v1/keys", as(key, tenant));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return KeysPage.parse(answer.body);
  };
  const revoke = (id: string, key = BOOTSTRAP, tenant?: string) =>
    call(url(), "DELETE", `/v1/keys/${id}`, as(key, tenant));
  const check = async (key: string, address: string) => {
    const answer = await call(url(), "POST", "/v1/check", { key, body: { addresses: [address] } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const [verdict] = CheckResponse.parse(answer.body).results;
    if (verdict === undefined) throw new Error("no verdict");
    return verdict;
  };
  /** A new key of `tenant` (made with the bootstrap key): its string and id. */
  const keyOf = async (tenant: string, scopes: Scope[], name = "test key") => {
    const created = await create({ tenant, name, scopes });
    return { key: created.key, id: created.id };
  };

  describe("with the bootstrap key", () => {
    it("creates a key (201, shown once), lists it without key or hash, and revokes it", async () => {
      // Prepare
      const tenant = freshTenant();
      // Act
      const created = await create({ tenant, name: "ci pipeline", scopes: ["check", "ingest"] });
      const listed = await list(BOOTSTRAP, tenant);
      const revoked = await revoke(created.id, BOOTSTRAP, tenant);
      const after = await list(BOOTSTRAP, tenant);
      // Assert
      expect(created).toMatchObject({
        tenant,
        name: "ci pipeline",
        scopes: ["check", "ingest"],
        createdBy: { keyId: "bootstrap", name: "bootstrap key" },
        revokedAt: null,
        revokedBy: null,
      });
      expect(created.key).toMatch(new RegExp(`^ssk_${created.id}_[A-Za-z0-9_-]{43}$`));
      const { key: _key, ...view } = created;
      expect(listed.keys).toEqual([view]);
      expect(JSON.stringify(listed)).not.toContain(created.key.slice(17));
      expect(JSON.stringify(listed)).not.toMatch(/hash/i);
      expect(revoked.status).toBe(200);
      const revokedView = KeyView.parse(revoked.body);
      expect(revokedView).toMatchObject({
        id: created.id,
        revokedAt: expect.any(String),
        revokedBy: { keyId: "bootstrap", name: "bootstrap key" },
      });
      expect(after.keys).toEqual([revokedView]);
    });

    it("revokes idempotently: the second DELETE answers the first revocation", async () => {
      // Prepare
      const tenant = freshTenant();
      const { id } = await keyOf(tenant, ["check"]);
      const first = await revoke(id, BOOTSTRAP, tenant);
      // Act
      const second = await revoke(id, BOOTSTRAP, tenant);
      // Assert
      expect(second.status).toBe(200);
      expect(KeyView.parse(second.body)).toEqual(KeyView.parse(first.body));
    });

    it("acts for the tenant X-Tenant names, and for `default` without it", async () => {
      // Prepare
      const b = freshTenant();
      const ofB = await keyOf(b, ["check"], "of b");
      const ofDefault = await create({ name: `default ${salt()}`, scopes: ["check"] });
      // Act
      const listedB = await list(BOOTSTRAP, b);
      const listedDefault = await list(BOOTSTRAP);
      // Assert
      expect(listedB.keys.map((k) => k.id)).toEqual([ofB.id]);
      expect(ofDefault.tenant).toBe("default");
      expect(listedDefault.keys.map((k) => k.id)).toContain(ofDefault.id);
      expect(listedDefault.keys.map((k) => k.id)).not.toContain(ofB.id);
      expect(listedDefault.keys.every((k) => k.tenant === "default")).toBe(true);
    });

    it("creates for the X-Tenant tenant when the body names none", async () => {
      // Prepare
      const tenant = freshTenant();
      // Act
      const answer = await call(url(), "POST", "/v1/keys", {
        ...as(BOOTSTRAP, tenant),
        body: { name: "via header", scopes: ["check"] },
      });
      // Assert
      expect(answer.status).toBe(201);
      expect(CreatedKey.parse(answer.body).tenant).toBe(tenant);
    });

    it("answers 404 no-such-key for an id the tenant does not have", async () => {
      expectRefusal(await revoke("0123456789ab", BOOTSTRAP, freshTenant()), 404, "no-such-key");
    });
  });

  describe("the keys made, on other routes", () => {
    it("a `check` key checks (200) and is refused the allowlist (403 insufficient-scope)", async () => {
      // Prepare
      const { key } = await keyOf(freshTenant(), ["check"]);
      // Act
      const verdict = await check(key, freshAddress());
      const allowlist = await call(url(), "GET", "/v1/allowlist", { key });
      // Assert
      expect(verdict).toMatchObject({ suppressed: false });
      expectRefusal(allowlist, 403, "insufficient-scope");
    });

    it("an `admin` key without `check` reads one address's verdict (200) but may not check (403)", async () => {
      // Prepare
      const { key } = await keyOf(freshTenant(), ["admin"]);
      const address = freshAddress();
      // Act
      const view = await call(url(), "GET", `/v1/suppressions/${encodeURIComponent(address)}`, { key });
      const checked = await call(url(), "POST", "/v1/check", { key, body: { addresses: [address] } });
      // Assert
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ address, suppressed: false });
      expectRefusal(checked, 403, "insufficient-scope");
      expect(checked.body.detail).toContain("`check`");
    });

    it("a key with neither `check` nor `admin` may not read a verdict, and is told which scopes would do", async () => {
      const { key } = await keyOf(freshTenant(), ["ingest"]);
      const view = await call(url(), "GET", `/v1/suppressions/${encodeURIComponent(freshAddress())}`, {
        key,
      });
      expectRefusal(view, 403, "insufficient-scope");
      expect(view.body.detail).toBe("This key lacks the `check` or `admin` scope this route needs.");
    });

    it("a revoked key is refused at once (401) on the server that revoked it", async () => {
      // Prepare: the key is used first, so the server has it in its cache.
      const tenant = freshTenant();
      const { key, id } = await keyOf(tenant, ["check"]);
      await check(key, freshAddress());
      // Act
      const revoked = await revoke(id, BOOTSTRAP, tenant);
      const after = await call(url(), "POST", "/v1/check", { key, body: { addresses: [freshAddress()] } });
      // Assert
      expect(revoked.status).toBe(200);
      expectRefusal(after, 401, "invalid-api-key");
      expect(after.body.detail).toMatch(/revoked/);
    });

    it("a key one character away from a real one is refused (401)", async () => {
      // Prepare
      const { key } = await keyOf(freshTenant(), ["check"]);
      const wrong = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
      // Act
      const answer = await call(url(), "POST", "/v1/check", {
        key: wrong,
        body: { addresses: [freshAddress()] },
      });
      // Assert
      expectRefusal(answer, 401, "invalid-api-key");
    });
  });

  describe("with a tenant's `keys` key", () => {
    it("creates for its own tenant within its scopes, recorded as made by it", async () => {
      // Prepare
      const a = freshTenant();
      const manager = await keyOf(a, ["keys", "check", "admin"], "key manager");
      // Act
      const created = await create({ name: "made by a", scopes: ["check"] }, manager.key);
      // Assert
      expect(created).toMatchObject({
        tenant: a,
        scopes: ["check"],
        createdBy: { keyId: manager.id, name: "key manager" },
      });
      expect(await check(created.key, freshAddress())).toMatchObject({ suppressed: false });
    });

    it("cannot create for another tenant (403 tenant-mismatch)", async () => {
      // Prepare
      const manager = await keyOf(freshTenant(), ["keys", "check"]);
      // Act
      const inBody = await call(url(), "POST", "/v1/keys", {
        key: manager.key,
        body: { tenant: freshTenant(), name: "elsewhere", scopes: ["check"] },
      });
      const inHeader = await call(url(), "POST", "/v1/keys", {
        ...as(manager.key, freshTenant()),
        body: { name: "elsewhere", scopes: ["check"] },
      });
      // Assert
      expectRefusal(inBody, 403, "tenant-mismatch");
      expectRefusal(inHeader, 403, "tenant-mismatch");
    });

    it("cannot grant a scope it lacks (403 scope-escalation)", async () => {
      // Prepare
      const manager = await keyOf(freshTenant(), ["keys", "check"]);
      // Act
      const answer = await call(url(), "POST", "/v1/keys", {
        key: manager.key,
        body: { name: "escalated", scopes: ["check", "pii"] },
      });
      // Assert
      expectRefusal(answer, 403, "scope-escalation");
      expect(answer.body.detail).toContain("`pii`");
    });

    it("lists only its tenant's keys", async () => {
      // Prepare
      const a = freshTenant();
      const b = freshTenant();
      const manager = await keyOf(a, ["keys"], "manager of a");
      const other = await keyOf(a, ["check"], "other of a");
      const ofB = await keyOf(b, ["check"], "of b");
      // Act
      const listed = await list(manager.key);
      // Assert
      expect(listed.keys.map((k) => k.id).sort()).toEqual([manager.id, other.id].sort());
      expect(listed.keys.map((k) => k.id)).not.toContain(ofB.id);
      expectRefusal(await call(url(), "GET", "/v1/keys", as(manager.key, b)), 403, "tenant-mismatch");
    });

    it("cannot revoke another tenant's key (404), which keeps working", async () => {
      // Prepare
      const manager = await keyOf(freshTenant(), ["keys"]);
      const ofB = await keyOf(freshTenant(), ["check"]);
      // Act
      const answer = await revoke(ofB.id, manager.key);
      // Assert
      expectRefusal(answer, 404, "no-such-key");
      expect(await check(ofB.key, freshAddress())).toMatchObject({ suppressed: false });
    });

    it("a key without `keys` is refused the key routes (403 insufficient-scope)", async () => {
      // Prepare
      const { key, id } = await keyOf(freshTenant(), ["check", "admin", "pii", "ingest"]);
      // Act & Assert
      expectRefusal(await call(url(), "GET", "/v1/keys", { key }), 403, "insufficient-scope");
      expectRefusal(
        await call(url(), "POST", "/v1/keys", { key, body: { name: "x", scopes: ["check"] } }),
        403,
        "insufficient-scope",
      );
      expectRefusal(await revoke(id, key), 403, "insufficient-scope");
    });
  });

  describe("GET /v1/me", () => {
    /** `GET /v1/me` as `key`; the answer, expected 200, parsed. */
    const me = async (key: string, tenant?: string): Promise<Me> => {
      const answer = await call(url(), "GET", "/v1/me", as(key, tenant));
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.type).toMatch(/^application\/json/);
      return Me.parse(answer.body);
    };

    it("the bootstrap key: keyId bootstrap, every scope, tenant default", async () => {
      expect(await me(BOOTSTRAP)).toEqual({
        keyId: "bootstrap",
        name: "bootstrap key",
        tenant: "default",
        scopes: [...SCOPES],
        bootstrap: true,
      });
    });

    it("the bootstrap key with X-Tenant: the tenant it names", async () => {
      // Act
      const acme = await me(BOOTSTRAP, "acme");
      const fresh = freshTenant();
      const other = await me(BOOTSTRAP, fresh);
      // Assert
      expect(acme).toMatchObject({ keyId: "bootstrap", tenant: "acme", bootstrap: true });
      expect(other.tenant).toBe(fresh);
      expect(other.scopes).toEqual([...SCOPES]);
    });

    it("a key made with POST /v1/keys: its id, name, tenant and exactly its scopes, not bootstrap", async () => {
      // Prepare
      const tenant = freshTenant();
      const created = await create({ tenant, name: "ops console", scopes: ["admin", "pii", "check"] });
      // Act
      const answer = await me(created.key);
      // Assert
      expect(answer).toEqual({
        keyId: created.id,
        name: "ops console",
        tenant,
        scopes: created.scopes,
        bootstrap: false,
      });
      expect([...answer.scopes].sort()).toEqual(["admin", "check", "pii"]);
    });

    it("a key with `check` only (no admin, no keys) is answered 200 all the same", async () => {
      // Prepare
      const tenant = freshTenant();
      const { key, id } = await keyOf(tenant, ["check"], "pre-send only");
      // Act
      const answer = await me(key);
      // Assert
      expect(answer).toEqual({
        keyId: id,
        name: "pre-send only",
        tenant,
        scopes: ["check"],
        bootstrap: false,
      });
      // (the control: the same key is refused an admin route)
      expectRefusal(await call(url(), "GET", "/v1/allowlist", { key }), 403, "insufficient-scope");
    });

    it("a key with `ingest` only is answered 200 too", async () => {
      const { key, id } = await keyOf(freshTenant(), ["ingest"]);
      expect(await me(key)).toMatchObject({ keyId: id, scopes: ["ingest"], bootstrap: false });
    });

    it("a scoped key naming its own tenant in X-Tenant is answered; another tenant is 403", async () => {
      // Prepare
      const tenant = freshTenant();
      const { key } = await keyOf(tenant, ["check"]);
      // Act
      const own = await me(key, tenant);
      const other = await call(url(), "GET", "/v1/me", as(key, freshTenant()));
      // Assert
      expect(own.tenant).toBe(tenant);
      expectRefusal(other, 403, "tenant-mismatch");
    });

    it("never answers the key or its hash", async () => {
      // Prepare
      const created = await create({ tenant: freshTenant(), name: "secret holder", scopes: ["check"] });
      const secret = created.key.slice(`ssk_${created.id}_`.length);
      // Act
      const answer = await call(url(), "GET", "/v1/me", { key: created.key });
      const bootstrap = await call(url(), "GET", "/v1/me", { key: BOOTSTRAP });
      // Assert
      const text = JSON.stringify(answer.body);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(created.key);
      expect(text).not.toContain(hashKey(created.key));
      expect(text).not.toMatch(/hash/i);
      expect(text).not.toMatch(/[0-9a-f]{64}/);
      expect(Object.keys(answer.body).sort()).toEqual(["bootstrap", "keyId", "name", "scopes", "tenant"]);
      expect(JSON.stringify(bootstrap.body)).not.toContain(BOOTSTRAP);
      expect(JSON.stringify(bootstrap.body)).not.toContain(hashKey(BOOTSTRAP));
    });

    it("without a key: 401 missing-api-key; a wrong key: 401 invalid-api-key", async () => {
      expectRefusal(await call(url(), "GET", "/v1/me", { key: null }), 401, "missing-api-key");
      const { key } = await keyOf(freshTenant(), ["check"]);
      const wrong = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
      expectRefusal(await call(url(), "GET", "/v1/me", { key: wrong }), 401, "invalid-api-key");
      expectRefusal(await call(url(), "GET", "/v1/me", { key: "not-the-key" }), 401, "invalid-api-key");
    });

    it("a revoked key: 401 invalid-api-key, at once", async () => {
      // Prepare: the key is used first, so the server has it in its cache.
      const tenant = freshTenant();
      const { key, id } = await keyOf(tenant, ["check"]);
      await me(key);
      // Act
      const revoked = await revoke(id, BOOTSTRAP, tenant);
      const after = await call(url(), "GET", "/v1/me", { key });
      // Assert
      expect(revoked.status).toBe(200);
      expectRefusal(after, 401, "invalid-api-key");
    });

    it("a bad X-Tenant from the bootstrap key: 400 bad-tenant", async () => {
      expectRefusal(await call(url(), "GET", "/v1/me", as(BOOTSTRAP, "Bad Tenant")), 400, "bad-tenant");
    });
  });

  describe("bad input", () => {
    /** The 400 answer's problem document, with its issues' paths. */
    const badRequest = (answer: Answer) => {
      expectProblem(answer, 400);
      return ProblemDocument.parse(answer.body);
    };
    const post = (body: unknown) => call(url(), "POST", "/v1/keys", { key: BOOTSTRAP, body });

    it.each([
      ["no name", { scopes: ["check"] }, "name"],
      ["a blank name", { name: "   ", scopes: ["check"] }, "name"],
      ["a name too long", { name: "n".repeat(101), scopes: ["check"] }, "name"],
      ["no scopes", { name: "x" }, "scopes"],
      ["no scope at all", { name: "x", scopes: [] }, "scopes"],
      ["an unknown scope", { name: "x", scopes: ["check", "root"] }, "scopes"],
      ["a scope twice", { name: "x", scopes: ["check", "check"] }, "scopes"],
      ["a bad tenant", { tenant: "Not A Tenant", name: "x", scopes: ["check"] }, "tenant"],
      ["an unknown field", { name: "x", scopes: ["check"], admin: true }, ""],
    ])("POST with %s: 400 naming it", async (_name, body, path) => {
      // Act
      const doc = badRequest(await post(body));
      // Assert
      if (path !== "") expect((doc.errors ?? []).map((e) => e.path.split(/[.[]/)[0])).toContain(path);
    });

    it("POST with a body that is not JSON, or none: 400", async () => {
      badRequest(
        await call(url(), "POST", "/v1/keys", {
          key: BOOTSTRAP,
          raw: "{name: x",
          contentType: "application/json",
        }),
      );
      badRequest(await call(url(), "POST", "/v1/keys", { key: BOOTSTRAP }));
      badRequest(await post(["check"]));
    });

    it.each([
      ["too short", "0123"],
      ["upper case", "0123456789AB"],
      ["a whole key", `ssk_0123456789ab_${"A".repeat(43)}`],
      ["the bootstrap key's name", "bootstrap"],
    ])("DELETE with an id %s: 400", async (_name, id) => {
      const doc = badRequest(await revoke(encodeURIComponent(id)));
      expect(doc.detail).toMatch(/key id/);
    });

    it.each([
      ["POST", "/v1/keys"],
      ["GET", "/v1/keys"],
      ["DELETE", "/v1/keys/0123456789ab"],
    ])("%s %s with a bad X-Tenant: 400 bad-tenant", async (method, path) => {
      const answer = await call(url(), method, path, {
        ...as(BOOTSTRAP, "Bad Tenant"),
        ...(method === "POST" ? { body: { name: "x", scopes: ["check"] } } : {}),
      });
      expectRefusal(answer, 400, "bad-tenant");
    });

    it.each([
      ["POST", "/v1/keys"],
      ["GET", "/v1/keys"],
      ["DELETE", "/v1/keys/0123456789ab"],
    ])("%s %s without a key: 401", async (method, path) => {
      const answer = await call(url(), method, path, {
        key: null,
        ...(method === "POST" ? { body: { name: "x", scopes: ["check"] } } : {}),
      });
      expectRefusal(answer, 401, "missing-api-key");
    });
  });

  describe("tenants' data apart", () => {
    const suppressionPath = (address: string) => `/v1/suppressions/${encodeURIComponent(address)}`;

    it("tenant B's key sees nothing of tenant A's manual entry: check, lookup, removal, history", async () => {
      // Prepare
      const a = await keyOf(freshTenant(), ["check", "admin", "pii"], "ops of a");
      const b = await keyOf(freshTenant(), ["check", "admin", "pii"], "ops of b");
      const address = freshAddress();
      const put = await call(url(), "PUT", suppressionPath(address), {
        key: a.key,
        body: { note: "asked by a" },
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      // Act
      const checkA = await check(a.key, address);
      const checkB = await check(b.key, address);
      const lookupB = await call(url(), "GET", suppressionPath(address), { key: b.key });
      const historyB = await call(url(), "GET", `/v1/events/${encodeURIComponent(address)}`, { key: b.key });
      const historyA = await call(url(), "GET", `/v1/events/${encodeURIComponent(address)}`, { key: a.key });
      const removeB = await call(url(), "DELETE", `${suppressionPath(address)}?reason=not+yours`, {
        key: b.key,
      });
      const lookupA = await call(url(), "GET", suppressionPath(address), { key: a.key });
      // Assert
      expect(checkA).toMatchObject({ suppressed: true, cause: "manual" });
      expect(checkB).toMatchObject({ suppressed: false });
      expect(lookupB.status).toBe(200);
      expect(AddressView.parse(lookupB.body)).toMatchObject({ suppressed: false, entries: [] });
      expect(historyB.status).toBe(200);
      expect(HistoryPage.parse(historyB.body).items).toEqual([]);
      expect(HistoryPage.parse(historyA.body).items).toMatchObject([
        { kind: "admin", actor: { keyId: a.id, name: "ops of a" } },
      ]);
      expectRefusal(removeB, 404, "not-suppressed");
      expect(AddressView.parse(lookupA.body)).toMatchObject({ suppressed: true, cause: "manual" });
    });

    it("tenant B's allowlist stays empty when tenant A allowlists", async () => {
      // Prepare
      const a = await keyOf(freshTenant(), ["admin", "pii"]);
      const b = await keyOf(freshTenant(), ["admin", "pii"]);
      const domain = `seeds-${salt()}.example.org`;
      const put = await call(url(), "PUT", `/v1/allowlist/${encodeURIComponent(`@${domain}`)}`, {
        key: a.key,
        body: { note: "a's seeds" },
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      // Act
      const listA = await call(url(), "GET", "/v1/allowlist", { key: a.key });
      const listB = await call(url(), "GET", "/v1/allowlist", { key: b.key });
      // Assert
      expect(AllowlistPage.parse(listA.body).entries).toMatchObject([
        { subjectKind: "domain", subject: domain },
      ]);
      expect(AllowlistPage.parse(listB.body).entries).toEqual([]);
    });

    it("POST /v1/import with tenant B's `ingest` key stores under B only", async () => {
      // Prepare
      const a = await keyOf(freshTenant(), ["check"]);
      const b = await keyOf(freshTenant(), ["check", "ingest"]);
      const address = freshAddress();
      const [event] = sendgridEvents("bounce-invalid-address");
      const bounce = {
        ...event,
        email: address,
        sg_event_id: `keys-${salt()}`,
        timestamp: Math.floor(Date.now() / 1000) - 60,
      };
      // Act
      const answer = await call(url(), "POST", "/v1/import/sendgrid", { key: b.key, body: [bounce] });
      // Assert
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(IngestSummary.parse(answer.body)).toMatchObject({ accepted: 1 });
      expect(await check(b.key, address)).toMatchObject({ suppressed: true, cause: "bounce" });
      expect(await check(a.key, address)).toMatchObject({ suppressed: false });
      expect(await check(BOOTSTRAP, address)).toMatchObject({ suppressed: false });
      // A key without `ingest` may not import.
      expectRefusal(
        await call(url(), "POST", "/v1/import/sendgrid", { key: a.key, body: [bounce] }),
        403,
        "insufficient-scope",
      );
    });
  });

  it('docs/operators.md, "Keys and tenants": its curl examples answer what the guide shows', async () => {
    // Prepare: the section's curl blocks, sent to this server with its bootstrap key.
    const guide = readFileSync("docs/operators.md", "utf8");
    const section = guide.slice(guide.indexOf("## Keys and tenants"));
    const end = section.indexOf("\n## ", 3);
    const blocks = [...(end < 0 ? section : section.slice(0, end)).matchAll(/```sh\n([\s\S]*?)```/g)]
      .map((m) => m[1] ?? "")
      .filter((block) => block.trimStart().startsWith("curl "));
    expect(blocks).toHaveLength(2);
    const run = promisify(execFile);
    // Act
    const answers: unknown[] = [];
    for (const block of blocks) {
      const command = block.replaceAll("http://127.0.0.1:3400", url()).replaceAll("demo-key", BOOTSTRAP);
      answers.push(JSON.parse((await run("bash", ["-c", command])).stdout));
    }
    // Assert
    const created = CreatedKey.parse(answers[0]);
    expect(created).toMatchObject({
      tenant: "acme",
      name: "acme pre-send",
      scopes: ["check"],
      revokedAt: null,
    });
    expect(KeysPage.parse(answers[1]).keys.map((k) => k.id)).toContain(created.id);
    expect(await check(created.key, freshAddress())).toMatchObject({ suppressed: false });
  });
});
