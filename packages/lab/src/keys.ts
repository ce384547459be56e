// The lab's SSH keys: one root client key and one host key per machine (director, rs1..rs3,
// dir2).
// Generated once per cache and kept across image rebuilds, so pinned fingerprints stay valid.
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fingerprintOfPublicKey } from "./fingerprint.ts";
import { keysDir } from "./paths.ts";
import { runCommand } from "./run-command.ts";
import { DIRECTOR2_NAMESPACE, REALSERVERS } from "./topology.ts";

export const MACHINES = [
  "director",
  ...REALSERVERS.map((rs) => rs.name),
  DIRECTOR2_NAMESPACE,
] as const;
export type MachineName = (typeof MACHINES)[number];

export interface KeyPair {
  readonly privateKeyPath: string;
  readonly privateKey: string;
  readonly publicKey: string;
}

export interface LabKeys {
  readonly client: KeyPair;
  readonly hostKeys: Readonly<Record<MachineName, KeyPair & { readonly fingerprint: string }>>;
}

async function ensureKeyPair(path: string, comment: string): Promise<KeyPair> {
  if (!existsSync(path)) {
    await runCommand(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path]);
  }
  await chmod(path, 0o600);
  return {
    privateKeyPath: path,
    privateKey: await readFile(path, "utf8"),
    publicKey: (await readFile(`${path}.pub`, "utf8")).trim(),
  };
}

export async function ensureKeys(): Promise<LabKeys> {
  const dir = keysDir();
  await mkdir(join(dir, "host"), { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const client = await ensureKeyPair(join(dir, "id_ed25519"), "lvs-panel-lab root");
  const hostKeys = {} as Record<MachineName, KeyPair & { fingerprint: string }>;
  for (const machine of MACHINES) {
    const pair = await ensureKeyPair(join(dir, "host", `${machine}_ed25519`), `lab-${machine}`);
    hostKeys[machine] = { ...pair, fingerprint: fingerprintOfPublicKey(pair.publicKey) };
  }
  return { client, hostKeys };
}
