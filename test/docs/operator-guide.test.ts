/**
 * docs/operators.md runs as written: every `curl` example of the guide, in order, against a local
 * server started as the guide's first block says (`SUPPRESSION_API_KEY=demo-key`, an in-memory
 * store), only on a free port instead of 3400. Each answer is JSON and no problem document, and the
 * answers say what the guide says they do.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useLocalServer } from "../local/http-helpers.js";

const GUIDE = "docs/operators.md";
const GUIDE_URL = "http://127.0.0.1:3400";
const run = promisify(execFile);

/** The guide's shell blocks that call the API, in order. */
function curlExamples(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  return blocks.filter((block) => block.trimStart().startsWith("curl "));
}

describe("docs/operators.md", () => {
  const running = useLocalServer("demo-key");
  const examples = curlExamples(readFileSync(GUIDE, "utf8"));

  it("starts the server with the key the examples send", () => {
    const guide = readFileSync(GUIDE, "utf8");
    expect(guide).toContain("SUPPRESSION_API_KEY=demo-key npm start");
    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const example of examples) expect(example).toContain(GUIDE_URL);
  });

  it("runs every curl example as written, with the answers the guide describes", async () => {
    const answers: unknown[] = [];
    for (const example of examples) {
      const command = example.replaceAll(GUIDE_URL, running().url);
      const { stdout } = await run("bash", ["-c", command]);
      const answer: unknown = JSON.parse(stdout);
      expect(answer, `${example}\n→ ${stdout}`).not.toHaveProperty("status");
      answers.push(answer);
    }
    const [
      imported,
      lookup,
      released,
      domain,
      check,
      newsletter,
      lifted,
      allowed,
      seedImport,
      seedCheck,
      seedState,
      history,
    ] = answers as Record<string, unknown>[];
    expect(answers).toHaveLength(examples.length);
    expect(answers.length).toBeGreaterThanOrEqual(15);
    expect(imported).toMatchObject({ accepted: 1 });
    expect(lookup).toMatchObject({ address: "jane@example.org", suppressed: true, cause: "bounce" });
    expect(released).toMatchObject({ removed: ["bounce"], reason: "mailbox restored by the customer" });
    expect(domain).toMatchObject({ subjectKind: "domain", subject: "example.com", cause: "manual" });
    expect(check?.results).toMatchObject([
      { address: "anyone@example.com", suppressed: true, cause: "manual", source: "admin" },
      { address: "jane@example.org", suppressed: false },
    ]);
    expect(newsletter).toMatchObject({ scope: "newsletter", note: "asked by phone" });
    expect(lifted).toMatchObject({ subjectKind: "domain", removed: ["manual"] });
    expect(allowed).toMatchObject({
      subjectKind: "domain",
      subject: "seeds.example.org",
      note: "our seed list",
    });
    expect(seedImport).toMatchObject({ accepted: 1, decisions: [{ action: "none" }] });
    expect(seedCheck?.results).toMatchObject([{ address: "inbox-1@seeds.example.org", suppressed: false }]);
    expect(seedState).toEqual({
      subjectKind: "address",
      subject: "inbox-1@seeds.example.org",
      allowlisted: true,
      entries: [expect.objectContaining({ subjectKind: "domain", subject: "seeds.example.org" })],
    });
    expect(history).toMatchObject({
      subject: "jane@example.org",
      items: [
        { kind: "admin", action: "remove", reason: "mailbox restored by the customer", removed: ["bounce"] },
        { kind: "event", event: { provider: "sendgrid", type: "invalid" }, outcome: "suppressed" },
      ],
      cursor: null,
    });
    // "Lists and the status view": found by their commands, wherever the section sits.
    const answerTo = (fragment: string): unknown => {
      const index = examples.findIndex((example) => example.includes(fragment));
      expect(index, fragment).toBeGreaterThanOrEqual(0);
      return answers[index];
    };
    expect(answerTo("/v1/import/sendcloud")).toMatchObject({ accepted: 1 });
    expect(answerTo("/v1/suppressions?cause=unsubscribe")).toMatchObject({
      items: [
        {
          subject: "li@example.org",
          cause: "unsubscribe",
          source: "sendcloud",
          causes: [{ cause: "unsubscribe", unsubscribeReason: "not_wanted" }],
        },
      ],
      cursor: null,
    });
    expect(answerTo("/v1/suppressions?source=manual")).toMatchObject({
      items: [
        {
          subject: "john@example.org",
          scope: "newsletter",
          cause: "manual",
          causes: [{ note: "asked by phone" }],
        },
      ],
      cursor: null,
    });
    expect(answerTo("/v1/events?from=")).toMatchObject({
      from: "2026-11-20T00:00:00.000Z",
      items: [
        { kind: "event", event: { recipient: "inbox-1@seeds.example.org", type: "invalid" } },
        { kind: "event", event: { recipient: "jane@example.org", type: "invalid", provider: "sendgrid" } },
      ],
      cursor: null,
    });
  });
});
