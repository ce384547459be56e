// Reading a host over SSH for its setup: "Test login" (does the login work, can it become root,
// are the tools its role needs there) and its interfaces for the director dialog. The scripts and
// their parsers are pure (packages/lvs); this file picks the host's role and runs them.
import type { HostInterfaces, HostLoginTest } from "@lvs-panel/contract";
import {
  type HostUse,
  parseInterfaces,
  parseLoginCheck,
  renderLoginCheckScript,
  toolsForUse,
} from "@lvs-panel/lvs";
import { RemoteError, type SshPool, type SshTarget } from "@lvs-panel/remote";
import type { Db } from "../plugins/db.ts";
import { DomainError, notFound } from "./errors.ts";
import type { TargetResolver } from "./host-targets.ts";

/** `ip` lives in sbin, which a non-root login's PATH often lacks; `exec` keeps it one process. */
const IP_ADDR_SCRIPT = "PATH=/usr/sbin:/sbin:/usr/bin:/bin:$PATH\nexec ip -o addr show";

export function createHostCheckService(deps: {
  db: Db;
  targets: Pick<TargetResolver, "target">;
  pool: Pick<SshPool, "run" | "close">;
  commandTimeoutMs?: number | undefined;
  now?: () => Date;
}) {
  const { db, targets, pool } = deps;
  const timeoutMs = Math.min(deps.commandTimeoutMs ?? 20_000, 20_000);
  const now = deps.now ?? (() => new Date());

  /** What the host is used as, and the same in words for the result. */
  async function useOf(hostId: string): Promise<{ use: HostUse; checkedAs: string }> {
    const host = await db.host.findUnique({
      where: { id: hostId },
      include: {
        directors: { include: { cluster: true } },
        realservers: { include: { service: { include: { cluster: true } } } },
      },
    });
    if (!host) throw notFound("host");
    const directed = [...new Map(host.directors.map((d) => [d.clusterId, d.cluster])).values()];
    const served = [...new Set(host.realservers.map((rs) => rs.service.cluster.name))].sort();
    const use: HostUse = {
      director: directed.length > 0,
      realserver: served.length > 0,
      keepalived: directed.some((c) => c.engine === "keepalived"),
    };
    const words: string[] = [];
    for (const cluster of directed) {
      words.push(
        `director of cluster "${cluster.name}"${cluster.engine === "keepalived" ? " (keepalived engine)" : ""}`,
      );
    }
    if (served.length > 0) {
      words.push(`realserver in ${served.map((name) => `cluster "${name}"`).join(", ")}`);
    }
    const checkedAs =
      words.length > 0
        ? words.join("; ")
        : "not a director or realserver yet: checked what a director needs (keepalived optional)";
    return { use, checkedAs };
  }

  return {
    /**
     * Logs in afresh (never on a connection opened earlier) and runs one script as the login
     * user. An SSH failure is a result too: a failed login check, with the SSH layer's words.
     */
    async testLogin(hostId: string): Promise<HostLoginTest> {
      const { use, checkedAs } = await useOf(hostId);
      const needs = toolsForUse(use);
      // Refuses a host (or jump host) whose key is not trusted, or one without credentials.
      const target = await targets.target(hostId);
      // Its own pool entry, without the sudo wrapper: the script itself tries `sudo -n`.
      const { sudo: _sudo, ...plain } = target;
      const testTarget: SshTarget = { ...plain, id: `${target.id}#login-test` };
      await pool.close(testTarget.id);
      const testedAt = now().toISOString();
      try {
        const out = await pool.run(
          testTarget,
          { script: renderLoginCheckScript(needs) },
          { timeoutMs, maxOutputBytes: 64 * 1024 },
        );
        const report = parseLoginCheck(out.stdout, needs);
        return { ok: report.ok, user: report.user, checkedAs, checks: report.items, testedAt };
      } catch (err) {
        if (!(err instanceof RemoteError)) throw err;
        return {
          ok: false,
          user: null,
          checkedAs,
          checks: [
            { id: "login", ok: false, required: true, message: `Could not log in: ${err.message}` },
          ],
          testedAt,
        };
      } finally {
        void pool.close(testTarget.id);
      }
    },

    /** The host's interfaces and addresses, read with `ip -o addr show`. */
    async interfaces(hostId: string): Promise<HostInterfaces> {
      const target = await targets.target(hostId);
      const out = await pool.run(target, { script: IP_ADDR_SCRIPT }, { timeoutMs });
      if (out.code !== 0) {
        const said = out.stderr.trim().split("\n")[0] ?? "";
        throw new DomainError(
          "host_failed",
          "IP_ADDR_FAILED",
          `ip -o addr show failed on ${target.address}${said ? `: ${said}` : ` (exit ${out.code ?? out.signal})`}`,
        );
      }
      return parseInterfaces(out.stdout);
    },
  };
}

export type HostCheckService = ReturnType<typeof createHostCheckService>;
