/**
 * The pages of `/u/{token}` in headless Chromium (Debian's, driven by playwright-core), served over
 * a real socket on 127.0.0.1 by a tiny node:http server with their headers (the policy included)
 * that stands in for the route: `GET /u/{token}` renders the confirmation (or, for the tokens
 * `expired` and `forged`, the page of a link that is not valid), `POST /u/{token}` records the form's
 * body and renders the page after it. With JavaScript disabled, each of the four reasons is chosen
 * and submitted by clicking, in both languages; with it enabled (axe-core needs it), every page has
 * no accessibility violation; no page broke a rule of the policy or asked for anything else.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UNSUBSCRIBE_REASONS, type UnsubscribeReason } from "../../lambdas/core/taxonomy.js";
import {
  HTML_LANG,
  pickLanguage,
  type RenderedPage,
  reasonFromForm,
  renderConfirmPage,
  renderDonePage,
  renderInvalidPage,
  UNSUBSCRIBE_PAGE_CSP,
  UNSUBSCRIBE_PAGE_HEADERS,
  type UnsubscribeLanguage,
} from "../../lambdas/handlers/unsubscribe-page.js";
import { launchChromium } from "../support/browser.js";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const REASON_IDS = Object.keys(UNSUBSCRIBE_REASONS) as UnsubscribeReason[];
const ADDRESS = "j***@example.org";
/** The browser's locale for each language (Playwright sends it as `Accept-Language`). */
const LOCALES: Readonly<Record<UnsubscribeLanguage, string>> = { en: "en-US", zh: "zh-CN" };
const LANGUAGES: readonly UnsubscribeLanguage[] = ["en", "zh"];
const HEADINGS = {
  confirm: { en: "Unsubscribe from these emails?", zh: "确认退订这些邮件？" },
  done: { en: "You are unsubscribed", zh: "您已成功退订" },
  invalid: { en: "This link is not valid or has expired", zh: "此链接无效或已过期" },
  button: { en: "Yes, unsubscribe", zh: "确认退订" },
} as const;

let server: Server;
let origin = "";
let browser: Browser;
/** Every form POST the server received: its path and its body. */
const posts: { path: string; contentType: string; body: string }[] = [];
/** Every CSP violation a page reported, and every request for anything but a page of the server. */
const violations: string[] = [];
const foreignRequests: string[] = [];

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });

/** The stand-in for the route, rendering with the module under test. */
function startServer(): Promise<Server> {
  const started = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const lang = pickLanguage(request.headers["accept-language"]);
    const token = /^\/u\/([\w-]+)$/.exec(path)?.[1];
    const send = (status: number, page: RenderedPage) => {
      response.writeHead(status, { ...UNSUBSCRIBE_PAGE_HEADERS, "content-security-policy": page.csp });
      response.end(page.html);
    };
    if (token === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    if (token === "expired" || token === "forged") {
      const page = renderInvalidPage({ lang, why: token === "expired" ? "expired" : "invalid" });
      send(page.status, page);
      return;
    }
    if (request.method === "POST") {
      const body = await readBody(request);
      posts.push({ path, contentType: request.headers["content-type"] ?? "", body });
      const reason = reasonFromForm(new URLSearchParams(body).get("reason"));
      send(200, renderDonePage({ lang, reason, maskedAddress: ADDRESS }));
      return;
    }
    send(200, renderConfirmPage({ lang, actionPath: path, maskedAddress: ADDRESS, scope: "*" }));
  });
  return new Promise((resolve) => started.listen(0, "127.0.0.1", () => resolve(started)));
}

/** A page in a new context of `lang`'s locale, its CSP violations and foreign requests collected. */
async function newPage(
  lang: UnsubscribeLanguage,
  javaScriptEnabled: boolean,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: LOCALES[lang], javaScriptEnabled });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on("request", (request) => {
    if (!request.url().startsWith(`${origin}/u/`)) foreignRequests.push(request.url());
  });
  // With JavaScript on, the event is reported as a console line too (the browser's own line may not come).
  if (javaScriptEnabled)
    await page.addInitScript(
      'document.addEventListener("securitypolicyviolation", (e) => console.error("Refused to (securitypolicyviolation) " + e.violatedDirective + " " + e.blockedURI));',
    );
  return { context, page };
}

