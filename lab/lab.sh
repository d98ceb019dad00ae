#!/usr/bin/env bash
# kubeha lab: real Debian 13 hosts (systemd-nspawn containers with real systemd and sshd)
# on a private bridge, reachable only from the "kubeha-jump" network namespace.
#
# Layout: the base image (debootstrap minbase of trixie plus BASE_PACKAGES, services disabled)
# is cached in $CACHE_DIR/base-STAMP, where STAMP hashes the package list and the build recipe.
# Each node is an overlayfs over it in $STATE_DIR/nodes/NAME, booted by systemd-nspawn on the
# bridge kubeha-lab0, which has no address in the root namespace. Nodes carry one address
# (10-lab.network on host0), no default route, and an on-link route to every other lab subnet,
# so nodes on different subnets reach each other across the one bridge. The jump namespace
# holds one address in every lab subnet and no default route. Nodes see the host kernel's
# /sys/module read-only (nspawn hides it otherwise), so module probes answer as on a VM.
# Nodes get a pure cgroup v2 tree (SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1), the only layout
# trixie's systemd 257 fully supports; this host binds its controllers to cgroup v1, so the
# nodes' cgroup2 has no controllers. Node users: root and kubeha
# (sudo without password) and kubehapw (sudo with password "kubeha-lab"), all with the lab key.
# Lab fixtures (lab/fixtures, stand-ins for kubeadm/kubelet/kubectl/cri-tools/kubernetes-cni, never
# shipped) are built into $CACHE_DIR/fixtures-STAMP (STAMP hashes lab/fixtures), copied into the
# state at up, and their apt repository is served over HTTP from the jump namespace's first
# address (port 8080) until down; `lab.sh env` prints the repository URL, the kube-prometheus
# archive's path and the directory of the runtime archives (containerd 2.1.9, runc, CNI plugins)
# repacked from Debian forky by lab/runtime-archives.sh. A mirror delay (up --mirror-delay SECONDS, or
# KUBEHA_LAB_MIRROR_DELAY; default 0) makes the repository wait that long before every .deb and
# the stand-ins before every image pull (each node reads it from /etc/kubeha-lab/mirror-delay).
# `lab.sh audit` reads every node's fixture records (kube-apiserver stops and starts, violations)
# through nsenter and fails when two kube-apiservers were down at once or a violation was recorded.
set -Eeuo pipefail
shopt -s nullglob

readonly LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly CACHE_DIR=${KUBEHA_LAB_CACHE:-/var/cache/kubeha-lab}
readonly STATE_ROOT=${KUBEHA_LAB_STATE:-/var/lib/kubeha-lab}
readonly STATE_DIR=$STATE_ROOT/default
readonly KEY_FILE=$CACHE_DIR/ssh/id_ed25519
readonly BRIDGE=kubeha-lab0
readonly JUMP_NS=kubeha-jump
readonly JUMP_VETH=kubeha-jv0
readonly JUMP_IF=jump0
readonly SUITE=trixie
readonly SUDO_USER_NOPASS=kubeha
readonly SUDO_USER_PASS=kubehapw
readonly SUDO_PASSWORD=kubeha-lab
readonly BOOT_TIMEOUT=${KUBEHA_LAB_BOOT_TIMEOUT:-120}
readonly STOP_TIMEOUT=${KUBEHA_LAB_STOP_TIMEOUT:-20}
readonly FIXTURES_SRC=$LAB_DIR/fixtures
readonly REPO_PORT=8080
# the fingerprint of lab/fixtures/packaging/signing-key.asc, which signs the fixture repository (lab.yaml pins it)
readonly REPO_KEY_FINGERPRINT=770A5A11914AE2052F38DF29B9D5FECE9CBA154E
readonly KUBE_PROMETHEUS_ARCHIVE=kube-prometheus-0.18.0.tar.gz
readonly NODE_MIRROR_DELAY_FILE=/etc/kubeha-lab/mirror-delay
# etcd releases the lab builds in etcd's release-archive layout from Debian's packages: VERSION, then each package as
# SUITE:POOL-FILE:SHA-256. The nodes' own trixie packages come from the base image's apt cache; forky's are downloaded
# from Debian's pool and checked against the SHA-256 pinned here (forky's Packages index, 2026-12-05).
readonly ETCD_RELEASES=(
  "3.5.16 trixie:pool/main/e/etcd/etcd-server_3.5.16-4_amd64.deb: trixie:pool/main/e/etcd/etcd-client_3.5.16-4_amd64.deb:"
  "3.5.30 forky:pool/main/e/etcd/etcd-server_3.5.30-2_amd64.deb:11a4f7e350c5020b83edff5160a6063d4e56ac9cd014d21ce8916378bf96de79 forky:pool/main/e/etcd/etcd-client_3.5.30-2_amd64.deb:1e66ad2aba4cba6842a1ac35d5c525e750102b8fb42748225bcb2e34d6595931"
)
MIRROR_DELAY=${KUBEHA_LAB_MIRROR_DELAY:-0}
readonly BASE_PACKAGES=(
  openssh-server systemd systemd-sysv dbus iproute2 kmod iputils-ping ca-certificates curl sudo
  haproxy keepalived etcd-server etcd-client containerd runc ipset ipvsadm conntrack nftables procps
  python3-minimal python3 python3-yaml iptables gpg
)
readonly DISABLED_UNITS=(haproxy.service keepalived.service etcd.service containerd.service ipvsadm.service nftables.service
  apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer fstrim.timer e2scrub_all.timer)

say() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<EOF
usage: sudo lab/lab.sh COMMAND [--topology FILE] [--mirror-delay SECONDS]
  up       build the base image if needed, then start every node of the topology; --mirror-delay (or
           KUBEHA_LAB_MIRROR_DELAY) delays every .deb download and every stand-in image pull (default 0)
  down     stop every node and remove everything the lab created (safe to repeat)
  status   list nodes, addresses, roles and state
  exec CMD run CMD inside the lab's jump network namespace ($JUMP_NS)
  base     only build (or reuse) the cached base image
  etcd-archive VERSION
           build (or reuse) etcd-vVERSION-linux-amd64.tar.gz from Debian's etcd packages and print its path
           (versions: ${ETCD_RELEASES[*]%% *})
  env      print the lab's fixed facts (key file, users, sudo password, namespace, package repository)
  audit    check every node's fixture records: kube-apiserver stops/starts (never two down at once) and violations
