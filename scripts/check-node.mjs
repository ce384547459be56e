// Refuses to start the panel on a Node.js older than package.json's engines.node (">=X.Y"), with
// one line instead of a stack trace from whatever breaks first. Plain syntax, so old Nodes parse it.
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const wanted = /^>=\s*(\d+)\.(\d+)/.exec(pkg.engines.node);
const [major, minor] = process.versions.node.split(".").map(Number);
if (wanted) {
  const [needMajor, needMinor] = [Number(wanted[1]), Number(wanted[2])];
  if (major < needMajor || (major === needMajor && minor < needMinor)) {
    console.error(
      `lvs-panel needs Node.js ${pkg.engines.node} (a supported release); this is ${process.version}. Install Node.js 22 or 24 LTS.`,
    );
    process.exit(1);
  }
}
