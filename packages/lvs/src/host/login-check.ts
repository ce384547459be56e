// "Test login" for a host: one script that says who the panel logs in as, whether it can become
// root the way every other command does (`sudo -n`), and which tools the host's role needs are
// there; and the reading of its output into sentences an operator can act on.
import { argvToShell } from "../render/shell-quote.ts";

/** What a host is used as, which decides the tools it needs. */
export interface HostUse {
  director: boolean;
  realserver: boolean;
  /** A director of a keepalived-engine cluster: keepalived must be installed. */
  keepalived: boolean;
}

export interface ToolNeed {
  tool: string;
  /** false: reported, but its absence does not fail the test (a host not in use yet). */
  required: boolean;
  /** What it is for, and how to install it on Debian. */
  purpose: string;
  install: string;
}

const TOOLS: Record<string, Omit<ToolNeed, "required">> = {
  ipvsadm: {
    tool: "ipvsadm",
    purpose: "the director's IPVS table",
    install: "apt-get install ipvsadm",
  },
  ip: { tool: "ip", purpose: "addresses, routes and rules", install: "apt-get install iproute2" },
  sysctl: {
    tool: "sysctl",
    purpose: "forwarding and ARP settings",
    install: "apt-get install procps",
  },
  sha256sum: {
    tool: "sha256sum",
    purpose: "checking the files the panel writes",
    install: "apt-get install coreutils",
  },
  keepalived: {
    tool: "keepalived",
    purpose: "health checks on the keepalived engine",
    install: "apt-get install keepalived",
  },
};

function need(tool: keyof typeof TOOLS, required = true): ToolNeed {
  return { ...(TOOLS[tool] as Omit<ToolNeed, "required">), required };
}

/**
 * The tools a host needs for what it is used as. A host not used yet is checked for everything a
 * director needs, keepalived as optional, so the test says what is missing before it matters.
 */
export function toolsForUse(use: HostUse): ToolNeed[] {
  if (!use.director && !use.realserver) {
    return [
      need("ipvsadm"),
      need("ip"),
      need("sysctl"),
      need("sha256sum"),
      need("keepalived", false),
    ];
  }
  return [
    ...(use.director ? [need("ipvsadm")] : []),
    need("ip"),
    need("sysctl"),
    need("sha256sum"),
    ...(use.director && use.keepalived ? [need("keepalived")] : []),
  ];
}

/** The PATH every panel script starts with: tools in sbin are found for a non-root login too. */
const PATH_LINE = "PATH=/usr/sbin:/sbin:/usr/bin:/bin:$PATH";

/** Run with the tool names as "$@": one line per tool, `tool <name> found <path>` or `… missing`. */
const TOOL_CHECK = `${PATH_LINE}; for c in "$@"; do if p=$(command -v "$c" 2>/dev/null); then echo "tool $c found $p"; else echo "tool $c missing"; fi; done`;

const TOOL_NAME = /^[a-z0-9][a-z0-9._-]{0,31}$/;

/**
 * The test script. It runs as the login user (not under the usual `sudo -n` wrapper), so it can
 * say that sudo is what fails; when the user is not root the tools are looked up through
 * `sudo -n`, as the panel's commands will run, or, if that fails, as the user.
 */
export function renderLoginCheckScript(tools: readonly ToolNeed[]): string {
  const names = tools.map((t) => {
    if (!TOOL_NAME.test(t.tool)) throw new Error(`not a tool name: ${JSON.stringify(t.tool)}`);
    return t.tool;
  });
  const check = ["sh", "-c", TOOL_CHECK, "sh", ...names];
  return [
    PATH_LINE,
    'echo "user $(id -un 2>/dev/null || id -u)"',
    'if [ "$(id -u)" = 0 ]; then',
    "  echo sudo root",
    `  ${argvToShell(check)}`,
    "elif ! command -v sudo >/dev/null 2>&1; then",
    "  echo sudo absent",
    `  ${argvToShell(check)}`,
    "elif said=$(sudo -n true 2>&1 </dev/null); then",
    "  echo sudo ok",
    `  ${argvToShell(["sudo", "-n", "--", ...check])} </dev/null`,
    "else",
    `  echo "sudo refused $(printf '%s' "$said" | head -n 1)"`,
    `  ${argvToShell(check)}`,
    "fi",
    "echo end",
    "",
  ].join("\n");
}

