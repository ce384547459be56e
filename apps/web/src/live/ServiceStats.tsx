// Per virtual service: the director's counters now (ActiveConn, InActConn, --rate figures), the
// same per realserver, and charts of the last 15 minutes. On the keepalived engine, each
// realserver's health-check verdict too, beside its connections, from the same tick.
import { type Forwarding, formatEndpoint } from "@lvs-panel/lvs";
import { useMemo } from "react";
import type { RealserverHealth } from "../api/types.ts";
import { Card } from "../components/Card.tsx";
import { Table, type TableColumn } from "../components/Table.tsx";
import { RealServerHealth } from "../pages/cluster/RealServerHealth.tsx";
import { formatAxisNumber, formatBytesPerSecond, formatCount, formatPerSecond } from "./format.ts";
import { type ServiceSeries, serviceSeries } from "./history.ts";
import type { ServiceHealth } from "./realserverHealth.ts";
import { type ChartLine, TimeSeriesChart } from "./TimeSeriesChart.tsx";
import type { HistoryPoint, LiveService, LiveTotals } from "./types.ts";

const PALETTE = [
  "#4f46e5",
  "#0891b2",
  "#d97706",
  "#db2777",
  "#059669",
  "#7c3aed",
  "#dc2626",
  "#475569",
];

const REALSERVER_COLUMNS: TableColumn[] = [
  { header: "Realserver" },
  { header: "Weight", align: "right" },
  { header: "ActiveConn", align: "right" },
  { header: "InActConn", align: "right" },
  { header: "Conn/s", align: "right" },
  { header: "Pkt/s in · out", align: "right" },
  { header: "Bytes/s in · out", align: "right" },
];

/** On the keepalived engine: the verdict right after the name, next to weight and connections. */
const REALSERVER_COLUMNS_WITH_HEALTH: TableColumn[] = [
  { header: "Realserver" },
  { header: "Health" },
  ...REALSERVER_COLUMNS.slice(1),
];

const NOT_CHECKED =
  "No health verdict: not one of this service's realservers in the panel (a sorry server, or added by hand)";

export function ServiceStats({
  service,
  totals,
  history,
  health = null,
  stale = null,
  forwarding,
}: {
  service: LiveService;
  /** Absent when the tick carries no connection table (counters only). */
  totals: LiveTotals | undefined;
  history: readonly HistoryPoint[];
  /** keepalived's verdicts for this service's realservers; null: no health column (ipvsadm). */
  health?: ServiceHealth | null;
  /** Why the tick shown is not current (the director cannot be read), or null while it is. */
  stale?: string | null;
  /** The service's forwarding method in the panel, if it is one of the cluster's. */
  forwarding?: Forwarding | undefined;
}) {
  const series = useMemo(() => serviceSeries(history, service.key), [history, service.key]);
  const entries = totals?.services[service.key];
  const r = service.rates;
  return (
    <Card
      label={`Service ${service.key}`}
      title={<span className="font-mono text-[0.8125rem]">{service.key}</span>}
      actions={
        <span className="text-xs text-slate-500">
          {formatCount(entries?.entries ?? 0)} table entries · {service.realservers.length}{" "}
          {service.realservers.length === 1 ? "realserver" : "realservers"}
        </span>
      }
    >
      <dl className="grid grid-cols-2 gap-px border-b border-slate-100 bg-slate-100 sm:grid-cols-3 lg:grid-cols-5">
        <Metric label="ActiveConn" value={formatCount(service.activeConns)} />
        <Metric label="InActConn" value={formatCount(service.inactiveConns)} />
        <Metric label="Connections/s" value={formatPerSecond(r.CPS)} />
        <Metric
          label="Packets/s in · out"
          value={`${formatPerSecond(r.InPPS)} · ${formatPerSecond(r.OutPPS)}`}
        />
        <Metric
          label="Bytes/s in · out"
          value={`${formatBytesPerSecond(r.InBPS)} · ${formatBytesPerSecond(r.OutBPS)}`}
          className="col-span-2 lg:col-span-1"
        />
      </dl>
      {forwarding === "dr" || forwarding === "tun" ? (
        <p className="border-b border-slate-100 px-5 py-2 text-xs text-slate-500">
          Out 0/s is expected with {forwarding === "dr" ? "DR" : "TUN"}: the realservers answer the
          clients directly, so replies never pass through the director; only requests are counted.
        </p>
      ) : null}
      {service.realservers.length > 0 || (health?.absent.length ?? 0) > 0 ? (
        <Table
          look="live"
          caption={`Realservers of ${service.key}`}
          columns={health ? REALSERVER_COLUMNS_WITH_HEALTH : REALSERVER_COLUMNS}
          tableClassName={health ? "min-w-[48rem]" : "min-w-[40rem]"}
        >
          {service.realservers.map((rs, index) => (
            <tr key={rs.key} className="tabular-nums text-slate-700">
              <th
                scope="row"
                className="px-5 py-2 text-left font-mono text-[0.8125rem] font-normal whitespace-nowrap"
              >
                <span
                  aria-hidden="true"
                  className="mr-2 inline-block size-2 rounded-full align-middle"
                  style={{ backgroundColor: PALETTE[index % PALETTE.length] }}
                />
                {rs.key}
              </th>
              {health ? (
                <td className="px-3 py-2">
                  <HealthCell reading={health.byKey.get(rs.key)} at={health.at} stale={stale} />
                </td>
              ) : null}
              <td className={`px-3 py-2 text-right ${rs.weight === 0 ? "text-amber-700" : ""}`}>
                {formatCount(rs.weight)}
              </td>
              <td className="px-3 py-2 text-right font-medium text-slate-900">
                {formatCount(rs.activeConns)}
              </td>
              <td className="px-3 py-2 text-right">{formatCount(rs.inactiveConns)}</td>
              <td className="px-3 py-2 text-right">{formatPerSecond(rs.rates.CPS)}</td>
              <td className="px-3 py-2 text-right whitespace-nowrap">
                {formatPerSecond(rs.rates.InPPS)} · {formatPerSecond(rs.rates.OutPPS)}
              </td>
              <td className="px-5 py-2 text-right whitespace-nowrap">
                {formatBytesPerSecond(rs.rates.InBPS)} · {formatBytesPerSecond(rs.rates.OutBPS)}
              </td>
            </tr>
          ))}
          {health?.absent.map((rs) => (
            <AbsentRow key={rs.id} reading={rs} at={health.at} stale={stale} />
          ))}
        </Table>
      ) : (
        <p className="px-5 py-3 text-sm text-slate-500">
          No realservers on the director for this service.
        </p>
      )}
      <ServiceCharts serviceKey={service.key} series={series} />
    </Card>
  );
}

