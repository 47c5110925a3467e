/** Small pieces every page uses: loading a resource (once, or until it stops moving), showing a failure, paging with cursors. */
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { VerdictReason } from "../../../lambdas/core/ledger/types.js";
import { ApiError } from "../api.js";
import { useApp } from "../context.js";
import { reasonLabel, subtypeLabel, typeLabel } from "../i18n.js";
import { POLL_MS } from "../jobs.js";
import { hrefOf } from "../router.js";

export type Loaded<T> =
  | { readonly state: "loading" }
  | { readonly state: "ok"; readonly data: T }
  | { readonly state: "error"; readonly error: unknown };

/**
 * Loads `load()` whenever `key` changes; a newer load supersedes an older one still on its way.
 *
 * @example
 * const [view, reload] = useLoad(() => api("GET", `/v1/suppressions/${segment(a)}`), a);
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, key: string): [Loaded<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: "loading" });
  const [round, setRound] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setLoaded((previous) => (previous.state === "ok" ? previous : { state: "loading" }));
    latest.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setLoaded({ state: "ok", data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ state: "error", error });
      },
    );
    return () => controller.abort();
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return [loaded, reload];
}

/**
 * `useLoad`, asked again every `POLL_MS` while `moving(data)` holds (a job queued or running, an
 * answer not complete yet); it stops when nothing moves any more, and when the page is left (the
 * timer and the request die with the component).
 *
 * @example
 * const [page, reload] = usePolled((s) => api("GET", "/v1/exports", { signal: s }), "", (p) => anyActive(p.items));
 */
export function usePolled<T>(
  load: (signal: AbortSignal) => Promise<T>,
  key: string,
  moving: (data: T) => boolean,
): [Loaded<T>, () => void] {
  const [loaded, reload] = useLoad(load, key);
  const again = loaded.state === "ok" && moving(loaded.data);
  useEffect(() => {
    if (!again) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [loaded, again, reload]);
  return [loaded, reload];
}

/** A failure, in words: the API's own detail where it gave one. */
export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useApp();
  let text = t.unavailable;
  if (error instanceof ApiError && error.status !== 0 && error.status !== 503) text = error.message;
  return (
    <div class="error" role="alert">
      <strong>{t.errorTitle}</strong> {text}
      {onRetry ? (
        <button type="button" class="link" onClick={onRetry}>
          {t.retry}
        </button>
      ) : null}
    </div>
  );
}

/** Wraps a loaded resource: a status line while loading, the error with Retry, or the content. */
export function Show<T>({
  loaded,
  onRetry,
  children,
}: {
  loaded: Loaded<T>;
  onRetry: () => void;
  children: (data: T) => ComponentChildren;
}) {
  const { t } = useApp();
  if (loaded.state === "loading")
    return (
      <p class="muted" role="status">
        {t.loading}
      </p>
    );
  if (loaded.state === "error") return <ErrorNote error={loaded.error} onRetry={onRetry} />;
  return <>{children(loaded.data)}</>;
}

/**
 * Cursor paging: the cursors of the pages before this one, so Previous works although the API
 * only pages forward. A new filter mounts a new pager (a `key`), which starts at the first page.
 */
export function usePager(): {
  cursor: string | undefined;
  page: number;
  next: (cursor: string) => void;
  previous: () => void;
  first: () => void;
} {
  const [trail, setTrail] = useState<string[]>([]);
  return {
    cursor: trail.at(-1),
    page: trail.length + 1,
    next: (cursor) => setTrail((t) => [...t, cursor]),
    previous: () => setTrail((t) => t.slice(0, -1)),
    first: () => setTrail([]),
  };
}

export function Pager({
  pager,
  nextCursor,
}: {
  pager: ReturnType<typeof usePager>;
  nextCursor: string | null;
}) {
  const { t } = useApp();
  return (
    <nav class="pager" aria-label={t.pageOf({ page: pager.page })}>
      <button type="button" onClick={pager.first} disabled={pager.page === 1}>
        {t.firstPage}
      </button>
      <button type="button" onClick={pager.previous} disabled={pager.page === 1}>
        {t.previousPage}
      </button>
      <span aria-live="polite">{t.pageOf({ page: pager.page })}</span>
      <button
        type="button"
        onClick={() => nextCursor && pager.next(nextCursor)}
        disabled={nextCursor === null}
      >
        {t.nextPage}
      </button>
    </nav>
  );
}

/** A labelled form field (every control has a visible label). */
export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is `children`, inside the label.
    <label class="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/**
 * A paged answer of the API (`{items, cursor}`): loading, the error with Retry, "nothing here", or
 * `children` with the page and the pager under it. A new filter is a new `PagedResults` (a `key`),
 * whose paging starts over.
 */
export function PagedResults<
  P extends { readonly items: readonly unknown[]; readonly cursor: string | null },
>({
  load,
  children,
}: {
  load: (cursor: string | undefined, signal: AbortSignal) => Promise<P>;
  children: (page: P) => ComponentChildren;
}) {
  const { t } = useApp();
  const pager = usePager();
  const [page, reload] = useLoad((signal) => load(pager.cursor, signal), pager.cursor ?? "");
  return (
    <Show loaded={page} onRetry={reload}>
      {(p) =>
        p.items.length === 0 && pager.page === 1 && p.cursor === null ? (
          <p class="muted">{t.emptyList}</p>
        ) : (
          <>
            <div class="table-wrap">{children(p)}</div>
            <Pager pager={pager} nextCursor={p.cursor} />
          </>
        )
      }
    </Show>
  );
}

/**
 * An address (or `@domain`) as a link to its page; as plain text when answers are masked (a masked
 * `j***@example.org` is no address to look up).
 */
export function AddressLink({ subject }: { subject: string }) {
  const { pii } = useApp();
  if (!pii && subject.includes("*")) return <span>{subject}</span>;
  return <a href={hrefOf({ page: "address", address: subject })}>{subject}</a>;
}

/** A table's header row: one column header per label. */
export function TableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((label) => (
          <th key={label} scope="col">
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A cause's classification: type · subtype, and the fine reason under it (a manual entry has none). */
export function ReasonText({ reason }: { reason: VerdictReason }) {
  const { lang } = useApp();
  const subtype = subtypeLabel(reason.type, reason.subtype, lang);
  return (
    <>
      {typeLabel(reason.type, lang)}
      {subtype ? ` · ${subtype}` : ""}
      {reason.reason && reason.reason !== "manual" ? (
        <div class="muted">{reasonLabel(reason.reason, lang)}</div>
      ) : null}
    </>
  );
}
