/**
 * Raw-email benchmark (issue #15): emails parsed and classified per second on one core over the
 * corpus's 568 raw emails (test/fixtures/corpus/emails/), by our pipeline and by Sisimai in the same
 * run, one after the other so they never share the cores.
 *
 * - Ours: what `POST /v1/import/email` does without the store — `parseBounceEmail` (parse.ts), the
 *   report id from the raw bytes (`rawReportId`) and `emailEvents` (events.ts) — in this process,
 *   every file read into memory first.
 * - Sisimai (Debian's `libsisimai-perl`, 4.25): one long-lived perl process that loads Sisimai once,
 *   slurps every file, and times its own loop of `Sisimai::Message->new` + `Sisimai::Data->make`
 *   (what `Sisimai->make` does per message, without its mailbox reader), so perl's start-up and the
 *   disk are not counted.
 *
 * Both sides run the same schedule: a warm-up, then `ROUNDS` rounds of a fixed length cycling
 * through the emails; the rate is the median round's.
 *
 * Figures:
 * - `emails_per_s`: our rate, at least `EMAILS_PER_S_BUDGET`;
 * - `emails_vs_sisimai`: our rate ÷ Sisimai's, at least `EMAILS_VS_SISIMAI_BUDGET` (design.md §6).
 *   Without Sisimai installed it is left out and a note says so; that is not a failure.
 *
 * Run alone: `npx tsx bench/emails.ts [--quick]`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { rawReportId } from "../lambdas/providers/email/adapter.js";
import { EmailParseError } from "../lambdas/providers/email/errors.js";
import { emailEvents } from "../lambdas/providers/email/events.js";
import { parseBounceEmail } from "../lambdas/providers/email/parse.js";
import { EMAILS_PER_S_BUDGET, EMAILS_VS_SISIMAI_BUDGET } from "./budgets.js";
import { atLeast, type Figures, formatTable } from "./report.js";
import { nowMs, p50, sig } from "./stats.js";

/** The corpus's raw emails, found from this module wherever it is run. */
export const EMAIL_CORPUS = fileURLToPath(new URL("../test/fixtures/corpus/emails/", import.meta.url));

const ROUNDS = 7;
const ROUND_MS = 1_000;
const WARM_MS = 1_000;

/** The bench's events are counted, never stored: the tenant and time only fill the shape. */
const CONTEXT = { tenant: "bench", receivedAt: new Date(0) } as const;

/** One corpus email, read into memory. */
export type CorpusEmail = { readonly name: string; readonly raw: Buffer };

/** Every `.eml` of `dir`, sorted by name, read into memory. */
export function corpusEmails(dir = EMAIL_CORPUS): CorpusEmail[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".eml"))
    .sort()
    .map((name) => ({ name, raw: readFileSync(join(dir, name)) }));
}

/** Emails per second of each round, and what one pass over the corpus yields (to compare outputs). */
export type RateResult = {
  readonly rates: readonly number[];
  /** Events (ours) or Sisimai::Data records (Sisimai) of one pass over the emails. */
  readonly records: number;
  /** Emails refused (ours: EmailParseError) or without a result (Sisimai: no Sisimai::Message). */
  readonly unparsed: number;
};

/** The import route's work on one email, store aside: how many events it yields, -1 when refused. */
async function eventsOf(raw: Buffer): Promise<number> {
  try {
    const parsed = await parseBounceEmail(raw);
    return emailEvents(parsed, { ...CONTEXT, reportId: rawReportId(raw) }, "email").events.length;
  } catch (error) {
    if (error instanceof EmailParseError) return -1;
    throw error;
  }
}

/** Our rate: a warm-up, then `ROUNDS` rounds of `roundMs` cycling through `emails`. */
export async function ourRate(emails: readonly CorpusEmail[], scale: number): Promise<RateResult> {
  let records = 0;
  let unparsed = 0;
  for (const { raw } of emails) {
    const n = await eventsOf(raw);
    if (n < 0) unparsed++;
    else records += n;
  }
  let next = 0;
  const runFor = async (ms: number): Promise<number> => {
    const start = nowMs();
    let done = 0;
    while (nowMs() - start < ms) {
      await eventsOf((emails[next++ % emails.length] as CorpusEmail).raw);
      done++;
    }
    return done / ((nowMs() - start) / 1000);
  };
  await runFor(WARM_MS * scale);
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) rates.push(await runFor(ROUND_MS * scale));
  return { rates, records, unparsed };
}

