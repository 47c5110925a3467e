/**
 * The reputation figures (`GET /v1/stats`): the bounce rate and the complaint rate per UTC day as
 * two charts with their lines (the thresholds the API answers: 2% and 0.1%), the days in a table
 * (the charts' accessible alternative) with the days over a line flagged in words, and the counts
 * by provider and by tag. The window (`from`, `to`, UTC days) lives in the URL.
 */
import { useMemo, useRef } from "preact/hooks";
import type { Stats, StatsGroupBy, StatsRow } from "../../../lambdas/contract/stats.js";
import { STATS_WINDOW_DEFAULT_DAYS, STATS_WINDOW_MAX_DAYS } from "../../../lambdas/core/reputation.js";
import { useApp } from "../context.js";
import { count, percent } from "../format.js";
import type { Messages } from "../i18n.js";
import { typeLabel } from "../i18n.js";
import { navigate } from "../navigation.js";
import { providerTitle } from "../providers.js";
import { hrefOf } from "../router.js";
import { daysOver, RATES, type RateName, rateSeries } from "../stats.js";
import { Field, type Loaded, Show, TableHead, usePolled } from "./common.js";
import { FilterActions, filtersOf, useFilterForm } from "./forms.js";
import { RateChart } from "./rate-chart.js";

const FILTERS = ["from", "to"] as const;
/**
 * How many times the page asks again, a second apart, while an answer is not complete: the API
 * keeps the days it counted (their rollups), so each answer counts further (contract/stats.ts).
 */
export const STATS_ASK_AGAIN = 5;

export function StatsPage({ query }: { query: URLSearchParams }) {
  const { t } = useApp();
  const params = filtersOf(query, FILTERS);
  const key = new URLSearchParams(params).toString();
  return (
    <>
      <h1>{t.statsTitle}</h1>
      <p class="muted">{t.statsIntro}</p>
      <StatsFilters key={key} params={params} />
      <Days key={key} params={params} />
      <Groups key={`provider ${key}`} params={params} groupBy="provider" />
      <Groups key={`tag ${key}`} params={params} groupBy="tag" />
    </>
  );
}

/**
 * `GET /v1/stats` of the window, asked again (up to `STATS_ASK_AGAIN` times) while the answer is not
 * complete; `reload` asks again and starts the count of those over.
 */
function useStats(
  params: Readonly<Record<string, string>>,
  groupBy: StatsGroupBy,
): [Loaded<Stats>, () => void] {
  const { api } = useApp();
  const asked = useRef(0);
  const [loaded, reload] = usePolled(
    (signal) => {
      asked.current += 1;
      return api<Stats>("GET", "/v1/stats", { query: { ...params, groupBy }, signal });
    },
    groupBy,
    (s) => !s.complete && asked.current <= STATS_ASK_AGAIN,
  );
  const again = () => {
    asked.current = 0;
    reload();
  };
  return [loaded, again];
}

function Days({ params }: { params: Readonly<Record<string, string>> }) {
  const { t } = useApp();
  const [stats, reload] = useStats(params, "day");
  return (
    <Show loaded={stats} onRetry={reload}>
      {(s) => <DaysView stats={s} t={t} onAskAgain={reload} />}
    </Show>
  );
}

/** Each rate's chart: its test id, and the names of its title and its legend label in `Messages`. */
const CHARTS = {
  bounceRate: { testId: "bounce-chart", title: "bounceChartTitle", rateLabel: "seriesBounceRate" },
  complaintRate: {
    testId: "complaint-chart",
    title: "complaintChartTitle",
    rateLabel: "seriesComplaintRate",
  },
} as const satisfies Record<RateName, { testId: string; title: keyof Messages; rateLabel: keyof Messages }>;

function DaysView({ stats, t, onAskAgain }: { stats: Stats; t: Messages; onAskAgain: () => void }) {
  const series = useMemo(
    () => RATES.map((rate) => [rate, rateSeries(stats.rows, rate, stats.thresholds[rate])] as const),
    [stats],
  );
  return (
    <>
      <p class="small" data-testid="stats-window">
        <strong>{t.statsWindow({ from: stats.from, to: stats.to })}</strong> · {t.total}: {t.colBounceRate}{" "}
        {percent(stats.total.bounceRate)}, {t.colComplaintRate} {percent(stats.total.complaintRate)}
      </p>
      {stats.complete ? null : (
        <p class="warning" role="note" data-testid="stats-incomplete">
          {t.statsIncomplete}{" "}
          <button type="button" class="link" onClick={onAskAgain}>
            {t.askAgain}
          </button>
        </p>
      )}
      <div class="charts">
        {series.map(([rate, rates]) => (
          <RateChart
            key={rate}
            testId={CHARTS[rate].testId}
            title={t[CHARTS[rate].title]}
            note={t.chartAlternative}
            series={rates}
            rateLabel={t[CHARTS[rate].rateLabel]}
            lineLabel={t.lineAt({ rate: percent(stats.thresholds[rate]) })}
          />
        ))}
      </div>
      <section aria-labelledby="stats-days">
        <h2 id="stats-days">{t.daysTitle}</h2>
        <p class="small" data-testid="days-over">
          {t.daysOver({
            bounce: daysOver(stats.rows, "bounceRate"),
            complaint: daysOver(stats.rows, "complaintRate"),
          })}
        </p>
        <StatsTable
          rows={stats.rows}
          total={stats.total}
          stats={stats}
          keyLabel={t.colDay}
          caption={t.daysTitle}
          testId="stats-days-table"
          keyText={(row) => row.key ?? "—"}
        />
      </section>
    </>
  );
}

