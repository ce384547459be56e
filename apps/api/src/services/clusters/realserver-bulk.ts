// Many realservers added to one service at once, all or none: each is checked as a single add
// is (the domain's input rules, its host, its address and port free in the service, and not twice
// in the list), and every problem is named by its place in the list (`realservers.2.address`, as
// the body's own schema names it), so the web can name the line
// of the operator's paste. One transaction writes them with one audit entry each.
import {
  canonicalAddress,
  formatEndpoint,
  messagesByField,
  validateRealServerInput,
} from "@lvs-panel/lvs";
import type { Db } from "../../plugins/db.ts";
import { recordAudit } from "../audit.ts";
import type { SessionUser } from "../auth-service.ts";
import { toRealServerDto } from "../cluster-dto.ts";
import { conflict, DomainError } from "../errors.ts";
import { existingService } from "./existing.ts";
import type { RealServerInput } from "./realserver.ts";

type Fields = Record<string, string>;

function sentence(fields: Fields): string {
  return Object.entries(fields)
    .map(([field, reason]) => `${field}: ${reason}`)
    .join("; ");
}

export function realServerBulkOperations(db: Db) {
  return {
    async createRealServers(user: SessionUser, serviceId: string, raws: RealServerInput[]) {
      const service = await existingService(db, serviceId);
      const inputs = raws.map((raw) => ({ ...raw, address: canonicalAddress(raw.address) }));
      const invalid: Fields = {};
      const seen = new Map<string, number>();
      for (const [i, input] of inputs.entries()) {
        for (const [field, reason] of Object.entries(
          messagesByField(validateRealServerInput(input)),
        )) {
          invalid[`realservers.${i}.${field}`] = reason;
        }
        const key = `${input.address}|${input.port}`;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, i);
        else
          invalid[`realservers.${i}.address`] ??= `same address and port as realservers.${first}`;
      }
      const hostIds = [...new Set(inputs.flatMap((input) => (input.hostId ? [input.hostId] : [])))];
      const known = new Set(
        (await db.host.findMany({ where: { id: { in: hostIds } }, select: { id: true } })).map(
          (h) => h.id,
        ),
      );
      for (const [i, input] of inputs.entries()) {
        if (input.hostId && !known.has(input.hostId)) {
          invalid[`realservers.${i}.hostId`] ??= "no such host";
        }
      }
      if (Object.keys(invalid).length > 0) {
        throw new DomainError("invalid", "VALIDATION", sentence(invalid), invalid);
      }
      const taken = new Set(service.realservers.map((rs) => `${rs.address}|${rs.port}`));
      const clashes: Fields = {};
      for (const [i, input] of inputs.entries()) {
        if (taken.has(`${input.address}|${input.port}`)) {
          clashes[`realservers.${i}.address`] = "already in this service";
        }
      }
      if (Object.keys(clashes).length > 0) {
        const endpoints = Object.keys(clashes).map((field) => {
          const input = inputs[Number(field.split(".")[1])];
          return input ? formatEndpoint(input.address, input.port) : field;
        });
        throw conflict(
          `already in this service: ${endpoints.join(", ")}; nothing was added`,
          clashes,
        );
      }
      return db.$transaction(async (tx) => {
        const created = [];
        for (const input of inputs) {
          const row = await tx.realServer.create({
            data: {
              serviceId,
              address: input.address,
              port: input.port,
              weight: input.weight ?? 1,
              enabled: input.enabled ?? true,
              draining: input.draining ?? false,
              upperThreshold: input.upperThreshold ?? 0,
              lowerThreshold: input.lowerThreshold ?? 0,
              checkPort: input.checkPort ?? null,
              hostId: input.hostId ?? null,
            },
          });
          const dto = toRealServerDto(row);
          await recordAudit(
            tx,
            user,
            "realserver.create",
            { type: "realserver", id: row.id },
            undefined,
            dto,
          );
          created.push(dto);
        }
        return { realservers: created };
      });
    },
  };
}
