/** Sign-in: an API key with the admin scope, checked against `GET /v1/me` before anything else. */
import { useState } from "preact/hooks";
import type { Me } from "../../../lambdas/contract/keys.js";
import { TENANT_PATTERN } from "../../../lambdas/core/access.js";
import { ApiError, call } from "../api.js";
import type { Messages } from "../i18n.js";
import type { Session } from "../session.js";
import { Field } from "./common.js";

export function SignIn({
  t,
  notice,
  onSignedIn,
}: {
  t: Messages;
  notice: string | null;
  onSignedIn: (session: Session) => void;
}) {
  const [key, setKey] = useState("");
  const [tenant, setTenant] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const credentials = { key: key.trim(), ...(tenant.trim() ? { tenant: tenant.trim() } : {}) };
    try {
      const me = await call<Me>(credentials, "GET", "/v1/me");
      if (!me.scopes.includes("admin")) {
        setProblem(t.keyLacksAdmin);
        return;
      }
      onSignedIn({
        ...credentials,
        keyId: me.keyId,
        name: me.name,
        scopes: me.scopes,
        tenantOfKey: me.tenant,
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setProblem(t.keyRefused);
      else if (error instanceof ApiError && error.status !== 0 && error.status !== 503)
        setProblem(error.message);
      else setProblem(t.unavailable);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="sign-in">
      <h1>{t.signInTitle}</h1>
      <p>{t.signInIntro}</p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <form onSubmit={submit}>
        <Field label={t.apiKey}>
          <input
            type="password"
            name="key"
            autocomplete="off"
            spellcheck={false}
            required
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
          />
        </Field>
        <Field label={t.tenantOptional}>
          <input
            type="text"
            name="tenant"
            autocomplete="off"
            spellcheck={false}
            pattern={TENANT_PATTERN.source.replace(/^\^|\$$/g, "")}
            value={tenant}
            onInput={(e) => setTenant(e.currentTarget.value)}
          />
        </Field>
        {problem ? (
          <p class="error" role="alert">
            {problem}
          </p>
        ) : null}
        <button type="submit" class="primary" disabled={busy || key.trim() === ""}>
          {busy ? t.signingIn : t.signIn}
        </button>
      </form>
    </main>
  );
}
