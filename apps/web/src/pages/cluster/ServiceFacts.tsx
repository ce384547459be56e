// A service's settings at a glance: a mark service's VIP, where the VIP goes, scheduler,
// persistence, how many realservers take traffic and, on the keepalived engine, its health check.
import { formatEndpoint } from "@lvs-panel/lvs";
import type { Director, Engine, Service } from "../../api/types.ts";
import { formatPersistence } from "../../lib/format.ts";
import { describeHealthCheck } from "./healthLabels.ts";
import { vipPlacement } from "./vipPlacement.ts";

export function ServiceFacts({
  service,
  engine = "ipvsadm",
  director = null,
  pair = false,
}: {
  service: Service;
  engine?: Engine;
  /** Where the director puts the VIP; null before a director is set (or while not known). */
  director?: Pick<Director, "interface" | "vipInterface"> | null;
  /** Two directors: the VRRP master carries the VIP. */
  pair?: boolean;
}) {
  const enabled = service.realservers.filter((rs) => rs.enabled);
  const draining = enabled.filter((rs) => rs.draining).length;
  const placement = vipPlacement(service, director, pair);
  return (
    <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
      {/* The card names a mark service "FWM 7"; the address the mark covers shows here. */}
      {service.fwmark !== null && service.vip !== "0.0.0.0" && service.vip !== "::" ? (
        <div>
          <dt className="text-xs font-medium text-slate-500">VIP</dt>
          <dd className="mt-0.5 font-mono text-slate-900">{service.vip}</dd>
        </div>
      ) : null}
      {placement ? (
        <div>
          <dt className="text-xs font-medium text-slate-500">VIP goes on</dt>
          <dd className="mt-0.5 text-slate-900">{placement}</dd>
        </div>
      ) : null}
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
      {engine === "keepalived" ? (
        <div>
          <dt className="text-xs font-medium text-slate-500">Health check</dt>
          <dd className="mt-0.5 text-slate-900">
            {describeHealthCheck(service.healthCheck)}
            {service.healthCheck.type === "none" ? null : (
              <span className="text-xs text-slate-500">
                {" "}
                · on failure {service.onFailure}
                {service.sorryServer
                  ? ` · sorry server ${formatEndpoint(service.sorryServer.address, service.sorryServer.port)}`
                  : ""}
              </span>
            )}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
