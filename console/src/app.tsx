/**
 * The console: sign-in until there is a session, then its pages (address, lists, status, exports,
 * list cleaning, rates)
 * under one header with the navigation, the language switch and sign-out.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { AppContext, sessionApi } from "./context.js";
import { initialLang, LANGUAGES, type Lang, MESSAGES } from "./i18n.js";
import { useRoute } from "./navigation.js";
import { hrefOf, type Route } from "./router.js";
import { clearSession, loadLang, loadSession, type Session, saveLang, saveSession } from "./session.js";
import { AddressPage } from "./views/address-page.js";
import { ExportsPage } from "./views/exports-page.js";
import { ListChecksPage } from "./views/list-checks-page.js";
import { ListsPage } from "./views/lists-page.js";
import { SignIn } from "./views/sign-in.js";
import { StatsPage } from "./views/stats-page.js";
import { StatusPage } from "./views/status-page.js";

const LANGUAGE_NAMES: Record<Lang, string> = { en: "English", zh: "中文" };
/** The `lang` attribute of the page: screen readers pick their voice by it. */
const HTML_LANG: Record<Lang, string> = { en: "en", zh: "zh-CN" };

export function App() {
  const [lang, setLang] = useState<Lang>(() => initialLang(loadLang(), navigator.languages ?? []));
  const [session, setSession] = useState<Session | null>(loadSession);
  const [notice, setNotice] = useState<string | null>(null);
  const route = useRoute();
  const t = MESSAGES[lang];

  useEffect(() => {
    document.documentElement.lang = HTML_LANG[lang];
    document.title = t.appName;
  }, [lang, t]);

  const state = useMemo(() => {
    if (session === null) return null;
    const api = sessionApi(session, (status) => {
      clearSession();
      setSession(null);
      setNotice(status === 401 ? MESSAGES[lang].sessionEnded : MESSAGES[lang].sessionForbidden);
    });
    return { lang, t: MESSAGES[lang], session, pii: session.scopes.includes("pii"), api };
  }, [session, lang]);

  const chooseLang = (next: Lang) => {
    saveLang(next);
    setLang(next);
  };

  const languageSwitch = (
    <label class="lang">
      <span>{t.language}</span>
      <select value={lang} onChange={(e) => chooseLang(e.currentTarget.value as Lang)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={HTML_LANG[l]}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );

  if (state === null) {
    return (
      <>
        <header class="top">
          <span class="brand">{t.appName}</span>
          {languageSwitch}
        </header>
        <SignIn
          t={t}
          notice={notice}
          onSignedIn={(next) => {
            saveSession(next);
            setNotice(null);
            setSession(next);
          }}
        />
      </>
    );
  }

  const signOut = () => {
    clearSession();
    setSession(null);
  };
  const nav: [Route["page"], string, string][] = [
    ["address", hrefOf({ page: "address", address: null }), t.navAddress],
    ["lists", hrefOf({ page: "lists", kind: "bounces", query: new URLSearchParams() }), t.navLists],
    ["status", hrefOf({ page: "status", query: new URLSearchParams() }), t.navStatus],
    ["exports", hrefOf({ page: "exports", query: new URLSearchParams() }), t.navExports],
    ["list-checks", hrefOf({ page: "list-checks", query: new URLSearchParams() }), t.navListChecks],
    ["stats", hrefOf({ page: "stats", query: new URLSearchParams() }), t.navStats],
  ];
  return (
    <AppContext.Provider value={state}>
      <button type="button" class="skip" onClick={skipToMain}>
        {t.skipToContent}
      </button>
      <header class="top">
        <span class="brand">{t.appName}</span>
        <nav aria-label={t.appName}>
          {nav.map(([page, href, label]) => (
            <a key={page} href={href} aria-current={route.page === page ? "page" : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span class="who">
          {t.tenant}: <strong>{state.session.tenant ?? state.session.tenantOfKey}</strong> ·{" "}
          {state.session.name}
        </span>
        {languageSwitch}
        <button type="button" onClick={signOut}>
          {t.signOut}
        </button>
      </header>
      {state.pii ? null : (
        <p class="banner" role="note">
          {t.maskedBanner}
        </p>
      )}
      <main id="main" tabIndex={-1}>
        {route.page === "address" ? <AddressPage address={route.address} /> : null}
        {route.page === "lists" ? <ListsPage kind={route.kind} query={route.query} /> : null}
        {route.page === "status" ? <StatusPage query={route.query} /> : null}
        {route.page === "exports" ? <ExportsPage query={route.query} /> : null}
        {route.page === "list-checks" ? <ListChecksPage query={route.query} /> : null}
        {route.page === "stats" ? <StatsPage query={route.query} /> : null}
      </main>
    </AppContext.Provider>
  );
}

/** The skip button moves focus to the content (a `#main` link would change the route: the hash is it). */
function skipToMain() {
  document.getElementById("main")?.focus();
}
