import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../lambdas/core/errors.js";
import { NormalizedEventSchema } from "../../../lambdas/core/events.js";
import { parseSes } from "../../../lambdas/providers/ses/index.js";
import { allShapes, type Json, sesFixture } from "../../support/ses-fixtures.js";

const opts = { tenant: "acme" };

/** Runs `parseSes`; any error other than InputError fails the property. Valid output must match the schema. */
function onlyInputErrors(body: unknown): void {
  try {
    const { events } = parseSes(body, opts);
    for (const e of events) expect(NormalizedEventSchema.safeParse(e).success).toBe(true);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
  }
}

const SEEDS = ["bounce-permanent-general", "complaint-abuse", "ep-send", "ep-subscription-topic", "delivery"];

/** Replaces the value at a random path of a JSON tree by `value`. */
function mutate(tree: unknown, pick: number, value: unknown): unknown {
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(node)) {
      for (const [i, v] of node.entries()) walk(v, [...path, i]);
    } else if (node && typeof node === "object")
      for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
  };
  walk(tree, []);
  const path = paths[pick % paths.length] ?? [];
  if (path.length === 0) return value;
  const copy = structuredClone(tree) as Json;
  let node: unknown = copy;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  (node as Record<string | number, unknown>)[path[path.length - 1] as string | number] = value;
  return copy;
}

describe("parseSes never throws anything but InputError", () => {
  it("on arbitrary JSON", () => {
    fc.assert(fc.property(fc.jsonValue(), onlyInputErrors), { numRuns: 500 });
  });

  it("on arbitrary JSON text", () => {
    fc.assert(fc.property(fc.oneof(fc.json(), fc.string()), onlyInputErrors), { numRuns: 300 });
  });

  it("on real records and envelopes with one value replaced anywhere", () => {
    const bodies = SEEDS.flatMap((name) => allShapes(sesFixture(name)).map(([, body]) => body));
    fc.assert(
      fc.property(
        fc.constantFrom(...bodies),
        fc.nat(),
        fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string(), fc.emailAddress()),
        (body, pick, value) => onlyInputErrors(mutate(body, pick, value)),
      ),
      { numRuns: 1000 },
    );
  });

  it("on real records with one value replaced anywhere, in every shape", () => {
    const records = SEEDS.map((name) => sesFixture(name));
    fc.assert(
      fc.property(
        fc.constantFrom(...records),
        fc.nat(),
        fc.oneof(
          fc.jsonValue(),
          fc.string(),
          fc.emailAddress(),
          fc.constantFrom("Permanent", "Transient", "OptOut"),
        ),
        fc.nat(6),
        (record, pick, value, shape) => {
          const mutated = mutate(record, pick, value);
          if (mutated === null || typeof mutated !== "object" || Array.isArray(mutated))
            return onlyInputErrors(mutated);
          const body = allShapes(mutated as Json)[shape]?.[1];
          onlyInputErrors(body);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("on look-alike shapes", () => {
    const looksLike = fc.oneof(
      fc.record({
        Records: fc.array(
          fc.record({ eventSource: fc.constant("aws:sqs"), body: fc.oneof(fc.json(), fc.string()) }),
        ),
      }),
      fc.record({
        Records: fc.array(fc.record({ EventSource: fc.constant("aws:sns"), Sns: fc.jsonValue() })),
      }),
      fc.record({ Type: fc.string(), Message: fc.oneof(fc.json(), fc.string()), TopicArn: fc.string() }),
      fc.record({ source: fc.constant("aws.ses"), "detail-type": fc.string(), detail: fc.jsonValue() }),
      fc.record({
        eventType: fc.constantFrom("Bounce", "Complaint", "Delivery", "Send", "Subscription", "Open"),
        mail: fc.jsonValue(),
        bounce: fc.jsonValue(),
        complaint: fc.jsonValue(),
        delivery: fc.jsonValue(),
        subscription: fc.jsonValue(),
      }),
    );
    fc.assert(fc.property(looksLike, onlyInputErrors), { numRuns: 500 });
  });
});
