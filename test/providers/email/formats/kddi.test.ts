import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseBounceEmail } from "../../../../lambdas/providers/email/parse.js";
import { parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

/** A minimal UTF-8 text bounce with these headers. */
const email = (headers: readonly string[], body: string) =>
  Buffer.from(
    [...headers, "MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8", "", body].join("\r\n"),
    "utf8",
  );

const body = [
  "送信先のメールボックスが一杯のため、送信できませんでした。",
  "",
  "Your mail sent on: Thu, 29 Apr 2013 23:45:22 +0900",
  "     Could not be delivered to: <nobody@ezweb.ne.jp>",
  "     As their mailbox is full.",
  "     （メールボックスが一杯です）",
  "",
].join("\r\n");

describe("the kddi plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("kddi");
  });

  it("reads lhost-kddi-01.eml: the Japanese prose before the English dropped", async () => {
    const parsed = await parse("lhost-kddi-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("kddi");
    // Sisimai says 5.0.922, its pseudo code for a full mailbox: KDDI gives no code.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@x0000000000000.dion.ne.jp", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("As their mailbox is full.");
  });

  it("reads lhost-kddi-03.eml: relayed, English only", async () => {
    const parsed = await parse("lhost-kddi-03.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("kddi");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@00000000000000.dion.ne.jp", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("As their mailbox is full.");
  });

  it("reads a UTF-8 bounce from au one net, the Japanese lines of the reason left out", async () => {
    const parsed = await parseBounceEmail(
      email(["From: no-reply@app.dion.ne.jp", "To: sender@example.jp", "Subject: メールエラー通知"], body),
    );
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("kddi");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["nobody@ezweb.ne.jp", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("As their mailbox is full.");
  });

  it("does not take the same text from a sender that is not KDDI's", async () => {
    const parsed = await parseBounceEmail(
      email(["From: no-reply@example.jp", "To: sender@example.jp", "Subject: メールエラー通知"], body),
    );
    expect(parsed.kind).toBe("unrecognised");
    expect(parsed.recipients).toEqual([]);
  });

  it("keeps none of the original's headers or body in the diagnostic", async () => {
    for (const file of ["lhost-kddi-01.eml", "lhost-kddi-02.eml", "lhost-kddi-03.eml"]) {
      const parsed = await parse(file);
      expect(parsed.recipients.length).toBeGreaterThan(0);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(/\b(?:Received|Return-Path|From|To|Subject|Message-I[Dd]):/i);
        expect(r.diagnostic ?? "").not.toMatch(/Nyaa|猫ちゃん|Your mail sent on/i);
      }
    }
  });
});
