/** What every form of the console does: run one request at a time, show its failure, keep filters. */
import { useState } from "preact/hooks";
import { ApiError } from "../api.js";
import { useApp } from "../context.js";
import { fromLocalInput, toLocalInput } from "../format.js";
import { sourcesIn } from "../providers.js";
import { Field } from "./common.js";

/** The API's own words for a failure (its problem document's detail), else the error's message. */
export const problemText = (error: unknown): string =>
  error instanceof ApiError ? error.message : String(error);

/**
 * One request at a time: `busy` while it runs, `problem` (words) when it failed.
 *
 * @example
 * const action = useAction();
 * <form onSubmit={(e) => { e.preventDefault(); void action.run(() => api("PUT", path)); }}>
 */
export function useAction(describe: (error: unknown) => string = problemText): {
  busy: boolean;
  problem: string | null;
  run: (body: () => Promise<void>) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  return {
    busy,
    problem,
    run: async (body) => {
      setBusy(true);
      setProblem(null);
      try {
        await body();
      } catch (error) {
        setProblem(describe(error));
      } finally {
        setBusy(false);
      }
    },
  };
}

/** A failure under a form, announced to screen readers. */
export function ProblemLine({ text }: { text: string | null }) {
  return text ? (
    <p class="error" role="alert">
      {text}
    </p>
  ) : null;
}

/** The filters of `names` that `query` sets (a route's query string → the API's parameters). */
export function filtersOf(query: URLSearchParams, names: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of names) {
    const value = query.get(name);
    if (value) params[name] = value;
  }
  return params;
}

/**
 * A filter form's values: text as typed, times (`times`) as `datetime-local` inputs in UTC; `apply`
 * hands the filled-in ones, times as ISO, to `go` (which puts them in the URL).
 */
export function useFilterForm(
  names: readonly string[],
  times: readonly string[],
  params: Readonly<Record<string, string>>,
  go: (query: URLSearchParams) => void,
): {
  values: Readonly<Record<string, string>>;
  set: (name: string) => (event: { currentTarget: { value: string } }) => void;
  apply: (event: Event) => void;
} {
  const [values, setValues] = useState<Record<string, string>>(() => {
    const initial: Record<string, string> = { ...params };
    for (const name of times) initial[name] = toLocalInput(params[name]);
    return initial;
  });
  return {
    values,
    set: (name) => (event) => setValues((v) => ({ ...v, [name]: event.currentTarget.value })),
    apply: (event) => {
      event.preventDefault();
      const next = new URLSearchParams();
      for (const name of names) {
        const raw = values[name]?.trim() ?? "";
        const value = times.includes(name) ? fromLocalInput(raw) : raw;
        if (value) next.set(name, value);
      }
      go(next);
    },
  };
}

type FieldProps = {
  readonly label: string;
  readonly name: string;
  readonly value: string | undefined;
  readonly set: (name: string) => (event: { currentTarget: { value: string } }) => void;
};

/** A provider filter: "any", or one provider (lambdas/providers/names.ts). */
export function ProviderSelect({ label, name, value, set }: FieldProps) {
  const { t, lang } = useApp();
  return (
    <Field label={label}>
      <select name={name} value={value ?? ""} onChange={set(name)}>
        <option value="">{t.any}</option>
        {sourcesIn(lang).map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** A time filter, typed in UTC (the console's only time zone). */
export function TimeField({ label, name, value, set }: FieldProps) {
  return (
    <Field label={`${label} (UTC)`}>
      <input type="datetime-local" name={name} value={value ?? ""} onInput={set(name)} />
    </Field>
  );
}

/** Apply, and Reset (the unfiltered view, `resetHref`). */
export function FilterActions({ resetHref }: { resetHref: string }) {
  const { t } = useApp();
  return (
    <div class="actions">
      <button type="submit" class="primary">
        {t.apply}
      </button>
      <a class="button" href={resetHref}>
        {t.reset}
      </a>
    </div>
  );
}
