/**
 * The list-check routes over real sockets on the local server (dynalite, s3rver, the jobs
 * in-process): a list with duplicates, malformed rows, domain values, a manual domain entry and
 * scopes gives exactly the expected keep and drop files and summary; the presigned upload, then
 * `start`; every refusal as problem+json; scopes.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CreatedKey, ListCheckJob, ListCheckPage, ProblemDocument } from "../../lambdas/contract/index.js";
import { sendgridEvents } from "../fixtures/sendgrid/signing.js";
import { call, expectProblem, useLocalServer } from "../local/http-helpers.js";

const KEY = "test-key-list-checks-0123456789";
const salt = (): string => randomBytes(5).toString("hex");
const nowS = (): number => Math.floor(Date.now() / 1000);

describe("the list-check routes over HTTP", () => {
  const running = useLocalServer(KEY);
  const url = () => running().url;
  const post = (path: string, raw: string, contentType: string, key = KEY) =>
    call(url(), "POST", path, { key, raw, contentType });
  const get = (path: string, key = KEY) => call(url(), "GET", path, { key });
  const text = async (link: string | undefined): Promise<string> => {
    const res = await fetch(link ?? "");
    expect(res.status).toBe(200);
    return res.text();
  };
  const finished = async (id: string): Promise<ListCheckJob> => {
    await running().jobsIdle();
    const answer = await get(`/v1/list-checks/${id}`);
    expect(answer.status).toBe(200);
    return ListCheckJob.parse(answer.body);
  };

  async function seed(d: string): Promise<void> {
    const [bounce] = sendgridEvents("bounce-invalid-address");
    const [spam] = sendgridEvents("spamreport");
    const t = nowS() - 600;
    const imported = await call(url(), "POST", "/v1/import/sendgrid", {
      key: KEY,
      body: [
        { ...bounce, email: `bounced@${d}`, sg_event_id: `sg-${salt()}`, timestamp: t },
        { ...spam, email: `complained@${d}`, sg_event_id: `sg-${salt()}`, timestamp: t + 1 },
      ],
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const manual = async (subject: string, body: unknown) => {
      const answer = await call(url(), "PUT", `/v1/suppressions/${encodeURIComponent(subject)}`, {
        key: KEY,
        body,
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    };
    await manual(`@blocked-${d}`, { note: "a whole domain" });
    await manual(`news-only@${d}`, { note: "newsletter only", scope: "newsletter" });
  }

  it("keeps and drops exactly the expected rows, with cause and reason, and sums them up", async () => {
    // Arrange: a CSV with a header, duplicates, malformed rows, a domain value, suppressed addresses
    const d = `lc-${salt()}.example`;
    await seed(d);
    const list = [
      "Name;E-Mail;City",
      `Jane;jane@${d};Paris`,
      `Bounced;bounced@${d};Rome`,
      `Again;  JANE@${d} ;Oslo`,
      `Complained;complained@${d};Lima`,
      "Nobody;not-an-address;Bern",
      `Domain;@${d};Kyiv`,
      `Blocked;anyone@blocked-${d};Riga`,
      `News;news-only@${d};Nice`,
      ";;",
      `"Quoted; name";bob@${d};"Porto"`,
    ].join("\r\n");
    // Act
    const all = await post("/v1/list-checks", list, "text/csv; charset=utf-8");
    const scoped = await post("/v1/list-checks?scope=newsletter", list, "text/csv");
    // Assert
    expect(all.status, JSON.stringify(all.body)).toBe(202);
    const job = await finished(ListCheckJob.parse(all.body).id);
    const jobScoped = await finished(ListCheckJob.parse(scoped.body).id);
    expect(job.status).toBe("succeeded");
    // Kept rows exactly as they were in the list, quotes and line ends included.
    expect(await text(job.files?.keep)).toBe(
      [
        "Name;E-Mail;City",
        `Jane;jane@${d};Paris`,
        `News;news-only@${d};Nice`,
        `"Quoted; name";bob@${d};"Porto"`,
      ]
        .map((r) => `${r}\r\n`)
        .join(""),
    );
    const drop = (await text(job.files?.drop)).trimEnd().split(/\r?\n/);
    expect(drop[0]).toBe("Name;E-Mail;City;cause;reason");
    expect(drop.slice(1).map((r) => r.split(";").slice(-2).join(";"))).toEqual([
      "bounce;user_unknown",
      "duplicate;same address as an earlier row",
      "complaint;complaint",
      expect.stringMatching(/^invalid_syntax;/),
      expect.stringMatching(/^invalid_syntax;/),
      expect.stringMatching(/^manual;/),
      "invalid_syntax;empty row",
    ]);
    expect(job.summary).toMatchObject({
      rows: 10,
      kept: 3,
      dropped: 7,
      invalid: 3,
      duplicates: 1,
      suppressed: 3,
    });
    expect(job.summary?.byCause).toEqual({
      bounce: 1,
      complaint: 1,
      manual: 1,
      invalid_syntax: 3,
      duplicate: 1,
    });
    expect(job.progress).toEqual({ done: 10, rows: 10 });
    expect(jobScoped.scope).toBe("newsletter");
    expect(jobScoped.summary).toMatchObject({ kept: 2, suppressed: 4 });
  }, 60_000);

  it("takes a large list through its presigned PUT, then start; refuses to start before the upload", async () => {
    // Arrange
    const d = `up-${salt()}.example`;
    const created = await call(url(), "POST", "/v1/list-checks", { key: KEY, body: { upload: true } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const job = ListCheckJob.parse(created.body);
    // Act
    const early = await call(url(), "POST", `/v1/list-checks/${job.id}/start`, { key: KEY });
    const put = await fetch(job.upload?.url ?? "", {
      method: "PUT",
      body: Array.from({ length: 2_000 }, (_, i) => `user${i % 1_500}@${d}`).join("\n"),
    });
    const started = await call(url(), "POST", `/v1/list-checks/${job.id}/start`, { key: KEY });
    const again = await call(url(), "POST", `/v1/list-checks/${job.id}/start`, { key: KEY });
    const done = await finished(job.id);
    const page = ListCheckPage.parse((await get("/v1/list-checks?limit=1")).body);
    // Assert
    expect(job).toMatchObject({ status: "awaiting_upload", files: null, summary: null });
    expectProblem(early, 409);
    expect(ProblemDocument.parse(early.body).type).toMatch(/no-upload$/);
    expect(put.status).toBe(200);
    expect(started.status).toBe(202);
    expectProblem(again, 409);
    expect(done.summary).toMatchObject({ rows: 2_000, kept: 1_500, duplicates: 500 });
    expect((await text(done.files?.keep)).trimEnd().split("\n")).toHaveLength(1_500);
    expect(page.items.map((j) => j.id)).toEqual([job.id]);
  }, 60_000);

  it("refuses other media types (415), a bad scope (400), unknown jobs (404), and keys without check or admin", async () => {
    // Arrange
    const keyAnswer = await call(url(), "POST", "/v1/keys", {
      key: KEY,
      body: { name: "ingest only", scopes: ["ingest"] },
    });
    const ingestOnly = CreatedKey.parse(keyAnswer.body).key;
    // Act
    const xlsx = await post("/v1/list-checks", "x", "application/vnd.ms-excel");
    const badScope = await post("/v1/list-checks?scope=%20", "a@b.example", "text/plain");
    const unknown = await get(`/v1/list-checks/${"f".repeat(24)}`);
    const forbidden = await post("/v1/list-checks", "a@b.example", "text/plain", ingestOnly);
    // Assert
    expectProblem(xlsx, 415);
    expectProblem(badScope, 400);
    expectProblem(unknown, 404);
    expectProblem(forbidden, 403);
  });
});
