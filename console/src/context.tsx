/**
 * What every view needs: the language and its words, the session, and `api`, the session's calls to
 * the service. A 401 or 403 from any call ends the session and brings the operator back to sign-in
 * with the reason.
 */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { ApiError, call, type RequestOptions } from "./api.js";
import type { Lang, Messages } from "./i18n.js";
import type { Session } from "./session.js";

export type Api = <T>(
  method: "GET" | "PUT" | "POST" | "DELETE",
  path: string,
  options?: RequestOptions,
) => Promise<T>;

export type AppState = {
  readonly lang: Lang;
  readonly t: Messages;
  readonly session: Session;
  /** Whether answers show addresses in full (the key has `pii`). */
  readonly pii: boolean;
  readonly api: Api;
};

export const AppContext = createContext<AppState | null>(null);

/** The app state; only views under a signed-in `<App>` use it. */
export function useApp(): AppState {
  const state = useContext(AppContext);
  if (state === null) throw new Error("useApp outside a signed-in console");
  return state;
}

/** The session's `api`: each call carries the key; a refusal of the key signs out. */
export function sessionApi(session: Session, onRefused: (status: 401 | 403) => void): Api {
  return async (method, path, options) => {
    try {
      return await call(session, method, path, options);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403))
        onRefused(error.status);
      throw error;
    }
  };
}
