/**
 * The pages of `/u/{token}` as strings: the language an `Accept-Language` header picks, escaping,
 * the four reasons as labelled radios in both languages, the form, and the policy's hash of the one
 * stylesheet. test/handlers/unsubscribe-page.browser.test.ts opens them in Chromium.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { UNSUBSCRIBE_REASONS, type UnsubscribeReason } from "../../lambdas/core/taxonomy.js";
import {
  pickLanguage,
  reasonFromForm,
  renderConfirmPage,
  renderDonePage,
  renderInvalidPage,
  UNSUBSCRIBE_PAGE_CSP,
  UNSUBSCRIBE_PAGE_HEADERS,
  UNSUBSCRIBE_PAGE_STYLE,
  UNSUBSCRIBE_PAGE_STYLE_HASH,
  type UnsubscribeLanguage,
} from "../../lambdas/handlers/unsubscribe-page.js";

const LANGUAGES: readonly UnsubscribeLanguage[] = ["en", "zh"];
const REASON_IDS = Object.keys(UNSUBSCRIBE_REASONS) as UnsubscribeReason[];
const ADDRESS = "j***@example.org";

const confirm = (lang: UnsubscribeLanguage, scope = "*") =>
  renderConfirmPage({ lang, actionPath: "/u/tok_123-abc", maskedAddress: ADDRESS, scope });

/** Every page in both languages, named. */
const EVERY_PAGE = LANGUAGES.flatMap((lang) => [
  { name: `confirm ${lang}`, page: confirm(lang) },
  { name: `confirm scoped ${lang}`, page: confirm(lang, "newsletter/weekly") },
  { name: `done ${lang}`, page: renderDonePage({ lang, reason: "spam", maskedAddress: ADDRESS }) },
  { name: `done no reason ${lang}`, page: renderDonePage({ lang, reason: null, maskedAddress: ADDRESS }) },
  { name: `expired ${lang}`, page: renderInvalidPage({ lang, why: "expired" }) },
  { name: `invalid ${lang}`, page: renderInvalidPage({ lang, why: "invalid" }) },
]);

/** The `<form …>` start tag's attributes. */
function formAttributes(html: string): Record<string, string> {
  const tag = /<form\b([^>]*)>/.exec(html)?.[1] ?? "";
  return Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] ?? "", m[2] ?? ""]));
}

describe("pickLanguage", () => {
  it.each([
    [undefined, "en"],
    ["", "en"],
    ["zh", "zh"],
    ["zh-CN", "zh"],
    ["zh-Hans", "zh"],
    ["ZH-tw", "zh"],
    ["zh-Hans-CN;q=0.8", "zh"],
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh"],
    ["en-US,en;q=0.9,zh-CN;q=0.8", "en"],
    ["en;q=0.3, zh;q=0.7", "zh"],
    ["en ; q = 0.3 , zh-CN ; q = 0.7", "zh"],
    ["fr-FR,fr;q=0.9,zh;q=0.5", "zh"],
    ["fr-FR,fr;q=0.9", "en"],
    ["zh;q=0", "en"],
    ["zh;q=0, *", "en"],
    ["*", "en"],
    ["de, *;q=0.5", "en"],
    ["en;q=0.5, zh;q=0.5", "en"],
    ["zh;q=0.5, en;q=0.5", "zh"],
    ["zh;q=abc, en;q=0.1", "en"],
    ["zh;q=1.5, en;q=0.1", "en"],
    ["zhx, en;q=0.1", "en"],
    [",,;;💥", "en"],
    [`${"fr;q=0.1,".repeat(5_000)}zh`, "en"],
  ] as const)("%j → %s", (header, expected) => {
    // Arrange
    const acceptLanguage: string | undefined = header;

    // Act
    const lang = pickLanguage(acceptLanguage);

    // Assert
    expect(lang).toBe(expected);
  });
});

