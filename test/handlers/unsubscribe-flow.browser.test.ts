/**
 * One-click unsubscribe end to end (issue #14): headless Chromium (Debian's, driven by
 * playwright-core) against the REAL local server (`startLocalServer`, in memory, on a free port).
 * Links are made through `POST /v1/unsubscribe-links`; with JavaScript disabled, each of SendCloud's
 * four reasons is chosen by clicking its label and confirmed with the button, in both languages;
 * what was recorded is read back through the API (`POST /v1/check`, `GET /v1/events/{address}`):
 * the unsubscribe with its reason, and for spam and fraud also a complaint. Opening a link never
 * unsubscribes; confirming without a reason records one with no reason; the real confirmation and
 * done pages have no accessibility violation (axe-core, JavaScript on); no page broke a rule of its
 * policy or asked for anything but its own pages.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnsubscribeLink } from "../../lambdas/contract/index.js";
import { UNSUBSCRIBE_REASONS, type UnsubscribeReason } from "../../lambdas/core/taxonomy.js";
import {
  HTML_LANG,
  UNSUBSCRIBE_PAGE_CSP,
  type UnsubscribeLanguage,
} from "../../lambdas/handlers/unsubscribe-page.js";
import { call, useLocalServer } from "../local/http-helpers.js";
import { launchChromium } from "../support/browser.js";
import { readback } from "./unsubscribe-readback.js";

const BOOTSTRAP = "test-key-unsubscribe-flow-0123456789";
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const REASON_IDS = Object.keys(UNSUBSCRIBE_REASONS) as UnsubscribeReason[];
const LANGUAGES: readonly UnsubscribeLanguage[] = ["en", "zh"];
/** The browser's locale for each language (Playwright sends it as `Accept-Language`). */
const LOCALES: Readonly<Record<UnsubscribeLanguage, string>> = { en: "en-US", zh: "zh-CN" };
const TEXTS = {
  confirm: { en: "Unsubscribe from these emails?", zh: "确认退订这些邮件？" },
  done: { en: "You are unsubscribed", zh: "您已成功退订" },
  button: { en: "Yes, unsubscribe", zh: "确认退订" },
} as const;
/** The complaint a reason also records (SendCloud's spam and fraud), by feedback type. */
const COMPLAINT: Partial<Record<UnsubscribeReason, string>> = { spam: "abuse", fraud: "fraud" };

/** A fresh address whose local part starts with `f`: the pages show it as `f***@example.org`. */
const freshAddress = (): string => `flow-${randomBytes(5).toString("hex")}@example.org`;
const MASKED = "f***@example.org";

/** Every CSP violation a page reported, and every request for anything but a page of the server. */
const violations: string[] = [];
const foreignRequests: string[] = [];

