/**
 * Issue #9, defect 4: names of `Object.prototype` members as values (or keys) of a payload. Lookup
 * tables were plain objects, so `reason: "constructor"` found a function and the parse died with a
 * TypeError (500). Every provider's parse must either give valid events or throw `InputError`.
 *
 * Each provider's fixtures are the "otherwise valid" payloads: every string in them is set, one at
 * a time, to each hostile name; a fast-check property then sets several at once, and adds the names
 * as keys (`"__proto__": …` included, as an own member the way `JSON.parse` makes it).
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../lambdas/core/errors.js";
import { NormalizedEventSchema, type ParsedNotification } from "../../lambdas/core/events.js";
import { ADAPTERS, type Provider } from "../../lambdas/providers/registry.js";
import { canonicalFields, formRecord, sendcloudAdapter } from "../../lambdas/providers/sendcloud/index.js";
import type { WebhookRequest } from "../../lambdas/providers/types.js";

/** The providers whose payloads are JSON (raw email has its own tests: test/providers/email/). */
type JsonProvider = Exclude<Provider, "email">;

const HOSTILE = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];
const PROVIDERS: readonly JsonProvider[] = [
  "ses",
  "sendgrid",
  "mailgun",
  "postmark",
  "sparkpost",
  "sendcloud",
];
const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const ctx = { tenant: "acme", receivedAt: new Date("2026-11-24T12:00:00Z") };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

const jsonRequest = (body: string): WebhookRequest => ({
  rawBody: Buffer.from(body),
  headers: { "content-type": "application/json" },
  query: {},
});

/** Parses with the provider's parser (the import path: the same `parse` as its webhook). */
function parse(provider: JsonProvider, body: string): ParsedNotification {
  return ADAPTERS[provider].parseImport(jsonRequest(body), ctx);
}

/** Either valid events or an InputError; anything else fails the test with the error itself. */
function parsesOrRefuses(provider: JsonProvider, body: string): "parsed" | "refused" {
  let result: ParsedNotification;
  try {
    result = parse(provider, body);
  } catch (error) {
    if (error instanceof InputError) return "refused";
    throw error;
  }
  for (const event of result.events) expect(NormalizedEventSchema.parse(event)).toEqual(event);
  return "parsed";
}

/** The provider's fixtures that parse as they are (the valid payloads to spoil). */
function validBodies(provider: JsonProvider): { name: string; value: Json }[] {
  const dir = `${FIXTURES}${provider}/`;
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({ name: file, value: JSON.parse(readFileSync(`${dir}${file}`, "utf8")) as Json }))
    .filter(({ value }) => {
      try {
        parse(provider, JSON.stringify(value));
        return true;
      } catch {
        return false;
      }
    });
}

/** Paths of every string in a document (`kind: "string"`) and of every object (`kind: "object"`). */
function pathsOf(value: Json, kind: "string" | "object", path: Path = []): Path[] {
  if (typeof value === "string") return kind === "string" ? [path] : [];
  if (value === null || typeof value !== "object") return [];
  const here = kind === "object" && !Array.isArray(value) ? [path] : [];
  const children = Array.isArray(value)
    ? value.flatMap((item, i) => pathsOf(item, kind, [...path, i]))
    : Object.entries(value).flatMap(([key, item]) => pathsOf(item, kind, [...path, key]));
  return [...here, ...children];
}

function at(root: Json, path: Path): Json {
  let node = root;
  for (const key of path) node = (node as Record<string | number, Json>)[key] as Json;
  return node;
}

/** A copy of `root` with the strings at `paths` replaced. */
function withStrings(root: Json, changes: readonly (readonly [Path, string])[]): Json {
  const copy = structuredClone(root);
  for (const [path, text] of changes) {
    const parent = at(copy, path.slice(0, -1)) as Record<string | number, Json>;
    parent[path.at(-1) as string | number] = text;
  }
  return copy;
}

/** A copy of `root` with an own member `name` added to the objects at `paths` (even `__proto__`). */
function withKeys(root: Json, changes: readonly (readonly [Path, string, Json])[]): Json {
  const copy = structuredClone(root);
  for (const [path, name, value] of changes) {
    Object.defineProperty(at(copy, path), name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

describe.each(PROVIDERS)("%s: prototype names as values and keys", (provider) => {
  const bodies = validBodies(provider);

  it("has valid fixtures to spoil", () => {
    expect(bodies.length).toBeGreaterThan(5);
  });

  it("every string field set to each name, one at a time: events or InputError", () => {
    let runs = 0;
    for (const { name, value } of bodies) {
      for (const path of pathsOf(value, "string")) {
        for (const hostile of HOSTILE) {
          const body = JSON.stringify(withStrings(value, [[path, hostile]]));
          expect(() => parsesOrRefuses(provider, body), `${name} ${path.join(".")}=${hostile}`).not.toThrow();
          runs++;
        }
      }
    }
    expect(runs).toBeGreaterThan(100);
  });

  it("several fields and keys at once (property)", () => {
    const cases = bodies.map(({ value }) => ({
      value,
      strings: pathsOf(value, "string"),
      objects: pathsOf(value, "object"),
    }));
    const hostile = fc.constantFrom(...HOSTILE);
    const memberValue = fc.oneof(
      fc.constantFrom<Json>("x", 1, null, {}, []),
      hostile,
      fc.dictionary(hostile, hostile, { maxKeys: 3 }).map((o): Json => o),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.array(fc.tuple(fc.nat(), hostile), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), hostile, memberValue), { maxLength: 4 }),
        (c, stringPicks, keyPicks) => {
          const strings = stringPicks.map(
            ([i, text]) => [c.strings[i % c.strings.length] as Path, text] as const,
          );
          const keys = keyPicks.map(
            ([i, name, v]) => [c.objects[i % c.objects.length] as Path, name, v] as const,
          );
          const spoiled = withKeys(c.strings.length > 0 ? withStrings(c.value, strings) : c.value, keys);
          parsesOrRefuses(provider, JSON.stringify(spoiled));
        },
      ),
      { seed: 9, numRuns: 300 },
    );
  });
});

