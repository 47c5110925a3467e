/** Sign-in: an API key with the admin scope, checked against `GET /v1/me` before anything else. */
import { useState } from "preact/hooks";
import type { Me } from "../../../lambdas/contract/keys.js";
import { TENANT_PATTERN } from "../../../lambdas/core/access.js";
import { ApiError, call } from "../api.js";
import type { Messages } from "../i18n.js";
import type { Session } from "../session.js";
import { Field } from "./common.js";
import { ProblemLine, useAction } from "./forms.js";

/** The key is genuine but may not use the console. */
class LacksAdmin extends Error {
  override readonly name = "LacksAdmin";
}

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
  const { busy, problem, run } = useAction((error) => {
    if (error instanceof LacksAdmin) return t.keyLacksAdmin;
    if (error instanceof ApiError && error.status === 401) return t.keyRefused;
    if (error instanceof ApiError && error.status !== 0 && error.status !== 503) return error.message;
    return t.unavailable;
  });

  const submit = (event: Event) => {
    event.preventDefault();
    const credentials = { key: key.trim(), ...(tenant.trim() ? { tenant: tenant.trim() } : {}) };
    void run(async () => {
      const me = await call<Me>(credentials, "GET", "/v1/me");
      if (!me.scopes.includes("admin")) throw new LacksAdmin();
      onSignedIn({
        ...credentials,
        keyId: me.keyId,
        name: me.name,
        scopes: me.scopes,
        tenantOfKey: me.tenant,
      });
    });
  };

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
        <ProblemLine text={problem} />
        <button type="submit" class="primary" disabled={busy || key.trim() === ""}>
          {busy ? t.signingIn : t.signIn}
        </button>
      </form>
    </main>
  );
}
