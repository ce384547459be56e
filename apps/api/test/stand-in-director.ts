// A director for live-view tests and benchmarks on a machine without IPVS: a real OpenSSH sshd
// on loopback whose forced command puts stand-ins for `cat`, `awk` and `ipvsadm` first on the panel's
// read script's PATH. They serve a connection table (the recorded fixture by default) and the
// recorded `ipvsadm -Ln` outputs, log every connection-table read and, while a hold is armed,
// make ipvsadm wait. The real kernel's tables are exercised by the lab e2e tests.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { KEEPALIVED_PID_FILE } from "@lvs-panel/lvs";
import { type ClientKeys, type Sshd, startSshd } from "@lvs-panel/remote/test/sshd";

const fixtures = path.resolve(import.meta.dirname, "../../../../shared/fixtures/ipvsadm");

export interface StandInDirector {
  sshd: Sshd;
  /** How many times the connection table was read. */
  connReads(): number;
  /** How many of those were the director's own summary (awk), not the whole table (cat). */
  summaryReads(): number;
  /** ipvsadm waits from now until release(); reached() resolves once one is waiting. */
  hold(): { reached(): Promise<void>; release(): void };
}

export async function startStandInDirector(opts: {
  keys: ClientKeys;
  /** A directory of the caller's for the stand-ins and their logs. */
  dir: string;
  /** A file in /proc/net/ip_vs_conn format; the recorded fixture by default. */
  connectionTable?: string;
  /** Files of `ipvsadm -Ln`, `--stats --exact` and `--rate --exact` output; the recorded ones
   *  by default. */
  listings?: { list: string; stats: string; rates: string };
  /** A director without a working awk: the panel must fall back to reading the whole table. */
  brokenAwk?: boolean;
  /** keepalived runs: its pid file (the panel's reads are pointed at one of the stand-in's)
   *  names a live process, so the health verdicts judge the table as keepalived's. */
  keepalivedRunning?: boolean;
}): Promise<StandInDirector> {
  const { dir } = opts;
  const table = opts.connectionTable ?? path.join(fixtures, "mixed-proc-ip_vs_conn.txt");
  const bin = path.join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  // Readable by a non-root login too (tests log in as the sudo test user).
  chmodSync(dir, 0o777);
  chmodSync(bin, 0o755);
  const log = path.join(dir, "conn-reads");
  const holdFile = path.join(dir, "hold");
  const reachedFile = path.join(dir, "reached");
  const script = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  script(
    "cat",
    [
      `if [ "$1" = /proc/net/ip_vs_conn ]; then`,
      `  echo read >> ${log}; exec /bin/cat ${table}`,
      "fi",
      'exec /bin/cat "$@"',
    ].join("\n"),
  );
  // The live view's summary: the director's own awk over the connection table (the stand-in
  // table put in for /proc's), counted as a read of the table like `cat`.
  script(
    "awk",
    [
      ...(opts.brokenAwk ? ["echo 'awk: not found' >&2; exit 127"] : []),
      // The original arguments, then the same with the table put in for /proc's; then shift.
      "n=$#; i=0",
      "for a do",
      "  i=$((i + 1))",
      `  if [ $i -eq $n ] && [ "$a" = /proc/net/ip_vs_conn ]; then echo summary >> ${log}; a=${table}; fi`,
      '  set -- "$@" "$a"',
      "done",
      'shift "$n"',
      'exec /usr/bin/awk "$@"',
    ].join("\n"),
  );
  const listings = opts.listings ?? {
    list: `${fixtures}/mixed-Ln.txt`,
    stats: `${fixtures}/mixed-Ln-exact-stats.txt`,
    rates: `${fixtures}/mixed-Ln-rate.txt`,
  };
  script(
    "ipvsadm",
    [
      `if [ -e ${holdFile} ]; then touch ${reachedFile}; while [ -e ${holdFile} ]; do sleep 0.05; done; fi`,
      `case "$*" in`,
      `  *--stats*) exec /bin/cat ${listings.stats} ;;`,
      `  *--rate*) exec /bin/cat ${listings.rates} ;;`,
      `  *) exec /bin/cat ${listings.list} ;;`,
      "esac",
    ].join("\n"),
  );
  // The panel's read script sets PATH itself, so the stand-ins go in front of that line.
  const pidFile = path.join(dir, "keepalived.pid");
  script(
    "dispatch",
    opts.keepalivedRunning
      ? // This shell lives as long as the script it feeds: it stands in for keepalived's process.
        [
          `echo $$ > ${pidFile}`,
          `/bin/sed -e 's#^PATH=/usr/sbin:#PATH=${bin}:/usr/sbin:#' -e 's#${KEEPALIVED_PID_FILE}#${pidFile}#g' | /bin/sh -c "$SSH_ORIGINAL_COMMAND"`,
        ].join("\n")
      : `/bin/sed 's#^PATH=/usr/sbin:#PATH=${bin}:/usr/sbin:#' | /bin/sh -c "$SSH_ORIGINAL_COMMAND"`,
  );
  const sshd = await startSshd({
    authorizedKeys: opts.keys.authorizedKeys
      .split("\n")
      .filter(Boolean)
      .map((line) => `command="${path.join(bin, "dispatch")}" ${line}`)
      .join("\n"),
  });
  // sshd reads a user's authorized keys as that user.
  chmodSync(sshd.dir, 0o755);
  return {
    sshd,
    connReads: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").length - 1 : 0),
    summaryReads: () =>
      existsSync(log)
        ? readFileSync(log, "utf8")
            .split("\n")
            .filter((l) => l === "summary").length
        : 0,
    hold() {
      rmSync(reachedFile, { force: true });
      writeFileSync(holdFile, "");
      return {
        async reached() {
          for (let i = 0; i < 200 && !existsSync(reachedFile); i++) {
            await new Promise((r) => setTimeout(r, 50));
          }
          if (!existsSync(reachedFile)) throw new Error("ipvsadm never ran on the director");
        },
        release: () => rmSync(holdFile, { force: true }),
      };
    },
  };
}