/** A realserver's verdict; a dash for one the panel does not check (a sorry server, say). */
function HealthCell({
  reading,
  at,
  stale,
}: {
  reading: RealserverHealth | undefined;
  at: string;
  stale: string | null;
}) {
  if (!reading) {
    return (
      <span className="text-slate-400" title={NOT_CHECKED}>
        —
      </span>
    );
  }
  return <RealServerHealth view={{ reading, at, error: stale }} />;
}

/**
 * A realserver of the service that the director's table does not list: keepalived removed it
 * after a failed check (or it is not applied yet). No counters, but its verdict says why.
 */
function AbsentRow({
  reading,
  at,
  stale,
}: {
  reading: RealserverHealth;
  at: string;
  stale: string | null;
}) {
  return (
    <tr className="text-slate-700">
      <th
        scope="row"
        className="px-5 py-2 text-left font-mono text-[0.8125rem] font-normal whitespace-nowrap"
      >
        <span aria-hidden="true" className="mr-2 inline-block size-2 align-middle" />
        {formatEndpoint(reading.address, reading.port)}
      </th>
      <td className="px-3 py-2">
        <HealthCell reading={reading} at={at} stale={stale} />
      </td>
      <td colSpan={REALSERVER_COLUMNS.length - 1} className="px-5 py-2 text-xs text-slate-500">
        Not in the director's table: no counters
      </td>
    </tr>
  );
}

function ServiceCharts({ serviceKey, series }: { serviceKey: string; series: ServiceSeries }) {
  // Active and inactive per realserver, in its colour: short requests spend most of their life
  // in TIME_WAIT (InActConn), so a drain shows in the dashed line as much as in the solid one.
  const connectionLines: ChartLine[] = series.realservers.flatMap((rs, index) => {
    const color = PALETTE[index % PALETTE.length] ?? "#4f46e5";
    return [
      { label: `${rs.key} active`, color, values: rs.active },
      { label: `${rs.key} inactive`, color, values: rs.inactive, dash: [4, 3] },
    ];
  });
  const trafficLines: ChartLine[] = [
    { label: "Conn/s", color: "#4f46e5", values: series.cps },
    { label: "In B/s", color: "#0891b2", values: series.inBps, axis: "right" },
    { label: "Out B/s", color: "#d97706", values: series.outBps, axis: "right", dash: [5, 3] },
  ];
  return (
    <div className="grid gap-x-6 gap-y-4 border-t border-slate-100 px-5 py-4 lg:grid-cols-2">
      <div className="min-w-0">
        <h4 className="mb-1 text-xs font-semibold text-slate-600">
          Connections per realserver: active, inactive (dashed){" "}
          <span className="font-normal text-slate-400">· 15 min</span>
        </h4>
        <TimeSeriesChart
          label={`Active and inactive connections per realserver, ${serviceKey}, last 15 minutes`}
          x={series.x}
          lines={connectionLines}
          formatLeft={formatAxisNumber}
        />
      </div>
      <div className="min-w-0">
        <h4 className="mb-1 text-xs font-semibold text-slate-600">
          Connections/s and bytes/s <span className="font-normal text-slate-400">· 15 min</span>
        </h4>
        <TimeSeriesChart
          label={`Connections per second and bytes per second, ${serviceKey}, last 15 minutes`}
          x={series.x}
          lines={trafficLines}
          formatLeft={formatAxisNumber}
          formatRight={(v) => formatBytesPerSecond(v).replace("/s", "")}
        />
      </div>
    </div>
  );
}

function Metric({
  label,
  value,
  className = "",
}: {
  label: string;
  value: string;
  className?: string;
}) {
  return (
    <div className={`bg-white px-5 py-3 ${className}`}>
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold tracking-tight text-slate-900 tabular-nums">
        {value}
      </dd>
    </div>
  );
}
