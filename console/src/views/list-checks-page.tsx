/**
 * List cleaning: a CSV or plain list sent to `POST /v1/list-checks` (up to `LIST_CHECK_BODY_BYTES`
 * in the body; a larger one is cleaned with `npm run clean-list`), with an optional scope and
 * address column; the check's progress while it runs, then its summary (kept, dropped, invalid,
 * duplicates, by cause and by reason) and the keep and drop files; and the earlier checks.
 */
import { useState } from "preact/hooks";
import type { ListCheckJob, ListCheckSummary } from "../../../lambdas/contract/list-checks.js";
import { useApp } from "../context.js";
import { count, fileSize, minute } from "../format.js";
import { DROP_CAUSE_LABELS, dropReasonLabel } from "../i18n.js";
import { CLEAN_LIST_COMMAND, isActive, LIST_CHECK_BODY_BYTES, listContentType } from "../jobs.js";
import { navigate } from "../navigation.js";
import { hrefOf, type Route } from "../router.js";
import { Field, Show, TableHead, usePolled } from "./common.js";
import { ProblemLine, useAction } from "./forms.js";
import {
  FileLink,
  type JobColumn,
  JobProgressBar,
  JobState,
  JobTable,
  RetryButton,
  retryColumn,
  stateColumns,
} from "./jobs.js";

/** The list cleaning page, showing the check `id` (when given) above the earlier ones. */
export const listChecksRoute = (id?: string): Route => ({
  page: "list-checks",
  query: new URLSearchParams(id ? { id } : {}),
});

export function ListChecksPage({ query }: { query: URLSearchParams }) {
  const { t } = useApp();
  const id = query.get("id");
  // A retry, in the check shown or in the table, has both ask again (the same job is in each).
  const [round, setRound] = useState(0);
  const retried = () => setRound((n) => n + 1);
  return (
    <>
      <h1>{t.listChecksTitle}</h1>
      <p class="muted">{t.listChecksIntro}</p>
      <UploadForm />
      {id ? <CheckDetail key={id} id={id} round={round} onRetried={retried} /> : null}
      <section aria-labelledby="earlier-checks">
        <h2 id="earlier-checks">{t.earlierChecks}</h2>
        <EarlierChecks key={id ?? ""} current={id} round={round} onRetried={retried} />
      </section>
    </>
  );
}

