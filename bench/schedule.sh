#!/usr/bin/env bash
# The install schedule on the lab: a full `kubeha apply` (every phase, flannel and kube-prometheus) with the
# dependency-graph schedule and with the old phase-by-phase barriers (`--schedule barrier`), once with a mirror delay
# on every .deb and image pull (lab.sh up --mirror-delay) and once without; a fresh lab for every install.
# Prints the wall times, the ratios and the load average, and the figures as KEY VALUE lines on standard output;
# each install's output stays in /tmp/kubeha-schedule/, with its per-host logs (every step's start and end to the
# millisecond) in SCHEDULE-delay-N.logs/.
# Usage: sudo flock /tmp/kubeha-lab.lock bench/schedule.sh [--delay SECONDS] [--delay-only]   (default 3)
# --delay-only leaves out the two installs without a delay.
# Network: kubeha runs inside the lab's jump namespace and talks only to lab nodes.
set -Eeuo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
delay=3
plain=true
[[ ${1:-} == --delay ]] && { delay=$2; shift 2; }
[[ ${1:-} == --delay-only ]] && { plain=false; shift; }

say() { printf '[schedule] %s\n' "$*" >&2; }
die() { printf '[schedule] error: %s\n' "$*" >&2; exit 1; }
(( EUID == 0 )) || die "run as root: it starts and removes the lab"

. scripts/find-jdk.sh
kubeha_find_jdk || die "no JDK >= 21 found"
work=$(mktemp -d)
kept=/tmp/kubeha-schedule
mkdir -p "$kept"
trap 'lab/lab.sh down >&2 || true; rm -rf "$work"' EXIT
say "building kubeha's classes and class path"
JAVA_HOME=$KUBEHA_JDK mvn -B -ntp -q -DskipTests -Dmdep.outputFile="$work/cp" compile dependency:build-classpath >&2
cp -r target/classes "$work/classes"
classpath="$work/classes:$(cat "$work/cp")"

# One install on a fresh lab; prints its wall time in seconds (apply alone, not the lab's start).
install_once() {
  local schedule=$1 mirror=$2 state archive start end
  state=$work/$schedule-$mirror
  lab/lab.sh down >&2
  lab/lab.sh up --mirror-delay "$mirror" >&2
  archive=$(lab/lab.sh env | sed -n 's/^KUBEHA_LAB_KUBE_PROMETHEUS_ARCHIVE=//p')
  mkdir -p "$state"
  sed -e "s|flannelManifest: fixtures/|flannelManifest: $top/lab/fixtures/|" \
    -e "s|kubePrometheus: false|kubePrometheus: true\n  kubePrometheusArchive: $archive|" lab/lab.yaml >"$state/answers.yaml"
  say "install: schedule $schedule, mirror delay $mirror s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  start=$(date +%s.%N)
  if ! lab/lab.sh exec "$KUBEHA_JDK/bin/java" --enable-native-access=ALL-UNNAMED \
      -Dtinylog.configuration=tinylog.properties -cp "$classpath" dev.kubeha.cli.Main apply -f "$state/answers.yaml" \
      --yes --accept-new-host-keys --state-dir "$state" --schedule "$schedule" </dev/null >"$state/apply.out" 2>&1; then
    cp "$state/apply.out" "$kept/$schedule-delay-$mirror.out"
    tail -n 30 "$state/apply.out" >&2
    die "the $schedule install with a $mirror s delay failed (output above)"
  fi
  end=$(date +%s.%N)
  cp "$state/apply.out" "$kept/$schedule-delay-$mirror.out"
  rm -rf "$kept/$schedule-delay-$mirror.logs"
  cp -r "$state"/*/logs "$kept/$schedule-delay-$mirror.logs"
  # Printed twice (progress on stderr, the figure on stdout); tee /dev/stderr would truncate a redirected log file.
  local wall
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  echo "$wall" >&2
  echo "$wall"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
graph_delay=$(install_once graph "$delay")
barrier_delay=$(install_once barrier "$delay")
graph_plain=0 barrier_plain=0
if $plain; then
  graph_plain=$(install_once graph 0)
  barrier_plain=$(install_once barrier 0)
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
ratio() { awk -v g="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", g / b; else print "-" }'; }

printf '\n%-28s %10s %10s %8s\n' "full lab install" "graph" "barrier" "ratio" >&2
printf '%-28s %9ss %9ss %7sx\n' "mirror delay ${delay} s" "$graph_delay" "$barrier_delay" \
  "$(ratio "$graph_delay" "$barrier_delay")" >&2
printf '%-28s %9ss %9ss %7sx\n' "no delay" "$graph_plain" "$barrier_plain" "$(ratio "$graph_plain" "$barrier_plain")" >&2
printf 'load average before %s, after %s\n' "$load_before" "$load_after" >&2
cat <<EOF
date $(date -u +%Y-%m-%dT%H:%MZ)
delay $delay
graph_delay $graph_delay
barrier_delay $barrier_delay
ratio_delay $(ratio "$graph_delay" "$barrier_delay")
graph_plain $graph_plain
barrier_plain $barrier_plain
ratio_plain $(ratio "$graph_plain" "$barrier_plain")
load_before $load_before
load_after $load_after
EOF
