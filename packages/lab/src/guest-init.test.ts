// The guest's /init runs as PID 1: a syntax error there panics the kernel, so check it here.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("guest/init.sh parses as POSIX sh", () => {
  const path = fileURLToPath(new URL("./guest/init.sh", import.meta.url));
  expect(() => execFileSync("sh", ["-n", path], { stdio: "pipe" })).not.toThrow();
});
