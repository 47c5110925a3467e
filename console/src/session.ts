/**
 * The signed-in operator: the key lives in `sessionStorage` only (this tab, until it closes), never
 * in `localStorage`, a cookie or the URL. The language choice, which is not a secret, is kept in
 * `localStorage`.
 */
import type { Credentials } from "./api.js";

const KEY = "suppression-console.session";
const LANG = "suppression-console.lang";

/** What the service said about the key at sign-in (`GET /v1/me`). */
export type Session = Credentials & {
  readonly keyId: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly tenantOfKey: string;
};

export function loadSession(): Session | null {
  try {
    const text = sessionStorage.getItem(KEY);
    if (text === null) return null;
    const value = JSON.parse(text) as Session;
    return typeof value.key === "string" && Array.isArray(value.scopes) ? value : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

export function loadLang(): string | null {
  try {
    return localStorage.getItem(LANG);
  } catch {
    return null;
  }
}

export function saveLang(lang: string): void {
  try {
    localStorage.setItem(LANG, lang);
  } catch {
    // Private windows may refuse storage; the choice then lasts as long as the page.
  }
}
