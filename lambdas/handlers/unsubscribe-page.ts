/**
 * The pages of `/u/{token}` (issue #14): the confirmation a `GET` shows (it never unsubscribes: link
 * scanners and previews fetch it), the page after its form's `POST`, and the page of a link that is
 * not valid or has expired. Pure rendering: no store, no AWS.
 *
 * Every page is English or Chinese (by `Accept-Language`, see {@link pickLanguage}), works without
 * JavaScript, loads nothing (no script, no image, no font, no external stylesheet) and carries one
 * `<style>` element whose text never changes, so the one policy {@link UNSUBSCRIBE_PAGE_CSP} allows
 * it by its hash and refuses everything else. Every text is in {@link TEXTS}, in both languages; the
 * four reasons are SendCloud's, from `UNSUBSCRIBE_REASONS` in lambdas/core/taxonomy.ts.
 */
import { createHash } from "node:crypto";
import { ALL_MAIL } from "../core/scope.js";
import { type Label, UNSUBSCRIBE_REASONS, type UnsubscribeReason } from "../core/taxonomy.js";

/** The languages of the pages. */
export type UnsubscribeLanguage = "en" | "zh";

/** A rendered page: its HTML and the `Content-Security-Policy` it must be served with. */
export type RenderedPage = { readonly html: string; readonly csp: string };

/** The value of `<html lang>` for each language (the Chinese labels are Simplified Chinese). */
export const HTML_LANG: Readonly<Record<UnsubscribeLanguage, string>> = { en: "en", zh: "zh-Hans" };

/** The form's field names: `reason=<id>` (absent when no reason was chosen) and the button's `confirm=yes`. */
export const UNSUBSCRIBE_FORM = { reason: "reason", confirm: "confirm", confirmValue: "yes" } as const;

/**
 * Every text of the pages, in both languages. `{address}`, `{scope}` and `{reason}` are filled in
 * (escaped) when a page is rendered.
 */
const TEXTS = {
  confirmTitle: { en: "Unsubscribe", zh: "退订" },
  confirmHeading: { en: "Unsubscribe from these emails?", zh: "确认退订这些邮件？" },
  confirmLeadAll: {
    en: "We will stop sending emails to {address}.",
    zh: "我们将不再向 {address} 发送邮件。",
  },
  confirmLeadScoped: {
    en: "We will stop sending “{scope}” emails to {address}.",
    zh: "我们将不再向 {address} 发送“{scope}”邮件。",
  },
  reasonLegend: { en: "Tell us why (optional)", zh: "退订原因（选填）" },
  confirmButton: { en: "Yes, unsubscribe", zh: "确认退订" },
  doneTitle: { en: "Unsubscribed", zh: "已退订" },
  doneHeading: { en: "You are unsubscribed", zh: "您已成功退订" },
  doneLead: {
    en: "We will send no more of these emails to {address}.",
    zh: "我们不会再向 {address} 发送这些邮件。",
  },
  doneReason: { en: "Your reason: {reason}", zh: "您选择的原因：{reason}" },
  doneMistake: {
    en: "Unsubscribed by mistake? Please contact the sender.",
    zh: "如果这是误操作，请联系发件人。",
  },
  invalidTitle: { en: "Link not valid", zh: "链接无效" },
  invalidHeading: { en: "This link is not valid or has expired", zh: "此链接无效或已过期" },
  invalidExpired: {
    en: "Unsubscribe links stop working after a while. Please use the link in a more recent email, or contact the sender.",
    zh: "退订链接会在一段时间后失效。请使用较新邮件中的链接，或联系发件人。",
  },
  invalidInvalid: {
    en: "It may have been copied only in part. Please use the link in the email itself, or contact the sender.",
    zh: "链接可能没有被完整复制。请直接使用邮件中的链接，或联系发件人。",
  },
  invalidNothingChanged: { en: "Nothing was changed.", zh: "未做任何更改。" },
} as const satisfies Record<string, Label>;

type TextKey = keyof typeof TEXTS;

/**
 * The pages' whole stylesheet, the text of their one `<style>` element. No `style` attribute
 * anywhere: the policy allows this text by its hash and nothing else.
 */
export const UNSUBSCRIBE_PAGE_STYLE = [
  "html{font:1rem/1.5 system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;color:#1b1b1b;background:#f4f5f7}",
  "body{margin:0;padding:1rem}",
  "main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d0d4da;border-radius:.5rem}",
  "h1{font-size:1.375rem;line-height:1.3;margin:0 0 1rem}",
  "p{margin:0 0 1rem}",
  "fieldset{border:1px solid #d0d4da;border-radius:.375rem;margin:0 0 1.25rem;padding:.75rem 1rem}",
  "legend{padding:0 .25rem;font-weight:600}",
  ".choice{display:flex;align-items:flex-start;gap:.5rem;padding:.375rem 0}",
  ".choice input{margin:.3rem 0 0;width:1.1rem;height:1.1rem;flex:none}",
  "button{font:inherit;font-weight:600;color:#fff;background:#0a58ca;border:0;border-radius:.375rem;padding:.625rem 1.25rem;cursor:pointer}",
  "button:hover{background:#084298}",
  "button:focus-visible,input:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}",
  ".note{color:#4a4f57}",
].join("");

