/** The benchmark figures, the machine they ran on, and how they are printed. */
import { cpus, loadavg, totalmem } from "node:os";
import { sig } from "./stats.js";

/** One reported number with its budget. `ok` is `value <= budget` (every figure is lower-is-better)… */
export type Figure = {
  readonly value: number;
  readonly unit: string;
  readonly budget: number;
  /** …except throughputs, where it is `value >= budget`. */
  readonly ok: boolean;
};

export type Figures = Record<string, Figure>;

/** A figure whose value must stay at or under its budget. */
export function atMost(value: number, unit: string, budget: number): Figure {
  return { value, unit, budget, ok: Number.isFinite(value) && value <= budget };
}

/** A figure whose value must reach its budget (throughputs). */
export function atLeast(value: number, unit: string, budget: number): Figure {
  return { value, unit, budget, ok: Number.isFinite(value) && value >= budget };
}

/** Where the run happened: figures from different machines are not comparable. */
export function machineInfo(engine: string, loadAtStart: number): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? "unknown",
    cores: cpu.length,
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    engine,
    /** 1-minute load average before and after the run: other work on the cores skews the timings. */
    loadAvgStart: loadAtStart,
    loadAvgEnd: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** The human table: one line per figure, failures marked. */
export function formatTable(figures: Figures): string {
  const rows = Object.entries(figures).map(([name, f]) => [
    name,
    String(sig(f.value, 4)),
    f.unit,
    String(f.budget),
    f.ok ? "ok" : "FAIL",
  ]);
  const header = ["figure", "value", "unit", "budget", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
