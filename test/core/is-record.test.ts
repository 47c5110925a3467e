import { describe, expect, it } from "vitest";
import { isRecord } from "../../lambdas/core/is-record.js";

describe("isRecord", () => {
  it.each([[{}], [{ event: "bounce" }], [Object.create(null)], [JSON.parse('{"__proto__": 1}')]])(
    "is true for the object %j",
    (value) => {
      expect(isRecord(value)).toBe(true);
    },
  );

  it.each([[null], [undefined], [[]], [[{ event: "bounce" }]], ["{}"], [0], [true]])(
    "is false for %j",
    (value) => {
      expect(isRecord(value)).toBe(false);
    },
  );
});