describe("the named repros of issue #9 (defect 4)", () => {
  const fixture = (provider: string, name: string): Json =>
    JSON.parse(readFileSync(`${FIXTURES}${provider}/${name}.json`, "utf8")) as Json;

  it('Mailgun `reason: "constructor"` is a bounce, classified from its reply', () => {
    const body = fixture("mailgun", "failed-permanent-bounce") as { "event-data": Record<string, Json> };
    body["event-data"].reason = "constructor";
    const { events } = parse("mailgun", JSON.stringify(body));
    expect(events).toEqual([
      expect.objectContaining({ type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" }),
    ]);
  });

  it('SendCloud `event: "constructor"` is an event we do not map: ignored', () => {
    const body = { ...(fixture("sendcloud", "invalid-406") as Record<string, Json>), event: "constructor" };
    expect(parse("sendcloud", JSON.stringify(body))).toEqual({ events: [], ignored: 1 });
  });

  it('SES `bounceSubType: "toString"` on a Transient bounce is read like an unnamed subtype', () => {
    const body = fixture("ses", "bounce-transient-mailboxfull") as { bounce: Record<string, Json> };
    body.bounce.bounceSubType = "toString";
    const { events } = parse("ses", JSON.stringify(body));
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event.type).toBe("soft_bounce");
      expect(event.rule).not.toBe("ses-mailbox-full");
    }
  });

  it('SendGrid `bounce_classification: "constructor"` adds nothing to the classifier’s verdict', () => {
    const body = fixture("sendgrid", "bounce-blocked-vague-reputation") as Record<string, Json>[];
    const reference = parse("sendgrid", JSON.stringify(body)).events[0];
    (body[0] as Record<string, Json>).bounce_classification = "constructor";
    const [event] = parse("sendgrid", JSON.stringify(body)).events;
    expect(event?.rule).not.toMatch(/^sendgrid-classification-/);
    expect(reference?.rule).toMatch(/^sendgrid-classification-/);
  });

  it('Postmark `Type: "constructor"` is an unrecognized bounce type', () => {
    const body: Record<string, Json> = { ...(fixture("postmark", "bounce-hard") as Record<string, Json>) };
    body.Type = "constructor";
    delete body.TypeCode;
    delete body.Details;
    const [event] = parse("postmark", JSON.stringify(body)).events;
    expect(event?.rule).toBe("postmark-unrecognized-type");
  });

  it('SendCloud `subStat: "constructor"` is a missing subStat', () => {
    const body = { ...(fixture("sendcloud", "invalid-405") as Record<string, Json>), subStat: "constructor" };
    const [event] = parse("sendcloud", JSON.stringify(body)).events;
    expect(event).toMatchObject({ type: "invalid" });
    expect(event?.rule).not.toBe("sendcloud-substat-405");
  });

  it("form and JSON fields named `__proto__` stay own fields (formRecord, canonicalFields)", () => {
    const form = formRecord(Buffer.from("__proto__=x&constructor=y&event=deliver"));
    expect(Object.getPrototypeOf(form)).toBe(Object.prototype);
    expect(Object.entries(form)).toEqual([
      ["__proto__", "x"],
      ["constructor", "y"],
      ["event", "deliver"],
    ]);
    const json = JSON.parse('{"__proto__":{"event":"invalid"},"Event":"deliver"}') as Record<string, unknown>;
    const canonical = canonicalFields(json);
    expect(Object.getPrototypeOf(canonical)).toBe(Object.prototype);
    expect(canonical.event).toBe("deliver");
    expect(Object.hasOwn(canonical, "__proto__")).toBe(true);
  });

  it("a SendCloud form field named `__proto__` is a field like any other", () => {
    const fields = fixture("sendcloud", "deliver") as Record<string, string>;
    const form = new URLSearchParams({ ...fields });
    form.append("__proto__", "x");
    form.append("constructor", "y");
    const result = sendcloudAdapter.parse(
      {
        rawBody: Buffer.from(form.toString()),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        query: {},
      },
      ctx,
    );
    expect(result.events).toEqual([
      expect.objectContaining({ type: "delivered", rule: "sendcloud-deliver" }),
    ]);
  });

  it("SendCloud form values and names set to each prototype name: events or InputError", () => {
    const fields = fixture("sendcloud", "invalid-406") as Record<string, string>;
    for (const hostile of HOSTILE) {
      for (const name of Object.keys(fields)) {
        for (const form of [
          new URLSearchParams({ ...fields, [name]: hostile }),
          new URLSearchParams([...Object.entries(fields), [hostile, hostile]]),
        ]) {
          const request = {
            rawBody: Buffer.from(form.toString()),
            headers: { "content-type": "application/x-www-form-urlencoded" },
            query: {},
          };
          try {
            for (const e of sendcloudAdapter.parse(request, ctx).events) NormalizedEventSchema.parse(e);
          } catch (error) {
            expect(error).toBeInstanceOf(InputError);
          }
        }
      }
    }
  });
});
