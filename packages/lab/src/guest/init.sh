#!/bin/sh
# PID 1 of the lab guest (the initramfs is the whole root filesystem). Brings up the LVS topology
# and the sshds, then stays alive reaping orphans. Addresses mirror src/topology.ts.
#
#   root ns (director): eth0 10.0.2.15 (qemu user net, only for the forwarded sshd)
#                       lan0 bridge 10.10.0.1/24 (DIP) -- vrs1..3, vcdr, vd2lan
#                       wan0 bridge 192.168.77.1/24 -- vcnat (clientnat eth0 192.168.77.2/24),
#                                                      vd2wan
#   dir2:               the second director (hostname lvs-director2), for VRRP pairs:
#                       lan0 10.10.0.2/24 (on the lan0 bridge), wan0 192.168.77.3/24 (on the
#                       wan0 bridge), so both directors have a lan0 and a wan0; its own IPVS
#                       table (per network namespace), sshd on 10.10.0.2, private /etc, /run
#                       and /tmp
#   rs1..rs3:           eth0 10.10.0.11-13/24, sshd on the RIP, httpd :80 answering "rsN",
#                       own hostname and a private copy of /etc (the rest of the filesystem
#                       is shared with the director)
#                       no default route: the panel's NAT apply has to add it
#                       rs2 has no /etc/protocols (no netbase), like a minimal image
#   clientdr:           eth0 10.10.0.100/24 on lan0 (same L2 segment, for DR)

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root

log() { echo "lab-init: $*"; }
# Keep going after a failed step: a half-built lab with a serial log beats a kernel panic.
run() { "$@" || log "FAILED: $*"; }

run mount -t proc proc /proc
run mount -t sysfs sysfs /sys
run mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
run mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
run mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
run mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
log "mounted; uptime $(cut -d' ' -f1 /proc/uptime)s"

hostname lvs-director
echo lvs-director >/etc/hostname
cat >/etc/hosts <<'EOF'
127.0.0.1 localhost
10.10.0.1 lvs-director
10.10.0.2 lvs-director2
10.10.0.11 rs1
10.10.0.12 rs2
10.10.0.13 rs3
10.10.0.100 clientdr
192.168.77.2 clientnat
EOF

# Every process costs ~0.15 s under TCG, so modules load in one modprobe and the links are built
# by a few `ip -batch` runs (-force: report a failed line and carry on) instead of ~40 ip calls.
run modprobe -a e1000 veth bridge

run ip -force -batch - <<'EOF'
link set lo up
link set eth0 up
addr add 10.0.2.15/24 dev eth0
route add default via 10.0.2.2
link add lan0 type bridge stp_state 0 forward_delay 0
addr add 10.10.0.1/24 dev lan0
link set lan0 up
netns add rs1
netns add rs2
netns add rs3
netns add clientdr
netns add clientnat
netns add dir2
link add vrs1 type veth peer name eth0 netns rs1
link add vrs2 type veth peer name eth0 netns rs2
link add vrs3 type veth peer name eth0 netns rs3
link add vcdr type veth peer name eth0 netns clientdr
link set vrs1 master lan0 up
link set vrs2 master lan0 up
link set vrs3 master lan0 up
link set vcdr master lan0 up
link add wan0 type bridge stp_state 0 forward_delay 0
addr add 192.168.77.1/24 dev wan0
link set wan0 up
link add vcnat type veth peer name eth0 netns clientnat
link set vcnat master wan0 up
link add vd2lan type veth peer name lan0 netns dir2
link set vd2lan master lan0 up
link add vd2wan type veth peer name wan0 netns dir2
link set vd2wan master wan0 up
EOF

# ns_config NS ADDRESS/PREFIX [GATEWAY]: lo and eth0 up inside the namespace.
ns_config() {
  {
    echo "link set lo up"
    echo "addr add $2 dev eth0"
    echo "link set eth0 up"
    if [ -n "${3:-}" ]; then echo "route add default via $3"; fi
  } | run ip -n "$1" -force -batch -
}
ns_config rs1 10.10.0.11/24
ns_config rs2 10.10.0.12/24
ns_config rs3 10.10.0.13/24
ns_config clientdr 10.10.0.100/24
ns_config clientnat 192.168.77.2/24 192.168.77.1

mkdir -p /run/sshd
chmod 0755 /run/sshd

