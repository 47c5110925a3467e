/**
 * `npm run bench` — the benchmarks of design.md §6, each a ratio against a baseline measured in the
 * same run (or a count / size / time with its budget).
 *
 *   npm run bench               human table and notes
 *   npm run bench -- --json     the same, then ONE JSON object as the last stdout line
 *   npm run bench -- --quick    shorter timings (a smoke run; figures are noisier)
 *
 * Exits 0 even when a budget fails (the table says which); non-zero only when a benchmark crashed.
 */
import { loadavg } from "node:os";
import { benchBundle } from "./bundle.js";
import { benchCheck } from "./check.js";
import { benchClassify } from "./classify.js";
import { benchEmails } from "./emails.js";
import { benchHistory } from "./history.js";
import { benchIngest } from "./ingest.js";
import { benchListCleaning } from "./list-cleaning.js";
import { benchLists } from "./lists.js";
import { type Figures, formatTable, machineInfo } from "./report.js";
import { benchWebhook } from "./webhook.js";

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const json = args.has("--json");
  const scale = args.has("--quick") ? 0.2 : 1;
  const log = (line: string) => console.error(line);
  const figures: Figures = {};
  const notes: string[] = [];
  const started = performance.now();
  const loadAtStart = Math.round((loadavg()[0] ?? 0) * 100) / 100;

  // CPU-bound parts first, while no DynamoDB Local JVM shares the cores.
  log("classify…");
  const classify = benchClassify(scale);
  const emails = await benchEmails(scale, log);
  log("bundle…");
  const bundle = await benchBundle();
  const check = await benchCheck(scale, log);
  const webhook = await benchWebhook(scale, log);
  const ingest = await benchIngest(scale, log);
  const history = await benchHistory(scale, log);
  const lists = await benchLists(scale, log);
  const listCleaning = await benchListCleaning(scale, log);
  for (const part of [check, classify, emails, bundle, webhook, ingest, history, lists, listCleaning]) {
    Object.assign(figures, part.figures);
    notes.push(...part.notes);
  }

  const failed = Object.entries(figures).filter(([, f]) => !f.ok);
  console.log(formatTable(figures));
  console.log("");
  for (const note of notes) console.log(`- ${note}`);
  console.log(
    `- 1-min load average: ${loadAtStart} at start, ${loadavg()[0]?.toFixed(2)} at end (the bench and DynamoDB Local themselves add to it)`,
  );
  console.log(`- total bench time ${Math.round((performance.now() - started) / 1000)} s`);
  console.log(
    failed.length === 0 ? "all budgets met" : `budgets failed: ${failed.map(([name]) => name).join(", ")}`,
  );
  if (json) console.log(JSON.stringify({ machine: machineInfo(check.engine, loadAtStart), figures }));
}

main().catch((err: unknown) => {
  console.error("the benchmark crashed:", err);
  process.exitCode = 1;
});
