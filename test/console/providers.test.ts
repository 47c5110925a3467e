/** The console's names of event sources: providers by their brand, the service's own in the page's language. */
import { describe, expect, it } from "vitest";
import { providerTitle, sourceName, sourcesIn } from "../../console/src/providers.js";
import { EVENT_SOURCES, OWN_SOURCE_LABELS } from "../../lambdas/providers/names.js";

describe("providerTitle", () => {
  it("names providers by their brand in both languages", () => {
    expect(providerTitle("ses", "zh")).toBe("SES");
    expect(providerTitle("sendcloud", "en")).toBe("SendCloud");
  });

  it("names the service's own sources in the page's language", () => {
    expect(providerTitle("unsubscribe-link", "en")).toBe("Unsubscribe link");
    expect(providerTitle("unsubscribe-link", "zh")).toBe("退订链接");
    expect(sourceName("ses-account-list", "zh")).toBe(OWN_SOURCE_LABELS["ses-account-list"].zh);
    expect(sourceName("admin", "en")).not.toBe("admin");
  });

  it("leaves an unknown id, or a prototype name, as it is", () => {
    expect(providerTitle("acme-mta", "zh")).toBe("acme-mta");
    expect(providerTitle("constructor", "en")).toBe("constructor");
  });

  it("lists every source for the filters, in the one order", () => {
    expect(sourcesIn("zh").map((s) => s.id)).toEqual(EVENT_SOURCES);
    expect(sourcesIn("zh").find((s) => s.id === "unsubscribe-link")?.title).toBe("退订链接");
  });
});
