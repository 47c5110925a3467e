/**
 * The export routes over real sockets on the local server (dynalite, s3rver, the jobs in-process),
 * answers parsed with the contract's schemas: the file behind the link equals what
 * `GET /v1/suppressions` and `GET /v1/events` return, page by page (masked for a key without
 * `pii`, as those routes mask); the task list; retries; every bad request as problem+json; scopes.
 */
import { randomBytes } from "node:crypto";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  ACTIVE_JOBS_RETRY_SECONDS,
  CreatedKey,
  EXPORT_CSV_COLUMNS,
  ExportJob,
  ExportPage,
  type ListEntry,
  ListPage,
  MAX_ACTIVE_JOBS,
  ProblemDocument,
  StatusPage,
} from "../../lambdas/contract/index.js";
import { sendgridEvents } from "../fixtures/sendgrid/signing.js";
import { type Answer, call, expectProblem, useLocalServer } from "../local/http-helpers.js";

const KEY = "test-key-exports-0123456789";
const salt = (): string => randomBytes(5).toString("hex");
const nowS = (): number => Math.floor(Date.now() / 1000);

function sendgrid(name: string, email: string, timestamp: number) {
  const [event] = sendgridEvents(name);
  return { ...event, email, sg_event_id: `sg-${salt()}`, timestamp };
}

