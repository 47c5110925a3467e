/**
 * The `ses-account-list` mapping (lambdas/providers/ses-account-list): one listed SES summary and a
 * tenant → a normalized event the schema accepts; BOUNCE and COMPLAINT as the taxonomy and the
 * policy read them; deterministic ids (same listing, same id; a later suppression, a new one);
 * anything that is not an address, a reason or a time refused with the problem.
 */
import { describe, expect, it } from "vitest";
import { NormalizedEventSchema } from "../../../lambdas/core/events.js";
import { DEFAULT_POLICY, decide } from "../../../lambdas/core/policy/index.js";
import { OWN_SOURCE_TITLES } from "../../../lambdas/providers/names.js";
import {
  SES_ACCOUNT_LIST_RULES,
  SES_ACCOUNT_LIST_SOURCE,
  sesAccountListEvent,
  sesAccountListEventId,
} from "../../../lambdas/providers/ses-account-list/index.js";

const AT = new Date("2026-11-20T10:00:00.000Z");

/** The event of a summary, failing the test when there is none. */
function eventOf(summary: Parameters<typeof sesAccountListEvent>[0], tenant = "default") {
  const mapped = sesAccountListEvent(summary, tenant);
  if (!mapped.ok) throw new Error(`not mapped: ${mapped.problem}`);
  return mapped;
}

describe("the ses-account-list mapping", () => {
  it("is one of the service's own sources", () => {
    expect(Object.keys(OWN_SOURCE_TITLES)).toContain(SES_ACCOUNT_LIST_SOURCE);
  });

  it("maps a BOUNCE to invalid/blocklisted/suppressed at *, canonical recipient, which the policy suppresses", () => {
    // Act
    const { address, event } = eventOf({
      EmailAddress: " JDoe@Example.ORG ",
      Reason: "BOUNCE",
      LastUpdateTime: AT,
    });
    // Assert
    expect(address).toBe("jdoe@example.org");
    expect(event).toEqual({
      tenant: "default",
      provider: "ses-account-list",
      eventId: "ses-account-list:jdoe@example.org:2026-11-20T10:00:00.000Z",
      recipient: "jdoe@example.org",
      type: "invalid",
      subtype: "blocklisted",
      reason: "suppressed",
      rule: SES_ACCOUNT_LIST_RULES.BOUNCE,
      occurredAt: "2026-11-20T10:00:00.000Z",
      scope: "*",
      smtp: null,
      feedbackType: null,
      unsubscribeReason: null,
      resubscribe: false,
    });
    expect(NormalizedEventSchema.parse(event)).toEqual(event);
    expect(decide(event, DEFAULT_POLICY)).toMatchObject({ action: "suppress", cause: "bounce", scope: "*" });
  });

  it("maps a COMPLAINT to a complaint without a reason (the taxonomy ties suppressed to invalid), which the policy suppresses", () => {
    // Act
    const { event } = eventOf(
      { EmailAddress: "ana@example.org", Reason: "COMPLAINT", LastUpdateTime: AT },
      "acme",
    );
    // Assert
    expect(event).toMatchObject({
      tenant: "acme",
      provider: "ses-account-list",
      type: "complaint",
      subtype: null,
      reason: null,
      rule: SES_ACCOUNT_LIST_RULES.COMPLAINT,
      feedbackType: null,
      scope: "*",
    });
    expect(NormalizedEventSchema.parse(event)).toEqual(event);
    expect(decide(event, DEFAULT_POLICY)).toMatchObject({
      action: "suppress",
      cause: "complaint",
      scope: "*",
    });
  });

  it("gives the same id for the same listing and a new one for a later suppression of the address", () => {
    // Prepare
    const summary = { EmailAddress: "jdoe@example.org", Reason: "BOUNCE" as const, LastUpdateTime: AT };
    // Act
    const first = eventOf(summary).event.eventId;
    const again = eventOf({ ...summary, EmailAddress: "JDOE@example.org" }).event.eventId;
    const later = eventOf({ ...summary, LastUpdateTime: new Date(AT.getTime() + 1000) }).event.eventId;
    // Assert
    expect(again).toBe(first);
    expect(later).not.toBe(first);
    expect(first).toBe(sesAccountListEventId("jdoe@example.org", AT));
  });

  it("puts an internationalized address in its canonical form, in the recipient and the id", () => {
    // Act
    const { event } = eventOf({ EmailAddress: "Jose@Bücher.Example", Reason: "BOUNCE", LastUpdateTime: AT });
    // Assert
    expect(event.recipient).toBe("jose@xn--bcher-kva.example");
    expect(event.eventId).toBe("ses-account-list:jose@xn--bcher-kva.example:2026-11-20T10:00:00.000Z");
    expect(NormalizedEventSchema.safeParse(event).success).toBe(true);
  });

  it.each([
    [{ EmailAddress: "not an address", Reason: "BOUNCE", LastUpdateTime: AT }, /EmailAddress/],
    [{ EmailAddress: undefined, Reason: "BOUNCE", LastUpdateTime: AT }, /EmailAddress/],
    [{ EmailAddress: "a@[127.0.0.1]", Reason: "BOUNCE", LastUpdateTime: AT }, /EmailAddress/],
    [{ EmailAddress: "a@example.org", Reason: undefined, LastUpdateTime: AT }, /Reason/],
    [{ EmailAddress: "a@example.org", Reason: "UNSUBSCRIBE", LastUpdateTime: AT }, /Reason/],
    [{ EmailAddress: "a@example.org", Reason: "BOUNCE", LastUpdateTime: undefined }, /LastUpdateTime/],
    [
      { EmailAddress: "a@example.org", Reason: "BOUNCE", LastUpdateTime: new Date(Number.NaN) },
      /LastUpdateTime/,
    ],
  ])("refuses %o with the problem", (summary, problem) => {
    // Act
    const mapped = sesAccountListEvent(summary as Parameters<typeof sesAccountListEvent>[0], "default");
    // Assert
    expect(mapped.ok).toBe(false);
    if (!mapped.ok) expect(mapped.problem).toMatch(problem);
  });
});