describe("the confirmation page", () => {
  it.each(LANGUAGES)("offers every reason as a labelled radio in a fieldset with a legend (%s)", (lang) => {
    // Arrange
    const expectedLabels = REASON_IDS.map((id) => UNSUBSCRIBE_REASONS[id][lang]);

    // Act
    const { html } = confirm(lang);

    // Assert
    const fieldset = /<fieldset>([\s\S]*)<\/fieldset>/.exec(html)?.[1] ?? "";
    expect(fieldset).toMatch(/^\s*<legend>[^<]+<\/legend>/);
    const radios = [...fieldset.matchAll(/<input type="radio" id="([^"]+)" name="reason" value="([^"]+)">/g)];
    expect(radios.map((m) => m[2])).toEqual(REASON_IDS);
    for (const [index, radio] of radios.entries()) {
      const label = new RegExp(`<label for="${radio[1]}">([^<]+)</label>`).exec(fieldset)?.[1];
      expect(label).toBe(expectedLabels[index]);
    }
    expect(html).not.toMatch(/\bchecked\b/);
  });

  it.each(LANGUAGES)("POSTs to actionPath, with a visible confirm button (%s)", (lang) => {
    // Arrange
    const actionPath = "/u/tok_123-abc";

    // Act
    const { html } = renderConfirmPage({ lang, actionPath, maskedAddress: ADDRESS, scope: "*" });

    // Assert
    expect(formAttributes(html)).toEqual({ method: "post", action: actionPath });
    expect(html.match(/<form\b/g)).toHaveLength(1);
    expect(html).toMatch(/<button type="submit" name="confirm" value="yes">[^<]+<\/button>/);
    expect(html).toContain(`<strong>${ADDRESS}</strong>`);
  });

  it("names the scope unless it is all mail", () => {
    // Arrange
    const scope = "newsletter/weekly";

    // Act
    const all = confirm("en").html;
    const scoped = confirm("en", scope).html;
    const scopedZh = confirm("zh", scope).html;

    // Assert
    expect(all).not.toContain("<strong>*</strong>");
    expect(scoped).toContain(`<strong>${scope}</strong>`);
    expect(scopedZh).toContain(`<strong>${scope}</strong>`);
  });

  it("escapes the address, the scope and the action path: a <script> in them is inert text", () => {
    // Arrange
    const maskedAddress = `<script>alert("a")</script>@x.example`;
    const scope = `"><script>alert('s')</script>{address}`;
    const actionPath = `/u/a"onmouseover="alert(1)`;

    // Act
    const { html } = renderConfirmPage({ lang: "en", actionPath, maskedAddress, scope });
    const done = renderDonePage({ lang: "zh", reason: null, maskedAddress }).html;

    // Assert
    for (const page of [html, done]) {
      expect(page).not.toMatch(/<script/i);
      expect(page).toContain("&lt;script&gt;alert(&quot;a&quot;)&lt;/script&gt;@x.example");
    }
    expect(html).toContain("&quot;&gt;&lt;script&gt;alert(&#39;s&#39;)&lt;/script&gt;{address}");
    expect(formAttributes(html).action).toBe("/u/a&quot;onmouseover=&quot;alert(1)");
    expect(html).not.toMatch(/\sonmouseover=/);
  });

  it.each([
    "javascript:alert(1)",
    "//evil.example/u/t",
    "/\\evil.example",
    "https://evil.example/",
    "u/t",
    "/u/a b",
  ])("refuses an action path off the page's origin: %s", (actionPath) => {
    // Arrange
    const options = { lang: "en", actionPath, maskedAddress: ADDRESS, scope: "*" } as const;

    // Act
    const render = () => renderConfirmPage(options);

    // Assert
    expect(render).toThrow(/own origin/);
  });
});