/**
 * The Sisimai side, run by `perl -e`: args are warm-up ms, round ms, rounds, then the files. Prints
 * one line, `{"version":…,"records":…,"unparsed":…,"rates":[…]}`. `:raw` because Sisimai's own
 * mailbox readers slurp the bytes unchanged too.
 */
const SISIMAI_SCRIPT = String.raw`
use strict; use warnings;
use Time::HiRes qw(time);
use Sisimai; use Sisimai::Message; use Sisimai::Data;
my ($warm_ms, $round_ms, $rounds, @files) = @ARGV;
my @mails = map { open(my $fh, '<:raw', $_) or die "$_: $!"; local $/; my $s = <$fh>; close $fh; $s } @files;
sub records_of {
  my $message = Sisimai::Message->new('data' => $_[0]) or return -1;
  my $data = Sisimai::Data->make('data' => $message);
  return $data ? scalar @$data : 0;
}
my ($records, $unparsed) = (0, 0);
for my $mail (@mails) { my $n = records_of($mail); if ($n < 0) { $unparsed++ } else { $records += $n } }
my $next = 0;
sub run_for {
  my $start = time; my $done = 0;
  while ((time - $start) * 1000 < $_[0]) { records_of($mails[$next++ % @mails]); $done++ }
  return $done / (time - $start);
}
run_for($warm_ms);
my @rates = map { run_for($round_ms) } 1 .. $rounds;
printf('{"version":"%s","records":%d,"unparsed":%d,"rates":[%s]}' . "\n",
  Sisimai->version, $records, $unparsed, join(',', @rates));
`;

/** Sisimai's rate and version, or why it could not run (perl or Sisimai missing). */
export type SisimaiResult = (RateResult & { readonly version: string }) | { readonly missing: string };

/** Runs SISIMAI_SCRIPT over `emails` (by path, slurped by perl before its clock starts). */
export function sisimaiRate(
  emails: readonly CorpusEmail[],
  scale: number,
  dir = EMAIL_CORPUS,
): SisimaiResult {
  const probe = spawnSync("perl", ["-MSisimai", "-e", "1"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) {
    return { missing: probe.error?.message ?? (probe.stderr.split("\n")[0] || "perl -MSisimai failed") };
  }
  const args = [String(WARM_MS * scale), String(ROUND_MS * scale), String(ROUNDS)];
  const files = emails.map((e) => join(dir, e.name));
  const run = spawnSync("perl", ["-e", SISIMAI_SCRIPT, ...args, ...files], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = run.stdout?.trim().split("\n").pop() ?? "";
  if (run.status !== 0 || !line.startsWith("{")) {
    throw new Error(`the Sisimai bench failed (exit ${run.status}): ${run.stderr.slice(-500)}`);
  }
  return JSON.parse(line) as RateResult & { version: string };
}

export type EmailsBenchResult = { figures: Figures; notes: string[] };

/** Both raw-email figures; `scale` shortens the rounds. */
export async function benchEmails(scale: number, log: (line: string) => void): Promise<EmailsBenchResult> {
  const emails = corpusEmails();
  log("emails (ours)…");
  const ours = await ourRate(emails, scale);
  const oursPerS = p50(ours.rates);
  log("emails (Sisimai)…");
  const sisimai = sisimaiRate(emails, scale);
  const figures: Figures = { emails_per_s: atLeast(Math.round(oursPerS), "per_s", EMAILS_PER_S_BUDGET) };
  const notes = [
    `emails: ${emails.length} corpus emails parsed and classified in-process (parse + events, no store): ${sig(oursPerS, 4)}/s, ${ours.records} events a pass, ${ours.unparsed} refused`,
  ];
  if ("missing" in sisimai) {
    notes.push(
      `emails_vs_sisimai skipped: Sisimai is not installed (${sisimai.missing}); apt-get install libsisimai-perl`,
    );
  } else {
    const theirs = p50(sisimai.rates);
    figures.emails_vs_sisimai = atLeast(sig(oursPerS / theirs, 3), "x", EMAILS_VS_SISIMAI_BUDGET);
    notes.push(
      `Sisimai ${sisimai.version} on the same emails (one perl process, files in memory): ${sig(theirs, 4)}/s, ${sisimai.records} records a pass, ${sisimai.unparsed} without a result`,
    );
  }
  return { figures, notes };
}

async function main(): Promise<void> {
  const scale = process.argv.includes("--quick") ? 0.2 : 1;
  const { figures, notes } = await benchEmails(scale, (line) => console.error(line));
  console.log(formatTable(figures));
  for (const note of notes) console.log(`- ${note}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error("the benchmark crashed:", err);
    process.exitCode = 1;
  });
}
