import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import {
  isConditionalCheckFailed,
  StoreFaultError,
  StoreUnavailableError,
  toStoreError,
} from "../../lambdas/store/errors.js";
import {
  addressPk,
  checkKeys,
  domainPk,
  entrySk,
  escapeKeyPart,
  eventSk,
  scopeOfSk,
  unescapeKeyPart,
} from "../../lambdas/store/keys.js";

describe("keys", () => {
  it("puts the tenant in every key and escapes # and % so keys cannot collide", () => {
    // Prepare
    const tricky = ["a#b", "a%23b", "a%b", "%", "#", "a#A#b"];
    // Act
    const escaped = tricky.map(escapeKeyPart);
    // Assess
    expect(new Set(escaped).size).toBe(tricky.length);
    expect(escaped.every((e) => !e.includes("#"))).toBe(true);
    expect(escaped.map(unescapeKeyPart)).toEqual(tricky);
    expect(addressPk("t#A#x", "y@z.org")).not.toBe(addressPk("t", "x#A#y@z.org"));
    expect(addressPk("default", "jdoe@example.org")).toBe("T#default#A#jdoe@example.org");
    expect(domainPk("default", "example.org")).toBe("T#default#D#example.org");
    expect(eventSk("ses", "id#1")).toBe("E#ses#id%231");
    expect(scopeOfSk(entrySk("news#1/x"))).toBe("news#1/x");
  });

  it("reads the address and its domain at every scope of the chain", () => {
    // Prepare
    const address = "jdoe@example.org";
    // Act
    const none = checkKeys("default", address, undefined);
    const nested = checkKeys("default", address, "news/weekly");
    // Assess
    expect(none.map((k) => `${k.pk} ${k.sk}`)).toEqual([
      "T#default#A#jdoe@example.org S#*",
      "T#default#D#example.org S#*",
    ]);
    expect(nested.map((k) => k.sk)).toEqual([
      "S#*",
      "S#news",
      "S#news/weekly",
      "S#*",
      "S#news",
      "S#news/weekly",
    ]);
  });
});

describe("toStoreError", () => {
  it("maps throttling, 5xx and network errors to StoreUnavailableError, the rest to StoreFaultError", () => {
    // Prepare
    const throttled = new ProvisionedThroughputExceededException({ message: "slow down", $metadata: {} });
    const server = Object.assign(new Error("boom"), { name: "InternalServerError", $fault: "server" });
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const missing = new ResourceNotFoundException({
      message: "no table",
      $metadata: { httpStatusCode: 400 },
    });
    // Act
    const mapped = [throttled, server, refused, missing].map((e) => toStoreError(e, "Op"));
    // Assess
    expect(mapped.map((e) => e.constructor)).toEqual([
      StoreUnavailableError,
      StoreUnavailableError,
      StoreUnavailableError,
      StoreFaultError,
    ]);
    expect(mapped[0]?.cause).toBe(throttled);
    expect(mapped[3]?.message).toContain("Op");
  });

  it("recognizes a failed condition", () => {
    // Prepare
    const failed = new ConditionalCheckFailedException({ message: "no", $metadata: {} });
    // Act
    const answers = [failed, new Error("other")].map(isConditionalCheckFailed);
    // Assess
    expect(answers).toEqual([true, false]);
  });
});
