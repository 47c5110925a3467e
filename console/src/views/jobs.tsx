/**
 * What the two job pages (exports, list cleaning) share: the table of a kind's jobs (paged, asked
 * again while one moves), a job's state and progress bar, its download links until they expire,
 * and Retry (the loading that asks again while a job moves is `usePolled`, in common.tsx).
 */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { JobPage, JobProgress, JobStatus } from "../../../lambdas/contract/jobs.js";
import { useApp } from "../context.js";
import { count, minute } from "../format.js";
import { JOB_STATUS_LABELS, type Messages } from "../i18n.js";
import { anyActive, linkState, progressOf } from "../jobs.js";
import { Pager, Show, TableHead, usePager, usePolled } from "./common.js";
import { ProblemLine, useAction } from "./forms.js";

/** The fields of a job the shared pieces read. */
type Job = {
  readonly id: string;
  readonly status: JobStatus;
  readonly progress: JobProgress;
  readonly attempts: number;
  readonly expiresAt: string | null;
  readonly error: string | null;
};

/** A column of a job table: its header, and what its cell holds for `job` (`reload` asks the table again). */
export type JobColumn<J> = {
  readonly label: string;
  readonly cell: (job: J, reload: () => void) => ComponentChildren;
};

/** The columns every job table has: the state (with its error), and the progress. */
export const stateColumns = (t: Messages): JobColumn<Job>[] => [
  { label: t.colStatus, cell: (job) => <JobState job={job} /> },
  { label: t.colProgress, cell: (job) => <JobProgressBar job={job} /> },
];

/** Retry of a failed job (`POST {base}/{id}/retry`), then `onDone` (without one, the table asks again). */
export const retryColumn = (t: Messages, base: string, onDone?: () => void): JobColumn<Job> => ({
  label: t.colActions,
  cell: (job, reload) => <RetryButton job={job} base={base} onDone={onDone ?? reload} />,
});

/**
 * The jobs of one kind (`GET {base}`, 25 a page, newest first) as a table of `columns`, paged, and
 * asked again while one of them is queued or running, or when `round` changes; the job `current`
 * marked; `note` above the table.
 */
export function JobTable<J extends Job>({
  base,
  round = 0,
  testId,
  caption,
  columns,
  current,
  note,
}: {
  base: string;
  round?: number;
  testId: string;
  caption: string;
  columns: readonly JobColumn<J>[];
  current: string | null;
  note?: ComponentChildren;
}) {
  const { t, api } = useApp();
  const pager = usePager();
  const [page, reload] = usePolled(
    (signal) => api<JobPage<J>>("GET", base, { query: { limit: 25, cursor: pager.cursor }, signal }),
    `${pager.cursor ?? ""} ${round}`,
    (p) => anyActive(p.items),
  );
  return (
    <Show loaded={page} onRetry={reload}>
      {(p) =>
        p.items.length === 0 && pager.page === 1 ? (
          <p class="muted">{t.emptyList}</p>
        ) : (
          <>
            {note}
            <div class="table-wrap">
              <table data-testid={testId}>
                <caption class="visually-hidden">{caption}</caption>
                <TableHead columns={columns.map((column) => column.label)} />
                <tbody>
                  {p.items.map((job) => (
                    <tr
                      key={job.id}
                      data-job={job.id}
                      data-status={job.status}
                      class={job.id === current ? "is-new" : undefined}
                    >
                      {columns.map((column) => (
                        <td key={column.label}>{column.cell(job, reload)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pager={pager} nextCursor={p.cursor} />
          </>
        )
      }
    </Show>
  );
}

/** A job's state in words, with its error when it failed. */
export function JobState({ job }: { job: Job }) {
  const { t, lang } = useApp();
  return (
    <>
      <span class={`job-state is-${job.status}`}>{JOB_STATUS_LABELS[job.status][lang]}</span>
      {job.attempts > 1 ? <div class="muted small">{t.attempts({ n: job.attempts })}</div> : null}
      {job.status === "failed" && job.error ? <div class="error small">{job.error}</div> : null}
    </>
  );
}

/** A job's progress: a bar (indeterminate while the total is unknown) and the rows done in words. */
export function JobProgressBar({ job }: { job: Job }) {
  const { t } = useApp();
  const bar = progressOf(job);
  const { done, rows } = job.progress;
  const words =
    rows === null
      ? t.progressSoFar({ done: count(done) })
      : t.progressOf({ done: count(done), rows: count(rows) });
  return (
    <div class="job-progress">
      {bar === null ? (
        <progress aria-label={t.progressLabel} />
      ) : (
        <progress aria-label={t.progressLabel} value={bar.value} max={bar.max} />
      )}
      <span class="muted small">{words}</span>
    </div>
  );
}

/** A download link while it works (until `expiresAt`), "expired" after, nothing before. */
export function FileLink({
  url,
  expiresAt,
  label,
  testId,
}: {
  url: string | null;
  expiresAt: string | null;
  label: string;
  testId?: string;
}) {
  const { t } = useApp();
  const state = linkState({ url, expiresAt }, Date.now());
  if (state === "expired") return <span class="muted">{t.expired}</span>;
  if (state === "none" || url === null) return <span class="muted">—</span>;
  return (
    <span>
      <a href={url} download rel="noreferrer" data-testid={testId}>
        {label}
      </a>
      {expiresAt ? <span class="muted small"> ({t.linkUntil({ date: minute(expiresAt) })})</span> : null}
    </span>
  );
}

/** Retry of a failed job (`POST {base}/{id}/retry`), then `onDone`. */
export function RetryButton({ job, base, onDone }: { job: Job; base: string; onDone: () => void }) {
  const { t, api } = useApp();
  const { busy, problem, run } = useAction();
  const [retried, setRetried] = useState(false);
  if (job.status !== "failed") return retried ? <span role="status">{t.retried}</span> : null;
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            await api("POST", `${base}/${job.id}/retry`);
            setRetried(true);
            onDone();
          })
        }
      >
        {busy ? t.working : t.retry}
      </button>
      <ProblemLine text={problem} />
    </>
  );
}
