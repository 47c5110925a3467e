/**
 * The lists: bounces, complaints (with expiry), unsubscribes (with the reason the recipient chose),
 * manual entries, and the allowlist; the filters `GET /v1/suppressions` offers, cursor paging, and
 * every address a link to its page. The filters live in the URL, so a filtered list can be shared.
 */
import type { AllowlistPage } from "../../../lambdas/contract/allowlist.js";
import type { ListEntry, ListPage } from "../../../lambdas/contract/lists.js";
import type { Cause } from "../../../lambdas/core/ledger/types.js";
import { REASON_IDS } from "../../../lambdas/core/taxonomy.js";
import { useApp } from "../context.js";
import { minute } from "../format.js";
import { CAUSE_LABELS, type Messages, reasonLabel, unsubscribeReasonLabel } from "../i18n.js";
import { navigate } from "../navigation.js";
import { sourceName } from "../providers.js";
import { hrefOf, LIST_KINDS, type ListKind } from "../router.js";
import { AddressLink, Field, PagedResults, ReasonText, Show, TableHead, useLoad } from "./common.js";
import { subjectPath } from "./entries-table.js";
import { ExportButton } from "./export-button.js";
import { FilterActions, filtersOf, ProviderSelect, TimeField, useFilterForm } from "./forms.js";

/** The cause each list shows (the bounce list also offers repeated soft bounces). */
const CAUSES_OF: Record<Exclude<ListKind, "allowlist">, readonly Cause[]> = {
  bounces: ["bounce", "soft_escalation"],
  complaints: ["complaint"],
  unsubscribes: ["unsubscribe"],
  manual: ["manual"],
};

/** The query parameters of the list route a filter form may set. */
const FILTERS = ["cause", "reason", "source", "scope", "since", "until", "q"] as const;

const TAB_LABEL = (t: Messages): Record<ListKind, string> => ({
  bounces: t.listBounces,
  complaints: t.listComplaints,
  unsubscribes: t.listUnsubscribes,
  manual: t.listManual,
  allowlist: t.listAllowlist,
});

export function ListsPage({ kind, query }: { kind: ListKind; query: URLSearchParams }) {
  const { t } = useApp();
  const tabs = TAB_LABEL(t);
  return (
    <>
      <h1>{t.listsTitle}</h1>
      <nav class="tabs" aria-label={t.listsTitle}>
        {LIST_KINDS.map((k) => (
          <a
            key={k}
            href={hrefOf({ page: "lists", kind: k, query: new URLSearchParams() })}
            aria-current={k === kind ? "page" : undefined}
          >
            {tabs[k]}
          </a>
        ))}
      </nav>
      {kind === "allowlist" ? <Allowlist /> : <SuppressionList key={kind} kind={kind} query={query} />}
    </>
  );
}

function SuppressionList({ kind, query }: { kind: Exclude<ListKind, "allowlist">; query: URLSearchParams }) {
  const causes = CAUSES_OF[kind];
  const params = filtersOf(query, FILTERS);
  if (!params.cause || !causes.includes(params.cause as Cause)) params.cause = causes[0] as string;
  const filterKey = new URLSearchParams(params).toString();
  const { t } = useApp();
  return (
    <>
      <ListFilters key={filterKey} kind={kind} causes={causes} params={params} />
      <ExportButton label={t.exportThisList} request={{ kind: "suppressions", filters: params }} />
      <ListResults key={filterKey} kind={kind} params={params} />
    </>
  );
}

/** One filtered list, paged; a new filter is a new `ListResults` (its paging starts over). */
function ListResults({
  kind,
  params,
}: {
  kind: Exclude<ListKind, "allowlist">;
  params: Record<string, string>;
}) {
  const { t, api } = useApp();
  return (
    <PagedResults
      load={(cursor, signal) =>
        api<ListPage>("GET", "/v1/suppressions", { query: { ...params, limit: 25, cursor }, signal })
      }
    >
      {(p) => (
        <table>
          <caption class="visually-hidden">{TAB_LABEL(t)[kind]}</caption>
          <TableHead
            columns={[
              t.colSubject,
              t.colCause,
              t.colReason,
              t.colScope,
              t.colSince,
              t.colExpires,
              t.colSource,
              ...(kind === "unsubscribes" ? [t.colUnsubscribeReason] : []),
              ...(kind === "manual" ? [t.colNote] : []),
            ]}
          />
          <tbody>
            {p.items.map((entry) => (
              <ListRow key={`${subjectPath(entry)} ${entry.scope}`} entry={entry} kind={kind} />
            ))}
          </tbody>
        </table>
      )}
    </PagedResults>
  );
}

