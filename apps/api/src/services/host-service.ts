// SSH hosts: CRUD with sealed secrets. The API never returns a secret, only whether one is set.
import type { HostLinks, Host as HostView } from "@lvs-panel/contract";
import { formatEndpoint } from "@lvs-panel/lvs";
import type { Host } from "../generated/prisma/client.ts";
import type { Db } from "../plugins/db.ts";
import { auditedWrite } from "./audited-write.ts";
import type { SessionUser } from "./auth-service.ts";
import { badField, conflict, DomainError, notFound } from "./errors.ts";
import type { SecretBox } from "./secret-box.ts";

type HostAuthInput =
  | { type: "key"; privateKey: string; passphrase?: string | undefined }
  | { type: "password"; password: string };

interface HostInput {
  name: string;
  address: string;
  port: number;
  username: string;
  auth: HostAuthInput;
  jumpHostId?: string | null | undefined;
}

/** A new host: its own secret, or another host's stored one (`credentialsFromHostId`). */
type HostCreateInput = Omit<HostInput, "auth" | "username"> & {
  username?: string | undefined;
  auth?: HostAuthInput | undefined;
  credentialsFromHostId?: string | undefined;
};

type HostDto = HostView;

export function toHostDto(host: Host): HostDto {
  return {
    id: host.id,
    name: host.name,
    address: host.address,
    port: host.port,
    username: host.username,
    // Written only as "key" or "password" (sealAuth below).
    authType: host.authType as HostView["authType"],
    hasSecret: host.secretCipher !== null,
    hasPassphrase: host.passphraseCipher !== null,
    hostKeySha256: host.hostKeySha256,
    jumpHostId: host.jumpHostId,
    createdAt: host.createdAt.toISOString(),
    updatedAt: host.updatedAt.toISOString(),
  };
}

/** Audit entries get the DTO, never ciphertext. */
function sealAuth(box: SecretBox, auth: HostAuthInput) {
  if (auth.type === "key") {
    return {
      authType: "key",
      secretCipher: box.seal(auth.privateKey),
      passphraseCipher: auth.passphrase ? box.seal(auth.passphrase) : null,
    };
  }
  return { authType: "password", secretCipher: box.seal(auth.password), passphraseCipher: null };
}

