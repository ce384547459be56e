// What an import would take from a director: its services with a checkbox each, those it refuses
// and why, what it adjusts, and what stops keepalived.conf from being taken over.
import type { ImportPreview } from "../../api/types.ts";
import { Table, type TableColumn } from "../../components/Table.tsx";
import { formatForwarding, pluralize } from "../../lib/format.ts";
import type { ImportChoice } from "./useImportChoice.ts";

const COLUMNS: readonly TableColumn[] = [
  { header: "Import", headerHidden: true, className: "w-10" },
  { header: "Service" },
  { header: "Scheduler" },
  { header: "Forwarding" },
  { header: "Realservers", align: "right" },
  { header: "Health check" },
];

export function ImportPreviewView({
  preview,
  choice,
}: {
  preview: ImportPreview;
  choice: ImportChoice;
}) {
  return (
    <div className="space-y-4 text-sm">
      <p className="text-slate-600">
        {preview.engine === "keepalived"
          ? "keepalived runs this director's table with a configuration of its own: the services come with their health checks, on the keepalived engine."
          : "The director's table is run with ipvsadm."}{" "}
        Found {pluralize(preview.services.length, "service")} to import.
      </p>
      {choice.blockers.length > 0 ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3">
          <p className="font-medium text-red-800">
            keepalived.conf cannot be taken over: the panel rewrites the file whole and cannot write
            back
          </p>
          <ul className="mt-1 list-disc pl-5 text-red-700">
            {choice.blockers.map((blocker) => (
              <li key={blocker}>{blocker}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {choice.required ? (
        <p className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-2 text-amber-900">
          keepalived.conf is taken over whole: every service it configures comes along
        </p>
      ) : null}
      {preview.services.length > 0 ? (
        <Table columns={COLUMNS} label="Services on the director">
          {preview.services.map((s) => (
            <tr key={s.service}>
              <td className="py-2 pr-3 pl-5">
                <input
                  type="checkbox"
                  aria-label={`Import ${s.service}`}
                  className="size-4 rounded border-slate-300 accent-indigo-600"
                  checked={choice.isChosen(s.service)}
                  disabled={choice.required}
                  onChange={(event) => choice.setChosen(s.service, event.target.checked)}
                />
              </td>
              <td className="px-3 py-2 font-mono whitespace-nowrap">{s.service}</td>
              <td className="px-3 py-2">{s.scheduler}</td>
              <td className="px-3 py-2">{formatForwarding(s.forwarding)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{s.realservers}</td>
              <td className="py-2 pr-5 pl-3 text-slate-600">{s.healthCheck ?? "—"}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      <Notes
        title="Not imported"
        label="Services not imported"
        items={preview.refused.map((r) => ({ service: r.service, text: r.reason }))}
      />
      <Notes
        title="Adjusted on import"
        label="Adjustments"
        items={preview.adjusted.map((a) => ({ service: a.service, text: a.note }))}
      />
    </div>
  );
}

function Notes({
  title,
  label,
  items,
}: {
  title: string;
  label: string;
  items: { service: string; text: string }[];
}) {
  if (items.length === 0) return null;
  return (
    <div>
      <p className="font-medium text-slate-800">{title}</p>
      <ul aria-label={label} className="mt-1 space-y-0.5 text-slate-600">
        {items.map((item) => (
          <li key={`${item.service} ${item.text}`}>
            <span className="font-mono">{item.service}</span>: {item.text}
          </li>
        ))}
      </ul>
    </div>
  );
}
