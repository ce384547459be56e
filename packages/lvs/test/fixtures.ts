// Reads the shared ipvsadm fixtures byte for byte. The shared tree sits beside the repository
// (/work/shared locally, ../shared in CI), so it is resolved from the repo root, never hard-coded.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const FIXTURE_DIR = path.resolve(repoRoot, "../shared/fixtures/ipvsadm");

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURE_DIR, name), "utf8");
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR).filter((n) => n.endsWith(".txt"));
}
