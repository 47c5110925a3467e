/**
 * The console's job and figures pages in headless Chromium (Debian's, driven by playwright-core),
 * against the service started as `npm start` starts it on the embedded in-memory store (s3rver
 * beside it): an export started from the lists page's filters and its file downloaded through the
 * page's link, a list cleaning upload with its summary and files (and a failed one retried), the
 * stats page's two charts with their lines and its tables, Chinese, axe-core, and no CSP violation
 * on any of them.
 *
 * `UPDATE_SCREENSHOTS=1 npx vitest run test/console/jobs-pages.browser.test.ts` writes the pictures
 * docs/console.md shows.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "../../console/security-headers.js";
import { launchChromium, type StartedService, startService } from "../support/browser.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const BOOTSTRAP = "jobs-pages-test-bootstrap-key-0123456789";
const SHOTS = process.env.UPDATE_SCREENSHOTS ? join(REPO, "docs/console") : null;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
/** The colours the charts draw the rate and its line in (views/rate-chart.tsx). */
const RATE_RGB = [0x0a, 0x58, 0xca] as const;
const LINE_RGB = [0xb4, 0x23, 0x18] as const;

/** `expect.poll` with time for the page's requests and the jobs (its default second is tight). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });

let service: StartedService;
let browser: Browser;
let operator = "";
/** Every CSP violation any page of this file reported. */
const violations: string[] = [];

async function api(method: string, path: string, body?: unknown, key = BOOTSTRAP): Promise<unknown> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Every item of a paged route, following its cursor. */
async function allItems(path: string, query: Record<string, string>): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ ...query, limit: "100", ...(cursor ? { cursor } : {}) });
    const page = (await api("GET", `${path}?${params}`, undefined, operator)) as {
      items: unknown[];
      cursor: string | null;
    };
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== null);
  return items;
}

const minutesAgo = (n: number): number => Math.floor(Date.now() / 1000) - n * 60;

/** A SendGrid event of `event` for `email`, `n` minutes ago, with the campaign's category. */
const sendgrid = (event: string, email: string, n: number, extra: Record<string, unknown> = {}) => ({
  email,
  timestamp: minutesAgo(n),
  event,
  category: ["spring-campaign"],
  sg_event_id: `jobs-${event}-${email}-${n}`,
  sg_message_id: `jobs.${email}.${n}`,
  ...extra,
});
const bounce = (email: string, n: number) =>
  sendgrid("bounce", email, n, {
    type: "bounce",
    status: "5.1.1",
    reason: "550 5.1.1 The email account that you tried to reach does not exist.",
  });

async function newPage(options: { locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: options.locale ?? "en-US",
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  // Reported as a console line too, so the listener above collects what the browser refused.
  await page.addInitScript(
    'document.addEventListener("securitypolicyviolation", (e) => console.error("Refused to (securitypolicyviolation) " + e.violatedDirective + " " + e.blockedURI));',
  );
  return { context, page };
}

async function signIn(page: Page, key: string, hash = ""): Promise<void> {
  await page.goto(`${service.url}/console/`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Why is an address suppressed?" }).waitFor();
  if (hash) await page.goto(`${service.url}/console/${hash}`);
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** axe-core's serious and critical findings on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const results = (await page.evaluate("axe.run(document)")) as {
    violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[];
  };
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/**
 * The file the browser downloads when the operator clicks `link` (a presigned link to the files
 * store, which answers it as an attachment), with the name it saves it under.
 */
async function download(page: Page, link: Locator): Promise<{ name: string; text: string }> {
  const href = (await link.getAttribute("href")) ?? "";
  expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(file.url()).toBe(href);
  expect(await file.failure()).toBeNull();
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), "utf8") };
}

/** The export task row of `id`, once its job has succeeded. */
async function succeededRow(page: Page, id: string) {
  const row = page.locator(`tr[data-job="${id}"]`);
  await eventually(() => row.getAttribute("data-status")).toBe("succeeded");
  return row;
}

