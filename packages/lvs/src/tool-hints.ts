// What a remote tool's error means, in plain words: iproute2, ipvsadm, keepalived, sysctl, sudo
// and the shell say what failed, not why or what to do. The failure panels show these hints next
// to the raw output (which stays, byte for byte, for whoever knows better).

interface ToolHint {
  /** Matched against the tool's output (stderr and stdout together). */
  pattern: RegExp;
  hint: string;
}

/** Most specific first: the first hint of each kind that matches is the one shown. */
const HINTS: readonly ToolHint[] = [
  {
    pattern: /Invalid "ipproto" value|Failed to find (?:protocol|proto)/i,
    hint: "This host has no /etc/protocols, so iproute2 cannot look up protocol names such as tcp: install the netbase package (or copy /etc/protocols from another host), then apply again.",
  },
  {
    pattern: /RTNETLINK answers: File exists/i,
    hint: "The address, route or rule is already on the host (added by hand or by another tool): remove it there, or plan again so the panel reads it first.",
  },
  {
    pattern:
      /RTNETLINK answers: (?:No such process|Cannot assign requested address|No such file or directory)/i,
    hint: "The address, route or rule to remove is no longer on the host: it changed since the plan was read. Plan again.",
  },
  {
    pattern: /Cannot find device/i,
    hint: "The interface named in the cluster does not exist on this host: check the director's interface names (ip link) and fix them on the cluster page.",
  },
  {
    pattern:
      /sudo: (?:a terminal is required|a password is required|no tty present)|sudo: \d+ incorrect password/i,
    hint: "sudo asks for a password: give the SSH user passwordless sudo (NOPASSWD) for ip, ipvsadm, sysctl and keepalived, or connect as root.",
  },
  {
    pattern: /is not in the sudoers file|user \S+ is not allowed to execute/i,
    hint: "The SSH user may not use sudo for this command: add it to the sudoers file, or connect as root.",
  },
  {
    // Not SSH's own "Permission denied (publickey,password)": that is a refused login.
    pattern: /Operation not permitted|Permission denied(?! \()|must be root/i,
    hint: "The SSH user is not allowed to change the network or write the files: connect as root, or as a user with passwordless sudo.",
  },
  {
    pattern: /modprobe: FATAL: Module ip_vs\w* not found/i,
    hint: "This kernel has no IPVS module: install the kernel's extra modules (for example linux-modules-extra on Ubuntu) or use a kernel built with IPVS.",
  },
  {
    pattern: /modprobe: FATAL: Module ipip not found/i,
    hint: "This kernel has no ipip module, which TUN realservers need: install the kernel's extra modules, or use NAT or DR for this service.",
  },
  {
    pattern:
      /Memory allocation problem|Protocol not available|Can't initialize ipvs|ip_vs\w*: unknown|Could not open the ipvs/i,
    hint: "The ip_vs kernel module is not loaded on the director: run modprobe ip_vs there (and list it in /etc/modules so it loads at boot), then apply again.",
  },
  {
    pattern: /ipvsadm(?:-restore|-save)?: (?:command )?not found/i,
    hint: "ipvsadm is not installed on this host: install it (apt install ipvsadm, or dnf install ipvsadm), then apply again.",
  },
  {
    pattern: /keepalived: (?:command )?not found/i,
    hint: "keepalived is not installed on the director: install it (apt install keepalived, or dnf install keepalived), or switch the cluster's engine back to ipvsadm.",
  },
  {
    pattern: /\bip: (?:command )?not found/i,
    hint: "iproute2 (the ip command) is not installed on this host: install the iproute2 package.",
  },
  {
    pattern: /sysctl: (?:cannot stat|cannot open) \/proc\/sys\/\S+/i,
    hint: "The kernel has no such setting: the interface it names may not exist, or the module behind it (ip_vs, ipip) is not loaded.",
  },
  {
    pattern: /Destination already exists|Service already exists|File exists.*ipvs/i,
    hint: "The director already has this service or realserver (added outside the panel): plan again, so the panel reads the director's table first.",
  },
  {
    pattern: /No such (?:destination|service)|Service not defined/i,
    hint: "The service or realserver is no longer on the director (removed outside the panel): plan again.",
  },
  {
    pattern: /Read-only file system/i,
    hint: "The host's file system is read-only, so the panel cannot write its files under /etc: remount it read-write.",
  },
  {
    pattern: /No space left on device/i,
    hint: "The host's disk is full: free some space, then apply again.",
  },
];

/**
 * Plain-words hints for a tool's error output, at most one per kind of problem, in the order of
 * the table above; empty when nothing is recognised.
 */
export function toolErrorHints(output: string): string[] {
  if (output.trim() === "") return [];
  const hints: string[] = [];
  for (const { pattern, hint } of HINTS) {
    if (pattern.test(output) && !hints.includes(hint)) hints.push(hint);
  }
  // "Permission denied" also ends the more specific sudo messages: say the specific one only.
  const sudo = hints.findIndex(
    (h) => h.startsWith("sudo asks") || h.startsWith("The SSH user may"),
  );
  if (sudo >= 0) return hints.filter((h) => !h.startsWith("The SSH user is not allowed"));
  return hints;
}
