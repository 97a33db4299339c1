#!/usr/bin/env bash
# Add Debian sid packages to the shared root filesystem that carries Synapse
# (built by synapse-rootfs.sh), for the other real servers the suite and the
# local stack run under bubblewrap the same way: PostgreSQL, Redis, ntfy, ...
# One rootfs means one sid snapshot for all of them. Safe to run concurrently:
# the same lock as the build serialises installers. Quick when all are present.
set -euo pipefail

cache="${MCHLINK_CACHE:-/var/cache/mchlink}"
rootfs="$cache/synapse-rootfs"
die() { echo "mchlink: $*" >&2; exit 1; }

[ $# -gt 0 ] || die "usage: rootfs-add.sh PACKAGE..."
bash "$(dirname "$0")/synapse-rootfs.sh"

missing() {
  local p out=()
  for p in "$@"; do
    chroot "$rootfs" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || out+=("$p")
  done
  echo "${out[@]:-}"
}

[ -z "$(missing "$@")" ] && exit 0
[ "$(id -u)" = 0 ] || die "adding $* to the root filesystem needs root (chroot)"
exec 9>"$cache/.rootfs.lock"
flock 9
need=$(missing "$@")
[ -z "$need" ] && exit 0

# No init runs in the rootfs: packages must not try to start their services,
# and PostgreSQL must not create a cluster of its own (the suite makes its own).
printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d"
chmod 755 "$rootfs/usr/sbin/policy-rc.d"
mkdir -p "$rootfs/etc/postgresql-common"
grep -qs '^create_main_cluster' "$rootfs/etc/postgresql-common/createcluster.conf" \
  || echo 'create_main_cluster = false' >> "$rootfs/etc/postgresql-common/createcluster.conf"

# Some maintainer scripts need /proc (postgresql-common's runs systemd-tmpfiles).
if ! mountpoint -q "$rootfs/proc"; then
  mount -t proc proc "$rootfs/proc" || die "cannot mount /proc inside $rootfs for the package scripts"
  trap 'umount "$rootfs/proc"' EXIT
fi
# A half-configured earlier attempt (e.g. before /proc was mounted) is finished first.
DEBIAN_FRONTEND=noninteractive chroot "$rootfs" dpkg --configure -a >>"$cache/rootfs-add.log" 2>&1 || true

echo "mchlink: adding $need to $rootfs (once per machine)" >&2
apt_opts=(-o Acquire::Check-Valid-Until=false -qq)
# shellcheck disable=SC2086
if ! DEBIAN_FRONTEND=noninteractive chroot "$rootfs" apt-get "${apt_opts[@]}" install -y --no-install-recommends $need >>"$cache/rootfs-add.log" 2>&1; then
  chroot "$rootfs" apt-get "${apt_opts[@]}" update >>"$cache/rootfs-add.log" 2>&1 \
    || die "apt-get update inside the rootfs failed; see $cache/rootfs-add.log"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive chroot "$rootfs" apt-get "${apt_opts[@]}" install -y --no-install-recommends $need >>"$cache/rootfs-add.log" 2>&1 \
    || die "installing $need inside the rootfs failed; see $cache/rootfs-add.log"
fi
chroot "$rootfs" apt-get clean
[ -z "$(missing "$@")" ] || die "installing $need inside the rootfs left $(missing "$@") missing; see $cache/rootfs-add.log"
