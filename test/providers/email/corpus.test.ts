import { describe, expect, it } from "vitest";
import { EmailParseError } from "../../../lambdas/providers/email/errors.js";
import type { ParsedBounceEmail } from "../../../lambdas/providers/email/parse.js";
import { CORPUS_ROWS, parseCorpusEmail } from "./corpus-rows.js";

/** Sisimai's stand-in when the headers name no recipient (`To: <Undisclosed Recipients>`): none. */
const PLACEHOLDER = /@libsisimai\.org\.invalid$/;
/** Sisimai's own codes for "the mail gave none". */
const PSEUDO_STATUS = /^\d\.0\.9\d\d$/;
/** Sisimai folds ARF types the service keeps apart into its own; ours are the service's taxonomy. */
const FEEDBACK: Record<string, string> = {
  abuse: "abuse",
  fraud: "fraud",
  virus: "virus",
  "not-spam": "not-spam",
  "auth-failure": "other",
  "opt-out": "other",
};

const ratio = (ok: number, total: number): number => (total === 0 ? 1 : ok / total);

describe("parseBounceEmail over the dev corpus", () => {
  it(`parses all ${CORPUS_ROWS.length} emails and agrees with Sisimai on the standard reports`, async () => {
    const results = new Map<string, ParsedBounceEmail>();
    const failures: string[] = [];
    for (const row of CORPUS_ROWS) {
      try {
        results.set(row.file, await parseCorpusEmail(row.file));
      } catch (error) {
        // A refusal is allowed (it is the documented error); anything else is a bug.
        if (!(error instanceof EmailParseError)) failures.push(`${row.file}: ${String(error)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(results.size).toBe(CORPUS_ROWS.length);

    let files = 0;
    let recipientOk = 0;
    let statusTotal = 0;
    let statusOk = 0;
    let actionTotal = 0;
    let actionOk = 0;
    let feedbackTotal = 0;
    let feedbackOk = 0;
    let commandTotal = 0;
    let commandOk = 0;
    const recipientMisses: string[] = [];
    for (const row of CORPUS_ROWS) {
      const parsed = results.get(row.file);
      if (parsed === undefined || (parsed.kind !== "dsn" && parsed.kind !== "arf")) continue;
      // The MTAs' plain-text bounces are measured on their own (below).
      if (parsed.kind === "dsn" && parsed.format !== undefined) continue;
      files++;
      const expected = [
        ...new Set(row.sisimai.map((s) => s.recipient.toLowerCase()).filter((r) => !PLACEHOLDER.test(r))),
      ].sort();
      const got = [...new Set(parsed.recipients.map((r) => r.recipient))].sort();
      if (JSON.stringify(expected) === JSON.stringify(got)) recipientOk++;
      else recipientMisses.push(`${row.file}: sisimai ${expected.join(",")} | ours ${got.join(",")}`);
      for (const s of row.sisimai) {
        const ours = parsed.recipients.find((r) => r.recipient === s.recipient.toLowerCase());
        if (ours === undefined) continue;
        if (s.deliverystatus !== "" && !PSEUDO_STATUS.test(s.deliverystatus)) {
          statusTotal++;
          if (ours.status === s.deliverystatus) statusOk++;
        }
        if (s.action !== "") {
          actionTotal++;
          if (ours.action === s.action) actionOk++;
        }
        if (s.feedbacktype !== "") {
          feedbackTotal++;
          if (ours.feedbackType === FEEDBACK[s.feedbacktype]) feedbackOk++;
        }
        // Precision only: we name a command only when the DSN's diagnostic does.
        if (ours.command !== null) {
          commandTotal++;
          if (ours.command === s.smtpcommand || (ours.command === "HELO" && s.smtpcommand === "EHLO")) {
            commandOk++;
          }
        }
      }
    }
    const figures = {
      comparableFiles: files,
      recipients: ratio(recipientOk, files),
      status: ratio(statusOk, statusTotal),
      action: ratio(actionOk, actionTotal),
      feedbackType: ratio(feedbackOk, feedbackTotal),
      commandPrecision: ratio(commandOk, commandTotal),
      counts: { recipientOk, statusOk, statusTotal, actionOk, actionTotal, feedbackOk, feedbackTotal },
      counts2: { commandOk, commandTotal },
    };
    console.log("email corpus agreement", JSON.stringify(figures, null, 2), recipientMisses);

    // Gates at the level reached (rounded down), so a regression shows.
    expect(files).toBeGreaterThanOrEqual(300);
    expect(figures.recipients).toBeGreaterThanOrEqual(0.97);
    expect(figures.status).toBeGreaterThanOrEqual(0.93);
    expect(figures.action).toBeGreaterThanOrEqual(0.94);
    expect(figures.feedbackType).toBeGreaterThanOrEqual(1);
    expect(figures.commandPrecision).toBeGreaterThanOrEqual(1);
  });

  it("agrees with Sisimai on the MTAs' plain-text bounces (formats/), per format", async () => {
    const perFormat: Record<string, { files: number; recipientsOk: number }> = {};
    let files = 0;
    let recipientOk = 0;
    let statusTotal = 0;
    let statusOk = 0;
    let actionTotal = 0;
    let actionOk = 0;
    let commandTotal = 0;
    let commandOk = 0;
    const misses: string[] = [];
    for (const row of CORPUS_ROWS) {
      let parsed: ParsedBounceEmail;
      try {
        parsed = await parseCorpusEmail(row.file);
      } catch {
        continue;
      }
      if (parsed.kind !== "dsn" || parsed.format === undefined) continue;
      perFormat[parsed.format] ??= { files: 0, recipientsOk: 0 };
      const entry = perFormat[parsed.format] ?? { files: 0, recipientsOk: 0 };
      files++;
      entry.files++;
      const expected = [
        ...new Set(row.sisimai.map((s) => s.recipient.toLowerCase()).filter((r) => !PLACEHOLDER.test(r))),
      ].sort();
      const got = [...new Set(parsed.recipients.map((r) => r.recipient))].sort();
      if (JSON.stringify(expected) === JSON.stringify(got)) {
        recipientOk++;
        entry.recipientsOk++;
      } else
        misses.push(`${parsed.format} ${row.file}: sisimai ${expected.join(",")} | ours ${got.join(",")}`);
      for (const s of row.sisimai) {
        const ours = parsed.recipients.find((r) => r.recipient === s.recipient.toLowerCase());
        if (ours === undefined) continue;
        if (s.deliverystatus !== "" && !PSEUDO_STATUS.test(s.deliverystatus)) {
          statusTotal++;
          if (ours.status === s.deliverystatus) statusOk++;
        }
        if (s.action !== "") {
          actionTotal++;
          if (ours.action === s.action) actionOk++;
        }
        // Precision where Sisimai names a command (it names none for a refused connection).
        if (ours.command !== null && s.smtpcommand !== "") {
          commandTotal++;
          if (ours.command === s.smtpcommand || (ours.command === "HELO" && s.smtpcommand === "EHLO")) {
            commandOk++;
          }
        }
      }
    }
    const figures = {
      files,
      perFormat,
      recipients: ratio(recipientOk, files),
      status: ratio(statusOk, statusTotal),
      action: ratio(actionOk, actionTotal),
      commandPrecision: ratio(commandOk, commandTotal),
      counts: { recipientOk, statusOk, statusTotal, actionOk, actionTotal, commandOk, commandTotal },
    };
    console.log("plain-text bounce agreement", JSON.stringify(figures, null, 2), misses);

    // Gates at the level reached (rounded down), so a regression shows.
    expect(files).toBeGreaterThanOrEqual(215);
    expect(figures.recipients).toBeGreaterThanOrEqual(1);
    expect(figures.status).toBeGreaterThanOrEqual(0.98);
    expect(figures.action).toBeGreaterThanOrEqual(0.91);
    expect(figures.commandPrecision).toBeGreaterThanOrEqual(1);
  });

  it("ignores the RFC 3834 auto-replies, as Sisimai does (no rows)", async () => {
    for (const row of CORPUS_ROWS.filter((r) => r.file.startsWith("rfc3834-"))) {
      const parsed = await parseCorpusEmail(row.file);
      expect(parsed.kind, row.file).toBe("auto-reply");
      expect(parsed.recipients).toEqual([]);
      expect(row.sisimai).toEqual([]);
    }
  });

  it("does not take an MTA's plain-text bounce marked auto-replied for a vacation notice", async () => {
    const parsed = await parseCorpusEmail("lhost-exim-01.eml");
    // Read as Exim's plain-text bounce (formats/exim.ts), never as an auto-reply.
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("exim");
  });

  it("decodes an ISO-2022-JP subject through the platform TextDecoder", async () => {
    const parsed = await parseCorpusEmail("lhost-exchange2007-04.eml");
    expect(parsed.subject).toContain("キジトラ");
    expect(parsed.kind).toBe("dsn");
  });

  it("takes the complaint recipient from the original's To when the report names none", async () => {
    const parsed = await parseCorpusEmail("arf-01.eml");
    expect(parsed.kind).toBe("arf");
    expect(parsed.recipients.map((r) => [r.recipient, r.feedbackType])).toEqual([
      ["redacted@example.net", "abuse"],
    ]);
  });
});
