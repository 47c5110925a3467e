/**
 * The status view: the tenant's events over a window of up to 30 days, filtered by type, provider,
 * tag and time, with the counts per type on top (`GET /v1/event-counts`, same window and filters).
 */
import { useState } from "preact/hooks";
import type { EventCounts, StatusPage as StatusAnswer } from "../../../lambdas/contract/status.js";
import { EVENT_TYPE_IDS, type EventType } from "../../../lambdas/core/taxonomy.js";
import { useApp } from "../context.js";
import { fromLocalInput, minute, toLocalInput } from "../format.js";
import { OUTCOME_LABELS, reasonLabel, subtypeLabel, typeLabel } from "../i18n.js";
import { navigate } from "../navigation.js";
import { PROVIDERS, providerTitle } from "../providers.js";
import { hrefOf } from "../router.js";
import { Field, Pager, Show, useLoad, usePager } from "./common.js";

const FILTERS = ["type", "provider", "tag", "from", "to"] as const;

export function StatusPage({ query }: { query: URLSearchParams }) {
  const { t } = useApp();
  const params: Record<string, string> = {};
  for (const name of FILTERS) {
    const value = query.get(name);
    if (value) params[name] = value;
  }
  const filterKey = new URLSearchParams(params).toString();
  const { type: _type, ...span } = params;
  // The counts are per type: choosing a type filters the list, not the counts.
  const windowKey = new URLSearchParams(span).toString();
  return (
    <>
      <h1>{t.statusTitle}</h1>
      <StatusFilters key={filterKey} params={params} />
      <Counts key={windowKey} params={params} />
      <StatusResults key={filterKey} params={params} />
    </>
  );
}

function Counts({ params }: { params: Readonly<Record<string, string>> }) {
  const { t, lang, api } = useApp();
  const { type: selected, ...span } = params;
  const [counts, reload] = useLoad(
    (signal) => api<EventCounts>("GET", "/v1/event-counts", { query: span, signal }),
    "counts",
  );
  const linkTo = (type: EventType | undefined) => {
    const next = new URLSearchParams({ ...span, ...(type ? { type } : {}) });
    return hrefOf({ page: "status", query: next });
  };
  return (
    <section aria-labelledby="counts-title">
      <h2 id="counts-title" class="visually-hidden">
        {t.countsTitle}
      </h2>
      <Show loaded={counts} onRetry={reload}>
        {(c) => (
          <>
            <ul class="counts">
              <li>
                <a href={linkTo(undefined)} aria-current={selected === undefined ? "true" : undefined}>
                  <span class="count" data-testid="count-total">
                    {c.total}
                  </span>
                  <span>{t.total}</span>
                </a>
              </li>
              {EVENT_TYPE_IDS.map((type) => (
                <li key={type} class={`type-${type}`}>
                  <a href={linkTo(type)} aria-current={selected === type ? "true" : undefined}>
                    <span class="count" data-testid={`count-${type}`}>
                      {c.counts[type]}
                    </span>
                    <span>{typeLabel(type, lang)}</span>
                  </a>
                </li>
              ))}
            </ul>
            <p class="muted small">
              {minute(c.from)} – {minute(c.to)}
              {c.complete ? "" : ` · ${t.countsPartial({ from: minute(c.countedFrom) })}`}
            </p>
          </>
        )}
      </Show>
    </section>
  );
}

function StatusResults({ params }: { params: Readonly<Record<string, string>> }) {
  const { t, lang, api } = useApp();
  const pager = usePager();
  const [page, reload] = useLoad(
    (signal) =>
      api<StatusAnswer>("GET", "/v1/events", {
        query: { ...params, limit: 25, cursor: pager.cursor },
        signal,
      }),
    pager.cursor ?? "",
  );
  return (
    <Show loaded={page} onRetry={reload}>
      {(p) =>
        p.items.length === 0 && pager.page === 1 && p.cursor === null ? (
          <p class="muted">{t.emptyList}</p>
        ) : (
          <>
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">{t.statusTitle}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.colTime}</th>
                    <th scope="col">{t.colType}</th>
                    <th scope="col">{t.colReason}</th>
                    <th scope="col">{t.colProvider}</th>
                    <th scope="col">{t.colRecipient}</th>
                    <th scope="col">{t.colOutcome}</th>
                    <th scope="col">{t.filterTag}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.items.map((item) => {
                    const { event, decision } = item;
                    const subtype = subtypeLabel(event.type, event.subtype, lang);
                    const outcome = item.outcome ?? decision.outcome ?? null;
                    return (
                      <tr key={`${event.provider} ${event.eventId}`} class={`type-${event.type}`}>
                        <td>
                          <time dateTime={item.at}>{minute(item.at)}</time>
                        </td>
                        <td>
                          {typeLabel(event.type, lang)}
                          {subtype ? <div class="muted">{subtype}</div> : null}
                        </td>
                        <td>{reasonLabel(event.reason, lang) ?? "—"}</td>
                        <td>{providerTitle(event.provider)}</td>
                        <td>
                          <a href={hrefOf({ page: "address", address: event.recipient })}>
                            {event.recipient}
                          </a>
                        </td>
                        <td>{outcome ? OUTCOME_LABELS[outcome][lang] : "—"}</td>
                        <td>
                          {(event.tags ?? []).map((tag) => (
                            <span key={tag} class="chip">
                              {tag}
                            </span>
                          ))}
                        </td>
                      </tr>
                    );
                  })}
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

function StatusFilters({ params }: { params: Readonly<Record<string, string>> }) {
  const { t, lang } = useApp();
  const [values, setValues] = useState<Record<string, string>>({
    ...params,
    from: toLocalInput(params.from),
    to: toLocalInput(params.to),
  });
  const set = (name: string) => (e: { currentTarget: { value: string } }) =>
    setValues((v) => ({ ...v, [name]: e.currentTarget.value }));
  const apply = (event: Event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const raw = values[name]?.trim() ?? "";
      const value = name === "from" || name === "to" ? fromLocalInput(raw) : raw;
      if (value) next.set(name, value);
    }
    navigate({ page: "status", query: next });
  };
  return (
    <form class="filters" onSubmit={apply}>
      <Field label={t.filterType}>
        <select name="type" value={values.type ?? ""} onChange={set("type")}>
          <option value="">{t.any}</option>
          {EVENT_TYPE_IDS.map((type) => (
            <option key={type} value={type}>
              {typeLabel(type, lang)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t.filterProvider}>
        <select name="provider" value={values.provider ?? ""} onChange={set("provider")}>
          <option value="">{t.any}</option>
          {PROVIDERS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t.filterTag}>
        <input type="text" name="tag" value={values.tag ?? ""} onInput={set("tag")} />
      </Field>
      <Field label={`${t.filterFrom} (UTC)`}>
        <input type="datetime-local" name="from" value={values.from ?? ""} onInput={set("from")} />
      </Field>
      <Field label={`${t.filterTo} (UTC)`}>
        <input type="datetime-local" name="to" value={values.to ?? ""} onInput={set("to")} />
      </Field>
      <div class="actions">
        <button type="submit" class="primary">
          {t.apply}
        </button>
        <a class="button" href={hrefOf({ page: "status", query: new URLSearchParams() })}>
          {t.reset}
        </a>
      </div>
      <p class="muted small">{t.windowHint}</p>
    </form>
  );
}
