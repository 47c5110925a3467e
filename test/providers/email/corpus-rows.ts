/**
 * The dev corpus's raw emails (test/fixtures/corpus/emails/) and what Sisimai 5 extracted from each
 * (emails.jsonl, one row per file; README.md beside them says what each field means), for the email
 * suites.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseBounceEmail } from "../../../lambdas/providers/email/parse.js";

/** Sisimai's row for one recipient of one email. */
export type SisimaiRow = {
  readonly recipient: string;
  readonly v5_reason: string;
  readonly diagnostic: string;
  readonly deliverystatus: string;
  readonly smtpcommand: string;
  readonly action: string;
  readonly hardbounce: boolean;
  readonly feedbacktype: string;
};
export type CorpusRow = { readonly file: string; readonly sisimai: readonly SisimaiRow[] };

const DIR = "test/fixtures/corpus";

/** Every row of emails.jsonl, in its order. */
export const CORPUS_ROWS: readonly CorpusRow[] = readFileSync(join(DIR, "emails.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as CorpusRow);

/** The bytes of one corpus email. */
export const corpusEmail = (file: string): Buffer => readFileSync(join(DIR, "emails", file));

/** One corpus email, parsed. */
export const parseCorpusEmail = (file: string) => parseBounceEmail(corpusEmail(file));