function Groups({
  params,
  groupBy,
}: {
  params: Readonly<Record<string, string>>;
  groupBy: "provider" | "tag";
}) {
  const { t, lang } = useApp();
  const [stats, reload] = useStats(params, groupBy);
  const title = groupBy === "provider" ? t.byProviderTitle : t.byTagTitle;
  const id = `stats-by-${groupBy}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <Show loaded={stats} onRetry={reload}>
        {(s) =>
          s.rows.length === 0 ? (
            <p class="muted">{t.noEvents}</p>
          ) : (
            <StatsTable
              rows={s.rows}
              total={s.total}
              stats={s}
              keyLabel={groupBy === "provider" ? t.colProvider : t.colTag}
              caption={title}
              testId={`${id}-table`}
              keyText={(row) =>
                row.key === null
                  ? t.otherTags
                  : groupBy === "provider"
                    ? providerTitle(row.key, lang)
                    : row.key
              }
            />
          )
        }
      </Show>
    </section>
  );
}

/** The counts and the rates of each row, a rate over its line flagged in words (not by colour alone). */
function StatsTable({
  rows,
  total,
  stats,
  keyLabel,
  caption,
  testId,
  keyText,
}: {
  rows: readonly StatsRow[];
  total: StatsRow;
  stats: Stats;
  keyLabel: string;
  caption: string;
  testId: string;
  keyText: (row: StatsRow) => string;
}) {
  const { t, lang } = useApp();
  const columns = [
    keyLabel,
    typeLabel("request", lang),
    typeLabel("delivered", lang),
    typeLabel("soft_bounce", lang),
    typeLabel("invalid", lang),
    typeLabel("complaint", lang),
    typeLabel("unsubscribe", lang),
    t.colBounceRate,
    t.colComplaintRate,
  ];
  const line = {
    bounceRate: percent(stats.thresholds.bounceRate),
    complaintRate: percent(stats.thresholds.complaintRate),
  };
  const row = (r: StatsRow, head: string, isTotal: boolean) => (
    <tr
      key={isTotal ? "total" : (r.key ?? "null")}
      class={r.over.bounceRate || r.over.complaintRate ? "is-over" : undefined}
      data-key={isTotal ? "total" : (r.key ?? "")}
    >
      <th scope="row">{head}</th>
      <td class="num">{count(r.counts.requests)}</td>
      <td class="num">{count(r.counts.deliveries)}</td>
      <td class="num">{count(r.counts.softBounces)}</td>
      <td class="num">{count(r.counts.invalid)}</td>
      <td class="num">{count(r.counts.complaints)}</td>
      <td class="num">{count(r.counts.unsubscribes)}</td>
      {(["bounceRate", "complaintRate"] as const).map((rate) => (
        <td key={rate} class={r.over[rate] ? "num over" : "num"} data-rate={rate}>
          {percent(r[rate])}
          {r.over[rate] ? <div class="flag">{t.overLine({ rate: line[rate] })}</div> : null}
        </td>
      ))}
    </tr>
  );
  return (
    <div class="table-wrap">
      <table data-testid={testId}>
        <caption class="visually-hidden">{caption}</caption>
        <TableHead columns={columns} />
        <tbody>{rows.map((r) => row(r, keyText(r), false))}</tbody>
        <tfoot>{row(total, t.total, true)}</tfoot>
      </table>
    </div>
  );
}

function StatsFilters({ params }: { params: Readonly<Record<string, string>> }) {
  const { t } = useApp();
  const { values, set, apply } = useFilterForm(FILTERS, [], params, (query) =>
    navigate({ page: "stats", query }),
  );
  return (
    <form class="filters" onSubmit={apply}>
      <Field label={`${t.filterFrom} (UTC)`}>
        <input type="date" name="from" value={values.from ?? ""} onInput={set("from")} />
      </Field>
      <Field label={`${t.filterTo} (UTC)`}>
        <input type="date" name="to" value={values.to ?? ""} onInput={set("to")} />
      </Field>
      <FilterActions resetHref={hrefOf({ page: "stats", query: new URLSearchParams() })} />
      <p class="muted small">
        {t.statsWindowHint({ max: STATS_WINDOW_MAX_DAYS, days: STATS_WINDOW_DEFAULT_DAYS })}
      </p>
    </form>
  );
}