export function createHostService(deps: {
  db: Db;
  box: SecretBox;
  checkKey?: (privateKey: string, passphrase?: string) => string | null;
}) {
  const { db, box } = deps;

  function checkAuth(auth: HostAuthInput | undefined): void {
    if (auth?.type !== "key" || !deps.checkKey) return;
    const problem = deps.checkKey(auth.privateKey, auth.passphrase);
    if (problem) throw badField("auth.privateKey", problem);
  }

  async function checkJumpHost(jumpHostId: string | null | undefined, selfId?: string) {
    if (!jumpHostId) return;
    if (jumpHostId === selfId) throw badField("jumpHostId", "a host cannot be its own jump host");
    // Walk the chain so a loop (A via B via A) is refused before it is stored.
    let cursor: string | null = jumpHostId;
    for (let depth = 0; cursor; depth++) {
      if (depth > 8) throw badField("jumpHostId", "jump host chain is longer than 8 hops");
      const hop: Host | null = await db.host.findUnique({ where: { id: cursor } });
      if (!hop) throw badField("jumpHostId", "no such host");
      if (selfId && hop.jumpHostId === selfId) {
        throw badField("jumpHostId", "that would make a jump host loop");
      }
      cursor = hop.jumpHostId;
    }
  }

  async function credentialsSource(hostId: string | undefined): Promise<Host | null> {
    if (hostId === undefined) return null;
    const source = await db.host.findUnique({ where: { id: hostId } });
    if (!source) throw badField("credentialsFromHostId", "no such host");
    if (!source.secretCipher) {
      throw badField(
        "credentialsFromHostId",
        `host "${source.name}" has no stored key or password to reuse`,
      );
    }
    return source;
  }

  async function linksOf(id: string) {
    const host = await db.host.findUnique({
      where: { id },
      include: {
        directors: { include: { cluster: true }, orderBy: { createdAt: "asc" } },
        jumpedHosts: { orderBy: { name: "asc" } },
        realservers: {
          include: { service: { include: { cluster: true } } },
          orderBy: [{ address: "asc" }, { port: "asc" }],
        },
      },
    });
    if (!host) throw notFound("host");
    const links: HostLinks = {
      directors: host.directors.map((d) => ({
        clusterId: d.clusterId,
        clusterName: d.cluster.name,
      })),
      realservers: host.realservers.map((rs) => ({
        id: rs.id,
        clusterId: rs.service.clusterId,
        clusterName: rs.service.cluster.name,
        serviceId: rs.serviceId,
        address: rs.address,
        port: rs.port,
      })),
      jumpedHosts: host.jumpedHosts.map((h) => ({ id: h.id, name: h.name })),
    };
    return { host, links };
  }

  async function uniqueName(name: string, selfId?: string) {
    const other = await db.host.findUnique({ where: { name } });
    if (other && other.id !== selfId) {
      throw conflict(`a host named "${name}" already exists`, { name: "already exists" });
    }
  }

  return {
    async list(): Promise<HostDto[]> {
      return (await db.host.findMany({ orderBy: { name: "asc" } })).map(toHostDto);
    },

    async get(id: string): Promise<HostDto> {
      const host = await db.host.findUnique({ where: { id } });
      if (!host) throw notFound("host");
      return toHostDto(host);
    },

    async create(user: SessionUser, input: HostCreateInput): Promise<HostDto> {
      checkAuth(input.auth);
      await uniqueName(input.name);
      const source = await credentialsSource(input.credentialsFromHostId);
      // The request's own user and jump host win over the copied ones (an explicit null included).
      const jumpHostId =
        input.jumpHostId !== undefined ? input.jumpHostId : (source?.jumpHostId ?? null);
      await checkJumpHost(jumpHostId);
      const secret = input.auth
        ? sealAuth(box, input.auth)
        : source
          ? {
              // Copied sealed, as stored: the secret is never opened, let alone sent anywhere.
              authType: source.authType,
              secretCipher: source.secretCipher,
              passphraseCipher: source.passphraseCipher,
            }
          : null;
      // The contract demands auth or credentialsFromHostId; a direct caller gets the same answer.
      if (!secret) throw badField("auth", "is required");
      return auditedWrite(db, user, {
        action: "host.create",
        entityType: "host",
        before: undefined,
        write: (tx) =>
          tx.host.create({
            data: {
              name: input.name,
              address: input.address,
              port: input.port,
              username: input.username ?? source?.username ?? "root",
              jumpHostId,
              ...secret,
            },
          }),
        toDto: toHostDto,
        audited: (dto) => (source ? { ...dto, credentialsFrom: source.name } : dto),
      });
    },

    async update(user: SessionUser, id: string, input: Partial<HostInput>): Promise<HostDto> {
      const before = await db.host.findUnique({ where: { id } });
      if (!before) throw notFound("host");
      checkAuth(input.auth);
      if (input.name !== undefined) await uniqueName(input.name, id);
      if (input.jumpHostId !== undefined) await checkJumpHost(input.jumpHostId, id);
      // A new address or port is a different machine until its key is trusted again.
      const moved =
        (input.address !== undefined && input.address !== before.address) ||
        (input.port !== undefined && input.port !== before.port);
      return auditedWrite(db, user, {
        action: "host.update",
        entityType: "host",
        before: toHostDto(before),
        write: (tx) =>
          tx.host.update({
            where: { id },
            data: {
              ...(input.name !== undefined ? { name: input.name } : {}),
              ...(input.address !== undefined ? { address: input.address } : {}),
              ...(input.port !== undefined ? { port: input.port } : {}),
              ...(input.username !== undefined ? { username: input.username } : {}),
              ...(input.jumpHostId !== undefined ? { jumpHostId: input.jumpHostId } : {}),
              ...(input.auth ? sealAuth(box, input.auth) : {}),
              ...(moved ? { hostKeySha256: null } : {}),
            },
          }),
        toDto: toHostDto,
      });
    },

    /** What refers to the host (the delete dialog names these before asking). */
    async links(id: string): Promise<HostLinks> {
      return (await linksOf(id)).links;
    },

    /**
     * Refused while a cluster uses the host as its director or another host jumps through it.
     * Realservers that name it are unlinked only with `force` (the panel then stops preparing
     * those machines), so neither a script nor a click does that without saying so.
     */
    async remove(user: SessionUser, id: string, opts: { force?: boolean } = {}): Promise<void> {
      const { host, links } = await linksOf(id);
      const director = links.directors[0];
      if (director) {
        throw new DomainError(
          "conflict",
          "IN_USE",
          `host "${host.name}" is the director of cluster "${director.clusterName}"`,
        );
      }
      const jumped = links.jumpedHosts[0];
      if (jumped) {
        throw new DomainError(
          "conflict",
          "IN_USE",
          `host "${host.name}" is the jump host of "${jumped.name}"`,
        );
      }
      if (links.realservers.length > 0 && !opts.force) {
        throw new DomainError(
          "conflict",
          "HOST_LINKED",
          `host "${host.name}" is linked to ${describeRealservers(links.realservers)}; delete it with force=true to unlink them`,
        );
      }
      await auditedWrite(db, user, {
        action: "host.delete",
        entityType: "host",
        before: {
          ...toHostDto(host),
          ...(links.realservers.length > 0 ? { unlinkedRealservers: links.realservers } : {}),
        },
        write: async (tx) => {
          await tx.realServer.updateMany({ where: { hostId: id }, data: { hostId: null } });
          return tx.host.delete({ where: { id } });
        },
        toDto: () => null,
      });
    },
  };
}

/** `realservers 10.0.0.11:80, 10.0.0.12:80 in cluster "shop" and 10.1.0.5:443 in cluster "blog"` */
export function describeRealservers(realservers: HostLinks["realservers"]): string {
  const byCluster = new Map<string, string[]>();
  for (const rs of realservers) {
    const list = byCluster.get(rs.clusterName) ?? [];
    list.push(formatEndpoint(rs.address, rs.port));
    byCluster.set(rs.clusterName, list);
  }
  const parts = [...byCluster].map(([cluster, endpoints]) => {
    const shown = endpoints.slice(0, 10).join(", ");
    const more = endpoints.length > 10 ? ` and ${endpoints.length - 10} more` : "";
    return `${shown}${more} in cluster "${cluster}"`;
  });
  const noun = realservers.length === 1 ? "realserver" : "realservers";
  const joined =
    parts.length < 2 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
  return `${noun} ${joined}`;
}

export type HostService = ReturnType<typeof createHostService>;
