import { SecretsProvider } from "@aws-lambda-powertools/parameters/secrets";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createApiKeySource,
  createProviderSecretsSource,
  SECRET_MAX_AGE_SECONDS,
  type SecretGetter,
  STALE_RETRY_MS,
} from "../../lambdas/handlers/secret-api-key.js";
import { PROVIDER_SECRET_NAMES } from "../../lambdas/providers/registry.js";

const ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-key-AbCdEf";

type Answer = string | Uint8Array | undefined | Error;

/**
 * Powertools' own Secrets Manager provider (its cache, `maxAge`, `forceFetch` and JSON transform are
 * the code under test) with only the call to Secrets Manager replaced by a script: each answer is
 * used once, the last one from then on.
 */
class ScriptedSecrets extends SecretsProvider {
  readonly calls: string[] = [];
  constructor(private readonly answers: Answer[]) {
    super();
  }
  protected override async _get(name: string): Promise<string | Uint8Array | undefined> {
    this.calls.push(name);
    const answer = this.answers.length > 1 ? this.answers.shift() : this.answers[0];
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

/** A getter on a scripted Powertools provider, as the handlers use `getSecret`, and its calls. */
function scripted(...answers: Answer[]) {
  const provider = new ScriptedSecrets(answers);
  const getter: SecretGetter = (id, options) =>
    options.transform === "json"
      ? provider.get(id, { ...options, transform: "json" })
      : provider.get(id, { maxAge: options.maxAge, forceFetch: options.forceFetch ?? false });
  return { getter, calls: provider.calls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("createApiKeySource", () => {
  it("reads the secret once and keeps it for SECRET_MAX_AGE_SECONDS", async () => {
    const { getter, calls } = scripted("  key-1\n");
    const apiKey = createApiKeySource({ env: { SUPPRESSION_API_KEY_SECRET_ARN: ARN }, getSecret: getter });
    expect(await apiKey()).toBe("key-1");
    expect(await apiKey()).toBe("key-1");
    expect(calls).toEqual([ARN]);
  });

  it("sees a rotated key once the cached one is SECRET_MAX_AGE_SECONDS old, without a new container", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-12-01T10:00:00Z") });
    const { getter, calls } = scripted("old-key", "new-key");
    const apiKey = createApiKeySource({ env: { SUPPRESSION_API_KEY_SECRET_ARN: ARN }, getSecret: getter });
    expect(await apiKey()).toBe("old-key");
    vi.advanceTimersByTime((SECRET_MAX_AGE_SECONDS - 1) * 1000);
    expect(await apiKey()).toBe("old-key");
    vi.advanceTimersByTime(2000);
    expect(await apiKey()).toBe("new-key");
    expect(calls).toHaveLength(2);
  });

  it("shares one read between concurrent first callers", async () => {
    let release: (v: string) => void = () => {};
    const getSecret = vi.fn<SecretGetter>(() => new Promise<string>((r) => (release = r)));
    const apiKey = createApiKeySource({ env: { SUPPRESSION_API_KEY_SECRET_ARN: ARN }, getSecret });
    const both = Promise.all([apiKey(), apiKey()]);
    release("k");
    expect(await both).toEqual(["k", "k"]);
    expect(getSecret).toHaveBeenCalledTimes(1);
  });

  it("asks Powertools for SECRET_MAX_AGE_SECONDS and no transform", async () => {
    const getSecret = vi.fn<SecretGetter>(async () => "k");
    await createApiKeySource({ env: { SUPPRESSION_API_KEY_SECRET_ARN: ARN }, getSecret })();
    expect(getSecret).toHaveBeenCalledWith(ARN, { maxAge: SECRET_MAX_AGE_SECONDS, forceFetch: false });
  });

  it("does not keep a failure: the next call reads again", async () => {
    const { getter, calls } = scripted(new Error("throttled"), "key-2");
    const apiKey = createApiKeySource({ env: { SUPPRESSION_API_KEY_SECRET_ARN: ARN }, getSecret: getter });
    await expect(apiKey()).rejects.toThrow("throttled");
    expect(await apiKey()).toBe("key-2");
    expect(await apiKey()).toBe("key-2");
    expect(calls).toHaveLength(2);
  });

  it("serves the previous key when a re-read fails, and reads again STALE_RETRY_MS later", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-12-01T10:00:00Z") });
    const { getter, calls } = scripted("key-1", new Error("Secrets Manager down"), "key-2");
    const onStale = vi.fn();
    const apiKey = createApiKeySource({
      env: { SUPPRESSION_API_KEY_SECRET_ARN: ARN },
      getSecret: getter,
      onStale,
    });
    expect(await apiKey()).toBe("key-1");
    vi.advanceTimersByTime((SECRET_MAX_AGE_SECONDS + 1) * 1000);
    expect(await apiKey()).toBe("key-1");
    expect(onStale).toHaveBeenCalledTimes(1);
    expect(await apiKey()).toBe("key-1"); // paused: no read
    expect(calls).toHaveLength(2);
    vi.advanceTimersByTime(STALE_RETRY_MS + 1);
    expect(await apiKey()).toBe("key-2");
    expect(calls).toHaveLength(3);
  });

  it("decodes a binary secret", async () => {
    const { getter } = scripted(new TextEncoder().encode("bin-key"));
    const apiKey = createApiKeySource({ env: { SUPPRESSION_API_KEY_SECRET_ARN: ARN }, getSecret: getter });
    expect(await apiKey()).toBe("bin-key");
  });

  it("treats an empty secret as no key (every request refused)", async () => {
    const { getter } = scripted("   ");
    const apiKey = createApiKeySource({ env: { SUPPRESSION_API_KEY_SECRET_ARN: ARN }, getSecret: getter });
    expect(await apiKey()).toBeUndefined();
  });

  it("without the ARN, uses SUPPRESSION_API_KEY and never calls Secrets Manager", async () => {
    const { getter, calls } = scripted("unused");
    expect(await createApiKeySource({ env: { SUPPRESSION_API_KEY: "local" }, getSecret: getter })()).toBe(
      "local",
    );
    expect(await createApiKeySource({ env: {}, getSecret: getter })()).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it("prefers the secret over a plain SUPPRESSION_API_KEY", async () => {
    const { getter } = scripted("from-secret");
    const env = { SUPPRESSION_API_KEY_SECRET_ARN: ARN, SUPPRESSION_API_KEY: "plain" };
    expect(await createApiKeySource({ env, getSecret: getter })()).toBe("from-secret");
  });
});

describe("createProviderSecretsSource", () => {
  const env = { PROVIDER_SECRETS_SECRET_ARN: ARN };

  it("keeps the known, non-empty string values of the JSON secret, read once", async () => {
    const doc = JSON.stringify({
      MAILGUN_SIGNING_KEY: "mg",
      SENDGRID_VERIFICATION_KEY: "",
      POSTMARK_WEBHOOK_USER: 42,
      SOMETHING_ELSE: "x",
    });
    const { getter, calls } = scripted(doc);
    const secrets = createProviderSecretsSource(PROVIDER_SECRET_NAMES, { env, getSecret: getter });
    expect(await secrets()).toEqual({ MAILGUN_SIGNING_KEY: "mg" });
    await secrets();
    expect(calls).toHaveLength(1);
  });

  it("asks Powertools for the JSON transform", async () => {
    const getSecret = vi.fn<SecretGetter>(async () => ({ SENDCLOUD_APP_KEY: "sc" }));
    expect(await createProviderSecretsSource(PROVIDER_SECRET_NAMES, { env, getSecret })()).toEqual({
      SENDCLOUD_APP_KEY: "sc",
    });
    expect(getSecret).toHaveBeenCalledWith(ARN, {
      maxAge: SECRET_MAX_AGE_SECONDS,
      transform: "json",
      forceFetch: false,
    });
  });

  it("sees a rotated webhook secret after SECRET_MAX_AGE_SECONDS", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-12-01T10:00:00Z") });
    const { getter } = scripted('{"MAILGUN_SIGNING_KEY":"old"}', '{"MAILGUN_SIGNING_KEY":"new"}');
    const secrets = createProviderSecretsSource(PROVIDER_SECRET_NAMES, { env, getSecret: getter });
    expect(await secrets()).toEqual({ MAILGUN_SIGNING_KEY: "old" });
    vi.advanceTimersByTime((SECRET_MAX_AGE_SECONDS + 1) * 1000);
    expect(await secrets()).toEqual({ MAILGUN_SIGNING_KEY: "new" });
  });

  it.each([["not json"], ["[1]"], ["null"]])("fails loudly on %s (and retries next time)", async (text) => {
    const { getter, calls } = scripted(text, "{}");
    const secrets = createProviderSecretsSource(PROVIDER_SECRET_NAMES, { env, getSecret: getter });
    await expect(secrets()).rejects.toThrow(/PROVIDER_SECRETS_SECRET_ARN/);
    expect(await secrets()).toEqual({});
    expect(calls).toHaveLength(2);
  });

  it("a secret with no value counts as an empty object", async () => {
    const { getter } = scripted(undefined);
    expect(await createProviderSecretsSource(PROVIDER_SECRET_NAMES, { env, getSecret: getter })()).toEqual(
      {},
    );
  });

  it("without the ARN, reads the same names from the environment", async () => {
    const { getter, calls } = scripted("{}");
    const secrets = createProviderSecretsSource(PROVIDER_SECRET_NAMES, {
      env: { SENDCLOUD_APP_KEY: "sc", MAILGUN_SIGNING_KEY: "" },
      getSecret: getter,
    });
    expect(await secrets()).toEqual({ SENDCLOUD_APP_KEY: "sc" });
    expect(calls).toEqual([]);
  });
});
