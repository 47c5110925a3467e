/** `parseJsonText` / `parseJsonBody` (lambdas/core/json.ts): the depth bound is checked before parsing. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../lambdas/core/errors.js";
import { MAX_JSON_DEPTH, parseJsonBody, parseJsonText } from "../../lambdas/core/json.js";
import { inputError } from "../support/input-error.js";

const nested = (depth: number): string => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("parseJsonText", () => {
  it(`accepts ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1}`, () => {
    expect(parseJsonText(nested(MAX_JSON_DEPTH), "The body")).toBeInstanceOf(Array);
    const error = inputError(() => parseJsonText(nested(MAX_JSON_DEPTH + 1), "The SNS `Message`"));
    expect(error.message).toBe("The SNS `Message` is nested deeper than 64 levels of arrays and objects.");
    expect(error.issues).toEqual([
      { path: "", message: `more than 64 levels deep at character ${MAX_JSON_DEPTH}` },
    ]);
  });

  it("refuses 100 000 levels quickly, before JSON.parse or a reviver sees them", () => {
    let revived = 0;
    const started = performance.now();
    const error = inputError(() =>
      parseJsonText(`${'{"a":['.repeat(50_000)}`, "The body", (_key, value) => {
        revived++;
        return value;
      }),
    );
    expect(error.message).toMatch(/nested deeper than/);
    expect(revived).toBe(0);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    const text = JSON.stringify({ a: "[[[[{{{{".repeat(100), b: 'say \\"[[[" and \\\\', c: ["]]]"] });
    expect(parseJsonText(text, "The body")).toEqual(JSON.parse(text));
    const deepInString = JSON.stringify({ message: nested(100_000) });
    expect(parseJsonText(deepInString, "The body")).toEqual({ message: nested(100_000) });
  });

  it("is exact on valid JSON (property: depth ≤ bound ⇔ accepted)", () => {
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.string({ unit: fc.constantFrom("[", "]", "{", "}", '"', "\\", "a") }),
        fc.integer(),
        fc.array(tie("tree"), { maxLength: 3 }),
        fc.dictionary(fc.string({ unit: fc.constantFrom("[", "{", '"', "k") }), tie("tree"), { maxKeys: 3 }),
      ),
    }));
    const depthOf = (v: unknown): number =>
      typeof v === "object" && v !== null ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0;
    fc.assert(
      fc.property(tree, fc.integer({ min: 0, max: 70 }), (value, wrap) => {
        const text = `${"[".repeat(wrap)}${JSON.stringify(value)}${"]".repeat(wrap)}`;
        const depth = depthOf(value) + wrap;
        if (depth <= MAX_JSON_DEPTH) expect(parseJsonText(text, "The body")).toEqual(JSON.parse(text));
        else expect(() => parseJsonText(text, "The body")).toThrow(/nested deeper than/);
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it("explains a syntax error, and hides an engine error behind a plain message", () => {
    expect(inputError(() => parseJsonText('{"a":}', "The body")).message).toMatch(
      /^The body is not valid JSON: /,
    );
    const hidden = inputError(() =>
      parseJsonText("[1]", "The body", () => {
        throw new RangeError("Maximum call stack size exceeded");
      }),
    );
    expect(hidden.message).toBe("The body is not valid JSON.");
    expect(hidden.cause).toBeInstanceOf(RangeError);
  });

  it("refuses empty text, and parseJsonBody reads UTF-8 bytes the same way", () => {
    expect(() => parseJsonText("  ", "The SQS `body`")).toThrow("The SQS `body` is empty");
    expect(() => parseJsonBody(Buffer.from(""))).toThrow(InputError);
    expect(parseJsonBody(Buffer.from('{"é":1}'))).toEqual({ é: 1 });
    expect(() => parseJsonBody(Buffer.from(nested(65)))).toThrow(/nested deeper than/);
  });
});
