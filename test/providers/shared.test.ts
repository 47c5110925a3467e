/**
 * The helpers every provider's parse goes through (issue #9): `smtpFrom` (the one diagnostic cap), `checkedEventId`, and core's `tableOf`; and the
 * ones each provider used to have a copy of (issue #10): `parseAt` (a schema, issues pointing into
 * the body), `NO_EXTRAS`, `basicCredentials` / `checkBasicAuth` (Postmark, SparkPost).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { InputError } from "../../lambdas/core/errors.js";
import { MAX_DIAGNOSTIC_CHARS, MAX_EVENT_ID_CHARS, SmtpSchema } from "../../lambdas/core/events.js";
import { tableOf } from "../../lambdas/core/lookup.js";
import { basicCredentials, checkBasicAuth } from "../../lambdas/providers/shared/basic-auth.js";
import { NO_EXTRAS } from "../../lambdas/providers/shared/event-defaults.js";
import { checkedEventId } from "../../lambdas/providers/shared/event-id.js";
import { joinDiagnostics, smtpFrom } from "../../lambdas/providers/shared/smtp.js";
import { parseAt } from "../../lambdas/providers/shared/validate.js";
import { inputError } from "../support/input-error.js";

describe("smtpFrom: the one diagnostic cap", () => {
  it("cuts a long diagnostic to MAX_DIAGNOSTIC_CHARS and still reads its codes", () => {
    const smtp = smtpFrom(`smtp; 550 5.1.1 user unknown ${"x".repeat(500_000)}`);
    expect(smtp.diagnostic?.length).toBe(MAX_DIAGNOSTIC_CHARS);
    expect(smtp).toMatchObject({ code: "550", enhanced: "5.1.1" });
    expect(SmtpSchema.safeParse(smtp).success).toBe(true);
    expect(SmtpSchema.safeParse({ ...smtp, diagnostic: "x".repeat(MAX_DIAGNOSTIC_CHARS + 1) }).success).toBe(
      false,
    );
  });

  it("never splits a surrogate pair at the cut", () => {
    const text = `${"a".repeat(MAX_DIAGNOSTIC_CHARS - 1)}😀tail`;
    const diagnostic = smtpFrom(text).diagnostic ?? "";
    expect(diagnostic.length).toBe(MAX_DIAGNOSTIC_CHARS - 1);
    expect(Buffer.from(diagnostic, "utf8").toString("utf8")).toBe(diagnostic);
  });

  it("reads codes from `codesFrom` when given, keeping the whole diagnostic", () => {
    const smtp = smtpFrom("mailbox unavailable\naddress 550 in text", null, "451 4.2.2 over quota");
    expect(smtp).toEqual({
      code: "451",
      enhanced: "4.2.2",
      diagnostic: "mailbox unavailable\naddress 550 in text",
    });
    expect(smtpFrom("x", null, null)).toEqual({ code: null, enhanced: null, diagnostic: "x" });
  });

  it("joinDiagnostics trims, drops empty texts and repeats", () => {
    expect(joinDiagnostics(" a ", "", null, "a", undefined, "b")).toBe("a\nb");
    expect(joinDiagnostics(" ", null)).toBeNull();
  });
});

describe("checkedEventId", () => {
  it("passes an id up to MAX_EVENT_ID_CHARS and refuses a longer or empty one", () => {
    const longest = "i".repeat(MAX_EVENT_ID_CHARS);
    expect(checkedEventId(longest, "id")).toBe(longest);
    const error = inputError(() => checkedEventId(`${longest}!`, "0.sg_event_id"));
    expect(error.issues).toEqual([
      { path: "0.sg_event_id", message: `at most ${MAX_EVENT_ID_CHARS} characters (the id would be 513)` },
    ]);
    expect(() => checkedEventId("", "id")).toThrow(InputError);
  });
});

describe("tableOf", () => {
  it("knows only its own entries: prototype names are missing keys", () => {
    const table = tableOf({ a: 1, "suppress-bounce": 2 });
    expect(table.get("a")).toBe(1);
    for (const name of [
      "__proto__",
      "constructor",
      "toString",
      "hasOwnProperty",
      "valueOf",
      "__defineGetter__",
    ]) {
      expect(table.get(name)).toBeUndefined();
      expect(table.has(name)).toBe(false);
    }
    expect([...table.keys()]).toEqual(["a", "suppress-bounce"]);
  });
});

describe("parseAt", () => {
  const Event = z.object({ event: z.string(), recipient: z.email().optional() });

  it("returns the parsed value", () => {
    expect(parseAt(Event, { event: "failed", extra: 1 }, [0], "Not a valid event.")).toEqual({
      event: "failed",
    });
  });

  it("throws an InputError whose issue paths are prefixed with where the value sits", () => {
    const error = inputError(() =>
      parseAt(Event, { event: 7, recipient: "x" }, ["items", 3], "Not a valid Mailgun event."),
    );
    expect(error.message).toBe("Not a valid Mailgun event.");
    expect(error.issues.map((i) => i.path)).toEqual(["items.3.event", "items.3.recipient"]);
    expect(error.cause).toBeInstanceOf(z.ZodError);
  });

  it("leaves paths as they are at the body's root", () => {
    const error = inputError(() => parseAt(z.array(z.number()), [1, "2"], [], "Not a batch."));
    expect(error.issues).toEqual([{ path: "1", message: expect.any(String) }]);
  });
});

describe("NO_EXTRAS", () => {
  it("is every optional field of a normalized event at its none value", () => {
    expect(NO_EXTRAS).toEqual({ feedbackType: null, unsubscribeReason: null, resubscribe: false });
  });
});

describe("basic auth", () => {
  const basic = (credentials: string) => `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;
  const expected = { user: "hook", password: "s3cret:with-colon" };

  it("basicCredentials splits at the first colon, in any case of the scheme, with spaces around", () => {
    expect(basicCredentials(basic("hook:s3:cret"))).toEqual({ user: "hook", password: "s3:cret" });
    expect(basicCredentials(`  ${basic("u:p").replace("Basic", "bAsIc")}\t`)).toEqual({
      user: "u",
      password: "p",
    });
    expect(basicCredentials(basic(":"))).toEqual({ user: "", password: "" });
  });

  it.each([
    ["no header", undefined],
    ["another scheme", "Bearer abc"],
    ["no credentials", "Basic "],
    ["not base64", "Basic ***"],
    ["no colon", basic("hook")],
    ["padding only", "Basic ===="],
    ["two headers joined", `${basic("u:p")}, ${basic("u:p")}`],
    ["more than 4096 characters", `Basic ${"A".repeat(4097)}`],
  ])("basicCredentials reads nothing from %s", (_label, header) => {
    expect(basicCredentials(header)).toBeNull();
  });

  it.each([
    [basic("hook:s3cret:with-colon"), "ok"],
    [basic("hook:s3cret:with-colonX"), "wrong"],
    [basic("Hook:s3cret:with-colon"), "wrong"],
    [basic("s3cret:with-colon:hook"), "wrong"],
    [basic("hook"), "malformed"],
    ["Bearer s3cret", "malformed"],
    ["  ", "missing"],
    [undefined, "missing"],
  ] as const)("checkBasicAuth(%j) → %s", (header, outcome) => {
    expect(checkBasicAuth(header, expected)).toBe(outcome);
  });

  it("checkBasicAuth accepts only the configured credentials (property)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (user, password) => {
        fc.pre(!user.includes(":"));
        const outcome = checkBasicAuth(basic(`${user}:${password}`), expected);
        expect(outcome).toBe(user === expected.user && password === expected.password ? "ok" : "wrong");
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});