describe("one-click unsubscribe in Chromium against the local server", () => {
  const running = useLocalServer(BOOTSTRAP);
  const url = () => running().url;
  const admin = { key: BOOTSTRAP };
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  const makeLink = async (address: string): Promise<UnsubscribeLink> => {
    const answer = await call(url(), "POST", "/v1/unsubscribe-links", { ...admin, body: { address } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const link = UnsubscribeLink.parse(answer.body);
    expect(link.address).toBe(address);
    return link;
  };

  const { verdict, history } = readback(url, BOOTSTRAP);

  /** A page of `context`, its CSP violations and foreign requests collected. */
  const watchedPage = async (context: BrowserContext, javaScriptEnabled: boolean): Promise<Page> => {
    const page = await context.newPage();
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    page.on("request", (request) => {
      if (!request.url().startsWith(`${url()}/u/`)) foreignRequests.push(request.url());
    });
    // With JavaScript on, the event is reported as a console line too (the browser's own line may not come).
    if (javaScriptEnabled)
      await page.addInitScript(
        'document.addEventListener("securitypolicyviolation", (e) => console.error("Refused to (securitypolicyviolation) " + e.violatedDirective + " " + e.blockedURI));',
      );
    return page;
  };

  /** Opens the link's confirmation page and checks its language, policy and masked address. */
  const openConfirmation = async (page: Page, link: UnsubscribeLink, lang: UnsubscribeLanguage) => {
    const response = await page.goto(link.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toBe(UNSUBSCRIBE_PAGE_CSP);
    await page.getByRole("heading", { level: 1, name: TEXTS.confirm[lang] }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe(HTML_LANG[lang]);
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain(MASKED);
    expect(await page.content()).not.toContain(link.address);
  };

  /** Clicks the confirm button and answers the POST's response, once the done page is shown. */
  const confirm = async (page: Page, lang: UnsubscribeLanguage) => {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: TEXTS.button[lang] }).click(),
    ]);
    await page.getByRole("heading", { level: 1, name: TEXTS.done[lang] }).waitFor();
    return response;
  };

  describe.each(LANGUAGES)("without JavaScript (%s)", (lang) => {
    let context: BrowserContext;
    const links = new Map<UnsubscribeReason, UnsubscribeLink>();

    beforeAll(async () => {
      context = await browser.newContext({ locale: LOCALES[lang], javaScriptEnabled: false });
      for (const reason of REASON_IDS) links.set(reason, await makeLink(freshAddress()));
    });

    afterAll(async () => {
      await context?.close();
    });

    it.each(REASON_IDS)("records the reason %s chosen by clicking its label", async (reason) => {
      // Arrange
      const link = links.get(reason);
      if (link === undefined) throw new Error(`no link for ${reason}`);
      const label = UNSUBSCRIBE_REASONS[reason][lang];
      const page = await watchedPage(context, false);
      await openConfirmation(page, link, lang);

      // Act
      await page.getByText(label, { exact: true }).click();
      const chosen = await page.getByRole("radio", { name: label, exact: true }).isChecked();
      const response = await confirm(page, lang);

      // Assert: the done page, in place (no redirect), with the reason.
      expect(chosen).toBe(true);
      expect(response.status()).toBe(200);
      expect(response.headers().location).toBeUndefined();
      expect(response.headers()["content-security-policy"]).toBe(UNSUBSCRIBE_PAGE_CSP);
      expect(response.request().postData()).toBe(`reason=${reason}&confirm=yes`);
      expect(page.url()).toBe(link.url);
      expect(await page.locator("html").getAttribute("lang")).toBe(HTML_LANG[lang]);
      const text = (await page.locator("main").textContent()) ?? "";
      expect(text).toContain(label);
      expect(text).toContain(MASKED);
      expect(await page.content()).not.toContain(link.address);
      await page.close();

      // Assert: what was recorded, read back through the API.
      expect(await verdict(link.address)).toMatchObject({
        suppressed: true,
        cause: "unsubscribe",
        source: "unsubscribe-link",
      });
      const events = await history(link.address);
      expect(events.find((e) => e.type === "unsubscribe")).toMatchObject({ unsubscribeReason: reason });
      const complaint = events.find((e) => e.type === "complaint");
      const feedbackType = COMPLAINT[reason];
      if (feedbackType === undefined) expect(complaint).toBeUndefined();
      else expect(complaint).toMatchObject({ feedbackType });
      expect(events).toHaveLength(feedbackType === undefined ? 1 : 2);
    });

    it("opening the link (without confirming) unsubscribes nothing", async () => {
      // Arrange
      const link = await makeLink(freshAddress());
      const page = await watchedPage(context, false);

      // Act
      await openConfirmation(page, link, lang);
      await page.reload();
      await page.getByRole("heading", { level: 1, name: TEXTS.confirm[lang] }).waitFor();
      await page.close();

      // Assert
      expect((await verdict(link.address)).suppressed).toBe(false);
      expect(await history(link.address)).toEqual([]);
    });

    it("confirming with no reason chosen records an unsubscribe without a reason", async () => {
      // Arrange
      const link = await makeLink(freshAddress());
      const page = await watchedPage(context, false);
      await openConfirmation(page, link, lang);

      // Act
      const response = await confirm(page, lang);

      // Assert
      expect(response.status()).toBe(200);
      expect(response.request().postData()).toBe("confirm=yes");
      expect(page.url()).toBe(link.url);
      const text = (await page.locator("main").textContent()) ?? "";
      for (const reason of REASON_IDS) expect(text).not.toContain(UNSUBSCRIBE_REASONS[reason][lang]);
      await page.close();
      expect(await verdict(link.address)).toMatchObject({
        suppressed: true,
        cause: "unsubscribe",
        source: "unsubscribe-link",
      });
      const events = await history(link.address);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: "unsubscribe", unsubscribeReason: null });
    });
  });

  it.each(LANGUAGES)(
    "the real confirmation and done pages have no accessibility violation (axe-core, %s)",
    async (lang) => {
      // Arrange: axe-core is a script, so these pages are opened with JavaScript on.
      const context = await browser.newContext({ locale: LOCALES[lang], javaScriptEnabled: true });
      const page = await watchedPage(context, true);
      const link = await makeLink(freshAddress());
      const axeViolations = async (): Promise<string[]> => {
        await page.evaluate(AXE_SOURCE);
        const results = (await page.evaluate("axe.run(document)")) as {
          violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[];
        };
        return results.violations.map(
          (v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`,
        );
      };
      const found: Record<string, string[]> = {};

      // Act
      await openConfirmation(page, link, lang);
      found.confirm = await axeViolations();
      await page.getByText(UNSUBSCRIBE_REASONS.not_wanted[lang], { exact: true }).click();
      await confirm(page, lang);
      found.done = await axeViolations();
      await context.close();

      // Assert
      expect(found).toEqual({ confirm: [], done: [] });
      expect((await history(link.address)).map((e) => [e.type, e.unsubscribeReason])).toEqual([
        ["unsubscribe", "not_wanted"],
      ]);
    },
  );

  it("no page broke a rule of its policy or asked for anything but its own pages", () => {
    // Arrange: every test above has run (vitest runs a file's tests in order).
    const seen = { violations, foreignRequests };

    // Act
    const report = JSON.stringify(seen);

    // Assert
    expect(seen, report).toEqual({ violations: [], foreignRequests: [] });
  });
});