function UploadForm() {
  const { t, api } = useApp();
  const [file, setFile] = useState<File | null>(null);
  const [scope, setScope] = useState("");
  const [column, setColumn] = useState("");
  const { busy, problem, run } = useAction();
  const tooLarge = file !== null && file.size > LIST_CHECK_BODY_BYTES;
  const submit = (event: Event) => {
    event.preventDefault();
    if (file === null || tooLarge) return;
    void run(async () => {
      const job = await api<ListCheckJob>("POST", "/v1/list-checks", {
        query: { scope: scope.trim(), column: column.trim() },
        upload: { type: listContentType(file.name, file.type), data: file },
      });
      navigate(listChecksRoute(job.id));
    });
  };
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="list-check-start">
      <h2 id="list-check-start">{t.listCheckStart}</h2>
      <div class="filters">
        <Field label={t.listCheckFile}>
          <input
            type="file"
            name="list"
            required
            accept=".csv,.txt,text/csv,text/plain"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </Field>
        <Field label={t.listCheckScope}>
          <input type="text" name="scope" value={scope} onInput={(e) => setScope(e.currentTarget.value)} />
        </Field>
        <Field label={t.listCheckColumn}>
          <input
            type="text"
            name="column"
            value={column}
            spellcheck={false}
            onInput={(e) => setColumn(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="primary" disabled={busy || file === null || tooLarge}>
          {busy ? t.working : t.listCheckStart}
        </button>
      </div>
      {tooLarge ? (
        <p class="warning" role="alert">
          {t.listCheckTooLarge({ size: fileSize(file.size), max: fileSize(LIST_CHECK_BODY_BYTES) })}{" "}
          <code>{CLEAN_LIST_COMMAND}</code>
        </p>
      ) : null}
      <ProblemLine text={problem} />
    </form>
  );
}

/** One check: its state and progress while it runs (asked again until it ends), then what it found. */
function CheckDetail({ id, round, onRetried }: { id: string; round: number; onRetried: () => void }) {
  const { t, api } = useApp();
  const [job, reload] = usePolled(
    (signal) => api<ListCheckJob>("GET", `/v1/list-checks/${encodeURIComponent(id)}`, { signal }),
    `${id} ${round}`,
    (j) => isActive(j.status),
  );
  return (
    <section class="panel" aria-labelledby="list-check-title" data-testid="list-check">
      <Show loaded={job} onRetry={reload}>
        {(j) => (
          <>
            <h2 id="list-check-title">{t.listCheckTitle({ date: minute(j.createdAt) })}</h2>
            <div class="job-head">
              <div>
                <JobState job={j} />
                {j.scope ? (
                  <div class="muted small">
                    {t.filterScope}: <code>{j.scope}</code>
                  </div>
                ) : null}
              </div>
              <JobProgressBar job={j} />
              <RetryButton job={j} base="/v1/list-checks" onDone={onRetried} />
            </div>
            {j.summary ? <Summary summary={j.summary} /> : null}
            {j.status === "succeeded" ? (
              <ul class="plain files">
                {(["keep", "drop"] as const).map((file) => (
                  <li key={file}>
                    {file === "keep" ? t.keepFile : t.dropFile}:{" "}
                    <FileLink
                      url={j.files?.[file] ?? null}
                      expiresAt={j.expiresAt}
                      label={t.download}
                      testId={`${file}-file`}
                    />
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        )}
      </Show>
    </section>
  );
}

function Summary({ summary }: { summary: ListCheckSummary }) {
  const { t, lang } = useApp();
  const figures: [string, number, string][] = [
    ["rows", summary.rows, t.sumRows],
    ["kept", summary.kept, t.sumKept],
    ["dropped", summary.dropped, t.sumDropped],
    ["suppressed", summary.suppressed, t.sumSuppressed],
    ["invalid", summary.invalid, t.sumInvalid],
    ["duplicates", summary.duplicates, t.sumDuplicates],
  ];
  const causes = Object.entries(summary.byCause) as [keyof typeof DROP_CAUSE_LABELS, number][];
  const reasons = Object.entries(summary.byReason).sort((a, b) => b[1] - a[1]);
  return (
    <>
      <h3>{t.summaryTitle}</h3>
      <ul class="counts">
        {figures.map(([name, n, label]) => (
          <li key={name}>
            <div class="figure">
              <span class="count" data-testid={`summary-${name}`}>
                {count(n)}
              </span>
              <span>{label}</span>
            </div>
          </li>
        ))}
      </ul>
      <div class="side-by-side">
        <CountTable
          testId="by-cause"
          caption={t.byCauseTitle}
          column={t.colCause}
          rows={causes.map(([cause, n]) => [cause, DROP_CAUSE_LABELS[cause]?.[lang] ?? cause, n])}
        />
        <CountTable
          testId="by-reason"
          caption={t.byReasonTitle}
          column={t.colReason}
          rows={reasons.map(([reason, n]) => [reason, dropReasonLabel(reason, lang), n])}
        />
      </div>
    </>
  );
}

/** A breakdown of the dropped rows: a name and a count a row (`key`, `label`, `n`); nothing when there is none. */
function CountTable({
  testId,
  caption,
  column,
  rows,
}: {
  testId: string;
  caption: string;
  column: string;
  rows: readonly (readonly [key: string, label: string, n: number])[];
}) {
  const { t } = useApp();
  if (rows.length === 0) return null;
  return (
    <table data-testid={testId}>
      <caption>{caption}</caption>
      <TableHead columns={[column, t.colCount]} />
      <tbody>
        {rows.map(([key, label, n]) => (
          <tr key={key}>
            <td>{label}</td>
            <td class="num">{count(n)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EarlierChecks({
  current,
  round,
  onRetried,
}: {
  current: string | null;
  round: number;
  onRetried: () => void;
}) {
  const { t } = useApp();
  const columns: JobColumn<ListCheckJob>[] = [
    {
      label: t.colCreated,
      cell: (job) => (
        <a href={hrefOf(listChecksRoute(job.id))} aria-current={job.id === current ? "true" : undefined}>
          {minute(job.createdAt)}
        </a>
      ),
    },
    { label: t.colScope, cell: (job) => (job.scope ? <code>{job.scope}</code> : t.allScopes) },
    ...stateColumns(t),
    { label: t.colFinished, cell: (job) => (job.finishedAt ? minute(job.finishedAt) : "—") },
    { label: t.colKept, cell: (job) => (job.summary ? count(job.summary.kept) : "—") },
    { label: t.colDropped, cell: (job) => (job.summary ? count(job.summary.dropped) : "—") },
    retryColumn(t, "/v1/list-checks", onRetried),
  ];
  return (
    <JobTable
      base="/v1/list-checks"
      round={round}
      testId="list-checks"
      caption={t.earlierChecks}
      columns={columns}
      current={current}
    />
  );
}
