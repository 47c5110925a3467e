import { describe, expect, it } from "vitest";
import { InputError } from "../../../lambdas/core/errors.js";
import { HttpProblem } from "../../../lambdas/handlers/http/problem.js";
import { toProblem } from "../../../lambdas/handlers/http/problem-middleware.js";
import {
  StoreFaultError,
  StoreItemTooLargeError,
  StoreTimeoutError,
  StoreUnavailableError,
  toStoreError,
} from "../../../lambdas/store/errors.js";

describe("toProblem", () => {
  it.each([
    ["an input error", new InputError("bad", [{ path: "a", message: "m" }]), 400],
    ["an explicit problem", new HttpProblem(413, "big"), 413],
    ["a store outage", new StoreUnavailableError("down"), 503],
    ["a store call out of time", new StoreTimeoutError("no answer within 4000 ms"), 503],
    ["an event too large to store", new StoreItemTooLargeError("big", { item: "event" }), 413],
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

  it("asks for a retry on 503, store timeouts included", () => {
    expect(toProblem(new StoreUnavailableError("down")).headers).toEqual({ "retry-after": "1" });
    expect(toProblem(new StoreTimeoutError("no answer")).headers).toEqual({ "retry-after": "1" });
  });

  it("answers an oversized event with 413 item-too-large, naming provider, size and field but not the address", () => {
    // Prepare: measured before writing, and refused by DynamoDB itself
    const measured = new StoreItemTooLargeError("the event item would be 431 KB (jdoe@example.org)", {
      item: "event",
      provider: "ses",
      bytes: 441_000,
      largestField: "event.smtp.diagnostic",
    });
    const refused = toStoreError(
      Object.assign(new Error("Item size has exceeded the maximum allowed size"), {
        name: "ValidationException",
        $metadata: { httpStatusCode: 400 },
      }),
      "PutItem (event history)",
      { item: "event", provider: "postmark" },
    );
    // Act
    const [a, b] = [toProblem(measured), toProblem(refused)];
    // Assess
    expect(a.status).toBe(413);
    expect(a.headers).toEqual({});
    expect(a.toDocument()).toMatchObject({
      type: "https://suppression-service.dev/problems/item-too-large",
      detail:
        "The ses event is too large to store (431 KB): the store holds at most 400 KB per event; its largest field is event.smtp.diagnostic.",
    });
    expect(JSON.stringify(a.toDocument())).not.toContain("jdoe");
    expect(b).toMatchObject({ status: 413, slug: "item-too-large" });
    expect(b.message).toBe(
      "The postmark event is too large to store: the store holds at most 400 KB per event.",
    );
  });

  it("lists input issues", () => {
    const doc = toProblem(
      new InputError("bad", [{ path: "addresses.0", message: "not a string" }]),
    ).toDocument();
    expect(doc).toMatchObject({ status: 400, errors: [{ path: "addresses.0", message: "not a string" }] });
  });
});
