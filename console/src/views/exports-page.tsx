/**
 * Exports (SendCloud's offline-export task list): every export of the tenant, newest first, with its
 * state, a progress bar, when it started and finished, its rows and the download link until the
 * file expires, Retry on a failed one; a form to start one. The page asks again while a task is
 * queued or running, and stops when none is (or when the page is left).
 */
import { useState } from "preact/hooks";
import type { ExportFormat, ExportJob, ExportKind } from "../../../lambdas/contract/exports.js";
import { useApp } from "../context.js";
import { count, minute } from "../format.js";
import { EXPORT_KIND_LABELS } from "../i18n.js";
import { filtersText } from "../jobs.js";
import { navigate } from "../navigation.js";
import type { Route } from "../router.js";
import { Field } from "./common.js";
import { ProblemLine, useAction } from "./forms.js";
import { FileLink, type JobColumn, JobTable, retryColumn, stateColumns } from "./jobs.js";

/** The file formats' names: the formats' own, the same in every language. */
export const FORMAT_NAMES: Readonly<Record<ExportFormat, string>> = { csv: "CSV", jsonl: "JSON Lines" };
const KINDS = Object.keys(EXPORT_KIND_LABELS) as ExportKind[];
const FORMATS = Object.keys(FORMAT_NAMES) as ExportFormat[];

/** The exports page, with the task just started (`started`) marked. */
export const exportsRoute = (started?: string): Route => ({
  page: "exports",
  query: new URLSearchParams(started ? { started } : {}),
});

export function ExportsPage({ query }: { query: URLSearchParams }) {
  const { t } = useApp();
  const started = query.get("started");
  return (
    <>
      <h1>{t.exportsTitle}</h1>
      <p class="muted">{t.exportsIntro}</p>
      {started ? (
        <p class="notice" role="status">
          {t.exportStarted}
        </p>
      ) : null}
      <StartExport />
      <section aria-labelledby="export-tasks">
        <h2 id="export-tasks">{t.exportTasks}</h2>
        <ExportTasks key={started ?? ""} started={started} />
      </section>
    </>
  );
}

function StartExport() {
  const { t, lang, api } = useApp();
  const [kind, setKind] = useState<ExportKind>("suppressions");
  const [format, setFormat] = useState<ExportFormat>("csv");
  const { busy, problem, run } = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const job = await api<ExportJob>("POST", "/v1/exports", { body: { kind, format } });
      navigate(exportsRoute(job.id));
    });
  };
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="export-start">
      <h2 id="export-start">{t.exportStartTitle}</h2>
      <div class="filters">
        <Field label={t.exportKind}>
          <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as ExportKind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {EXPORT_KIND_LABELS[k][lang]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.exportFormat}>
          <select
            name="format"
            value={format}
            onChange={(e) => setFormat(e.currentTarget.value as ExportFormat)}
          >
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_NAMES[f]}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.working : t.exportStart}
        </button>
      </div>
      <p class="muted small">{t.exportHintFilters}</p>
      <ProblemLine text={problem} />
    </form>
  );
}

function ExportTasks({ started }: { started: string | null }) {
  const { t, lang } = useApp();
  const columns: JobColumn<ExportJob>[] = [
    {
      label: t.colWhat,
      cell: (job) => (
        <>
          {EXPORT_KIND_LABELS[job.kind][lang]} · {FORMAT_NAMES[job.format]}
          <div class="muted small">
            {t.colFilters}: <code>{filtersText(job.filters) ?? t.noFilters}</code>
            {job.masked ? ` · ${t.maskedFile}` : ""}
          </div>
        </>
      ),
    },
    ...stateColumns(t),
    { label: t.colCreated, cell: (job) => minute(job.createdAt) },
    { label: t.colStarted, cell: (job) => (job.startedAt ? minute(job.startedAt) : "—") },
    { label: t.colFinished, cell: (job) => (job.finishedAt ? minute(job.finishedAt) : "—") },
    { label: t.colRows, cell: (job) => (job.rows === null ? "—" : count(job.rows)) },
    {
      label: t.colFile,
      cell: (job) => <FileLink url={job.url} expiresAt={job.expiresAt} label={t.download} />,
    },
    retryColumn(t, "/v1/exports"),
  ];
  return (
    <JobTable
      base="/v1/exports"
      testId="export-tasks"
      caption={t.exportTasks}
      columns={columns}
      current={started}
      note={<p class="muted small">{t.polling}</p>}
    />
  );
}
