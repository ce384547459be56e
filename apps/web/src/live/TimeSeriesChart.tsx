// A uPlot line chart that follows its container's width. The instance is rebuilt only when the
// set of lines changes; new points just replace the data, which uPlot redraws cheaply. The axes
// are drawn on a canvas, so the ticks they show are also written out as the chart's description.
import { useEffect, useId, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./TimeSeriesChart.css";
import { ticksUpTo, valueAxis } from "./axisTicks.ts";
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
  /** Accessible name of the chart, e.g. "Active and inactive connections per realserver, TCP …:80". */
  label: string;
  x: number[];
  lines: ChartLine[];
  formatLeft: (value: number) => string;
  formatRight?: (value: number) => string;
  height?: number;
}

/** Time-axis steps in seconds: whole seconds at most, so no two ticks print the same time. */
const TIME_INCREMENTS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

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
  const ticksRef = useRef<HTMLParagraphElement>(null);
  const ticksId = useId();
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
    // About one tick per 24 px of plot height (the x axis and padding take ~50 px).
    const maxTicks = Math.max(3, Math.floor((height - 50) / 24));
    const left = (v: number) => formatRef.current.formatLeft(v);
    const right = (v: number) => (formatRef.current.formatRight ?? formatRef.current.formatLeft)(v);
    const drawn = { x: [] as string[], y: [] as string[], r: [] as string[] };
    const describe = () => {
      const parts = [`Scale: ${drawn.y.join(", ")}.`];
      if (hasRight) parts.push(`Right-hand scale: ${drawn.r.join(", ")}.`);
      if (drawn.x.length > 0) parts.push(`Times: ${drawn.x.join(", ")}.`);
      const text = parts.join(" ");
      if (ticksRef.current && ticksRef.current.textContent !== text) {
        ticksRef.current.textContent = text;
      }
    };
    const opts: uPlot.Options = {
      width: Math.max(container.clientWidth, 200),
      height,
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      legend: { show: true, live: true },
      scales: {
        x: { time: true },
        y: { range: (_u, _min, max) => [0, valueAxis(max, maxTicks, left).top] },
        r: { range: (_u, _min, max) => [0, valueAxis(max, maxTicks, right).top] },
      },
      hooks: { draw: [describe] },
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
        {
          ...AXIS,
          space: 70,
          incrs: TIME_INCREMENTS,
          // Under a minute apart, ticks show seconds too: 10:00:15, 10:00:30, not 10:00 twice.
          values: (_u, splits, _axis, _space, increment) => {
            drawn.x = splits.map((v) => clockLabel(v, increment < 60));
            return drawn.x;
          },
        },
        {
          ...AXIS,
          scale: "y",
          size: 52,
          splits: (_u, _axis, _min, max) => ticksUpTo(max, maxTicks, left),
          values: (_u, splits) => {
            drawn.y = splits.map(left);
            return drawn.y;
          },
        },
        ...(hasRight
          ? [
              {
                ...AXIS,
                scale: "r",
                side: 1 as const,
                size: 60,
                grid: { show: false },
                splits: (_u: uPlot, _axis: number, _min: number, max: number) =>
                  ticksUpTo(max, maxTicks, right),
                values: (_u: uPlot, splits: number[]) => {
                  drawn.r = splits.map(right);
                  return drawn.r;
                },
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
      <div
        ref={containerRef}
        role="img"
        aria-label={label}
        aria-describedby={ticksId}
        className="live-chart w-full"
      />
      {/* Filled by the chart as it draws: the ticks on its axes, for screen readers. */}
      <p id={ticksId} ref={ticksRef} className="sr-only" />
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
