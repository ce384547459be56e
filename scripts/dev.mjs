// `npm run dev`: the API with tsx watch (restarts on change) and Vite's dev server with hot reload,
// which proxies /api to the API. Ctrl-C stops both.
import { spawn } from "node:child_process";

const children = [
  spawn("node", ["--import", "tsx", "--watch", "apps/api/src/server.ts"], {
    stdio: "inherit",
    env: { ...process.env, LVS_PANEL_WEB_DIST: "" },
  }),
  spawn("npm", ["run", "dev", "-w", "@lvs-panel/web"], { stdio: "inherit" }),
];

function stop() {
  for (const child of children) child.kill("SIGTERM");
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of children) {
  child.on("exit", (code) => {
    stop();
    process.exitCode = code ?? 0;
  });
}
