// SSH hosts: CRUD with sealed secrets. The API never returns a secret, only whether one is set.
import type { Host as HostView } from "@lvs-panel/contract";
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

    async create(user: SessionUser, input: HostInput): Promise<HostDto> {
      checkAuth(input.auth);
      await uniqueName(input.name);
      await checkJumpHost(input.jumpHostId);
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
              username: input.username,
              jumpHostId: input.jumpHostId ?? null,
              ...sealAuth(box, input.auth),
            },
          }),
        toDto: toHostDto,
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

    async remove(user: SessionUser, id: string): Promise<void> {
      const host = await db.host.findUnique({
        where: { id },
        include: { directors: { include: { cluster: true } }, jumpedHosts: true },
      });
      if (!host) throw notFound("host");
      const director = host.directors[0];
      if (director) {
        throw new DomainError(
          "conflict",
          "IN_USE",
          `host "${host.name}" is the director of cluster "${director.cluster.name}"`,
        );
      }
      const jumped = host.jumpedHosts[0];
      if (jumped) {
        throw new DomainError(
          "conflict",
          "IN_USE",
          `host "${host.name}" is the jump host of "${jumped.name}"`,
        );
      }
      await auditedWrite(db, user, {
        action: "host.delete",
        entityType: "host",
        before: toHostDto(host),
        write: (tx) => tx.host.delete({ where: { id } }),
        toDto: () => null,
      });
    },
  };
}

export type HostService = ReturnType<typeof createHostService>;
