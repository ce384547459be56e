// A cheap liveness probe: read the SSH banner without a handshake (a handshake costs ~0.7 s
// under TCG). qemu's hostfwd accepts TCP even when the guest is not listening, so the banner,
// not the connect, is the signal.
import { connect } from "node:net";

export function sshBanner(port: number, timeoutMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let data = "";
    const finish = (value: string | undefined) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      const line = data.split("\r\n")[0];
      if (data.includes("\n") && line?.startsWith("SSH-")) finish(line.trim());
    });
    socket.on("error", () => finish(undefined));
    socket.on("close", () => finish(undefined));
  });
}
