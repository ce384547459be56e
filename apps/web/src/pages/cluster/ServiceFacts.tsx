// A service's settings at a glance: scheduler, persistence, and how many realservers take traffic.
import type { Service } from "../../api/types.ts";
import { formatPersistence } from "../../lib/format.ts";

export function ServiceFacts({ service }: { service: Service }) {
  const enabled = service.realservers.filter((rs) => rs.enabled);
  const draining = enabled.filter((rs) => rs.draining).length;
  return (
    <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
      <div>
        <dt className="text-xs font-medium text-slate-500">Scheduler</dt>
        <dd className="mt-0.5 font-mono text-slate-900">
          {service.scheduler}
          {service.schedulerFlags.length > 0 ? (
            <span className="text-slate-500"> ({service.schedulerFlags.join(", ")})</span>
          ) : null}
        </dd>
      </div>
      <div>
        <dt className="text-xs font-medium text-slate-500">Persistence</dt>
        <dd className="mt-0.5 text-slate-900">
          {formatPersistence(service.persistence)}
          {service.persistenceNetmask ? (
            <span className="font-mono text-xs text-slate-500">
              {" "}
              / {service.persistenceNetmask}
            </span>
          ) : null}
        </dd>
      </div>
      <div>
        <dt className="text-xs font-medium text-slate-500">Realservers</dt>
        <dd className="mt-0.5 text-slate-900">
          {enabled.length} of {service.realservers.length} enabled
          {draining > 0 ? `, ${draining} draining` : ""}
        </dd>
      </div>
    </dl>
  );
}
