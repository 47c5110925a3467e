/**
 * The console in headless Chromium (Debian's, driven by playwright-core), against the service
 * started as `npm start` starts it on the embedded in-memory store: sign-in, the address page, the
 * operator's actions and what the check answers after them, the lists, the status view, Chinese,
 * the security headers and an accessibility pass (axe-core in the page).
 *
 * `UPDATE_SCREENSHOTS=1 npx vitest run test/console` writes the pictures docs/console.md shows.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "../../console/security-headers.js";
import { launchChromium, type StartedService, startService } from "../support/browser.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const BOOTSTRAP = "console-test-bootstrap-key-0123456789";
const SHOTS = process.env.UPDATE_SCREENSHOTS ? join(REPO, "docs/console") : null;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** `expect.poll` with time for the page's requests (its default second is tight on a busy machine). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

let service: StartedService;
let browser: Browser;
/** Keys made with the bootstrap key: every operator scope; admin without pii; check only. */
const keys = { operator: "", masked: "", sender: "" };

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

async function createKey(name: string, scopes: string[]): Promise<{ key: string; id: string }> {
  return (await api("POST", "/v1/keys", { name, scopes })) as { key: string; id: string };
}

async function check(address: string): Promise<{ suppressed: boolean; cause: string | null }> {
  const answer = (await api("POST", "/v1/check", { addresses: [address] }, keys.sender)) as {
    results: { suppressed: boolean; cause: string | null }[];
  };
  const [result] = answer.results;
  if (!result) throw new Error("no verdict");
  return result;
}

const example = (name: string): unknown =>
  JSON.parse(readFileSync(join(REPO, "docs/examples", name), "utf8"));
const minutesAgo = (n: number): number => Math.floor(Date.now() / 1000) - n * 60;

/** A SendGrid bounce (user unknown) for `email`, `n` minutes ago, with a category. */
const sendgridBounce = (email: string, n: number, category: string) => ({
  email,
  timestamp: minutesAgo(n),
  event: "bounce",
  type: "bounce",
  status: "5.1.1",
  category: [category],
  sg_event_id: `console-${email}-${n}`,
  sg_message_id: `console.${n}`,
  reason: "550 5.1.1 The email account that you tried to reach does not exist.",
});

async function newPage(options: { locale?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    locale: options.locale ?? "en-US",
  });
  const page = await context.newPage();
  return { context, page };
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(`${service.url}/console/`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Why is an address suppressed?" }).waitFor();
}

