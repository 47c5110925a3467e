import { describe, expect, it } from "vitest";
import { InputError } from "../../../lambdas/core/errors.js";
import { jsonBody, MAX_BODY_BYTES, rawBody } from "../../../lambdas/handlers/http/body.js";
import { HttpProblem } from "../../../lambdas/handlers/http/problem.js";

describe("request bodies", () => {
  it("decodes API Gateway's base64 to the exact bytes", () => {
    const bytes = Buffer.from([0xe4, 0xbd, 0xa0, 0x00, 0xff]);
    expect(rawBody({ body: bytes.toString("base64"), isBase64Encoded: true })).toEqual(bytes);
  });

  it("parses JSON whatever the content type", () => {
    expect(jsonBody({ body: '{"a":1}', isBase64Encoded: false })).toEqual({ a: 1 });
    expect(jsonBody({ body: Buffer.from('{"a":1}').toString("base64"), isBase64Encoded: true })).toEqual({
      a: 1,
    });
  });

  it.each(["", "   ", "{", "nope", '{"a":}'])("refuses %j as input error", (body) => {
    expect(() => jsonBody({ body, isBase64Encoded: false })).toThrow(InputError);
  });

  it("refuses a body nested deeper than MAX_JSON_DEPTH (check, import, suppressions) as input error", () => {
    const body = `{"addresses":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(() => jsonBody({ body, isBase64Encoded: false })).toThrow(/nested deeper than 64 levels/);
  });

  it("refuses a body over the limit with 413", () => {
    const body = "x".repeat(MAX_BODY_BYTES + 1);
    expect(() => rawBody({ body, isBase64Encoded: false })).toThrow(HttpProblem);
  });
});