/** `sha256-…` of {@link UNSUBSCRIBE_PAGE_STYLE}, as `style-src` names it. */
export const UNSUBSCRIBE_PAGE_STYLE_HASH = `sha256-${createHash("sha256").update(UNSUBSCRIBE_PAGE_STYLE, "utf8").digest("base64")}`;

/** The `Content-Security-Policy` of every page: its stylesheet by hash, forms to its own origin, nothing else. */
export const UNSUBSCRIBE_PAGE_CSP = [
  "default-src 'none'",
  `style-src '${UNSUBSCRIBE_PAGE_STYLE_HASH}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/**
 * The headers every page is served with: its type, its policy, and no caching or referrer (the URL
 * holds the token).
 */
export const UNSUBSCRIBE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": UNSUBSCRIBE_PAGE_CSP,
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

/** An `Accept-Language` range: `*` or a language tag (RFC 4647 §2.1). */
const LANGUAGE_RANGE = /^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/;
/** A quality value (RFC 9110 §12.4.2). */
const QUALITY = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/;
/** More ranges than any browser sends are not read (the header is the client's to make long). */
const MAX_RANGES = 32;

/**
 * The page's language for an `Accept-Language` header: the supported language with the highest
 * quality (`zh`, `zh-CN`, `zh-Hans`, `zh-TW`… are Chinese; `en-*` English; `*` stands for those not
 * named), the first one named on a tie, English when neither is acceptable. A range with a malformed
 * quality is ignored; `q=0` refuses a language.
 *
 * @example
 * pickLanguage("zh-CN,zh;q=0.9,en;q=0.8"); // "zh"
 * pickLanguage("en;q=0.3, zh-Hans;q=0.7"); // "zh"
 * pickLanguage("fr-FR,fr;q=0.9");         // "en"
 * pickLanguage(undefined);                // "en"
 */
export function pickLanguage(acceptLanguage: string | undefined): UnsubscribeLanguage {
  if (!acceptLanguage) return "en";
  /** Per language: the best quality of a range naming it, and where that range first came. */
  const named = new Map<UnsubscribeLanguage, { q: number; at: number }>();
  let wildcard: { q: number; at: number } | null = null;
  const ranges = acceptLanguage.split(",", MAX_RANGES);
  for (const [at, part] of ranges.entries()) {
    const [rawRange = "", ...params] = part.split(";").map((piece) => piece.trim().toLowerCase());
    if (!LANGUAGE_RANGE.test(rawRange)) continue;
    const quality = params.find((param) => param.startsWith("q"));
    let q = 1;
    if (quality !== undefined) {
      const match = QUALITY.exec(quality.replaceAll(/\s+/g, ""));
      if (!match?.[1]) continue;
      q = Number(match[1]);
    }
    if (rawRange === "*") {
      if (wildcard === null || q > wildcard.q) wildcard = { q, at };
      continue;
    }
    const primary = rawRange.split("-")[0];
    const lang = primary === "zh" ? "zh" : primary === "en" ? "en" : null;
    if (lang === null) continue;
    const seen = named.get(lang);
    if (seen === undefined || q > seen.q) named.set(lang, { q, at: seen?.at ?? at });
  }
  const score = (lang: UnsubscribeLanguage) => named.get(lang) ?? wildcard ?? { q: 0, at: Infinity };
  const en = score("en");
  const zh = score("zh");
  if (zh.q > 0 && (zh.q > en.q || (zh.q === en.q && zh.at < en.at))) return "zh";
  return "en";
}

/** `value` safe as HTML text and as a double- or single-quoted attribute value. */
function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/**
 * The text `key` in `lang` as HTML, its `{name}` placeholders filled with `values` escaped (each in
 * `<strong>`), in one pass so a value that looks like a placeholder stays text.
 */
function text(
  lang: UnsubscribeLanguage,
  key: TextKey,
  values: Readonly<Record<string, string>> = {},
): string {
  return escapeHtml(TEXTS[key][lang]).replaceAll(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : `<strong>${escapeHtml(value)}</strong>`;
  });
}

/** The document around `body`: language, title, the one stylesheet, no referrer, not indexed. */
function page(lang: UnsubscribeLanguage, title: TextKey, body: string): RenderedPage {
  const html = [
    "<!doctype html>",
    `<html lang="${HTML_LANG[lang]}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${text(lang, title)}</title>`,
    `<style>${UNSUBSCRIBE_PAGE_STYLE}</style>`,
    "</head>",
    "<body>",
    "<main>",
    body,
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
  return { html, csp: UNSUBSCRIBE_PAGE_CSP };
}

/** A path on the page's own origin (`/u/…`): no scheme, no `//host`, no white space or control characters. */
const SAME_ORIGIN_PATH = /^\/(?![/\\])[^\s\p{Cc}]*$/u;

/** Whether `value` is one of the four reasons' ids. */
const isReason = (value: string): value is UnsubscribeReason => Object.hasOwn(UNSUBSCRIBE_REASONS, value);