/** How many pixels of a chart's canvas are in `rgb` (the rate's colour, or its dashed line's). */
async function pixelsOf(page: Page, testId: string, rgb: readonly [number, number, number]): Promise<number> {
  return page.getByTestId(testId).evaluate((figure, rgb) => {
    const canvas = figure.querySelector("canvas");
    const context = canvas?.getContext("2d");
    if (!canvas || !context) return -1;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const close = (k: number) => Math.abs((data[i + k] ?? 0) - (rgb[k] ?? 0)) < 24;
      if (close(0) && close(1) && close(2) && (data[i + 3] ?? 0) > 200) n += 1;
    }
    return n;
  }, rgb);
}

beforeAll(async () => {
  service = await startService({
    PORT: "0",
    DATA_DIR: ":memory:",
    SUPPRESSION_API_KEY: BOOTSTRAP,
    POWERTOOLS_LOG_LEVEL: "ERROR",
  });
  browser = await launchChromium();
  operator = (
    (await api("POST", "/v1/keys", { name: "Ana (operator)", scopes: ["admin", "pii", "check"] })) as {
      key: string;
    }
  ).key;
  // A campaign of 130 sends today: 100 delivered, 30 bounced (23%, over 2%), 1 complaint (0.77%, over 0.1%).
  const delivered = Array.from({ length: 100 }, (_, i) =>
    sendgrid("delivered", `d${i}@spring.example`, 90 + i),
  );
  const bounced = Array.from({ length: 30 }, (_, i) =>
    bounce(`b${String(i).padStart(2, "0")}@spring.example`, 30 + i),
  );
  const complained = [sendgrid("spamreport", "angry@spring.example", 10)];
  await api("POST", "/v1/import/sendgrid", [...delivered, ...bounced, ...complained]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

describe("the job and figures pages in Chromium", () => {
  it("exports the lists page's filtered list, and its link downloads what the list route returns", async () => {
    // Arrange
    const { context, page } = await newPage();
    await signIn(page, operator, "#/lists/bounces?q=%40spring.example");
    await eventually(() => page.locator("tbody tr").count()).toBe(25);

    // Act
    await page.getByRole("button", { name: "Export this list" }).click();
    await page.waitForURL(/#\/exports\?started=[0-9a-f]{24}$/);
    const id = new URL(page.url()).hash.split("started=")[1] ?? "";
    const row = await succeededRow(page, id);
    const link = row.getByRole("link", { name: "Download" });
    const file = await download(page, link);

    // Assert
    expect(await page.getByRole("status").filter({ hasText: "Export started" }).count()).toBe(1);
    expect(await row.getAttribute("class")).toBe("is-new");
    expect(await row.textContent()).toContain("cause=bounce, q=@spring.example");
    expect(await row.locator("progress").getAttribute("value")).toBe("1");
    expect(await row.locator("td").nth(6).textContent()).toBe("30");
    expect(await link.getAttribute("download")).not.toBeNull();
    expect(file.name).toBe(`suppressions-${id}.csv`);
    const csv = file.text.trim().split(/\r?\n/);
    const listed = (await allItems("/v1/suppressions", { cause: "bounce", q: "@spring.example" })) as {
      subject: string;
    }[];
    expect(listed).toHaveLength(30);
    expect(csv).toHaveLength(listed.length + 1);
    for (const entry of listed)
      expect(
        csv.some((line) => line.includes(entry.subject)),
        entry.subject,
      ).toBe(true);
    // Nothing moves any more, so the page stops asking (a poll would be due every second).
    const asked: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/v1/exports")) asked.push(request.url());
    });
    await page.waitForTimeout(2_500);
    expect(asked).toEqual([]);
    await screenshot(page, "exports");
    await context.close();
  });

  it("starts a JSON Lines export from its form: exactly the items the list route returns", async () => {
    // Arrange
    const { context, page } = await newPage();
    await signIn(page, operator, "#/exports");

    // Act
    await page.getByLabel("What").selectOption("suppressions");
    await page.getByLabel("Format").selectOption("jsonl");
    await page.getByRole("button", { name: "Start the export" }).click();
    await page.waitForURL(/#\/exports\?started=[0-9a-f]{24}$/);
    const id = new URL(page.url()).hash.split("started=")[1] ?? "";
    const row = await succeededRow(page, id);
    const file = await download(page, row.getByRole("link", { name: "Download" }));

    // Assert
    expect(file.name).toBe(`suppressions-${id}.jsonl`);
    const lines = file.text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as unknown);
    const listed = await allItems("/v1/suppressions", {});
    expect(listed.length).toBeGreaterThanOrEqual(31);
    expect(lines).toEqual(listed);
    expect(await page.getByTestId("export-tasks").locator("tbody tr").count()).toBe(2);
    await context.close();
  });

  it("cleans an uploaded list: progress, then the summary and the keep and drop files", async () => {
    // Arrange
    const { context, page } = await newPage();
    await signIn(page, operator, "#/list-checks");
    const list = [
      "Name,Email",
      "Kim,kim@fresh.example",
      "Lee,lee@fresh.example",
      "Bea,b00@spring.example",
      "Kim again,KIM@fresh.example",
      "Nobody,not-an-address",
      "Angry,angry@spring.example",
    ].join("\n");
    await page.getByLabel("List (CSV, or one address per line)").setInputFiles({
      name: "spring.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`${list}\n`),
    });

    // Act
    await page.getByRole("button", { name: "Clean the list" }).click();
    await page.waitForURL(/#\/list-checks\?id=[0-9a-f]{24}$/);
    const id = new URL(page.url()).hash.split("id=")[1] ?? "";
    const check = page.getByTestId("list-check");
    await check.locator("progress").waitFor();
    await eventually(() => check.getByTestId("summary-kept").textContent()).toBe("2");
    const keep = await download(page, check.getByTestId("keep-file"));
    const dropFile = await download(page, check.getByTestId("drop-file"));

    // Assert
    expect(await check.getByTestId("summary-rows").textContent()).toBe("6");
    expect(await check.getByTestId("summary-dropped").textContent()).toBe("4");
    expect(await check.getByTestId("summary-invalid").textContent()).toBe("1");
    expect(await check.getByTestId("summary-duplicates").textContent()).toBe("1");
    expect(await check.getByTestId("summary-suppressed").textContent()).toBe("2");
    expect(await check.locator("progress").getAttribute("value")).toBe("1");
    const byCause = (await check.getByTestId("by-cause").textContent()) ?? "";
    for (const label of ["Bounce", "Complaint", "Invalid syntax", "Duplicate within the list"])
      expect(byCause).toContain(label);
    const byReason = (await check.getByTestId("by-reason").textContent()) ?? "";
    for (const label of ["Complaint", "not an email address", "same address as an earlier row"])
      expect(byReason).toContain(label);
    expect(keep.name).toBe(`list-check-${id}.keep.csv`);
    expect(keep.text.trim().split(/\r?\n/)).toEqual([
      "Name,Email",
      "Kim,kim@fresh.example",
      "Lee,lee@fresh.example",
    ]);
    expect(dropFile.name).toBe(`list-check-${id}.drop.csv`);
    const drop = dropFile.text.trim().split(/\r?\n/);
    expect(drop[0]).toBe("Name,Email,cause,reason");
    expect(drop.slice(1).map((line) => line.split(",").slice(0, 3).join(","))).toEqual([
      "Bea,b00@spring.example,bounce",
      "Kim again,KIM@fresh.example,duplicate",
      "Nobody,not-an-address,invalid_syntax",
      "Angry,angry@spring.example,complaint",
    ]);
    const earlier = page.getByTestId("list-checks").locator(`tr[data-job="${id}"]`);
    await eventually(() => earlier.getAttribute("data-status")).toBe("succeeded");
    expect(await earlier.locator("td").nth(5).textContent()).toBe("2");
    expect(await earlier.locator("td").nth(6).textContent()).toBe("4");
    await screenshot(page, "list-check");
    await context.close();
  });

  it("shows a failed list check's error, and Retry runs it again", async () => {
    // Arrange: a column the list does not have fails the job.
    const { context, page } = await newPage();
    await signIn(page, operator, "#/list-checks");
    await page.getByLabel("List (CSV, or one address per line)").setInputFiles({
      name: "columns.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("Name,Email\nKim,kim@fresh.example\n"),
    });
    await page.getByLabel(/^Address column/).fill("Mail address");
    await page.getByRole("button", { name: "Clean the list" }).click();
    await page.waitForURL(/#\/list-checks\?id=[0-9a-f]{24}$/);
    const id = new URL(page.url()).hash.split("id=")[1] ?? "";
    const check = page.getByTestId("list-check");
    await eventually(() => check.locator(".job-state").textContent()).toBe("Failed");
    expect(await check.textContent()).toContain('No column named "Mail address"');
    // One attempt goes unsaid; a second is counted.
    expect(await check.textContent()).not.toContain("attempt");
    expect(await check.getByTestId("keep-file").count()).toBe(0);

    // Act
    await check.getByRole("button", { name: "Retry" }).click();

    // Assert: it ran again (and failed again, the column still missing), in the check and the table.
    await eventually(() => check.textContent()).toContain("attempt 2");
    await eventually(() => check.locator(".job-state").textContent()).toBe("Failed");
    const row = page.getByTestId("list-checks").locator(`tr[data-job="${id}"]`);
    await eventually(() => row.textContent()).toContain("attempt 2");
    // The table may first show attempt 2 running: it follows the job until it ends.
    await eventually(() => row.getAttribute("data-status")).toBe("failed");
    const job = (await api("GET", `/v1/list-checks/${id}`, undefined, operator)) as {
      status: string;
      attempts: number;
    };
    expect([job.status, job.attempts]).toEqual(["failed", 2]);
    await context.close();
  });

  it("tells a list larger than the API's body limit to use npm run clean-list", async () => {
    // Arrange
    const { context, page } = await newPage();
    await signIn(page, operator, "#/list-checks");

    // Act
    await page.getByLabel("List (CSV, or one address per line)").setInputFiles({
      name: "huge.csv",
      mimeType: "text/csv",
      buffer: Buffer.alloc(5 * 1024 * 1024 + 1, "a"),
    });

    // Assert
    expect(await page.getByRole("alert").textContent()).toContain("npm run clean-list");
    expect(await page.getByRole("button", { name: "Clean the list" }).isDisabled()).toBe(true);
    await context.close();
  });

  it("charts both rates per day with their 2% and 0.1% lines, and flags the day over them", async () => {
    // Arrange
    const { context, page } = await newPage();
    await signIn(page, operator);
    const today = new Date().toISOString().slice(0, 10);

    // Act
    await page.getByRole("link", { name: "Rates" }).click();
    await page.getByRole("heading", { name: "Bounce and complaint rates" }).waitFor();
    const bounceChart = page.getByTestId("bounce-chart");
    const complaintChart = page.getByTestId("complaint-chart");
    await bounceChart.locator("canvas").waitFor();
    await complaintChart.locator("canvas").waitFor();
    // A first read of a new tenant's window may run out of its budget; the page asks again.
    await eventually(() => page.getByTestId("stats-incomplete").count()).toBe(0);

    // Assert
    expect(await bounceChart.locator(".u-legend").textContent()).toContain("Bounce rate");
    expect(await bounceChart.locator(".u-legend").textContent()).toContain("2% line");
    expect(await complaintChart.locator(".u-legend").textContent()).toContain("Complaint rate");
    expect(await complaintChart.locator(".u-legend").textContent()).toContain("0.1% line");
    // The lines are drawn across the 30 days, and today's rate as a point: the canvas holds their colours.
    expect(await pixelsOf(page, "bounce-chart", LINE_RGB)).toBeGreaterThan(50);
    expect(await pixelsOf(page, "complaint-chart", LINE_RGB)).toBeGreaterThan(50);
    expect(await pixelsOf(page, "bounce-chart", RATE_RGB)).toBeGreaterThan(10);
    expect(await pixelsOf(page, "complaint-chart", RATE_RGB)).toBeGreaterThan(10);
    const days = page.getByTestId("stats-days-table");
    expect(await days.locator("tbody tr").count()).toBe(30);
    const text = (await days.locator(`tr[data-key="${today}"]`).textContent()) ?? "";
    expect(text).toContain("23.077%");
    expect(text).toContain("over the 2% line");
    expect(text).toContain("0.769%");
    expect(text).toContain("over the 0.1% line");
    expect(await page.getByTestId("days-over").textContent()).toBe(
      "Days over a line: 1 over the bounce line, 1 over the complaint line.",
    );
    const providers = page.getByTestId("stats-by-provider-table");
    await eventually(() => providers.textContent()).toContain("SendGrid");
    expect(await providers.locator("tbody tr").count()).toBe(1);
    expect(await providers.locator("tbody tr").textContent()).toContain("23.077%");
    const tags = page.getByTestId("stats-by-tag-table");
    await eventually(() => tags.textContent()).toContain("spring-campaign");
    expect(await tags.locator("tbody tr").textContent()).toContain("0.769%");

    // Act: the window is in the URL.
    await page.getByLabel("From (UTC)").fill(today);
    await page.getByLabel("To (UTC)").fill(today);
    await page.getByRole("button", { name: "Apply" }).click();

    // Assert
    await page.waitForURL(new RegExp(`#/stats\\?from=${today}&to=${today}$`));
    await eventually(() => page.getByTestId("stats-window").textContent()).toContain(`${today} to ${today}`);
    expect(await days.locator("tbody tr").count()).toBe(1);
    await page.goto(`${service.url}/console/#/stats`);
    await bounceChart.locator("canvas").waitFor();
    await tags.waitFor();
    await screenshot(page, "stats");
    await context.close();
  });

  it("shows the three pages in Chinese", async () => {
    // Arrange
    const { context, page } = await newPage();
    await signIn(page, operator, "#/stats");

    // Act
    await page.getByLabel("Language").selectOption("zh");

    // Assert
    await page.getByRole("heading", { name: "退信率与投诉率" }).waitFor();
    await eventually(() => page.getByTestId("bounce-chart").locator(".u-legend").textContent()).toContain(
      "2% 警戒线",
    );
    expect(await page.getByTestId("complaint-chart").locator(".u-legend").textContent()).toContain(
      "0.1% 警戒线",
    );
    expect(await page.getByTestId("stats-days-table").textContent()).toContain("超过 2% 警戒线");
    expect(await page.getByTestId("stats-days-table").textContent()).toContain("超过 0.1% 警戒线");
    await page.getByTestId("stats-by-tag-table").waitFor();
    await page.getByTestId("stats-by-provider-table").waitFor();
    await screenshot(page, "stats-zh");
    await page.getByRole("link", { name: "导出" }).click();
    await page.getByRole("heading", { name: "导出", exact: true }).waitFor();
    await eventually(() => page.getByTestId("export-tasks").textContent()).toContain("已完成");
    expect(await page.getByTestId("export-tasks").textContent()).toContain("下载");
    await page.getByRole("link", { name: "清洗列表" }).click();
    await page.getByRole("heading", { name: "清洗列表", exact: true }).waitFor();
    const earlier = page.getByTestId("list-checks");
    await eventually(() => earlier.textContent()).toContain("已完成");
    expect(await earlier.textContent()).toContain("失败");
    await earlier.locator('tr[data-status="succeeded"] a').first().click();
    const byReason = page.getByTestId("by-reason");
    await eventually(() => byReason.textContent()).toContain("与前面某行地址相同");
    expect(await byReason.textContent()).toContain("不是电子邮件地址");
    expect(await page.getByTestId("by-cause").textContent()).toContain("列表内重复");
    await context.close();
  });

  it("has no serious or critical accessibility violations (axe-core), and broke no rule of the CSP", async () => {
    // Arrange
    const { context, page } = await newPage();
    const response = await page.goto(`${service.url}/console/`);
    expect(response?.headers()["content-security-policy"]).toBe(contentSecurityPolicy());
    await signIn(page, operator, "#/exports");
    await page.getByTestId("export-tasks").waitFor();

    // Act
    const found: Record<string, string[]> = { exports: await seriousViolations(page) };
    await page.goto(`${service.url}/console/#/list-checks`);
    await page.getByTestId("list-checks").waitFor();
    await page.getByTestId("list-checks").locator('tr[data-status="succeeded"] a').first().click();
    await page.getByTestId("summary-kept").waitFor();
    found["list-checks"] = await seriousViolations(page);
    await page.goto(`${service.url}/console/#/stats`);
    await page.getByTestId("bounce-chart").locator("canvas").waitFor();
    await page.getByTestId("stats-by-tag-table").waitFor();
    found.stats = await seriousViolations(page);
    await page.getByLabel("Language").selectOption("zh");
    await page.getByRole("heading", { name: "退信率与投诉率" }).waitFor();
    found["stats-zh"] = await seriousViolations(page);

    // Assert
    expect(found).toEqual({ exports: [], "list-checks": [], stats: [], "stats-zh": [] });
    expect(violations).toEqual([]);
    await context.close();
  });
});
