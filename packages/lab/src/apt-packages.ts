// The host's Debian packages the lab needs, read from apt-packages.txt (the file CI installs from).
import { readFileSync } from "node:fs";

export const APT_PACKAGES: readonly string[] = readFileSync(
  new URL("../apt-packages.txt", import.meta.url),
  "utf8",
)
  .split("\n")
  .map((line) => line.replace(/#.*/, "").trim())
  .filter((line) => line !== "");