/**
 * The reason a form body's `reason` field names, or `null` when it is absent or none of the four.
 *
 * @example
 * reasonFromForm(new URLSearchParams("reason=spam&confirm=yes").get("reason")); // "spam"
 * reasonFromForm(null);                                                      // null
 */
export function reasonFromForm(value: string | null | undefined): UnsubscribeReason | null {
  return typeof value === "string" && isReason(value) ? value : null;
}

/**
 * The page `GET /u/{token}` shows: what will stop, SendCloud's four reasons as radios (none chosen,
 * optional) and a confirm button, in a form that POSTs `reason=<id>&confirm=yes` to `actionPath`.
 *
 * @param options.actionPath the form's target, a path on the page's own origin (`form-action 'self'`)
 * @param options.maskedAddress the address as it may be shown, already masked (`j***@example.org`)
 * @param options.scope the token's scope: `*` (all mail) or a list/topic path
 * @throws Error when `actionPath` is not a same-origin path
 *
 * @example
 * const { html, csp } = renderConfirmPage({
 *   lang: pickLanguage(headers["accept-language"]),
 *   actionPath: `/u/${token}`,
 *   maskedAddress: "j***@example.org",
 *   scope: "*",
 * });
 */
export function renderConfirmPage(options: {
  readonly lang: UnsubscribeLanguage;
  readonly actionPath: string;
  readonly maskedAddress: string;
  readonly scope: string;
}): RenderedPage {
  const { lang, actionPath, maskedAddress, scope } = options;
  if (!SAME_ORIGIN_PATH.test(actionPath))
    throw new Error("actionPath must be a path on the page's own origin");
  const lead =
    scope === ALL_MAIL
      ? text(lang, "confirmLeadAll", { address: maskedAddress })
      : text(lang, "confirmLeadScoped", { address: maskedAddress, scope });
  const choices = (Object.keys(UNSUBSCRIBE_REASONS) as UnsubscribeReason[]).map((id) => {
    const inputId = `reason-${id}`;
    return [
      '<div class="choice">',
      `<input type="radio" id="${inputId}" name="${UNSUBSCRIBE_FORM.reason}" value="${escapeHtml(id)}">`,
      `<label for="${inputId}">${escapeHtml(UNSUBSCRIBE_REASONS[id][lang])}</label>`,
      "</div>",
    ].join("");
  });
  const body = [
    `<h1>${text(lang, "confirmHeading")}</h1>`,
    `<p>${lead}</p>`,
    `<form method="post" action="${escapeHtml(actionPath)}">`,
    "<fieldset>",
    `<legend>${text(lang, "reasonLegend")}</legend>`,
    ...choices,
    "</fieldset>",
    `<button type="submit" name="${UNSUBSCRIBE_FORM.confirm}" value="${UNSUBSCRIBE_FORM.confirmValue}">${text(lang, "confirmButton")}</button>`,
    "</form>",
  ].join("\n");
  return page(lang, "confirmTitle", body);
}

/**
 * The page after the form's POST: unsubscribed, with the chosen reason (when one was chosen).
 *
 * @example
 * renderDonePage({ lang: "zh", reason: "spam", maskedAddress: "j***@example.org" }).html; // "…您已成功退订…这是垃圾邮件…"
 */
export function renderDonePage(options: {
  readonly lang: UnsubscribeLanguage;
  readonly reason: UnsubscribeReason | null;
  readonly maskedAddress: string;
}): RenderedPage {
  const { lang, reason, maskedAddress } = options;
  const body = [
    `<h1>${text(lang, "doneHeading")}</h1>`,
    `<p>${text(lang, "doneLead", { address: maskedAddress })}</p>`,
    reason !== null && isReason(reason)
      ? `<p>${text(lang, "doneReason", { reason: UNSUBSCRIBE_REASONS[reason][lang] })}</p>`
      : "",
    `<p class="note">${text(lang, "doneMistake")}</p>`,
  ]
    .filter((line) => line !== "")
    .join("\n");
  return page(lang, "doneTitle", body);
}

/**
 * The page of a token that is tampered, foreign or unknown (`invalid`) or past its expiry
 * (`expired`): no form, nothing changed. `status` is the one to answer with: 410 Gone for an
 * expired link, 404 for one that is not valid (it says no more about why).
 *
 * @example
 * const { html, csp, status } = renderInvalidPage({ lang: "en", why: "expired" }); // status 410
 */
export function renderInvalidPage(options: {
  readonly lang: UnsubscribeLanguage;
  readonly why: "expired" | "invalid";
}): RenderedPage & { readonly status: 404 | 410 } {
  const { lang, why } = options;
  const body = [
    `<h1>${text(lang, "invalidHeading")}</h1>`,
    `<p>${text(lang, why === "expired" ? "invalidExpired" : "invalidInvalid")}</p>`,
    `<p class="note">${text(lang, "invalidNothingChanged")}</p>`,
  ].join("\n");
  return { ...page(lang, "invalidTitle", body), status: why === "expired" ? 410 : 404 };
}