/** axe-core's every violation (any impact) on the page as it is now. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const results = (await page.evaluate("axe.run(document)")) as {
    violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[];
  };
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`,
  );
}

beforeAll(async () => {
  server = await startServer();
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

beforeEach(() => {
  posts.length = 0;
});

describe("the unsubscribe pages in Chromium", () => {
  describe.each(LANGUAGES)("without JavaScript (%s)", (lang) => {
    it.each(REASON_IDS)(
      "shows the confirmation, and a click on the reason %s then the button POSTs it",
      async (reason) => {
        // Arrange
        const { context, page } = await newPage(lang, false);
        const response = await page.goto(`${origin}/u/tok-${reason}`);
        await page.getByRole("heading", { name: HEADINGS.confirm[lang] }).waitFor();
        const label = UNSUBSCRIBE_REASONS[reason][lang];

        // Act
        const postedBeforeClick = posts.length;
        await page.getByRole("group", { name: /./ }).getByLabel(label, { exact: true }).check();
        await page.getByRole("button", { name: HEADINGS.button[lang] }).click();
        await page.getByRole("heading", { name: HEADINGS.done[lang] }).waitFor();

        // Assert
        expect(response?.status()).toBe(200);
        expect(response?.headers()["content-security-policy"]).toBe(UNSUBSCRIBE_PAGE_CSP);
        expect(await page.locator("html").getAttribute("lang")).toBe(HTML_LANG[lang]);
        expect(postedBeforeClick).toBe(0);
        expect(posts).toHaveLength(1);
        expect(posts[0]?.path).toBe(`/u/tok-${reason}`);
        expect(posts[0]?.contentType).toBe("application/x-www-form-urlencoded");
        expect(Object.fromEntries(new URLSearchParams(posts[0]?.body))).toEqual({ reason, confirm: "yes" });
        expect(new URL(page.url()).pathname).toBe(`/u/tok-${reason}`);
        const text = (await page.locator("main").textContent()) ?? "";
        expect(text).toContain(label);
        expect(text).toContain(ADDRESS);
        await context.close();
      },
    );

    it("submits without a reason when none is chosen (the reasons are optional)", async () => {
      // Arrange
      const { context, page } = await newPage(lang, false);
      await page.goto(`${origin}/u/tok-none`);

      // Act
      await page.getByRole("button", { name: HEADINGS.button[lang] }).click();
      await page.getByRole("heading", { name: HEADINGS.done[lang] }).waitFor();

      // Assert
      expect(posts.map((post) => post.body)).toEqual(["confirm=yes"]);
      await context.close();
    });

    it.each([
      ["expired", 410],
      ["forged", 404],
    ] as const)("a link %s: %i, says so, and offers no form", async (token, status) => {
      // Arrange
      const { context, page } = await newPage(lang, false);

      // Act
      const response = await page.goto(`${origin}/u/${token}`);

      // Assert
      expect(response?.status()).toBe(status);
      await page.getByRole("heading", { name: HEADINGS.invalid[lang] }).waitFor();
      expect(await page.locator("form, input, button").count()).toBe(0);
      expect(posts).toEqual([]);
      await context.close();
    });
  });

  it.each(LANGUAGES)("applies its stylesheet (allowed by its hash) and has no script (%s)", async (lang) => {
    // Arrange: no JavaScript on the page; Playwright's evaluation is the driver's, not the page's.
    const { context, page } = await newPage(lang, false);

    // Act
    await page.goto(`${origin}/u/tok-style`);
    await page.getByRole("button", { name: HEADINGS.button[lang] }).waitFor();
    const background = await page.evaluate(
      'getComputedStyle(document.querySelector("button[type=submit]")).backgroundColor',
    );
    const scripts = await page.locator("script").count();

    // Assert
    expect(background).toBe("rgb(10, 88, 202)");
    expect(scripts).toBe(0);
    await context.close();
  });

  it.each(LANGUAGES)("has no accessibility violation on any page (axe-core, %s)", async (lang) => {
    // Arrange: axe-core is a script, so these pages are opened with JavaScript on.
    const { context, page } = await newPage(lang, true);
    const found: Record<string, string[]> = {};

    // Act
    await page.goto(`${origin}/u/tok-axe`);
    found.confirm = await axeViolations(page);
    await page.getByLabel(UNSUBSCRIBE_REASONS.not_subscribed[lang], { exact: true }).check();
    await page.getByRole("button", { name: HEADINGS.button[lang] }).click();
    await page.getByRole("heading", { name: HEADINGS.done[lang] }).waitFor();
    found.done = await axeViolations(page);
    await page.goto(`${origin}/u/expired`);
    found.expired = await axeViolations(page);
    await page.goto(`${origin}/u/forged`);
    found.invalid = await axeViolations(page);

    // Assert
    expect(found).toEqual({ confirm: [], done: [], expired: [], invalid: [] });
    expect(posts.map((post) => post.body)).toEqual(["reason=not_subscribed&confirm=yes"]);
    await context.close();
  });

  it("broke no rule of the policy and asked for nothing but its pages", () => {
    // Arrange: every test above has run (vitest runs a file's tests in order).
    const seen = { violations, foreignRequests };

    // Act
    const report = JSON.stringify(seen);

    // Assert
    expect(seen, report).toEqual({ violations: [], foreignRequests: [] });
  });
});