The default topology is $LAB_DIR/default.topology; the format is described there.
EOF
}

require_root() {
  [[ $EUID -eq 0 ]] || die "lab.sh must run as root (it creates a bridge, a network namespace, overlay mounts and containers): sudo $0 $*"
}

# ---------- IPv4 arithmetic ----------

ip_to_int() {
  local a b c d
  IFS=. read -r a b c d <<<"$1"
  echo $(( (a << 24) | (b << 16) | (c << 8) | d ))
}

int_to_ip() {
  local n=$1
  echo "$(( (n >> 24) & 255 )).$(( (n >> 16) & 255 )).$(( (n >> 8) & 255 )).$(( n & 255 ))"
}

valid_ip() {
  local ip=$1 part
  [[ $ip =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || return 1
  for part in ${ip//./ }; do (( 10#$part <= 255 )) || return 1; done
}

# prints NETWORK/PREFIX for ADDRESS/PREFIX
subnet_of() {
  local ip=${1%/*} prefix=${1#*/} mask
  mask=$(( prefix == 0 ? 0 : (0xffffffff << (32 - prefix)) & 0xffffffff ))
  echo "$(int_to_ip $(( $(ip_to_int "$ip") & mask )))/$prefix"
}

in_subnet() {
  local ip=$1 net=$2 prefix mask
  prefix=${net#*/}
  mask=$(( prefix == 0 ? 0 : (0xffffffff << (32 - prefix)) & 0xffffffff ))
  (( ($(ip_to_int "$ip") & mask) == $(ip_to_int "${net%/*}") ))
}

# ---------- topology ----------

NODE_NAMES=() NODE_CIDRS=() NODE_ROLES=() JUMP_CIDRS=() SUBNETS=() VIP=""

load_topology() {
  local file=$1 check_host=${2:-check-host} line lineno=0 name cidr roles extra role s seen
  [[ -r $file ]] || die "topology file $file is not readable"
  NODE_NAMES=() NODE_CIDRS=() NODE_ROLES=() JUMP_CIDRS=() SUBNETS=() VIP=""
  while IFS= read -r line || [[ -n $line ]]; do
    lineno=$((lineno + 1))
    line=${line%%#*}
    read -r name cidr roles extra <<<"$line" || true
    [[ -z $name ]] && continue
    [[ -z $extra ]] || die "$file:$lineno: too many fields (expected NAME ADDRESS/PREFIX ROLES, vip ADDRESS or jump ADDRESS/PREFIX)"
    case $name in
      vip)
        [[ -z $roles ]] && valid_ip "$cidr" || die "$file:$lineno: expected 'vip ADDRESS', got '$line'"
        [[ -z $VIP ]] || die "$file:$lineno: a second vip line"
        VIP=$cidr ;;
      jump)
        [[ -z $roles ]] && valid_cidr "$cidr" || die "$file:$lineno: expected 'jump ADDRESS/PREFIX', got '$line'"
        JUMP_CIDRS+=("$cidr") ;;
      *)
        [[ $name =~ ^[a-z][a-z0-9-]{0,11}$ ]] || die "$file:$lineno: node name '$name' must be 1-12 of [a-z0-9-] starting with a letter"
        valid_cidr "$cidr" || die "$file:$lineno: node $name: '$cidr' is not ADDRESS/PREFIX (IPv4, prefix 8-30)"
        [[ -n $roles ]] || die "$file:$lineno: node $name has no roles"
        for role in ${roles//,/ }; do
          case $role in control-plane|load-balancer|etcd|worker) ;;
            *) die "$file:$lineno: node $name: unknown role '$role' (control-plane, load-balancer, etcd, worker)" ;;
          esac
        done
        for s in "${NODE_NAMES[@]}"; do [[ $s != "$name" ]] || die "$file:$lineno: node $name is listed twice"; done
        NODE_NAMES+=("$name") NODE_CIDRS+=("$cidr") NODE_ROLES+=("$roles") ;;
    esac
  done <"$file"
  (( ${#NODE_NAMES[@]} > 0 )) || die "$file: no nodes"
  for cidr in "${NODE_CIDRS[@]}" "${JUMP_CIDRS[@]}"; do
    s=$(subnet_of "$cidr")
    [[ " ${SUBNETS[*]} " == *" $s "* ]] || SUBNETS+=("$s")
  done
  for s in "${SUBNETS[@]}"; do
    seen=""
    for cidr in "${JUMP_CIDRS[@]}"; do [[ $(subnet_of "$cidr") == "$s" ]] && seen=1; done
    [[ -n $seen ]] || JUMP_CIDRS+=("$(int_to_ip $(( $(ip_to_int "${s%/*}") + 1 )))/${s#*/}")
  done
  check_addresses "$file" "$check_host"
}

valid_cidr() {
  local ip=${1%/*} prefix=${1#*/}
  [[ $1 == */* ]] && valid_ip "$ip" && [[ $prefix =~ ^[0-9]+$ ]] && (( prefix >= 8 && prefix <= 30 ))
}

check_addresses() {
  local file=$1 check_host=$2 all=() a s ok
  for a in "${NODE_CIDRS[@]}" "${JUMP_CIDRS[@]}" ${VIP:+"$VIP/32"}; do
    [[ " ${all[*]} " != *" ${a%/*} "* ]] || die "$file: address ${a%/*} is used twice (nodes, jump addresses and the vip must differ)"
    all+=("${a%/*}")
  done
  for a in "${all[@]}"; do
    if [[ $a == 10.0.8.* || $a == 10.0.9.* || $a == 10.0.10.* || $a == 10.0.11.* || $a == 172.21.16.* ]]; then
      die "$file: $a lies in a real network of the guide (10.0.8.0/22, 172.21.16.0/24); choose a private test range"
    fi
  done
  if [[ -n $VIP ]]; then
    ok=""
    for s in "${SUBNETS[@]}"; do in_subnet "$VIP" "$s" && ok=1; done
    [[ -n $ok ]] || die "$file: vip $VIP lies in no lab subnet (${SUBNETS[*]})"
  fi
  [[ $check_host == check-host ]] || return 0
  local used
  mapfile -t used < <(ip -4 -o addr show | awk '{print $4}'; ip -4 route show table all | awk '$1 ~ /\// {print $1}')
  for s in "${SUBNETS[@]}"; do
    for a in "${used[@]}"; do
      [[ $a == */* ]] || continue
      if in_subnet "${a%/*}" "$s" || in_subnet "${s%/*}" "$(subnet_of "$a")"; then
        die "$file: lab subnet $s overlaps $a, which this machine already uses"
      fi
    done
  done
}

topology_of_state() {
  [[ -r $STATE_DIR/topology ]] || return 1
  load_topology "$STATE_DIR/topology" no-host-check
}

# ---------- base image ----------

apt_mirror() {
  if [[ -n ${KUBEHA_LAB_MIRROR:-} ]]; then echo "$KUBEHA_LAB_MIRROR"; return; fi
  local m
  m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
      | grep -v -E '^\s*#' | grep -o -E 'https?://[^ ]*/debian/?( |$)' | grep -v -e security | head -n1 | tr -d ' ')
  echo "${m:-http://deb.debian.org/debian}"
}

configure_base() {
  local root=$1
  rm -f "$root/usr/sbin/policy-rc.d"
  for u in "${DISABLED_UNITS[@]}"; do
    chroot "$root" systemctl disable --quiet "$u" 2>/dev/null || true
  done
  chroot "$root" systemctl mask --quiet systemd-firstboot.service
  chroot "$root" systemctl enable --quiet systemd-networkd.service ssh.service
  chroot "$root" useradd --create-home --shell /bin/bash --groups sudo "$SUDO_USER_NOPASS"
  chroot "$root" useradd --create-home --shell /bin/bash --groups sudo "$SUDO_USER_PASS"
  chroot "$root" usermod --password '*' "$SUDO_USER_NOPASS"
  echo "$SUDO_USER_PASS:$SUDO_PASSWORD" | chroot "$root" chpasswd
  printf '%s ALL=(ALL:ALL) NOPASSWD: ALL\n' "$SUDO_USER_NOPASS" >"$root/etc/sudoers.d/10-kubeha-lab"
  chmod 0440 "$root/etc/sudoers.d/10-kubeha-lab"
  # Every connection comes from the one jump namespace: OpenSSH 10's per-source penalties (banner probes count as
  # connections that never authenticate) would otherwise lock the lab's only client out for seconds at a time.
  printf 'PermitRootLogin prohibit-password\nPasswordAuthentication yes\nUseDNS no\nPerSourcePenalties no\n' \
    >"$root/etc/ssh/sshd_config.d/10-kubeha-lab.conf"
  echo 'LANG=C.UTF-8' >"$root/etc/default/locale"
  chroot "$root" /usr/lib/systemd/systemd-update-done
  rm -f "$root"/etc/ssh/ssh_host_*
  : >"$root/etc/machine-id"
  rm -f "$root/var/lib/dbus/machine-id"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root/etc/resolv.conf"
  : >"$root/etc/resolv.conf"
}

build_base_into() {
  local root=$1 mirror=$2 mounted=()
  mkdir -p "$CACHE_DIR/debs" "$CACHE_DIR/apt-archives"
  say "debootstrap --variant=minbase $SUITE from $mirror"
  debootstrap --variant=minbase --cache-dir="$CACHE_DIR/debs" "$SUITE" "$root" "$mirror" \
    >"$CACHE_DIR/build.log" 2>&1 || { tail -n 30 "$CACHE_DIR/build.log" >&2; return 1; }
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mount -t proc proc "$root/proc" && mounted+=("$root/proc")
  mount --bind "$CACHE_DIR/apt-archives" "$root/var/cache/apt/archives" && mounted+=("$root/var/cache/apt/archives")
  say "installing ${#BASE_PACKAGES[@]} packages into the base image"
  local rc=0
  chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 sh -c \
    'apt-get -q update && apt-get -q -y --no-install-recommends install "$@"' sh "${BASE_PACKAGES[@]}" \
    >>"$CACHE_DIR/build.log" 2>&1 || rc=$?
  (( rc == 0 )) && { configure_base "$root" >>"$CACHE_DIR/build.log" 2>&1 || rc=$?; }
  local i
  for (( i = ${#mounted[@]} - 1; i >= 0; i-- )); do umount "${mounted[$i]}"; done
  (( rc == 0 )) || { tail -n 30 "$CACHE_DIR/build.log" >&2; return "$rc"; }
}

base_stamp() {
  { echo "$SUITE"; printf '%s\n' "${BASE_PACKAGES[@]}" "${DISABLED_UNITS[@]}" \
      "$SUDO_USER_NOPASS" "$SUDO_USER_PASS" "$SUDO_PASSWORD"
    declare -f configure_base build_base_into; } | sha256sum | cut -c1-16
}

base_dir() { echo "$CACHE_DIR/base-$(base_stamp)"; }

ensure_base() {
  local base tmp started
  base=$(base_dir)
  mkdir -p "$CACHE_DIR"
  chmod 0755 "$CACHE_DIR"
  exec 8>"$CACHE_DIR/build.lock"
  if ! flock -n 8; then
    say "another run is building the base image; waiting for it"
    flock 8
  fi
  if [[ ! -f $base/.kubeha-lab-stamp ]]; then
    command -v debootstrap >/dev/null || die "debootstrap is missing: run lab/install-deps.sh"
    started=$SECONDS
    tmp=$base.partial
    unmount_under "$tmp"
    rm -rf --one-file-system "$tmp"
    mkdir -p "$tmp"
    build_base_into "$tmp" "$(apt_mirror)" || { rm -rf --one-file-system "$tmp"; die "building the base image failed (log: $CACHE_DIR/build.log)"; }
    chroot "$tmp" dpkg-query -W -f='${Package} ${Version}\n' >"$tmp/.kubeha-lab-packages"
    base_stamp >"$tmp/.kubeha-lab-stamp"
    mv "$tmp" "$base"
    say "base image built in $((SECONDS - started)) s: $base"
    prune_bases "$base"
  fi
  flock -u 8
  exec 8>&-
  ensure_key
}

prune_bases() {
  local keep=$1 old
  for old in "$CACHE_DIR"/base-*; do
    [[ $old == "$keep" ]] && continue
    if grep -q "lowerdir=$old" /proc/self/mountinfo; then continue; fi
    say "removing outdated base image $old"
    rm -rf --one-file-system "$old"
  done
}

ensure_key() {
  mkdir -p "$(dirname "$KEY_FILE")"
  chmod 0700 "$(dirname "$KEY_FILE")"
  [[ -f $KEY_FILE ]] || ssh-keygen -q -t ed25519 -N '' -C kubeha-lab -f "$KEY_FILE"
  chmod 0600 "$KEY_FILE"
}

# ---------- etcd release archives built from Debian's packages ----------

# prints the path of a Debian package in the cache: the base image's apt cache for the nodes' suite, otherwise
# downloaded from the Debian mirror into $CACHE_DIR/debian and checked against SHA256
debian_package() {
  local suite=$1 pool=$2 sha256=$3 file dir=$CACHE_DIR/debian
  file=${pool##*/}
  if [[ $suite == "$SUITE" ]]; then
    ensure_base >&2
    [[ -f $CACHE_DIR/apt-archives/$file ]] || die "$file is not in the base image's apt cache $CACHE_DIR/apt-archives"
    echo "$CACHE_DIR/apt-archives/$file"
    return
  fi
  mkdir -p "$dir"
  if [[ ! -f $dir/$file ]]; then
    say "downloading $file from $(apt_mirror) ($suite)"
    curl -fsS --retry 3 --max-time 600 -o "$dir/$file.part" "$(apt_mirror)/$pool" \
      || { rm -f "$dir/$file.part"; die "cannot download $(apt_mirror)/$pool"; }
    mv "$dir/$file.part" "$dir/$file"
  fi
  if [[ $(sha256sum <"$dir/$file" | cut -d' ' -f1) != "$sha256" ]]; then
    rm -f "$dir/$file"
    die "$file does not have the SHA-256 of $suite's Packages index ($sha256): removed from the cache"
  fi
  echo "$dir/$file"
}

# builds (once) etcd-vVERSION-linux-amd64.tar.gz, reproducibly, holding etcd, etcdctl and etcdutl; prints its path
cmd_etcd_archive() {
  local version=${1:-} entry release="" package archive top tmp suite pool sha256 binary deb
  for entry in "${ETCD_RELEASES[@]}"; do
    [[ ${entry%% *} == "$version" ]] && release=$entry
  done
  [[ -n $release ]] || die "no etcd release '$version' in the lab (versions: ${ETCD_RELEASES[*]%% *})"
  top=etcd-v$version-linux-amd64
  archive=$CACHE_DIR/etcd/$top.tar.gz
  mkdir -p "$CACHE_DIR/etcd"
  exec 6>"$CACHE_DIR/etcd/build.lock"
  flock 6
  if [[ ! -f $archive ]]; then
    tmp=$(mktemp -d "$CACHE_DIR/etcd/build.XXXXXX")
    for package in ${release#* }; do
      IFS=: read -r suite pool sha256 <<<"$package"
      deb=$(debian_package "$suite" "$pool" "$sha256") || { rm -rf "$tmp"; exit 1; }
      dpkg-deb -x "$deb" "$tmp/root" || { rm -rf "$tmp"; die "cannot unpack $deb"; }
    done
    mkdir -p "$tmp/$top"
    for binary in etcd etcdctl etcdutl; do
      mv "$tmp/root/usr/bin/$binary" "$tmp/$top/$binary" || { rm -rf "$tmp"; die "Debian's etcd $version has no $binary"; }
    done
    tar -C "$tmp" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - "$top" | gzip -n >"$tmp/$top.tar.gz"
    mv "$tmp/$top.tar.gz" "$archive"
    rm -rf "$tmp"
  fi
  flock -u 6
  exec 6>&-
  echo "$archive"
}

# ---------- fixtures: stand-in packages, their apt repository, the kube-prometheus archive ----------

fixtures_stamp() {
  (cd "$FIXTURES_SRC" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}

fixtures_dir() { echo "$CACHE_DIR/fixtures-$(fixtures_stamp)"; }

ensure_fixtures() {
  local dir tmp old started
  dir=$(fixtures_dir)
  exec 8>"$CACHE_DIR/fixtures.lock"
  flock 8
  if [[ ! -f $dir/.kubeha-lab-stamp ]]; then
    started=$SECONDS
    tmp=$dir.partial
    rm -rf "$tmp"
    "$FIXTURES_SRC/packaging/build.sh" "$tmp" >"$CACHE_DIR/fixtures-build.log" 2>&1 \
      || { tail -n 30 "$CACHE_DIR/fixtures-build.log" >&2; rm -rf "$tmp"; die "building the lab fixtures failed (log: $CACHE_DIR/fixtures-build.log)"; }
    fixtures_stamp >"$tmp/.kubeha-lab-stamp"
    mv "$tmp" "$dir"
    say "lab fixtures built in $((SECONDS - started)) s: $dir"
    for old in "$CACHE_DIR"/fixtures-*; do
      [[ -d $old && $old != "$dir" ]] && rm -rf "$old"
    done
  fi
  flock -u 8
  exec 8>&-
}

# containerd 2.1.9, runc 1.3.6 and the CNI plugins 1.9.1 as upstream-layout release archives, repacked
# once from Debian forky's packages (lab/runtime-archives.sh) into $CACHE_DIR/runtime-archives-STAMP
runtime_archives_dir() { echo "$CACHE_DIR/runtime-archives-$(sha256sum <"$LAB_DIR/runtime-archives.sh" | cut -c1-16)"; }

ensure_runtime_archives() {
  local dir old
  dir=$(runtime_archives_dir)
  exec 8>"$CACHE_DIR/runtime-archives.lock"
  flock 8
  if [[ ! -f $dir/SHA256SUMS ]]; then
    rm -rf "$dir"
    "$LAB_DIR/runtime-archives.sh" "$dir" 2>"$CACHE_DIR/runtime-archives.log" \
      || { tail -n 20 "$CACHE_DIR/runtime-archives.log" >&2; rm -rf "$dir"; die "repacking the runtime archives failed (log: $CACHE_DIR/runtime-archives.log)"; }
    for old in "$CACHE_DIR"/runtime-archives-*; do
      [[ -d $old && $old != "$dir" ]] && rm -rf "$old"
    done
  fi
  flock -u 8
  exec 8>&-
}

# the jump namespace's address that serves the package repository: its first address
repo_address() { echo "${JUMP_CIDRS[0]%/*}"; }

repo_server_pids() {
  local p cmd
  for p in /proc/[0-9]*; do
    cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
    [[ $cmd == *"/repo-server.py "*" --directory $STATE_DIR/fixtures/repo "* ]] && echo "${p#/proc/}"
  done
  return 0
}

start_repo_server() {
  local python addr deadline=$((SECONDS + 15))
  python=$(command -v /usr/bin/python3 python3 | head -n1)
  [[ -n $python ]] || die "python3 is missing: run lab/install-deps.sh"
  addr=$(repo_address)
  rm -rf "$STATE_DIR/fixtures"
  cp -a "$(fixtures_dir)" "$STATE_DIR/fixtures"
  # started from a subshell, so it is no job of this shell (wait_all must not wait for it)
  ( setsid ip netns exec "$JUMP_NS" "$python" "$LAB_DIR/repo-server.py" --bind "$addr" --directory "$STATE_DIR/fixtures/repo" \
      --delay "$MIRROR_DELAY" "$REPO_PORT" \
      </dev/null >"$STATE_DIR/repo-http.log" 2>&1 7>&- 8>&- 9>&- &
    echo "$!" >"$STATE_DIR/repo-http.pid" )
  until jump timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$addr" "$REPO_PORT" 2>/dev/null; do
    (( SECONDS < deadline )) || die "the package repository server did not start on $addr:$REPO_PORT: $(tail -n 5 "$STATE_DIR/repo-http.log")"
    sleep 0.2
  done
}

stop_repo_server() {
  local pids deadline=$((SECONDS + 10))
  pids=$(repo_server_pids)
  [[ -n $pids ]] || return 0
  kill -TERM $pids 2>/dev/null || true
  while [[ -n $(repo_server_pids) ]]; do
    (( SECONDS < deadline )) || { kill -KILL $(repo_server_pids) 2>/dev/null || true; sleep 0.5; break; }
    sleep 0.1
  done
}

# ---------- nodes ----------

node_dir() { echo "$STATE_DIR/nodes/$1"; }

prepare_node() {
  local name=$1 cidr=$2 dir root s uid gid home user
  dir=$(node_dir "$name")
  root=$dir/root
  mkdir -p "$dir/upper" "$dir/work" "$root"
  mount -t overlay "kubeha-lab-$name" -o "lowerdir=$BASE,upperdir=$dir/upper,workdir=$dir/work" "$root"
  echo "$name" >"$root/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$name" >"$root/etc/hosts"
  tr -d '-' </proc/sys/kernel/random/uuid >"$root/etc/machine-id"
  mkdir -p "$root$(dirname "$NODE_MIRROR_DELAY_FILE")"
  echo "$MIRROR_DELAY" >"$root$NODE_MIRROR_DELAY_FILE"
  ssh-keygen -q -A -f "$root" >/dev/null
  for s in "$root"/etc/ssh/ssh_host_*_key.pub; do sed -i "s/ [^ ]*\$/ root@$name/" "$s"; done
  {
    printf '[Match]\nName=host0\n\n[Network]\nAddress=%s\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n' "$cidr"
    for s in "${SUBNETS[@]}"; do
      [[ $s == "$(subnet_of "$cidr")" ]] && continue
      printf '\n[Route]\nDestination=%s\nScope=link\n' "$s"
    done
  } >"$root/etc/systemd/network/10-lab.network"
  for user in root "$SUDO_USER_NOPASS" "$SUDO_USER_PASS"; do
    IFS=: read -r _ _ uid gid _ home _ < <(grep "^$user:" "$root/etc/passwd")
    mkdir -p "$root$home/.ssh"
    cp "$KEY_FILE.pub" "$root$home/.ssh/authorized_keys"
    chmod 0700 "$root$home/.ssh"
    chmod 0600 "$root$home/.ssh/authorized_keys"
    chown -R "$uid:$gid" "$root$home/.ssh"
  done
}

start_node() {
  local name=$1 dir pid
  dir=$(node_dir "$name")
  SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 setsid systemd-nspawn --quiet -D "$dir/root" -b --machine="$name" --network-bridge="$BRIDGE" \
    --register=no --keep-unit --console=read-only --bind-ro=/sys/module </dev/null >"$dir/console.log" 2>&1 8>&- 9>&- &
  pid=$!
  echo "$pid" >"$dir/nspawn.pid"
}

# the nspawn processes of this lab, found by their root directory under the state dir
lab_nspawn_pids() {
  local p cmd
  for p in /proc/[0-9]*; do
    [[ $(cat "$p/comm" 2>/dev/null) == systemd-nspawn ]] || continue
    cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
    [[ $cmd == *" -D $STATE_DIR/nodes/"* ]] && echo "${p#/proc/}"
  done
  return 0
}

# the host PID of a node's init (systemd, PID 1 inside the node)
node_init_pid() {
  local pid
  pid=$(node_pid "$1") || return 1
  set -- $(cat /proc/"$pid"/task/*/children 2>/dev/null)
  [[ -n ${1:-} ]] && echo "$1"
}

# runs a command inside a node, as its root, without going through the network
node_run() {
  local init
  init=$(node_init_pid "$1") || die "node $1 is not running"
  shift
  nsenter --target "$init" --mount --uts --ipc --net --pid --root --wd -- "$@"
}

# records each node's PID namespace, so down finds its processes even if nspawn itself was killed
record_pid_namespaces() {
  local name init
  for name in "${NODE_NAMES[@]}"; do
    init=$(node_init_pid "$name") && readlink "/proc/$init/ns/pid" >"$(node_dir "$name")/pidns"
  done
  return 0
}

# waits until systemd in every node finished booting; a unit that could not even be spawned
# (Result=resources: systemd 257 in nspawn now and then fails to spawn its executor early in
# boot) is started once more and reported; any other failed unit fails up
settle_nodes() {
  local name state unit result deadline=$((SECONDS + BOOT_TIMEOUT))
  for name in "${NODE_NAMES[@]}"; do
    while :; do
      node_pid "$name" >/dev/null || die "node $name stopped while booting; console: $(node_dir "$name")/console.log"
      state=$(node_run "$name" systemctl is-system-running 2>/dev/null) || true
      [[ $state == running || $state == degraded ]] && break
      (( SECONDS < deadline )) || die "node $name did not finish booting within ${BOOT_TIMEOUT} s (systemd is '$state'); console: $(node_dir "$name")/console.log"
      sleep 0.3
    done
    [[ $state == running ]] && continue
    for unit in $(node_run "$name" systemctl list-units --state=failed --plain --no-legend | awk '{print $1}'); do
      result=$(node_run "$name" systemctl show -P Result "$unit")
      [[ $result == resources ]] || die "node $name: unit $unit failed during boot (result $result); console: $(node_dir "$name")/console.log"
      say "node $name: $unit could not be spawned during boot (result resources); starting it again"
      node_run "$name" systemctl reset-failed "$unit"
      node_run "$name" systemctl start "$unit" || die "node $name: $unit failed again; console: $(node_dir "$name")/console.log"
    done
    state=$(node_run "$name" systemctl is-system-running) || true
    [[ $state == running ]] || die "node $name: systemd is $state after boot: $(node_run "$name" systemctl list-units --state=failed --plain --no-legend | xargs)"
  done
}

# processes inside the PID namespace of a node of this lab
lab_node_pids() {
  local p namespaces
  namespaces=$(cat "$STATE_DIR"/nodes/${STATE_NODE_GLOB:-*}/pidns 2>/dev/null)
  [[ -n $namespaces ]] || return 0
  for p in /proc/[0-9]*; do
    grep -qxF "$(readlink "$p/ns/pid" 2>/dev/null)" <<<"$namespaces" && echo "${p#/proc/}"
  done
  return 0
}

node_pid() {
  local name=$1 pid
  pid=$(cat "$(node_dir "$name")/nspawn.pid" 2>/dev/null) || return 1
  [[ $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") == *" -D $(node_dir "$name")/root "* ]] || return 1
  echo "$pid"
}

jump() { ip netns exec "$JUMP_NS" "$@"; }

ssh_banner() {
  jump timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/22" && head -c 7 <&3' _ "$1" 2>/dev/null
}

wait_for_ssh() {
  local deadline=$((SECONDS + BOOT_TIMEOUT)) i name addr pending
  while :; do
    pending=()
    for i in "${!NODE_NAMES[@]}"; do
      name=${NODE_NAMES[$i]} addr=${NODE_CIDRS[$i]%/*}
      node_pid "$name" >/dev/null || die "node $name stopped while booting; console: $(node_dir "$name")/console.log
$(tail -n 20 "$(node_dir "$name")/console.log")"
      [[ $(ssh_banner "$addr") == SSH-2.0 ]] || pending+=("$name")
    done
    (( ${#pending[@]} == 0 )) && return 0
    if (( SECONDS >= deadline )); then
      for name in "${pending[@]}"; do say "console of $name:"; tail -n 15 "$(node_dir "$name")/console.log" >&2; echo >&2; done
      die "sshd did not answer within ${BOOT_TIMEOUT} s on: ${pending[*]}"
    fi
    sleep 0.5
  done
}

quiet_ipv6() { sysctl -q -w "net.ipv6.conf.$1.disable_ipv6=1" 2>/dev/null || true; }

quiet_node_ports() {
  local name deadline=$((SECONDS + 30))
  for name in "${NODE_NAMES[@]}"; do
    while ! ip link show "vb-$name" >/dev/null 2>&1; do
      (( SECONDS < deadline )) || die "nspawn created no interface vb-$name for node $name"
      node_pid "$name" >/dev/null || die "node $name stopped while starting:
$(tail -n 20 "$(node_dir "$name")/console.log")"
      sleep 0.1
    done
    quiet_ipv6 "vb-$name"
  done
}

create_network() {
  local cidr
  ip link add "$BRIDGE" type bridge
  quiet_ipv6 "$BRIDGE"
  ip link set "$BRIDGE" up
  ip netns add "$JUMP_NS"
  ip link add "$JUMP_VETH" type veth peer name "$JUMP_IF" netns "$JUMP_NS"
  quiet_ipv6 "$JUMP_VETH"
  ip link set "$JUMP_VETH" master "$BRIDGE" up
  ip -n "$JUMP_NS" link set lo up
  jump sysctl -q -w "net.ipv6.conf.$JUMP_IF.disable_ipv6=1"
  for cidr in "${JUMP_CIDRS[@]}"; do ip -n "$JUMP_NS" addr add "$cidr" dev "$JUMP_IF"; done
  ip -n "$JUMP_NS" link set "$JUMP_IF" up
}

lab_is_up() {
  [[ -d $STATE_DIR ]] || ip link show "$BRIDGE" >/dev/null 2>&1 || [[ -e /run/netns/$JUMP_NS ]]
}

cmd_up() {
  local topology=$1 started i
  started=$SECONDS
  [[ $MIRROR_DELAY =~ ^[0-9]{1,3}(\.[0-9]{1,3})?$ ]] || die "the mirror delay must be a number of seconds (0-999), not '$MIRROR_DELAY'"
  load_topology "$topology"
  mkdir -p "$STATE_ROOT"
  chmod 0700 "$STATE_ROOT"
  exec 9>"$STATE_ROOT/lab.lock"
  flock -n 9 || die "another lab.sh up/down is running"
  if lab_is_up; then
    die "a lab already exists (state $STATE_DIR, bridge $BRIDGE or namespace $JUMP_NS); run 'lab.sh down' first"
  fi
  for cmd in systemd-nspawn ip ssh-keygen ssh setsid flock nsenter; do
    command -v "$cmd" >/dev/null || die "$cmd is missing: run lab/install-deps.sh"
  done
  [[ -c /dev/null ]] || die "/dev/null on this machine is not a character device (something replaced it), and systemd-nspawn needs it; restore it: rm /dev/null && mknod -m 666 /dev/null c 1 3"
  ensure_base
  ensure_fixtures
  ensure_runtime_archives
  BASE=$(base_dir)
  local up_started=$SECONDS
  mkdir -p "$STATE_DIR/nodes"
  cp "$topology" "$STATE_DIR/topology"
  echo "$MIRROR_DELAY" >"$STATE_DIR/mirror-delay"
  basename "$BASE" >"$STATE_DIR/base"
  trap 'on_up_exit $?' EXIT
  create_network
  start_repo_server
  for i in "${!NODE_NAMES[@]}"; do prepare_node "${NODE_NAMES[$i]}" "${NODE_CIDRS[$i]}" & done
  wait_all
  for name in "${NODE_NAMES[@]}"; do start_node "$name"; done
  quiet_node_ports
  record_pid_namespaces
  settle_nodes
  wait_for_ssh
  trap - EXIT
  say "lab up in $((SECONDS - up_started)) s (total $((SECONDS - started)) s): ${#NODE_NAMES[@]} nodes, jump namespace $JUMP_NS (${JUMP_CIDRS[*]})"
  cmd_status
}

on_up_exit() {
  (( $1 == 0 )) && return 0
  if [[ -n ${KUBEHA_LAB_KEEP_FAILED:-} ]]; then
    say "up failed; KUBEHA_LAB_KEEP_FAILED is set, so the half-started lab stays for inspection (lab.sh down removes it)"
  else
    say "up failed; removing the half-started lab"
    do_down || true
  fi
}

wait_all() {
  local pid rc=0
  for pid in $(jobs -p); do wait "$pid" || rc=1; done
  (( rc == 0 )) || return 1
}

cmd_status() {
  if ! topology_of_state; then
    echo "lab: down"
    return 0
  fi
  local i name state
  printf '%-12s %-20s %-30s %s\n' NODE ADDRESS ROLES STATE
  for i in "${!NODE_NAMES[@]}"; do
    name=${NODE_NAMES[$i]}
    if ! node_pid "$name" >/dev/null; then
      state=stopped
      [[ -r $(node_dir "$name")/pidns && -n $(STATE_NODE_GLOB=$name lab_node_pids) ]] && state="nspawn gone, node processes remain (run down)"
    elif [[ -e /run/netns/$JUMP_NS && $(ssh_banner "${NODE_CIDRS[$i]%/*}") == SSH-2.0 ]]; then state="running, sshd up"
    else state="running, sshd not answering"
    fi
    printf '%-12s %-20s %-30s %s\n' "$name" "${NODE_CIDRS[$i]}" "${NODE_ROLES[$i]}" "$state"
  done
  echo "jump namespace: $JUMP_NS (${JUMP_CIDRS[*]}), bridge $BRIDGE, vip ${VIP:-none}"
  echo "ssh key: $KEY_FILE; users: root, $SUDO_USER_NOPASS (sudo without password), $SUDO_USER_PASS (sudo password '$SUDO_PASSWORD')"
}

# waits up to $1 seconds for the lab's nspawn processes to end; prints those still running
await_nspawn_exit() {
  local deadline=$((SECONDS + $1)) pids
  while :; do
    pids=$(lab_nspawn_pids)
    [[ -z $pids ]] && return 0
    (( SECONDS < deadline )) || { echo $pids; return 1; }
    sleep 0.3
  done
}

stop_nodes() {
  local pids pid child grandchild
  pids=$(lab_nspawn_pids)
  [[ -n $pids ]] || { kill_orphans; return 0; }
  say "stopping $(wc -w <<<"$pids") node(s)"
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  pids=$(await_nspawn_exit "$STOP_TIMEOUT") && { kill_orphans; return 0; }
  say "nodes still running after ${STOP_TIMEOUT} s; killing them (nspawn pids $pids)"
  for pid in $pids; do
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
      for grandchild in $(cat /proc/"$child"/task/*/children 2>/dev/null); do kill -KILL "$grandchild" 2>/dev/null || true; done
      kill -KILL "$child" 2>/dev/null || true
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  pids=$(await_nspawn_exit 10) || die "could not stop nspawn processes: $pids"
  kill_orphans
}

kill_orphans() {
  local pids deadline=$((SECONDS + 10))
  pids=$(lab_node_pids)
  [[ -n $pids ]] || return 0
  say "killing processes left inside lab nodes: $(xargs <<<"$pids")"
  kill -KILL $pids 2>/dev/null || true
  while [[ -n $(lab_node_pids) ]]; do
    (( SECONDS < deadline )) || die "processes inside lab nodes survive SIGKILL: $(lab_node_pids | xargs)"
    sleep 0.2
  done
}

mounts_under() {
  awk -v d="$1/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

unmount_under() {
  local m
  for m in $(mounts_under "$1"); do
    umount "$m" 2>/dev/null || { say "$m is busy; detaching it"; umount -l "$m"; }
  done
  [[ -z $(mounts_under "$1") ]] || die "mounts remain under $1: $(mounts_under "$1" | tr '\n' ' ')"
}

do_down() {
  local name l
  stop_repo_server
  stop_nodes
  unmount_under "$STATE_DIR"
  if topology_of_state 2>/dev/null; then
    for name in "${NODE_NAMES[@]}"; do ip link del "vb-$name" 2>/dev/null || true; done
  fi
  for l in $(ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link del "$l" 2>/dev/null || true
  done
  ip link del "$JUMP_VETH" 2>/dev/null || true
  ip link del "$BRIDGE" 2>/dev/null || true
  [[ -e /run/netns/$JUMP_NS ]] && ip netns del "$JUMP_NS"
  rm -rf --one-file-system "$STATE_DIR"
  return 0
}

cmd_down() {
  mkdir -p "$STATE_ROOT"
  exec 9>"$STATE_ROOT/lab.lock"
  flock -w 60 9 || die "another lab.sh up/down is running"
  local started=$SECONDS
  do_down
  say "lab down in $((SECONDS - started)) s"
}

cmd_exec() {
  (( $# > 0 )) || die "usage: lab.sh exec CMD [ARGS...]"
  [[ -e /run/netns/$JUMP_NS ]] || die "the lab is down (no namespace $JUMP_NS): run 'sudo lab/lab.sh up' first"
  exec ip netns exec "$JUMP_NS" "$@"
}

cmd_env() {
  topology_of_state 2>/dev/null || load_topology "$LAB_DIR/default.topology" no-host-check
  cat <<EOF
KUBEHA_LAB_KEY=$KEY_FILE
KUBEHA_LAB_NS=$JUMP_NS
KUBEHA_LAB_BRIDGE=$BRIDGE
KUBEHA_LAB_STATE=$STATE_DIR
KUBEHA_LAB_SUDO_USER=$SUDO_USER_NOPASS
KUBEHA_LAB_SUDO_PASSWORD_USER=$SUDO_USER_PASS
KUBEHA_LAB_SUDO_PASSWORD=$SUDO_PASSWORD
KUBEHA_LAB_PACKAGE_REPOSITORY=http://$(repo_address):$REPO_PORT
KUBEHA_LAB_PACKAGE_KEY_FINGERPRINT=$REPO_KEY_FINGERPRINT
KUBEHA_LAB_KUBE_PROMETHEUS_ARCHIVE=$STATE_DIR/fixtures/$KUBE_PROMETHEUS_ARCHIVE
KUBEHA_LAB_RUNTIME_ARCHIVES=$(runtime_archives_dir)
KUBEHA_LAB_MIRROR_DELAY=$(cat "$STATE_DIR/mirror-delay" 2>/dev/null || echo "$MIRROR_DELAY")
EOF
}

# every node's fixture records, checked together (read through nsenter, never over the network)
cmd_audit() {
  topology_of_state || die "the lab is down"
  local name dir rc=0
  dir=$(mktemp -d /tmp/kubeha-lab-audit.XXXXXX)
  for name in "${NODE_NAMES[@]}"; do
    node_pid "$name" >/dev/null || continue
    node_run "$name" cat /var/lib/kubeha-lab/apiserver-events.jsonl >"$dir/$name.apiserver-events.jsonl" 2>/dev/null || true
    node_run "$name" cat /var/lib/kubeha-lab/violations.jsonl >"$dir/$name.violations.jsonl" 2>/dev/null || true
  done
  python3 "$LAB_DIR/audit.py" "$dir" || rc=$?
  for name in "${NODE_NAMES[@]}"; do
    [[ -s $dir/$name.violations.jsonl ]] || continue
    echo "--- $name: the kubelet's starts and exits (/var/lib/kubeha-lab/kubelet-events.jsonl), last 12"
    node_run "$name" tail -n 12 /var/lib/kubeha-lab/kubelet-events.jsonl 2>&1 || true
    echo "--- $name: journalctl -u kubelet, last 40 lines"
    node_run "$name" journalctl -u kubelet --no-pager -n 40 -o short-iso-precise 2>&1 || true
  done
  rm -rf "$dir"
  return "$rc"
}

main() {
  local command=${1:-} topology=$LAB_DIR/default.topology
  [[ -n $command ]] || { usage; exit 2; }
  shift
  case $command in
    -h|--help|help) usage; exit 0 ;;
    env) cmd_env; exit 0 ;;
    etcd-archive) (( $# == 1 )) || die "etcd-archive takes one version"; require_root "$command"; cmd_etcd_archive "$1" </dev/null; exit 0 ;;
  esac
  if [[ $command != exec ]]; then
    while (( $# > 0 )); do
      case $1 in
        --topology) [[ $# -ge 2 ]] || die "--topology needs a file"; topology=$2; shift 2 ;;
        --topology=*) topology=${1#*=}; shift ;;
        --mirror-delay) [[ $# -ge 2 && $command == up ]] || die "--mirror-delay takes a number of seconds and belongs to up"; MIRROR_DELAY=$2; shift 2 ;;
        --mirror-delay=*) [[ $command == up ]] || die "--mirror-delay belongs to up"; MIRROR_DELAY=${1#*=}; shift ;;
        *) usage; die "unknown argument '$1'" ;;
      esac
    done
  fi
  require_root "$command"
  # Only exec hands standard input on (to the command it runs); nothing else of the lab may wait on it.
  [[ $command == exec ]] || exec </dev/null
  case $command in
    up) cmd_up "$(realpath "$topology")" ;;
    down) cmd_down ;;
    status) cmd_status ;;
    exec) cmd_exec "$@" ;;
    base) ensure_base ;;
    audit) cmd_audit ;;
    *) usage; die "unknown command '$command'" ;;
  esac
}

main "$@"
