import { describe, expect, it } from "vitest";
import { InputError } from "../../../lambdas/core/errors.js";
import { HttpProblem } from "../../../lambdas/handlers/http/problem.js";
import { toProblem } from "../../../lambdas/handlers/http/problem-middleware.js";
import { StoreFaultError, StoreUnavailableError } from "../../../lambdas/store/index.js";

describe("toProblem", () => {
  it.each([
    ["an input error", new InputError("bad", [{ path: "a", message: "m" }]), 400],
    ["an explicit problem", new HttpProblem(413, "big"), 413],
    ["a store outage", new StoreUnavailableError("down"), 503],
    ["a store fault", new StoreFaultError("refused"), 500],
    ["a plain error", new Error("boom"), 500],
    ["a thrown string", "boom", 500],
  ])("maps %s", (_name, error, status) => {
    expect(toProblem(error).status).toBe(status);
  });

  it("keeps internals out of 500 answers", () => {
    const doc = toProblem(new Error("secret table name")).toDocument();
    expect(JSON.stringify(doc)).not.toContain("secret");
  });

  it("asks for a retry on 503", () => {
    expect(toProblem(new StoreUnavailableError("down")).headers).toEqual({ "retry-after": "1" });
  });

  it("lists input issues", () => {
    const doc = toProblem(
      new InputError("bad", [{ path: "addresses.0", message: "not a string" }]),
    ).toDocument();
    expect(doc).toMatchObject({ status: 400, errors: [{ path: "addresses.0", message: "not a string" }] });
  });
});
