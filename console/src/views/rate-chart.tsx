/**
 * One rate per day as a uPlot line chart, with its line (2%, 0.1%) drawn dashed across it. uPlot
 * draws on a canvas and sets its few styles through the CSSOM (`element.style`), which the CSP
 * allows (it refuses only inline `<style>` and `style=""`); its stylesheet is bundled with ours
 * (main.tsx). The chart is hidden from screen readers: the table of days under it holds the same
 * figures, and the caption says so.
 */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { type RateSeries, rateScaleMax } from "../stats.js";

/** The chart's colours: the stylesheet's accent and danger (a canvas cannot read CSS variables cheaply). */
const RATE_COLOUR = "#0a58ca";
const LINE_COLOUR = "#b42318";
const HEIGHT = 220;
const DAY = 86_400;

export type RateChartProps = {
  /** The chart's caption (its accessible name is the caption of the figure). */
  readonly title: string;
  readonly note: string;
  readonly series: RateSeries;
  /** Legend labels: the rate, and its line. */
  readonly rateLabel: string;
  readonly lineLabel: string;
  readonly testId: string;
};

export function RateChart({ title, note, series, rateLabel, lineLabel, testId }: RateChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const [, rates, line] = series;
    const top = rateScaleMax(rates, line[0] ?? 0);
    const chart = new uPlot(
      {
        width: Math.max(element.clientWidth, 320),
        height: HEIGHT,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        // Half a day either side, so the first and the last day's points are not cut by the edges.
        scales: {
          x: { time: true, range: (_u, min, max) => [min - DAY / 2, max + DAY / 2] },
          y: { range: () => [0, top] },
        },
        series: [
          { label: "UTC" },
          {
            label: rateLabel,
            stroke: RATE_COLOUR,
            width: 2,
            points: { show: true, size: 7, fill: RATE_COLOUR },
          },
          { label: lineLabel, stroke: LINE_COLOUR, width: 1.5, dash: [6, 4], points: { show: false } },
        ],
        axes: [
          {
            incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY],
            values: (_u, splits) => splits.map((s) => new Date(s * 1000).toISOString().slice(5, 10)),
          },
          { values: (_u, splits) => splits.map((v) => `${Number(v.toPrecision(6))}%`), size: 60 },
        ],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      },
      [series[0], series[1], series[2]] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => {
      chart.setSize({ width: Math.max(element.clientWidth, 320), height: HEIGHT });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [series, rateLabel, lineLabel]);
  const captionId = `${testId}-caption`;
  return (
    <figure class="chart" aria-labelledby={captionId} data-testid={testId}>
      <figcaption id={captionId}>
        <strong>{title}</strong> <span class="muted small">{note}</span>
      </figcaption>
      <div ref={box} class="chart-box" aria-hidden="true" />
    </figure>
  );
}
