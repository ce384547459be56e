// A uPlot line chart that follows its container's width. The instance is rebuilt only when the
// set of lines changes; new points just replace the data, which uPlot redraws cheaply.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./TimeSeriesChart.css";
import type { SeriesValues } from "./history.ts";

export interface ChartLine {
  label: string;
  color: string;
  values: SeriesValues;
  /** Lines on "right" use the right-hand axis (e.g. bytes/s beside connections/s). */
  axis?: "left" | "right";
  dash?: number[];
}

export interface TimeSeriesChartProps {
  /** Accessible name of the chart, e.g. "Active connections per realserver, TCP …:80". */
  label: string;
  x: number[];
  lines: ChartLine[];
  formatLeft: (value: number) => string;
  formatRight?: (value: number) => string;
  height?: number;
}

const AXIS = {
  stroke: "#64748b",
  font: "11px ui-sans-serif, system-ui, sans-serif",
  grid: { stroke: "#eef2f7", width: 1 },
  ticks: { stroke: "#e2e8f0", width: 1, size: 4 },
};

export function TimeSeriesChart({
  label,
  x,
  lines,
  formatLeft,
  formatRight,
  height = 170,
}: TimeSeriesChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const data: uPlot.AlignedData = [x, ...lines.map((line) => line.values)];
  const dataRef = useRef(data);
  dataRef.current = data;
  const shape = lines.map((l) => `${l.label}|${l.color}|${l.axis ?? "left"}`).join(",");
  const formatRef = useRef({ formatLeft, formatRight });
  formatRef.current = { formatLeft, formatRight };

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt only when the lines change (shape); data flows through the effect below
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const hasRight = lines.some((l) => l.axis === "right");
    const opts: uPlot.Options = {
      width: Math.max(container.clientWidth, 200),
      height,
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      legend: { show: true, live: true },
      scales: { x: { time: true }, y: { range: nonNegative }, r: { range: nonNegative } },
      series: [
        {
          label: "Time",
          value: (u, v, si, idx) => {
            const t = idx == null ? latest(u, si) : v;
            return t == null ? "—" : clockLabel(t, true);
          },
        },
        ...lines.map((line) => ({
          label: line.label,
          stroke: line.color,
          width: 1.75,
          scale: line.axis === "right" ? "r" : "y",
          dash: line.dash,
          spanGaps: false,
          points: { show: false },
          // Away from the cursor the legend shows the latest figures rather than dashes.
          value: (u: uPlot, v: number | null, si: number, idx: number | null) => {
            const shown = idx == null ? latest(u, si) : v;
            if (shown == null) return "—";
            const format =
              line.axis === "right"
                ? (formatRef.current.formatRight ?? formatRef.current.formatLeft)
                : formatRef.current.formatLeft;
            return format(shown);
          },
        })),
      ],
      axes: [
        { ...AXIS, space: 70, values: (_u, splits) => splits.map((v) => clockLabel(v)) },
        {
          ...AXIS,
          scale: "y",
          size: 52,
          values: (_u, splits) => splits.map((v) => formatRef.current.formatLeft(v)),
        },
        ...(hasRight
          ? [
              {
                ...AXIS,
                scale: "r",
                side: 1 as const,
                size: 60,
                grid: { show: false },
                values: (_u: uPlot, splits: number[]) =>
                  splits.map((v) =>
                    (formatRef.current.formatRight ?? formatRef.current.formatLeft)(v),
                  ),
              },
            ]
          : []),
      ],
    };
    const plot = new uPlot(opts, dataRef.current, container);
    plotRef.current = plot;
    const observer = new ResizeObserver((entries) => {
      const width = entries[0]?.contentRect.width;
      if (width && Math.abs(width - plot.width) >= 1) plot.setSize({ width, height });
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [shape, height]);

  useEffect(() => {
    plotRef.current?.setData(data);
  });

  return (
    <figure className="min-w-0">
      <figcaption className="sr-only">{label}</figcaption>
      <div ref={containerRef} role="img" aria-label={label} className="live-chart w-full" />
      {x.length < 2 ? (
        <p className="mt-1 text-xs text-slate-400">
          Collecting data — the chart fills as ticks arrive.
        </p>
      ) : null}
    </figure>
  );
}

function latest(u: uPlot, seriesIndex: number): number | null {
  const values = u.data[seriesIndex] ?? [];
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v != null) return v;
  }
  return null;
}

/** Unix seconds → local "HH:MM" (axis) or "HH:MM:SS" (legend). */
function clockLabel(seconds: number, withSeconds = false): string {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
  return withSeconds ? `${hm}:${two(d.getSeconds())}` : hm;
}

/** Counts and rates never go below zero; keep a little headroom above the largest value. */
function nonNegative(_u: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax {
  const top = max == null || max <= 0 ? 1 : max * 1.1;
  return [0, top];
}