async function lookUp(page: Page, address: string): Promise<string> {
  await page.getByLabel("Address or @domain", { exact: true }).first().fill(address);
  await page.getByRole("button", { name: "Look up" }).click();
  const verdict = page.getByTestId("verdict");
  await verdict.waitFor();
  return (await verdict.textContent()) ?? "";
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

beforeAll(async () => {
  service = await startService({
    PORT: "0",
    DATA_DIR: ":memory:",
    SUPPRESSION_API_KEY: BOOTSTRAP,
    POWERTOOLS_LOG_LEVEL: "ERROR",
  });
  browser = await launchChromium();
  keys.operator = (await createKey("Ana (operator)", ["admin", "pii", "check"])).key;
  keys.masked = (await createKey("Bo (no pii)", ["admin"])).key;
  keys.sender = (await createKey("sender", ["check"])).key;
  // The README's tour: jane.doe bounced (SES); john.roe complained (SES, over SNS).
  await api("POST", "/v1/import/ses", example("ses-bounce.json"));
  await api("POST", "/v1/import/ses", example("ses-complaint-sns.json"));
  // 30 bounces of one campaign, for the list filter and its paging, and the status view.
  const paged = Array.from({ length: 30 }, (_, i) =>
    sendgridBounce(`p${String(i).padStart(2, "0")}@paged.example`, 30 + i, "paged-campaign"),
  );
  await api("POST", "/v1/import/sendgrid", paged);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

describe("the console in Chromium", () => {
  it("serves the page with the security headers, and the page breaks no rule of its CSP", async () => {
    const { context, page } = await newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    const foreign: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(service.url) && !request.url().startsWith("data:"))
        foreign.push(request.url());
    });
    const response = await page.goto(`${service.url}/console/`);
    const headers = response?.headers() ?? {};
    expect(headers["content-security-policy"]).toBe(contentSecurityPolicy());
    expect(headers["strict-transport-security"]).toMatch(/^max-age=\d+; includeSubDomains$/);
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["cache-control"]).toBe("no-cache");
    await signIn(page, keys.operator);
    await lookUp(page, "jane.doe@example.org");
    expect(violations).toEqual([]);
    expect(foreign).toEqual([]);
    const root = await fetch(`${service.url}/`, { redirect: "manual" });
    expect([root.status, root.headers.get("location")]).toEqual([302, "/console/"]);
    await context.close();
  });

  it("refuses a wrong key and a key without the admin scope, in words", async () => {
    const { context, page } = await newPage();
    await page.goto(`${service.url}/console/`);
    await page.getByLabel("API key").fill("ssk_000000000000_notakeyatallnotakeyatallnotakeyatall0000");
    await page.getByRole("button", { name: "Sign in" }).click();
    await eventually(() => page.getByRole("alert").textContent()).toContain("unknown or revoked");
    await page.getByLabel("API key").fill(keys.sender);
    await page.getByRole("button", { name: "Sign in" }).click();
    await eventually(() => page.getByRole("alert").textContent()).toContain("no admin scope");
    expect(await page.evaluate("Object.keys(sessionStorage)")).toEqual([]);
    await screenshot(page, "sign-in");
    await context.close();
  });

  it("finds why jane.doe@example.org is suppressed, with her entries and history", async () => {
    const { context, page } = await newPage();
    await signIn(page, keys.operator);
    // The key is in this tab's sessionStorage only.
    expect(await page.evaluate("JSON.stringify(sessionStorage)")).toContain(keys.operator);
    expect(await page.evaluate("JSON.stringify(localStorage)")).not.toContain(keys.operator);
    const verdict = await lookUp(page, "Jane.Doe@Example.org");
    expect(verdict).toBe(
      "Suppressed for all mail until 2027-11-20: mail to it bounced (User unknown) (SES, 2026-11-20)",
    );
    const entries = page.getByRole("region", { name: "Live entries" });
    await eventually(() => entries.textContent()).toContain("Bounce");
    expect(await entries.textContent()).toContain("text-user-unknown");
    const history = page.getByRole("region", { name: "History" });
    await eventually(() => history.textContent()).toContain("SES");
    const text = (await history.textContent()) ?? "";
    expect(text).toContain("Invalid · Address does not exist · User unknown");
    expect(text).toContain("550 5.1.1");
    expect(text).toContain("Suppress (Bounce) → Suppressed");
    expect(await page.getByTestId("allowlist-state").textContent()).toBe("Not on the allowlist.");
    await screenshot(page, "address");
    await context.close();
  });

  it("removes a complaint with a reason after warning, and the check then lets mail through", async () => {
    expect(await check("john.roe@example.net")).toMatchObject({ suppressed: true, cause: "complaint" });
    const { context, page } = await newPage();
    await signIn(page, keys.operator);
    expect(await lookUp(page, "john.roe@example.net")).toContain("the recipient reported your mail as spam");
    await page.getByRole("button", { name: /^Remove: Complaint/ }).click();
    const form = page.getByRole("form", { name: "Remove the Complaint cause" });
    expect(await form.getByRole("alert").textContent()).toContain("invites a second complaint");
    const confirm = form.getByRole("button", { name: "Remove", exact: true });
    expect(await confirm.isDisabled()).toBe(true);
    await form
      .getByLabel("Reason (required, kept in the history)")
      .fill("Asked us by phone to be mailed again");
    await screenshot(page, "remove");
    await confirm.click();
    await expect
      .poll(() => page.getByTestId("verdict").textContent())
      .toBe("Not suppressed: mail to this address is sent.");
    expect(await page.getByRole("status").filter({ hasText: "Removed" }).textContent()).toBe(
      "Removed: Complaint.",
    );
    await expect
      .poll(() => page.getByRole("region", { name: "History" }).textContent())
      .toContain("Asked us by phone to be mailed again");
    expect(await check("john.roe@example.net")).toMatchObject({ suppressed: false });
    await context.close();
  });

  it("adds a manual entry for a whole domain, and the check suppresses its addresses", async () => {
    const { context, page } = await newPage();
    await signIn(page, keys.operator);
    await lookUp(page, "someone@blocked.example");
    await page.getByText("Add a manual entry").click();
    await page.getByLabel("Address or @domain", { exact: true }).last().fill("@blocked.example");
    await page.getByLabel("Note (optional)").last().fill("Typo domain of a customer");
    await page.getByRole("button", { name: "Suppress", exact: true }).click();
    await page.waitForURL(/#\/address\/%40blocked\.example$/);
    await expect
      .poll(() => page.getByTestId("verdict").textContent())
      .toContain("an operator suppressed it by hand (operator,");
    expect(await page.getByRole("region", { name: "Live entries" }).textContent()).toContain(
      "Typo domain of a customer",
    );
    expect(await check("anyone@blocked.example")).toMatchObject({ suppressed: true, cause: "manual" });
    await context.close();
  });

  it("allowlists an address, and a bounce imported for it then suppresses nothing", async () => {
    const address = "seed@allow.example";
    const { context, page } = await newPage();
    await signIn(page, keys.operator);
    expect(await lookUp(page, address)).toBe("Not suppressed: mail to this address is sent.");
    await page.getByLabel("Note (optional)").first().fill("Seed inbox");
    await page.getByRole("button", { name: "Allowlist", exact: true }).click();
    await expect
      .poll(() => page.getByTestId("allowlist-state").textContent())
      .toBe(`On the allowlist (${address}): provider events never suppress it.`);
    await api("POST", "/v1/import/sendgrid", [sendgridBounce(address, 5, "seeds")]);
    await page.getByRole("button", { name: "Look up" }).click();
    await page.reload();
    await expect
      .poll(() => page.getByRole("region", { name: "History" }).textContent())
      .toContain("SendGrid");
    expect(await page.getByTestId("verdict").textContent()).toBe(
      "Not suppressed: mail to this address is sent.",
    );
    expect(await page.getByRole("region", { name: "History" }).textContent()).toContain(
      "Put on the allowlist",
    );
    expect(await check(address)).toMatchObject({ suppressed: false });
    await context.close();
  });

  it("filters the bounce list and pages it, and an address opens its page", async () => {
    const { context, page } = await newPage();
    await signIn(page, keys.operator);
    await page.getByRole("link", { name: "Lists" }).click();
    await page.getByLabel("Address prefix or @domain").fill("@paged.example");
    await page.getByRole("button", { name: "Apply" }).click();
    const rows = page.locator("tbody tr");
    await eventually(() => rows.count()).toBe(25);
    await screenshot(page, "lists");
    await page.getByRole("button", { name: "Next page" }).click();
    await eventually(() => rows.count()).toBe(5);
    expect(await page.getByText("Page 2", { exact: true }).count()).toBe(1);
    await page.getByRole("button", { name: "Previous page" }).click();
    await eventually(() => rows.count()).toBe(25);
    // Newest first: p00 bounced most recently.
    await rows.first().getByRole("link").click();
    expect(await page.getByTestId("verdict").textContent()).toContain(
      "mail to it bounced (User unknown) (SendGrid,",
    );
    expect(decodeURIComponent(page.url())).toMatch(/#\/address\/p00@paged\.example$/);
    // The complaints list shows expiries; the allowlist shows what the other test put there.
    await page.goto(`${service.url}/console/#/lists/allowlist`);
    await eventually(() => page.locator("tbody").textContent()).toContain("Seed inbox");
    await context.close();
  });

  it("shows the status view's counts per type and filters by them", async () => {
    const { context, page } = await newPage();
    await signIn(page, keys.operator);
    await page.getByRole("link", { name: "Status" }).click();
    await page.getByLabel("Tag").fill("paged-campaign");
    await page.getByLabel("Provider").selectOption("sendgrid");
    await page.getByRole("button", { name: "Apply" }).click();
    await eventually(() => page.getByTestId("count-total").textContent()).toBe("30");
    expect(await page.getByTestId("count-invalid").textContent()).toBe("30");
    expect(await page.getByTestId("count-complaint").textContent()).toBe("0");
    await page.getByTestId("count-invalid").click();
    await eventually(() => page.locator("tbody tr").count()).toBe(25);
    expect(await page.getByLabel("Type").inputValue()).toBe("invalid");
    expect(await page.getByTestId("count-total").textContent()).toBe("30");
    await screenshot(page, "status");
    await context.close();
  });

  it("switches to Chinese, keeps the choice, and starts in Chinese for a Chinese browser", async () => {
    const { context, page } = await newPage();
    await signIn(page, keys.operator);
    await page.getByLabel("Language").selectOption("zh");
    await page.getByRole("heading", { name: "这个地址为什么被抑制？" }).waitFor();
    await page.getByLabel("地址或 @域名").first().fill("jane.doe@example.org");
    await page.getByRole("button", { name: "查询" }).click();
    await expect
      .poll(() => page.getByTestId("verdict").textContent())
      .toBe("已抑制所有邮件，直至 2027-11-20：发往此地址的邮件被退回（用户不存在）（SES，2026-11-20）");
    expect(await page.evaluate("document.documentElement.lang")).toBe("zh-CN");
    await screenshot(page, "address-zh");
    await page.reload();
    await page.getByRole("heading", { name: "这个地址为什么被抑制？" }).waitFor();
    await context.close();
    const chinese = await newPage({ locale: "zh-CN" });
    await chinese.page.goto(`${service.url}/console/`);
    await chinese.page.getByRole("heading", { name: "登录" }).waitFor();
    await chinese.context.close();
  });

  it("masks addresses for a key without pii, and says so", async () => {
    const { context, page } = await newPage();
    await signIn(page, keys.masked);
    expect(await page.getByRole("note").textContent()).toContain("masked");
    // The address page works with `admin` alone: the caller typed the address, so it is shown.
    expect(await lookUp(page, "jane.doe@example.org")).toContain("mail to it bounced (User unknown)");
    await page.goto(`${service.url}/console/#/lists/bounces?q=%40paged.example`);
    await eventually(() => page.locator("tbody tr").count()).toBe(25);
    expect(await page.locator("tbody").textContent()).not.toContain("p00@paged.example");
    // A masked address is no address to look up: it is shown, not linked.
    expect(await page.locator("tbody").textContent()).toContain("***@paged.example");
    expect(await page.locator("tbody a").count()).toBe(0);
    await context.close();
  });

  it("sends the operator back to sign-in with the reason when the key is revoked", async () => {
    const temporary = await createKey("temporary", ["admin"]);
    const { context, page } = await newPage();
    await signIn(page, temporary.key);
    await api("DELETE", `/v1/keys/${temporary.id}`);
    await page.getByLabel("Address or @domain").fill("jane.doe@example.org");
    await page.getByRole("button", { name: "Look up" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("status").textContent()).toBe("Signed out: the service refused the key.");
    expect(await page.evaluate("Object.keys(sessionStorage)")).toEqual([]);
    await context.close();
  });

  it("can be used with the keyboard alone", async () => {
    const { context, page } = await newPage();
    await page.goto(`${service.url}/console/`);
    await page.keyboard.press("Tab"); // the language switch
    await page.keyboard.press("Tab");
    await page.keyboard.type(keys.operator);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Why is an address suppressed?" }).waitFor();
    await page.getByLabel("Address or @domain").focus();
    await page.keyboard.type("jane.doe@example.org");
    await page.keyboard.press("Enter");
    await eventually(() => page.getByTestId("verdict").textContent()).toContain("Suppressed for all mail");
    await context.close();
  });

  it("has no serious or critical accessibility violations (axe-core), in English and Chinese", async () => {
    const { context, page } = await newPage();
    await page.goto(`${service.url}/console/`);
    const found: Record<string, string[]> = { "sign-in": await seriousViolations(page) };
    await signIn(page, keys.operator);
    await lookUp(page, "jane.doe@example.org");
    await page.getByRole("region", { name: "History" }).getByText("SES").first().waitFor();
    await page.getByText("Add a manual entry").click();
    found.address = await seriousViolations(page);
    await page.goto(`${service.url}/console/#/lists/bounces?q=%40paged.example`);
    await page.locator("tbody tr").first().waitFor();
    found.lists = await seriousViolations(page);
    await page.goto(`${service.url}/console/#/status?provider=sendgrid`);
    await page.getByTestId("count-total").waitFor();
    found.status = await seriousViolations(page);
    await page.getByLabel("Language").selectOption("zh");
    await page.getByTestId("count-total").waitFor();
    found["status-zh"] = await seriousViolations(page);
    expect(found).toEqual({ "sign-in": [], address: [], lists: [], status: [], "status-zh": [] });
    await context.close();
  });
});
