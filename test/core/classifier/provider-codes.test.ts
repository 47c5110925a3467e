import { describe, expect, it } from "vitest";
import { classify, PROVIDER_CODE_TABLES } from "../../../lambdas/core/classifier/index.js";
import { reasonFromProviderCode } from "../../../lambdas/core/classifier/provider-codes.js";
import { REASONS } from "../../../lambdas/core/taxonomy.js";

const tableById = (id: string) => {
  const table = PROVIDER_CODE_TABLES.find((t) => t.id === id);
  if (table === undefined) throw new Error(`no table ${id}`);
  return table;
};

describe("provider code tables", () => {
  it.each(PROVIDER_CODE_TABLES.map((t) => [t.id, t] as const))(
    "%s has ordered, non-overlapping ranges or named codes, of taxonomy reasons",
    (_id, table) => {
      expect((table.ranges === undefined) !== (table.names === undefined)).toBe(true);
      for (const [name, reason] of Object.entries(table.names ?? {})) {
        expect(name).toBe(name.toLowerCase());
        expect(Object.hasOwn(REASONS, reason), reason).toBe(true);
      }
      let previousEnd = Number.NEGATIVE_INFINITY;
      for (const [from, to, reason] of table.ranges ?? []) {
        expect(from).toBeLessThanOrEqual(to);
        expect(from).toBeGreaterThan(previousEnd);
        expect(Object.hasOwn(REASONS, reason), reason).toBe(true);
        previousEnd = to;
      }
    },
  );

  it("keeps code patterns bounded: no nested quantifiers, exactly one capture group", () => {
    // Prepare: a quantified group that itself contains a quantifier is the catastrophic shape.
    const nested = /\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]/;
    for (const table of PROVIDER_CODE_TABLES) {
      // Act: an empty alternative makes any pattern match "", exposing its group count.
      const groups = new RegExp(`${table.pattern.source}|`).exec("")?.length;
      // Assess
      expect(nested.test(table.pattern.source), table.id).toBe(false);
      expect(groups, table.id).toBe(2);
    }
  });

  it.each([
    [
      "550 5.5.0 le compte du destinataire est bloque. the recipient account is blocked. lpn007_426",
      "suspend",
    ],
    [
      "550 5.1.1 adresse d au moins un destinataire invalide. invalid recipient. ofr_416 [416]",
      "user_unknown",
    ],
    [
      "host smtpz4.laposte.net said: 554 5.7.1 <x.example.net>: client host rejected: #216 lpn lpn000_630",
      "policy_violation",
    ],
    ["550 5.2.0 mail rejete. mail rejected. ofr_506 [506]", "spam_detected"],
    ["refused to talk to me: 421 mwinf5c77 me service refuse. ofr_999 [999]", "blocked"],
  ])("reads Orange / La Poste's code in %s", (text, reason) => {
    expect(reasonFromProviderCode(tableById("provider-orange-laposte-code"), text)).toBe(reason);
  });

  it("gives no verdict for a code Orange documents without a cause, so the text decides", () => {
    // Prepare: LPN001_108 is "service refused, please try later" for any cause.
    const text =
      "host smtpz4.laposte.net[192.0.2.1] refused to talk to me: 550 5.5.0 Service refuse. Veuillez essayer plus tard. service refused, please try later. LPN001_108";
    // Act
    const table = reasonFromProviderCode(tableById("provider-orange-laposte-code"), text.toLowerCase());
    const result = classify({ diagnostic: text });
    // Assess
    expect(table).toBeNull();
    expect(result.rule).not.toBe("provider-orange-laposte-code");
  });

  it.each([
    ["aup#in-1310", "too_many_conn"],
    ["aup#i-1000", "blocked"],
    ["aup#o-1520", "rejected"],
    ["aup#in-1100", "require_ptr"],
  ])("reads Spectrum's %s", (code, reason) => {
    const text = `550 5.1.0 <bounce@example.com> sender rejected. please see https://www.spectrum.net/support/internet/understanding-email-error-codes ${code}`;
    expect(reasonFromProviderCode(tableById("provider-spectrum-aup-code"), text)).toBe(reason);
  });

  it("does not read another provider's AUP# code as Spectrum's", () => {
    // Prepare: Cox uses AUP# codes too, with its own meanings.
    const text =
      "550 5.1.0 <bounce@example.com> sender rejected. refer to error codes at https://www.cox.com aup#1000";
    // Act / Assess
    expect(reasonFromProviderCode(tableById("provider-spectrum-aup-code"), text)).toBeNull();
  });

  it.each([
    [
      "provider-godaddy-ib-code",
      "554 this ip has been temporarily blocked for attempting to mail too many invalid recipients. ib112",
      "blocked",
    ],
    [
      "provider-godaddy-ib-code",
      "421 temporarily rejected. reverse dns for this ip failed. ib108",
      "require_ptr",
    ],
    ["provider-cox-aup-code", "554 5.7.1 rejected - see https://www.cox.com/ aup#cxdns", "require_ptr"],
    ["provider-cox-aup-code", "554 5.7.1 rejected - see https://www.cox.com/ aup#ipbl1000", "blocked"],
    [
      "provider-facebook-code",
      "550 5.1.1 rcp-p1 http://postmaster.facebook.com/response_codes?ip=192.0.2.1#rcp recipient address does not exist",
      "user_unknown",
    ],
    ["provider-iua-error-page", "550 see https://mail.i.ua/err/3/", "suspend"],
  ])("%s reads %s", (id, text, reason) => {
    expect(reasonFromProviderCode(tableById(id), text)).toBe(reason);
  });

  it.each([
    ["provider-facebook-code", "550 5.7.1 pol-p2 refused"], // no facebook in the text
    ["provider-cox-aup-code", "554 rejected aup#cxunknown"], // a name Cox does not document
    ["provider-godaddy-ib-code", "550 see lib123 for details"], // not a word-initial IB code
  ])("%s gives no verdict on %s", (id, text) => {
    expect(reasonFromProviderCode(tableById(id), text)).toBeNull();
  });

  it("keeps a GoDaddy IP block for invalid recipients from suppressing the recipient", () => {
    // Act
    const result = classify({
      smtpCode: "554",
      diagnostic:
        "554 This IP has been blocked for the day, for attempting to mail too many invalid recipients. IB113",
    });
    // Assess
    expect(result).toMatchObject({ reason: "blocked", subtype: "sender_or_recipient_rejected" });
  });
});