describe("the export routes over HTTP", () => {
  const running = useLocalServer(KEY);
  const url = () => running().url;
  const as = (key: string) => ({
    post: (path: string, body: unknown) => call(url(), "POST", path, { key, body }),
    get: (path: string) => call(url(), "GET", path, { key }),
  });
  const bootstrap = as(KEY);

  async function keyWith(scopes: string[]): Promise<string> {
    const answer = await bootstrap.post("/v1/keys", { name: `exports ${scopes.join(" ")}`, scopes });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return CreatedKey.parse(answer.body).key;
  }
  /** Every item of a paged route. */
  async function allPages<T>(
    key: string,
    path: string,
    parseWith: (b: unknown) => { items: T[]; cursor: string | null },
  ) {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes("?") ? "&" : "?";
      const answer = await as(key).get(
        `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const page = parseWith(answer.body);
      items.push(...page.items);
      cursor = page.cursor;
    } while (cursor !== null);
    return items;
  }
  /** Starts an export and waits for its end. */
  async function exported(key: string, body: unknown): Promise<{ started: Answer; job: ExportJob }> {
    const started = await as(key).post("/v1/exports", body);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const { id } = ExportJob.parse(started.body);
    await running().jobsIdle();
    const answer = await as(key).get(`/v1/exports/${id}`);
    expect(answer.status).toBe(200);
    return { started, job: ExportJob.parse(answer.body) };
  }
  const download = async (link: string | null): Promise<string> => {
    expect(link).not.toBeNull();
    const res = await fetch(link ?? "");
    expect(res.status).toBe(200);
    return res.text();
  };

  async function seed(domain: string, n: number): Promise<void> {
    const t = nowS() - 3_600;
    const events = Array.from({ length: n }, (_, i) =>
      sendgrid(i % 3 === 0 ? "spamreport" : "bounce-invalid-address", `user${i}@${domain}`, t + i),
    );
    const answer = await call(url(), "POST", "/v1/import/sendgrid", { key: KEY, body: events });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }

  it("exports exactly what GET /v1/suppressions lists, in JSONL and CSV, and masks it for a key without pii", async () => {
    // Arrange: 150 entries of a fresh domain; a key with admin and pii, one with admin only
    const domain = `x-${salt()}.example`;
    await seed(domain, 150);
    const full = await keyWith(["admin", "pii"]);
    const plain = await keyWith(["admin"]);
    const filters = { q: `@${domain}` };
    // Act
    const jsonl = await exported(full, { kind: "suppressions", filters, format: "jsonl" });
    const csv = await exported(full, { kind: "suppressions", filters: { ...filters, cause: "complaint" } });
    const masked = await exported(plain, { kind: "suppressions", filters, format: "jsonl" });
    const listed = await allPages<ListEntry>(full, `/v1/suppressions?q=%40${domain}`, (b) =>
      ListPage.parse(b),
    );
    const complaints = await allPages<ListEntry>(
      full,
      `/v1/suppressions?q=%40${domain}&cause=complaint`,
      (b) => ListPage.parse(b),
    );
    const listedMasked = await allPages<ListEntry>(plain, `/v1/suppressions?q=%40${domain}`, (b) =>
      ListPage.parse(b),
    );
    // Assert
    expect(jsonl.started.type).toMatch(/^application\/json/);
    expect(jsonl.job).toMatchObject({
      status: "succeeded",
      kind: "suppressions",
      format: "jsonl",
      masked: false,
      rows: 150,
    });
    expect(jsonl.job.progress).toEqual({ done: 150, rows: 150 });
    expect(Date.parse(jsonl.job.expiresAt ?? "") - Date.parse(jsonl.job.finishedAt ?? "")).toBe(
      7 * 86_400_000,
    );
    const lines = (await download(jsonl.job.url))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(listed);
    const rows = parse(await download(csv.job.url), { columns: true }) as Record<string, string>[];
    expect(csv.job).toMatchObject({ format: "csv", rows: complaints.length });
    expect(rows.map((r) => r.subject)).toEqual(complaints.map((e) => e.subject));
    expect(Object.keys(rows[0] ?? {})).toEqual(EXPORT_CSV_COLUMNS.suppressions.map(([n]) => n));
    expect(masked.job.masked).toBe(true);
    const maskedLines = (await download(masked.job.url))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(maskedLines).toEqual(listedMasked);
    expect(JSON.stringify(maskedLines)).not.toContain(`user1@${domain}`);
  }, 60_000);

  it("exports exactly what GET /v1/events lists, with the window fixed when it was started", async () => {
    // Arrange
    const domain = `e-${salt()}.example`;
    await seed(domain, 40);
    const from = new Date((nowS() - 7_200) * 1000).toISOString();
    // Act
    const { job } = await exported(KEY, {
      kind: "events",
      filters: { type: "complaint", from },
      format: "jsonl",
    });
    const listed = await allPages(KEY, `/v1/events?type=complaint&from=${encodeURIComponent(from)}`, (b) =>
      StatusPage.parse(b),
    );
    // Assert
    expect(job.status).toBe("succeeded");
    expect(job.filters).toMatchObject({ type: "complaint", from, to: expect.any(String) });
    const lines = (await download(job.url))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(listed);
    expect(lines.length).toBeGreaterThanOrEqual(14);
  }, 60_000);

  it("lists the tenant's exports newest first, and never links an unmasked file for a key without pii", async () => {
    // Arrange
    const plain = await keyWith(["admin"]);
    const a = await exported(KEY, { kind: "suppressions", filters: { q: "@none.example" } });
    const b = await exported(KEY, { kind: "events" });
    // Act
    const page = ExportPage.parse((await bootstrap.get("/v1/exports?limit=2")).body);
    const seenByPlain = ExportJob.parse((await as(plain).get(`/v1/exports/${a.job.id}`)).body);
    // Assert
    expect(page.items.map((j) => j.id)).toEqual([b.job.id, a.job.id]);
    expect(page.cursor).not.toBeNull();
    expect(a.job).toMatchObject({ status: "succeeded", rows: 0 });
    expect((await download(a.job.url)).trimEnd()).toBe(
      EXPORT_CSV_COLUMNS.suppressions.map(([n]) => n).join(","),
    );
    expect(seenByPlain).toMatchObject({ status: "succeeded", masked: false, url: null });
  }, 60_000);

  it("answers 409 to a retry of a job that did not fail, 404 to an unknown one", async () => {
    // Arrange
    const { job } = await exported(KEY, { kind: "suppressions" });
    // Act
    const retry = await bootstrap.post(`/v1/exports/${job.id}/retry`, {});
    const unknown = await bootstrap.get(`/v1/exports/${"0".repeat(24)}`);
    const malformed = await bootstrap.get("/v1/exports/not-a-job");
    // Assert
    expectProblem(retry, 409);
    expect(ProblemDocument.parse(retry.body).detail).toMatch(
      /is `succeeded`: only a failed job can be retried/,
    );
    expectProblem(unknown, 404);
    expectProblem(malformed, 404);
  });

  it.each([
    [{ kind: "everything" }, "kind"],
    [{ kind: "suppressions", format: "xlsx" }, "format"],
    [{ kind: "suppressions", filters: { cause: "nope" } }, "filters.cause"],
    [{ kind: "suppressions", filters: { cursor: "x" } }, "filters"],
    [
      { kind: "suppressions", filters: { since: "2026-11-02T00:00:00Z", until: "2026-11-01T00:00:00Z" } },
      "since",
    ],
    [{ kind: "events", filters: { from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z" } }, "from"],
    [{ kind: "suppressions", filters: { q: "@not a domain" } }, "filters.q"],
  ])("refuses %j with a 400 naming %s", async (body, path) => {
    // Act
    const answer = await bootstrap.post("/v1/exports", body);
    // Assert
    expectProblem(answer, 400);
    const paths = (ProblemDocument.parse(answer.body).errors ?? []).map((e) => e.path);
    expect(paths.some((p) => p.startsWith(path))).toBe(true);
  });

  it("needs the admin scope", async () => {
    // Arrange
    const checker = await keyWith(["check"]);
    // Act
    const started = await as(checker).post("/v1/exports", { kind: "suppressions" });
    const listed = await call(url(), "GET", "/v1/exports", { key: null });
    // Assert
    expectProblem(started, 403);
    expectProblem(listed, 401);
  });
});

describe("an export whose run cannot be started", () => {
  const running = useLocalServer(KEY, {
    jobLauncher: async () => {
      throw new Error("Lambda is unavailable");
    },
  });

  it("answers 202 with the job already failed, saying why, and a retry tries to start it again", async () => {
    // Act
    const started = await call(running().url, "POST", "/v1/exports", {
      key: KEY,
      body: { kind: "suppressions" },
    });
    const job = ExportJob.parse(started.body);
    const retried = await call(running().url, "POST", `/v1/exports/${job.id}/retry`, { key: KEY, body: {} });
    // Assert
    expect(started.status).toBe(202);
    expect(job).toMatchObject({
      status: "failed",
      error: "could not be started (Lambda is unavailable); retry it",
    });
    expect(retried.status).toBe(202);
    expect(ExportJob.parse(retried.body)).toMatchObject({ status: "failed", attempts: 0 });
  });
});

describe("too many exports at once", () => {
  // A launcher that never runs them: every started export stays queued.
  const running = useLocalServer(KEY, { jobLauncher: async () => undefined });

  it(`answers 429 with Retry-After once ${MAX_ACTIVE_JOBS} exports are queued or running`, async () => {
    // Arrange
    const start = () =>
      fetch(`${running().url}/v1/exports`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ kind: "suppressions" }),
      });
    // Act
    const accepted = [];
    for (let i = 0; i < MAX_ACTIVE_JOBS; i++) accepted.push((await start()).status);
    const refused = await start();
    const body = ProblemDocument.parse(await refused.json());
    // Assert
    expect(accepted).toEqual(Array(MAX_ACTIVE_JOBS).fill(202));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe(String(ACTIVE_JOBS_RETRY_SECONDS));
    expect(body.type).toMatch(/too-many-jobs$/);
  });
});