describe("the page after the POST", () => {
  it.each(LANGUAGES.flatMap((lang) => REASON_IDS.map((reason) => [lang, reason] as const)))(
    "says unsubscribed, with the reason (%s, %s)",
    (lang, reason) => {
      // Arrange
      const label = UNSUBSCRIBE_REASONS[reason][lang];

      // Act
      const { html } = renderDonePage({ lang, reason, maskedAddress: ADDRESS });

      // Assert
      expect(html).toContain(`<strong>${label}</strong>`);
      expect(html).toContain(`<strong>${ADDRESS}</strong>`);
      expect(html).toContain(lang === "en" ? "You are unsubscribed" : "您已成功退订");
      expect(html).not.toMatch(/<form\b/);
    },
  );

  it("leaves the reason out when none was chosen", () => {
    // Arrange
    const labels = REASON_IDS.flatMap((id) => [UNSUBSCRIBE_REASONS[id].en, UNSUBSCRIBE_REASONS[id].zh]);

    // Act
    const pages = LANGUAGES.map(
      (lang) => renderDonePage({ lang, reason: null, maskedAddress: ADDRESS }).html,
    );

    // Assert
    for (const html of pages) for (const label of labels) expect(html).not.toContain(label);
  });

  it("reads the reason from the form: one of the four, else null", () => {
    // Arrange
    const body = new URLSearchParams("reason=fraud&confirm=yes");

    // Act
    const reasons = [body.get("reason"), "spam", "constructor", "__proto__", "", null, undefined].map(
      reasonFromForm,
    );

    // Assert
    expect(reasons).toEqual(["fraud", "spam", null, null, null, null, null]);
  });
});

describe("the page of a link that is not valid or has expired", () => {
  it.each([
    ["en", "expired", 410, "This link is not valid or has expired", "stop working"],
    ["en", "invalid", 404, "This link is not valid or has expired", "copied only in part"],
    ["zh", "expired", 410, "此链接无效或已过期", "一段时间后失效"],
    ["zh", "invalid", 404, "此链接无效或已过期", "完整复制"],
  ] as const)("%s, %s: %i, says so, offers no form", (lang, why, status, heading, detail) => {
    // Arrange
    const options = { lang, why } as const;

    // Act
    const page = renderInvalidPage(options);

    // Assert
    expect(page.status).toBe(status);
    expect(page.html).toContain(`<h1>${heading}</h1>`);
    expect(page.html).toContain(detail);
    expect(page.html).not.toMatch(/<(form|input|button)\b/);
  });
});

describe("every page", () => {
  it.each(EVERY_PAGE)("$name: the right <html lang>, a title, one <main> and one <h1>", ({ name, page }) => {
    // Arrange
    const lang = name.endsWith("zh") ? "zh-Hans" : "en";

    // Act
    const { html } = page;

    // Assert
    expect(html.startsWith("<!doctype html>\n")).toBe(true);
    expect(html).toContain(`<html lang="${lang}">`);
    expect(html).toMatch(/<title>[^<]+<\/title>/);
    expect(html.match(/<main>/g)).toHaveLength(1);
    expect(html.match(/<h1>/g)).toHaveLength(1);
  });

  it.each(EVERY_PAGE)("$name: no script, no style attribute, nothing loaded", ({ page }) => {
    // Arrange
    const { html } = page;

    // Act
    const urls = [...html.matchAll(/\b(?:src|href)=|url\(|@import|https?:\/\//gi)].map((m) => m[0]);

    // Assert
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(urls).toEqual([]);
  });

  it.each(EVERY_PAGE)("$name: the policy's hash is the one <style> element's text", ({ page }) => {
    // Arrange
    const styles = [...page.html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] ?? "");

    // Act
    const hash = `sha256-${createHash("sha256")
      .update(styles[0] ?? "", "utf8")
      .digest("base64")}`;

    // Assert
    expect(styles).toHaveLength(1);
    expect(styles[0]).toBe(UNSUBSCRIBE_PAGE_STYLE);
    expect(hash).toBe(UNSUBSCRIBE_PAGE_STYLE_HASH);
    expect(page.csp).toBe(UNSUBSCRIBE_PAGE_CSP);
    expect(page.csp).toBe(
      `default-src 'none'; style-src '${hash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
  });

  it("is served with its policy, as HTML, uncached and without a referrer", () => {
    // Arrange
    const headers = UNSUBSCRIBE_PAGE_HEADERS;

    // Act
    const names = Object.keys(headers).sort();

    // Assert
    expect(names).toEqual([
      "cache-control",
      "content-security-policy",
      "content-type",
      "referrer-policy",
      "x-content-type-options",
    ]);
    expect(headers["content-security-policy"]).toBe(UNSUBSCRIBE_PAGE_CSP);
    expect(headers["content-type"]).toBe("text/html; charset=utf-8");
  });
});
