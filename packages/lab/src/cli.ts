// `npm run lab` and friends: up [--seed], down, status, selftest, seed, build.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { quoteShellArg } from "@lvs-panel/lvs";
import { sshBanner } from "./banner.ts";
import { ensureImage } from "./build-image.ts";
import { disconnectLab, ensureLab, type LabInfo, labStatus, stopLab } from "./lab.ts";
import { cacheDir } from "./paths.ts";
import { seedOptionsFromEnv, seedPanel } from "./seed.ts";
import { runSelftest } from "./selftest.ts";
import { CLIENTS } from "./topology.ts";

const log = (line: string) => console.error(`[lab] ${line}`);

const USAGE = `usage: node --import tsx packages/lab/src/cli.ts <command>
  up [--seed]   build the guest image if needed, boot the VM, wait for SSH, print endpoints;
                --seed then registers the lab in a running panel (LVS_PANEL_URL, LVS_PANEL_USER,
                LVS_PANEL_PASSWORD)
  down          stop the VM
  status        exit 0 and print endpoints if the lab is up, exit 1 if it is down
  selftest      bring the lab up and drive NAT and DR traffic with raw ipvsadm
  seed          register the running lab in the panel (as up --seed)
  build         only build (or find) the cached guest image
env: LVS_PANEL_LAB_CACHE (default ~/.cache/lvs-panel-lab), LVS_PANEL_LAB_SSH_PORT (default 2222)`;

/** A known_hosts file so plain OpenSSH can verify the lab's keys too. */
async function writeKnownHosts(lab: LabInfo): Promise<string> {
  const path = join(cacheDir(), "known_hosts");
  const lines = [
    `[${lab.sshHost}]:${lab.sshPort} ${lab.director.hostPublicKey}`,
    ...lab.realservers.map((rs) => `${rs.address} ${rs.hostPublicKey}`),
    `${lab.director2.address} ${lab.director2.hostPublicKey}`,
  ];
  await writeFile(path, `${lines.join("\n")}\n`);
  return path;
}

async function printEndpoints(lab: LabInfo): Promise<void> {
  const knownHosts = await writeKnownHosts(lab);
  const key = quoteShellArg(lab.privateKeyPath);
  const kh = quoteShellArg(knownHosts);
  const directorSsh = `ssh -i ${key} -o UserKnownHostsFile=${kh} -p ${lab.sshPort} root@${lab.sshHost}`;
  const proxy = quoteShellArg(`ProxyCommand=${directorSsh} -W %h:%p`);
  const first = lab.realservers[0];
  const out = [
    `LVS lab is up (image ${lab.imageHash}; serial log ${lab.serialLog})`,
    `  director  root@${lab.sshHost}:${lab.sshPort}  (${lab.director.hostname}; DIP ${lab.director.dip} on ${lab.director.lanInterface}, outside link ${lab.director.wanInterface} ${lab.director.wanAddress}/24)`,
    `            host key ${lab.director.hostKeyFingerprint}`,
    `  dir2      root@${lab.director2.address}:${lab.director2.sshPort} via the director (jump host)  (${lab.director2.hostname}, second director: DIP ${lab.director2.dip} on ${lab.director2.lanInterface}, ${lab.director2.wanAddress}/24 on ${lab.director2.wanInterface})`,
    `            host key ${lab.director2.hostKeyFingerprint}`,
    ...lab.realservers.map(
      (rs) =>
        `  ${rs.name.padEnd(8)}  root@${rs.address}:${rs.sshPort} via the director (jump host)  host key ${rs.hostKeyFingerprint}`,
    ),
    `  clients   ${CLIENTS.nat.namespace} ${CLIENTS.nat.address} -> NAT VIP ${lab.vips.nat}; ${CLIENTS.dr.namespace} ${CLIENTS.dr.address} -> DR VIP ${lab.vips.dr} (namespaces on the director)`,
    `  key       ${lab.privateKeyPath} (root on every machine)`,
    `  known_hosts ${knownHosts}`,
    "  try:",
    `    ${directorSsh}`,
    ...(first === undefined
      ? []
      : [`    ssh -i ${key} -o UserKnownHostsFile=${kh} -o ${proxy} root@${first.address}`]),
  ];
  console.log(out.join("\n"));
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...flags] = argv;
  const unknown = flags.filter((flag) => !(command === "up" && flag === "--seed"));
  if (unknown.length > 0) {
    console.error(`unknown argument(s): ${unknown.join(" ")}\n${USAGE}`);
    return 2;
  }
  switch (command) {
    case "up": {
      // Read the seed settings before booting, so a missing password fails fast.
      const seedOptions = flags.includes("--seed") ? seedOptionsFromEnv(log) : undefined;
      const lab = await ensureLab(log);
      await printEndpoints(lab);
      if (seedOptions !== undefined) await seedPanel(lab, seedOptions);
      return 0;
    }
    case "seed": {
      const options = seedOptionsFromEnv(log);
      const lab = await labStatus();
      if (lab === undefined) {
        console.error("the lab is down; run `npm run lab` first");
        return 1;
      }
      const result = await seedPanel(lab, options);
      console.log(JSON.stringify(result, null, 2));
      return 0;
    }
    case "down": {
      const wasUp = await stopLab();
      console.log(wasUp ? "lab stopped" : "lab was not running");
      return 0;
    }
    case "status": {
      const lab = await labStatus();
      const banner = lab === undefined ? undefined : await sshBanner(lab.sshPort);
      if (lab === undefined) {
        console.log("lab is down");
        return 1;
      }
      if (banner === undefined) {
        console.log(
          `lab VM is running but its sshd does not answer on 127.0.0.1:${lab.sshPort} (booting?)`,
        );
        return 1;
      }
      await printEndpoints(lab);
      console.log(`  sshd      ${banner}`);
      return 0;
    }
    case "selftest": {
      const started = Date.now();
      await ensureLab(log);
      const upSeconds = (Date.now() - started) / 1000;
      const report = await runSelftest(log);
      const total = (Date.now() - started) / 1000;
      console.log(
        JSON.stringify(
          {
            ok: report.ok,
            kernel: report.kernel,
            ipvsadm: report.ipvsadmVersion,
            realserverSsh: report.realserverSsh,
            nat: {
              bodies: report.nat.bodies,
              perRealserver: report.nat.perRealserver,
              connectionEntries: report.nat.connectionEntries,
            },
            dr: {
              bodies: report.dr.bodies,
              perRealserver: report.dr.perRealserver,
              connectionEntries: report.dr.connectionEntries,
            },
            seconds: { labUp: upSeconds, selftest: Math.round((total - upSeconds) * 10) / 10 },
          },
          null,
          2,
        ),
      );
      return report.ok ? 0 : 1;
    }
    case "build": {
      const image = await ensureImage(log);
      console.log(JSON.stringify(image, null, 2));
      return 0;
    }
    default:
      console.error(USAGE);
      return command === undefined || command === "help" || command === "--help" ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  async (code) => {
    await disconnectLab();
    process.exitCode = code;
  },
  async (error: unknown) => {
    await disconnectLab();
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
