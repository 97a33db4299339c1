#!/usr/bin/env bash
# Build, once per machine, the Debian sid root filesystem that carries Synapse.
# Synapse is not packaged for bookworm; sid has it. The rootfs lives outside the
# repository (MCHLINK_CACHE, default /var/cache/mchlink) so every clone and CI run
# on this machine reuses it. Safe to run concurrently: a lock serialises builders.
set -euo pipefail

cache="${MCHLINK_CACHE:-/var/cache/mchlink}"
rootfs="$cache/synapse-rootfs"
stamp="$rootfs/.mchlink-ready"

die() { echo "mchlink: $*" >&2; exit 1; }

[ -f "$stamp" ] && exit 0
[ "$(id -u)" = 0 ] || die "building the Synapse root filesystem needs root (debootstrap, chroot). Run as root, or set MCHLINK_CACHE to a folder where a root user already built it."

mkdir -p "$cache"
exec 9>"$cache/.rootfs.lock"
flock 9
[ -f "$stamp" ] && exit 0

need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v bwrap >/dev/null || need+=(bubblewrap)
if [ ${#need[@]} -gt 0 ]; then
  echo "mchlink: installing ${need[*]} from Debian" >&2
  apt-get update -qq || die "apt-get update failed: is Debian's archive reachable from this machine?"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null \
    || die "could not install ${need[*]} with apt-get"
fi

# Use the mirror this machine's own apt sources name, never a hard-coded host.
mirror=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
  | grep -E '/debian/?( |$)' | grep -v security | head -n1 | sed -E 's/^URIs: *//; s/^deb (\[[^]]*\] )?//; s/ .*//' || true)
[ -n "$mirror" ] || die "found no Debian mirror in /etc/apt/sources.list*; set one up so apt-get works"

tmp="$rootfs.partial"
rm -rf "$tmp"
echo "mchlink: building the Synapse root filesystem in $rootfs (once per machine, about 2 minutes)" >&2
debootstrap --variant=minbase --include=ca-certificates sid "$tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 \
  || die "debootstrap of Debian sid from $mirror failed; see $cache/debootstrap.log"
apt_opts=(-o Acquire::Check-Valid-Until=false -qq)
chroot "$tmp" apt-get "${apt_opts[@]}" update >>"$cache/debootstrap.log" 2>&1 \
  || die "apt-get update inside the rootfs failed; see $cache/debootstrap.log"
DEBIAN_FRONTEND=noninteractive chroot "$tmp" apt-get "${apt_opts[@]}" install -y --no-install-recommends \
  matrix-synapse python3-psycopg2 openssl >>"$cache/debootstrap.log" 2>&1 \
  || die "installing matrix-synapse inside the rootfs failed; see $cache/debootstrap.log"
mkdir -p "$tmp/data"   # mount point for the data folder (the rootfs is bound read-only)
chroot "$tmp" apt-get clean
chroot "$tmp" python3 -c 'import synapse; print(synapse.__version__)' > "$tmp/.synapse-version"
rm -rf "$rootfs"
mv "$tmp" "$rootfs"
touch "$stamp"
echo "mchlink: Synapse $(cat "$rootfs/.synapse-version") is ready in $rootfs" >&2
