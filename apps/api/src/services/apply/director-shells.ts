// One remote shell per director, shared by the previews and the small changes that follow them:
// a new SSH session costs ~250 ms on a slow host (qemu TCG), a command on an open shell 10–50 ms,
// so an operator's preview leaves the shell open for the apply that follows. The pool ends the
// shell after it has sat idle, and opens a new one on the next command; its commands run one at
// a time. Applies that may run long (drain waits, every host) keep shells of their own, so they
// never hold up a preview.
import { createHash } from "node:crypto";
import type { Runner, ShellSession, SshPool, SshTarget } from "@lvs-panel/remote";

export class DirectorShells {
  readonly #shells = new Map<string, { signature: string; session: ShellSession }>();

  constructor(private readonly pool: Pick<SshPool, "session">) {}

  /** The director's shared shell; a host whose address, credentials or pin changed gets a new one. */
  runner(target: SshTarget): Runner {
    const signature = createHash("sha256").update(JSON.stringify(target)).digest("hex");
    const held = this.#shells.get(target.id);
    if (held?.signature === signature) return held.session;
    if (held) void held.session.close();
    const session = this.pool.session(target);
    this.#shells.set(target.id, { signature, session });
    return session;
  }
}
