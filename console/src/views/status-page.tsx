/**
 * The status view: the tenant's events over a window of up to 30 days, filtered by type, provider,
 * tag and time, with the counts per type on top (`GET /v1/event-counts`, same window and filters).
 */
import type { EventCounts, StatusPage as StatusAnswer } from "../../../lambdas/contract/status.js";
import { STATUS_WINDOW_DEFAULT_DAYS, STATUS_WINDOW_MAX_DAYS } from "../../../lambdas/core/limits.js";
import { EVENT_TYPE_IDS, type EventType } from "../../../lambdas/core/taxonomy.js";
import { useApp } from "../context.js";
import { minute } from "../format.js";
import { OUTCOME_LABELS, reasonLabel, subtypeLabel, typeLabel } from "../i18n.js";
import { navigate } from "../navigation.js";
import { providerTitle } from "../providers.js";
import { hrefOf } from "../router.js";
import { AddressLink, Field, PagedResults, Show, TableHead, useLoad } from "./common.js";
import { ExportButton } from "./export-button.js";
import { FilterActions, filtersOf, ProviderSelect, TimeField, useFilterForm } from "./forms.js";

const FILTERS = ["type", "provider", "tag", "from", "to"] as const;

export function StatusPage({ query }: { query: URLSearchParams }) {
  const { t } = useApp();
  const params = filtersOf(query, FILTERS);
  const filterKey = new URLSearchParams(params).toString();
  const { type: _type, ...span } = params;
  // The counts are per type: choosing a type filters the list, not the counts.
  const windowKey = new URLSearchParams(span).toString();
  return (
    <>
      <h1>{t.statusTitle}</h1>
      <StatusFilters key={filterKey} params={params} />
      <Counts key={windowKey} params={params} />
      <ExportButton label={t.exportTheseEvents} request={{ kind: "events", filters: params }} />
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
  return (
    <PagedResults
      load={(cursor, signal) =>
        api<StatusAnswer>("GET", "/v1/events", { query: { ...params, limit: 25, cursor }, signal })
      }
    >
      {(p) => (
        <table>
          <caption class="visually-hidden">{t.statusTitle}</caption>
          <TableHead
            columns={[
              t.colTime,
              t.colType,
              t.colReason,
              t.colProvider,
              t.colRecipient,
              t.colOutcome,
              t.filterTag,
            ]}
          />
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
                  <td>{providerTitle(event.provider, lang)}</td>
                  <td>
                    <AddressLink subject={event.recipient} />
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
      )}
    </PagedResults>
  );
}

function StatusFilters({ params }: { params: Readonly<Record<string, string>> }) {
  const { t, lang } = useApp();
  const { values, set, apply } = useFilterForm(FILTERS, ["from", "to"], params, (query) =>
    navigate({ page: "status", query }),
  );
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
      <ProviderSelect label={t.filterProvider} name="provider" value={values.provider} set={set} />
      <Field label={t.filterTag}>
        <input type="text" name="tag" value={values.tag ?? ""} onInput={set("tag")} />
      </Field>
      <TimeField label={t.filterFrom} name="from" value={values.from} set={set} />
      <TimeField label={t.filterTo} name="to" value={values.to} set={set} />
      <FilterActions resetHref={hrefOf({ page: "status", query: new URLSearchParams() })} />
      <p class="muted small">
        {t.windowHint({ max: STATUS_WINDOW_MAX_DAYS, days: STATUS_WINDOW_DEFAULT_DAYS })}
      </p>
    </form>
  );
}