# sshd_config NAME LISTEN HOSTKEY [PIDFILE]: one config per sshd; key-only root login for the
# lab key.
sshd_config() {
  cat <<EOF
# lab sshd for $1
ListenAddress $2
Port 22
HostKey $3
PidFile ${4:-/run/sshd-$1.pid}
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile /root/.ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
AllowTcpForwarding yes
MaxSessions 64
MaxStartups 64:30:128
PrintMotd no
Subsystem sftp internal-sftp
EOF
}

# start_realserver N: httpd and sshd of rsN. The three run in parallel: each is a dozen
# processes, and process start-up is what costs time under TCG (2 vCPUs).
start_realserver() {
  n="$1"
  ns="rs$n"
  mkdir -p "/srv/$ns"
  echo "$ns" >"/srv/$ns/index.html"
  # Listen on every address: in DR the request arrives for the VIP on the realserver's lo.
  run ip netns exec "$ns" busybox httpd -p 80 -h "/srv/$ns"
  sshd_config "$ns" "10.10.0.1$n" "/etc/ssh/$ns/ssh_host_ed25519_key" >"/etc/ssh/sshd_config.$ns"
  # The realservers share the director's filesystem, but the panel writes (and removes) the
  # same paths on every host: /etc/sysctl.d/90-lvs-panel.conf, /etc/lvs-panel/addresses.sh, its
  # systemd unit, /etc/ipvsadm.rules, /etc/default/ipvsadm. So each realserver's sshd runs with
  # a private copy of /etc bind-mounted over /etc (ip netns exec already gave it a private mount
  # namespace), and unshare --uts gives it its own hostname.
  etc="/var/lib/lab/$ns/etc"
  mkdir -p "/var/lib/lab/$ns"
  cp -a /etc "$etc"
  echo "$ns" >"$etc/hostname"
  # rs2 is a minimal host, like a Debian minbase or a slim container: no netbase, so no
  # /etc/protocols, where iproute2 refuses `ipproto tcp` and prints rules as `ipproto ipproto-6`.
  if [ "$n" = 2 ]; then rm -f "$etc/protocols" "$etc/services"; fi
  run ip netns exec "$ns" unshare --uts sh -c \
    'mount --bind "$3" /etc && hostname "$1" && exec /usr/sbin/sshd -f "$2"' \
    sshd-in-ns "$ns" "/etc/ssh/sshd_config.$ns" "$etc"
}

# start_director2: the second director's sshd, set up like a realserver's (private /etc, own
# hostname), plus a private /run and /tmp. The process table is shared, so with the director's
# /run a second keepalived would find the first one's pid in /run/keepalived.pid (also
# /run/vrrp.pid, /run/checkers.pid; /var/run is a symlink to /run) alive and refuse to start,
# and both would write their dumps to /tmp/keepalived.data (.stats, .json). sshd's pid file is
# outside /run so that the director can find it (execInDirector2 enters its namespaces).
start_director2() {
  # No default route (the director's goes to qemu's user net, for its sshd only) and ip_forward
  # left at 0 like the director's: the panel sets what it needs.
  run ip -n dir2 -force -batch - <<'EOF'
link set lo up
addr add 10.10.0.2/24 dev lan0
link set lan0 up
addr add 192.168.77.3/24 dev wan0
link set wan0 up
EOF
  sshd_config dir2 10.10.0.2 /etc/ssh/dir2/ssh_host_ed25519_key /var/lib/lab/dir2/sshd.pid \
    >/etc/ssh/sshd_config.dir2
  etc=/var/lib/lab/dir2/etc
  mkdir -p /var/lib/lab/dir2
  cp -a /etc "$etc"
  echo lvs-director2 >"$etc/hostname"
  run ip netns exec dir2 unshare --uts sh -c \
    'mount --bind "$3" /etc && mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run &&
     mkdir -m 0755 /run/sshd && mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp &&
     hostname "$1" && exec /usr/sbin/sshd -f "$2"' \
    sshd-in-ns lvs-director2 /etc/ssh/sshd_config.dir2 "$etc"
}

for n in 1 2 3; do start_realserver "$n" & done
start_director2 &
wait

# The director's sshd starts last, so "SSH answers" means the whole topology is up.
sshd_config director 0.0.0.0 /etc/ssh/ssh_host_ed25519_key >/etc/ssh/sshd_config
run /usr/sbin/sshd -f /etc/ssh/sshd_config
touch /run/lab-ready
log "ready; uptime $(cut -d' ' -f1 /proc/uptime)s"

# PID 1 must never exit (the kernel would panic) and must reap orphaned daemons' children.
while :; do
  sleep 3600 &
  wait
done
