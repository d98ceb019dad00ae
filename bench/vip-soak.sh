#!/usr/bin/env bash
# VIP soak on the lab: installs lab.yaml on a fresh lab, then leaves the healthy cluster alone for N minutes while
# every load-balancer node records, every 0.5 s, whether it holds the VIP; afterwards prints each node's VIP changes
# and keepalived's state transitions (journal) in that window. With --drill ROUNDS it then runs
# `kubeha drill --vip --rounds ROUNDS` on the same install and prints its table and keepalived's journal of the drill.
# Exit 0 only when the VIP never moved during the soak (and the drill, if any, met its targets).
# Usage: sudo flock /tmp/kubeha-lab.lock bench/vip-soak.sh [--minutes N] [--drill ROUNDS] [--keep]
#   (default 10 minutes, no drill). The lab is taken down at exit, unless --keep leaves it up with the state directory
#   (printed) for more runs inside the same flock; then the caller runs lab/lab.sh down.
# Network: kubeha and ssh run inside the lab's jump namespace and talk only to lab nodes.
set -Eeuo pipefail
(( EUID == 0 )) || { echo "[vip-soak] run as root: it starts and removes the lab" >&2; exit 1; }
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
minutes=10
rounds=0
keep=false
while (( $# )); do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --drill) rounds=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    *) echo "usage: $0 [--minutes N] [--drill ROUNDS] [--keep]" >&2; exit 2 ;;
  esac
done
[[ $minutes =~ ^[0-9]+$ && $rounds =~ ^[0-9]+$ ]] || { echo "minutes and rounds are whole numbers" >&2; exit 2; }

say() { printf '[vip-soak] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
work=$(mktemp -d)
. scripts/find-jdk.sh
kubeha_find_jdk || die "no JDK >= 21 found"
cleanup() {
  if $keep; then
    say "lab left up; state directory $work/state (answers.yaml), class path $work/classes:$(cat "$work/cp" 2>/dev/null)"
  else
    lab/lab.sh down >&2 || true
    rm -rf "$work"
  fi
}
trap cleanup EXIT
topology=lab/default.topology
vip=$(awk '$1 == "vip" { print $2 }' "$topology")
mapfile -t balancers < <(awk '$3 ~ /load-balancer/ { sub("/.*", "", $2); print $2 }' "$topology")
[[ -n $vip && ${#balancers[@]} -gt 0 ]] || die "$topology names no VIP or no load-balancer node"

say "building kubeha's classes and class path"
JAVA_HOME=$KUBEHA_JDK mvn -B -ntp -q -DskipTests -Dmdep.outputFile="$work/cp" compile dependency:build-classpath >&2
cp -r target/classes "$work/classes"
kubeha() {
  lab/lab.sh exec "$KUBEHA_JDK/bin/java" --enable-native-access=ALL-UNNAMED \
    -Dtinylog.configuration=tinylog.properties -cp "$work/classes:$(cat "$work/cp")" dev.kubeha.cli.Main "$@" \
    --state-dir "$work/state" </dev/null
}
lab/lab.sh down >&2
lab/lab.sh up >&2
key=$(lab/lab.sh env | sed -n 's/^KUBEHA_LAB_KEY=//p')
on_node() {
  lab/lab.sh exec ssh -i "$key" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o LogLevel=ERROR -o ConnectTimeout=5 "root@$1" "$2"
}
mkdir -p "$work/state"
sed -e "s|flannelManifest: fixtures/|flannelManifest: $top/lab/fixtures/|" lab/lab.yaml >"$work/state/answers.yaml"
say "installing (load average $(cut -d' ' -f1-3 /proc/loadavg))"
kubeha apply -f "$work/state/answers.yaml" --yes --accept-new-host-keys >"$work/apply.out" 2>&1 \
  || { tail -n 30 "$work/apply.out" >&2; die "the install failed (output above)"; }

seconds=$(( minutes * 60 ))
watch_vip="end=\$(( \$(date +%s) + $seconds )); last=; while [ \$(date +%s) -lt \$end ]; do
  if ip -o addr show | grep -qF ' $vip/'; then s=holds; else s=free; fi
  [ \"\$s\" = \"\$last\" ] || { echo \"\$(date -u +%T.%N | cut -c1-12) \$s\"; last=\$s; }; sleep 0.5; done"
start=$(on_node "${balancers[0]}" 'date +%s')
say "soaking $minutes min from $(date -u -d "@$start" +%T) UTC: nothing is stopped or changed"
for lb in "${balancers[@]}"; do
  on_node "$lb" "$watch_vip" >"$work/vip-$lb" 2>&1 &
done
wait
moves=0
for lb in "${balancers[@]}"; do
  changes=$(( $(wc -l <"$work/vip-$lb") - 1 ))
  transitions=$(on_node "$lb" "journalctl -u keepalived -o short-precise --since @$start | grep -E 'Entering|lower priority' || true")
  printf '%s: VIP %s at the start, %d change(s), %d keepalived transition(s)\n' "$lb" \
    "$(head -n 1 "$work/vip-$lb" | cut -d' ' -f2)" "$changes" "$(grep -c . <<<"$transitions" || true)"
  tail -n +2 "$work/vip-$lb" | sed 's/^/  vip /'
  [[ -z $transitions ]] || sed 's/^/  keepalived /' <<<"$transitions"
  moves=$(( moves + changes ))
done
printf 'soak %d min: %d VIP change(s), load average %s\n' "$minutes" "$moves" "$(cut -d' ' -f1-3 /proc/loadavg)"

drill_ok=0
if (( rounds > 0 )); then
  drill_start=$(on_node "${balancers[0]}" 'date +%s')
  kubeha drill -f "$work/state/answers.yaml" --vip --rounds "$rounds" || drill_ok=$?
  for lb in "${balancers[@]}"; do
    echo "$lb keepalived during the drill:"
    on_node "$lb" "journalctl -u keepalived -o short-precise --since @$drill_start | grep -v 'gratuitous ARP' || true" | sed 's/^/  /'
  done
fi
(( moves == 0 && drill_ok == 0 ))
