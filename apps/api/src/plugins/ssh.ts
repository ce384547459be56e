// One SSH connection pool per app: connections to directors and realservers are reused across
// plans, applies and live views (handshakes are slow), and closed with the app.
import { SshPool } from "@lvs-panel/remote";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

declare module "fastify" {
  interface FastifyInstance {
    ssh: SshPool;
  }
}

export default fp<{ connectTimeoutMs?: number; commandTimeoutMs?: number }>(
  async function sshPlugin(app: FastifyInstance, opts) {
    const pool = new SshPool({
      connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
      commandTimeoutMs: opts.commandTimeoutMs ?? 120_000,
    });
    app.decorate("ssh", pool);
    app.addHook("onClose", async () => pool.closeAll());
  },
  { name: "ssh" },
);