export interface LoginCheckItem {
  /** `login`, `sudo`, or `tool:<name>`. */
  id: string;
  ok: boolean;
  /** false: a failure here is reported but does not make the test fail. */
  required: boolean;
  message: string;
}

export interface LoginCheckReport {
  ok: boolean;
  /** The user the panel logged in as; null when the script said nothing. */
  user: string | null;
  items: LoginCheckItem[];
}

/** Reads the script's output; anything it did not report counts as failed, never as fine. */
export function parseLoginCheck(stdout: string, tools: readonly ToolNeed[]): LoginCheckReport {
  let user: string | null = null;
  let sudo: { state: string; said: string } | null = null;
  let finished = false;
  const found = new Map<string, string | null>();
  for (const line of stdout.split("\n")) {
    const [word, ...rest] = line.trimEnd().split(" ");
    if (word === "user") user = rest.join(" ") || null;
    else if (word === "sudo") sudo = { state: rest[0] ?? "", said: rest.slice(1).join(" ") };
    else if (word === "tool" && rest[0]) {
      found.set(rest[0], rest[1] === "found" ? rest.slice(2).join(" ") || "" : null);
    } else if (word === "end") finished = true;
  }

  const items: LoginCheckItem[] = [
    {
      id: "login",
      ok: true,
      required: true,
      message:
        user === null
          ? "Logged in."
          : sudo?.state === "root"
            ? `Logged in as ${user}.`
            : `Logged in as ${user} (not root).`,
    },
  ];
  if (sudo === null || sudo.state !== "root") items.push(sudoItem(user ?? "this user", sudo));
  for (const t of tools) items.push(toolItem(t, found));
  if (!finished) {
    items.push({
      id: "script",
      ok: false,
      required: true,
      message: "The check stopped before it finished; what is not listed above was not checked.",
    });
  }
  return { ok: items.every((i) => i.ok || !i.required), user, items };
}

function sudoItem(user: string, sudo: { state: string; said: string } | null): LoginCheckItem {
  const base = { id: "sudo", required: true };
  switch (sudo?.state) {
    case "ok":
      return { ...base, ok: true, message: "sudo -n works: the panel's commands run as root." };
    case "absent":
      return {
        ...base,
        ok: false,
        message: `sudo is not installed, and ${user} is not root. Log in as root, or install sudo (Debian: apt-get install sudo) and allow ${user} to use it without a password.`,
      };
    case "refused":
      return {
        ...base,
        ok: false,
        message: `${user} cannot use sudo without a password${sudo.said ? ` (${sudo.said.replace(/^sudo: /, "")})` : ""}. The panel runs every command through sudo -n: add "${user} ALL=(root) NOPASSWD: ALL" to /etc/sudoers.d/lvs-panel, or log in as root.`,
      };
    default:
      return { ...base, ok: false, message: "Could not tell whether sudo -n works." };
  }
}

function toolItem(t: ToolNeed, found: Map<string, string | null>): LoginCheckItem {
  const base = { id: `tool:${t.tool}`, required: t.required };
  if (!found.has(t.tool)) {
    return { ...base, ok: false, message: `Could not check whether ${t.tool} is installed.` };
  }
  const path = found.get(t.tool);
  if (path !== null && path !== undefined) {
    return { ...base, ok: true, message: `${t.tool} is installed${path ? ` (${path})` : ""}.` };
  }
  const optional = t.required ? "" : "; needed only on a director of a keepalived cluster";
  return {
    ...base,
    ok: false,
    message: `${t.tool} is not installed (Debian: ${t.install}): needed for ${t.purpose}${optional}.`,
  };
}