function ListRow({ entry, kind }: { entry: ListEntry; kind: Exclude<ListKind, "allowlist"> }) {
  const { t, lang } = useApp();
  const winning = entry.causes.find((c) => c.cause === entry.cause);
  return (
    <tr>
      <td>
        <AddressLink subject={subjectPath(entry)} />
      </td>
      <td>{CAUSE_LABELS[entry.cause][lang]}</td>
      <td>
        <ReasonText reason={entry.reason} />
      </td>
      <td>
        <code>{entry.scope}</code>
      </td>
      <td>{minute(entry.since)}</td>
      <td>{entry.expiresAt ? minute(entry.expiresAt) : t.never}</td>
      <td>{sourceName(entry.source, lang)}</td>
      {kind === "unsubscribes" ? (
        <td>{unsubscribeReasonLabel(winning?.unsubscribeReason ?? null, lang) ?? "—"}</td>
      ) : null}
      {kind === "manual" ? <td>{winning?.note ?? "—"}</td> : null}
    </tr>
  );
}

function ListFilters({
  kind,
  causes,
  params,
}: {
  kind: Exclude<ListKind, "allowlist">;
  causes: readonly Cause[];
  params: Readonly<Record<string, string>>;
}) {
  const { t, lang } = useApp();
  const { values, set, apply } = useFilterForm(FILTERS, ["since", "until"], params, (query) =>
    navigate({ page: "lists", kind, query }),
  );
  return (
    <form class="filters" onSubmit={apply}>
      {causes.length > 1 ? (
        <Field label={t.colCause}>
          <select value={values.cause ?? causes[0]} onChange={set("cause")}>
            {causes.map((c) => (
              <option key={c} value={c}>
                {CAUSE_LABELS[c][lang]}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {kind === "bounces" ? (
        <Field label={t.filterReason}>
          <select value={values.reason ?? ""} onChange={set("reason")}>
            <option value="">{t.any}</option>
            {REASON_IDS.map((r) => (
              <option key={r} value={r}>
                {reasonLabel(r, lang)}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {kind !== "manual" ? (
        <ProviderSelect label={t.filterSource} name="source" value={values.source} set={set} />
      ) : null}
      <Field label={t.filterQuery}>
        <input type="search" name="q" value={values.q ?? ""} onInput={set("q")} spellcheck={false} />
      </Field>
      <Field label={t.filterScope}>
        <input type="text" name="scope" value={values.scope ?? ""} onInput={set("scope")} />
      </Field>
      <TimeField label={t.filterSince} name="since" value={values.since} set={set} />
      <TimeField label={t.filterUntil} name="until" value={values.until} set={set} />
      <FilterActions resetHref={hrefOf({ page: "lists", kind, query: new URLSearchParams() })} />
    </form>
  );
}

function Allowlist() {
  const { t, api } = useApp();
  const [page, reload] = useLoad(
    (signal) => api<AllowlistPage>("GET", "/v1/allowlist", { signal }),
    "allowlist",
  );
  return (
    <Show loaded={page} onRetry={reload}>
      {(p) =>
        p.entries.length === 0 ? (
          <p class="muted">{t.emptyList}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">{t.listAllowlist}</caption>
              <TableHead columns={[t.colSubject, t.colNote, t.colAllowedSince, t.colBy]} />
              <tbody>
                {p.entries.map((entry) => (
                  <tr key={subjectPath(entry)}>
                    <td>
                      <AddressLink subject={subjectPath(entry)} />
                    </td>
                    <td>{entry.note ?? "—"}</td>
                    <td>{minute(entry.since)}</td>
                    <td>{entry.actor.name}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </Show>
  );
}
