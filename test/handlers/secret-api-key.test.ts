import { describe, expect, it, vi } from "vitest";
import {
  createApiKeySource,
  createProviderSecretsSource,
  type SecretGetter,
} from "../../lambdas/handlers/secret-api-key.js";

const ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-key-AbCdEf";

/** A getter that counts its calls and answers from a script (value, or an Error to throw). */
function scripted(...answers: (string | undefined | Error)[]) {
  const calls: string[] = [];
  const getter: SecretGetter = async (id) => {
    calls.push(id);
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { getter, calls };
}

describe("createApiKeySource", () => {
  it("reads the secret once per container and keeps it", async () => {
    const { getter, calls } = scripted("  key-1\n");
    const apiKey = createApiKeySource({ env: { SUPPRESSION_API_KEY_SECRET_ARN: ARN }, getSecret: getter });
    expect(await apiKey()).toBe("key-1");
    expect(await apiKey()).toBe("key-1");
    expect(calls).toEqual([ARN]);
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

  it("does not keep a failure: the next call reads again", async () => {
    const { getter, calls } = scripted(new Error("throttled"), "key-2");
    const apiKey = createApiKeySource({ env: { SUPPRESSION_API_KEY_SECRET_ARN: ARN }, getSecret: getter });
    await expect(apiKey()).rejects.toThrow("throttled");
    expect(await apiKey()).toBe("key-2");
    expect(await apiKey()).toBe("key-2");
    expect(calls).toHaveLength(2);
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
    const secrets = createProviderSecretsSource({ env, getSecret: getter });
    expect(await secrets()).toEqual({ MAILGUN_SIGNING_KEY: "mg" });
    await secrets();
    expect(calls).toHaveLength(1);
  });

  it.each([["not json"], ["[1]"], ["null"]])("fails loudly on %s (and retries next time)", async (text) => {
    const { getter, calls } = scripted(text, "{}");
    const secrets = createProviderSecretsSource({ env, getSecret: getter });
    await expect(secrets()).rejects.toThrow(/PROVIDER_SECRETS_SECRET_ARN/);
    expect(await secrets()).toEqual({});
    expect(calls).toHaveLength(2);
  });

  it("without the ARN, reads the same names from the environment", async () => {
    const { getter, calls } = scripted("{}");
    const secrets = createProviderSecretsSource({
      env: { SENDCLOUD_APP_KEY: "sc", MAILGUN_SIGNING_KEY: "" },
      getSecret: getter,
    });
    expect(await secrets()).toEqual({ SENDCLOUD_APP_KEY: "sc" });
    expect(calls).toEqual([]);
  });
});
