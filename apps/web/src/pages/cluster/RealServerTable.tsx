// The realservers of one service, a row each, with the director's live counts beside them and,
// on the keepalived engine, each one's health-check verdict.
import { formatEndpoint, liveServiceKey } from "@lvs-panel/lvs";
import type { ClusterHealthState } from "../../api/health.ts";
import type { RealServer, Service } from "../../api/types.ts";
import { IfCanEdit } from "../../components/IfCanEdit.tsx";
import { Table, type TableColumn } from "../../components/Table.tsx";
import type { LiveService } from "../../live/types.ts";
import type { LocatedIssue } from "./issuePaths.ts";
import { RealServerRow } from "./RealServerRow.tsx";
import { IssueMarker } from "./ServiceIssues.tsx";

const ACTIONS: TableColumn = {
  // Viewers have no controls here; the column keeps a name for screen readers.
  header: (
    <IfCanEdit fallback={<span className="sr-only">Actions</span>}>Enabled · actions</IfCanEdit>
  ),
  align: "right",
};

const COLUMNS: TableColumn[] = [
  { header: "Address" },
  { header: "Weight" },
  { header: "Thresholds" },
  { header: "Status" },
  { header: "Connections" },
  ACTIONS,
];

const COLUMNS_WITH_HEALTH: TableColumn[] = [
  { header: "Address" },
  { header: "Weight" },
  { header: "Thresholds" },
  { header: "Status" },
  { header: "Health" },
  { header: "Connections" },
  ACTIONS,
];

export function RealServerTable({
  service,
  issues,
  live,
  health = null,
  onEdit,
  onDelete,
}: {
  service: Service;
  issues: LocatedIssue[];
  /** The director's latest figures for this service; null when nobody reads the director. */
  live: LiveService | null | undefined;
  /** The cluster's health readings (keepalived engine); null: no health column. */
  health?: ClusterHealthState | null;
  onEdit: (realserver: RealServer) => void;
  onDelete: (realserver: RealServer) => void;
}) {
  if (service.realservers.length === 0) {
    return (
      <p className="border-b border-slate-100 px-5 py-6 text-center text-sm text-slate-500">
        No realservers yet. Add the backends that will answer for this service.
      </p>
    );
  }
  return (
    <Table
      look="flush"
      label={`Realservers of ${liveServiceKey(service)}`}
      columns={health ? COLUMNS_WITH_HEALTH : COLUMNS}
      className="border-b border-slate-100"
    >
      {service.realservers.map((rs, index) => {
        const endpoint = formatEndpoint(rs.address, rs.port);
        return (
          <RealServerRow
            key={rs.id}
            clusterId={service.clusterId}
            realserver={rs}
            live={live?.realservers.find((r) => r.key === endpoint)}
            liveAvailable={live !== null}
            health={
              health
                ? {
                    reading: health.health?.realservers.find((h) => h.id === rs.id),
                    at: health.health?.at ?? null,
                    error: health.error?.message ?? null,
                  }
                : undefined
            }
            marker={<IssueMarker issues={issues.filter((issue) => issue.realserver === index)} />}
            onEdit={() => onEdit(rs)}
            onDelete={() => onDelete(rs)}
          />
        );
      })}
    </Table>
  );
}
