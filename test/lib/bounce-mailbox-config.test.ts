import { describe, expect, it } from "vitest";
import { SETTINGS, settingsFrom } from "../../lib/config.js";

const none = () => undefined;
const withMailbox = (value: string) =>
  settingsFrom(none, { [SETTINGS.bounceMailbox]: value }).props.bounceMailbox;

describe("the bounceMailbox setting", () => {
  it("is absent by default", () => {
    expect(settingsFrom(none, {}).props.bounceMailbox).toBeUndefined();
    expect(withMailbox(" , ")).toBeUndefined();
  });

  it("reads domain=tenant pairs, the default tenant when omitted, lower-cased", () => {
    expect(withMailbox("Bounces.Example.com=acme, bounces.other.org")).toEqual([
      { domain: "bounces.example.com", tenant: "acme" },
      { domain: "bounces.other.org", tenant: "default" },
    ]);
  });

  it("context wins over the environment", () => {
    const context = (name: string) => (name === "bounceMailbox" ? "ctx.example.org=beta" : undefined);
    const { props } = settingsFrom(context, { [SETTINGS.bounceMailbox]: "env.example.org" });
    expect(props.bounceMailbox).toEqual([{ domain: "ctx.example.org", tenant: "beta" }]);
  });

  it.each([
    ["not-a-domain", /Setting bounceMailbox .*not a domain: not-a-domain/],
    ["bounces.example.com=Not A Tenant", /not a tenant id/],
    ["bounces.example.com=a=b", /expected domain=tenant/],
    ["a.example.org=x,A.example.org=y", /domain named twice: a.example.org/],
  ])("refuses %s with a clear error", (value, message) => {
    expect(() => withMailbox(value)).toThrow(message);
  });
});
