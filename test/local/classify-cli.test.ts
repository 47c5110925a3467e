import { describe, expect, it } from "vitest";
import { classifyLine, classifyLines } from "../../lambdas/local/classify-cli.js";
import { runTsx } from "../support/run-tsx.js";

const CLI = "lambdas/local/classify-cli.ts";

/** Runs the CLI as `npm run classify` does (tsx on the pinned node), feeding `stdin`. */
const runCli = (stdin: string, args: readonly string[] = []) => runTsx(CLI, args, { stdin });

describe("classifyLine", () => {
  it("classifies plain text", () => {
    // Act
    const out = classifyLine("smtp; 550 5.1.1 <a@b.example>... User Unknown", 1);
    // Assess
    expect(out).toEqual({
      type: "invalid",
      subtype: "mailbox_not_found",
      reason: "user_unknown",
      rule: "text-user-unknown",
    });
  });

  it("classifies a JSON line with codes and permanence", () => {
    // Act
    const out = classifyLine(
      '{"diagnostic":"Mailbox full","smtpCode":452,"enhancedCode":"4.2.2","permanent":false}',
      1,
    );
    // Assess
    expect(out).toEqual({
      type: "soft_bounce",
      subtype: "other",
      reason: "mailbox_full",
      rule: "text-mailbox-full",
    });
  });

  it.each([
    ['{"diagnostic": "unterminated', /invalid JSON/],
    ['{"smtpCode": "550"}', /invalid input: diagnostic/],
    ['{"diagnostic": "x", "permanent": "yes"}', /invalid input: permanent/],
  ])("reports %j as an error object", (line, message) => {
    // Act
    const out = classifyLine(line, 7);
    // Assess
    expect(out).toMatchObject({ error: expect.stringMatching(message), line: 7 });
  });

  it("yields exactly one line per input line", async () => {
    // Prepare
    const lines = ["User unknown", "", "{bad", "邮箱已满"];
    // Act
    const out: string[] = [];
    for await (const line of classifyLines(lines)) out.push(line);
    // Assess
    expect(out).toHaveLength(4);
    expect(out.map((l) => JSON.parse(l) as Record<string, unknown>)).toMatchObject([
      { reason: "user_unknown" },
      { rule: "fallback-empty" },
      { line: 3 },
      { reason: "mailbox_full" },
    ]);
  });
});

describe("classify CLI (child process)", () => {
  it("reads stdin line by line and writes one JSON object per line", async () => {
    // Prepare
    const stdin = [
      "550 5.1.1 <jdoe@example.org>: Recipient address rejected: User unknown",
      JSON.stringify({ diagnostic: "收件人邮箱空间不足", smtpCode: "452" }),
      "{not json",
      JSON.stringify({ diagnostic: "Sender address rejected: Domain not found", enhancedCode: "5.1.8" }),
    ].join("\r\n");
    // Act
    const { code, stdout, stderr } = await runCli(`${stdin}\n`);
    // Assess
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown", rule: "text-user-unknown" },
      { type: "soft_bounce", subtype: "other", reason: "mailbox_full", rule: "text-mailbox-full" },
      { error: expect.stringContaining("invalid JSON"), line: 3 },
      {
        type: "invalid",
        subtype: "sender_or_recipient_rejected",
        reason: "rejected",
        rule: "text-sender-rejected",
      },
    ]);
  });

  it("explains each verdict with --explain: the rule's tier and note, the codes and stage it read", async () => {
    // Prepare
    const stdin = [
      "host mx.example.net[192.0.2.1] said: 550 Unknown user jdoe@example.net (in reply to end of DATA command)",
      JSON.stringify({ diagnostic: "", enhancedCode: "4.2.2" }),
    ].join("\n");
    // Act
    const { code, stdout } = await runCli(`${stdin}\n`, ["--explain"]);
    // Assess
    expect(code).toBe(0);
    const [first, second] = stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({
      reason: "filtered",
      rule: "text-user-unknown-after-data",
      why: {
        tier: "text",
        note: expect.stringContaining("after DATA"),
        smtpCode: "550",
        enhancedCode: null,
        stage: "data",
        permanent: true,
      },
    });
    expect(second).toMatchObject({
      reason: "mailbox_full",
      why: { tier: "enhanced", enhancedCode: "4.2.2", stage: null, permanent: false },
    });
  });

  it("reads raw emails with --eml: one line per recipient, a DSN bounce and an ARF complaint", async () => {
    // Prepare
    const dsn = "test/fixtures/corpus/emails/lhost-postfix-04.eml";
    const arf = "test/fixtures/corpus/emails/arf-01.eml";
    // Act
    const { code, stdout, stderr } = await runCli("ignored stdin\n", ["--eml", "--explain", dsn, arf]);
    // Assess
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      {
        file: dsn,
        recipient: "kijitora@example.co.jp",
        kind: "dsn",
        action: "failed",
        status: "5.1.1",
        type: "invalid",
        subtype: "mailbox_not_found",
        reason: "user_unknown",
        rule: "enhanced-5.1.1",
        why: expect.objectContaining({ tier: "enhanced", enhancedCode: "5.1.1", permanent: true }),
      },
      {
        file: arf,
        recipient: "redacted@example.net",
        kind: "arf",
        action: null,
        status: null,
        type: "complaint",
        subtype: null,
        reason: null,
        rule: "arf-complaint",
        feedbackType: "abuse",
      },
    ]);
  });

  it("reports an unreadable --eml file inline, and --eml without a file as bad usage", async () => {
    // Act
    const missing = await runCli("", ["--eml", "test/fixtures/corpus/emails/no-such-file.eml"]);
    const none = await runCli("", ["--eml"]);
    // Assess
    expect(missing.code).toBe(0);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: expect.stringContaining("ENOENT") });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--eml needs at least one file");
  });

  it("writes nothing for empty input and exits 0", async () => {
    // Act
    const { code, stdout } = await runCli("");
    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe("");
  });
});
