#!/usr/bin/env bash
# kubeha benchmarks, one run on the lab: step overhead against Ansible and multiplexed OpenSSH, facts+preflight
# fan-out on 50 addresses, start-up, peak memory, image size and the install schedule (bench/schedule.sh: graph
# against barriers). Prints one table and rewrites bench/RESULTS.md above its marker line (earlier runs stay below).
# Usage: sudo bench/run.sh [--runs N]   (root: it starts and removes the lab and installs ansible-core with apt)
# Network: every connection goes to lab nodes inside the lab's jump namespace; the TUI and start-up figures are local.
set -Eeuo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$top/bench/first-frame.sh"
cd "$top"
runs=5
[[ ${1:-} == --runs ]] && { runs=$2; shift 2; }

readonly STEP_HOSTS=(192.168.233.11 192.168.233.12 192.168.234.11 192.168.234.12 192.168.233.21)
readonly FAN_NODE=192.168.233.21
readonly FAN_FIRST=151 FAN_COUNT=50
readonly LAB_SUBNET=192.168.233
readonly SCHEDULE_DELAY=3
readonly EARLIER_MARKER='<!-- Earlier runs, kept: bench/run.sh rewrites everything above this line. -->'
readonly SSH_OPTS=(-o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR)

say() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }
median() { tr ' ' '\n' | grep -E '^[0-9]+$' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
fan_addresses() { local i; for ((i = FAN_FIRST; i < FAN_FIRST + FAN_COUNT; i++)); do echo "$LAB_SUBNET.$i"; done; }

# ---------- inside the lab's jump namespace (run.sh --inside OUT KEY JAVA_CMD...) ----------

ssh_floor_once() {
  local key=$1 dir h
  dir=$(mktemp -d)
  for h in "${STEP_HOSTS[@]}"; do
    (
      for ((i = 0; i < 20; i++)); do
        ssh "${SSH_OPTS[@]}" -i "$key" -o ControlMaster=auto -o ControlPath="$dir/%h" -o ControlPersist=30 \
          "root@$h" /bin/true
      done
      ssh -o ControlPath="$dir/%h" -O exit "root@$h" 2>/dev/null
    ) &
  done
  wait
  rm -rf "$dir"
}

# kubeha's facts probe script run by plain OpenSSH (no multiplexing) on every address at once
ssh_probe_once() {
  local key=$1 script=$2 a
  shift 2
  for a in "$@"; do ssh "${SSH_OPTS[@]}" -i "$key" "root@$a" sh -s <"$script" >/dev/null & done
  wait
}

ansible_setup() {
  local dir=$1 key=$2 h i
  {
    echo '[lab]'
    for h in "${STEP_HOSTS[@]}"; do echo "$h ansible_user=root ansible_ssh_private_key_file=$key"; done
  } >"$dir/inventory.ini"
  local module
  for module in command raw; do
    {
      printf -- '- hosts: lab\n  gather_facts: false\n  tasks:\n'
      for ((i = 1; i <= 20; i++)); do printf '    - name: true %d\n      ansible.builtin.%s: /bin/true\n' "$i" "$module"; done
    } >"$dir/play-$module.yml"
  done
  cat >"$dir/ansible.cfg" <<EOF
[defaults]
forks = 5
host_key_checking = False
gathering = explicit
retry_files_enabled = False
[ssh_connection]
pipelining = True
ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
EOF
}

ansible_once() {
  local dir=$1 module=$2 cp
  cp=$(mktemp -d)
  ANSIBLE_CONFIG=$dir/ansible.cfg ANSIBLE_SSH_CONTROL_PATH_DIR=$cp \
    ansible-playbook -i "$dir/inventory.ini" "$dir/play-$module.yml" >"$dir/last.log" 2>&1 \
    || { cat "$dir/last.log" >&2; return 1; }
  for s in "$cp"/*; do [[ -S $s ]] && ssh -o ControlPath="$s" -O exit x >/dev/null 2>&1 || true; done
  rm -rf "$cp"
}

time_runs() {
  local n=$1 t0 out=() i
  shift
  for ((i = 0; i < n; i++)); do
    t0=$(now_ms)
    "$@"
    out+=($(( $(now_ms) - t0 )))
  done
  echo "${out[*]}"
}

inside() {
  local out=$1 key=$2
  shift 2
  local java=("$@") times
  work=$(mktemp -d)
  bench_key=$key
  put() { echo "$1 $2" >>"$out"; say "$1: $2"; }

  say "step overhead: OpenSSH with ControlMaster, 5 hosts in parallel, 20 x /bin/true each"
  ssh_floor_once "$key"
  times=$(time_runs "$runs" ssh_floor_once "$key")
  put ssh_runs "$times"

  say "step overhead: ansible-playbook (command: /bin/true x 20, forks 5, pipelining, ControlPersist)"
  ansible_setup "$work" "$key"
  ansible_once "$work" command
  times=$(time_runs "$runs" ansible_once "$work" command)
  put ansible_runs "$times"
  say "step overhead: ansible-playbook with the raw module (no Python module on the node: Ansible's floor)"
  ansible_once "$work" raw
  times=$(time_runs "$runs" ansible_once "$work" raw)
  put ansible_raw_runs "$times"
  ansible-playbook --version >"$work/version"
  put ansible_version "$(sed -n 1p "$work/version" | tr ' ' '_')"

  say "step overhead: kubeha Executor over SshHosts, in one JVM (1 warm-up run, then $runs)"
  times=$("${java[@]}" steps "$key" 1 "$runs" "${STEP_HOSTS[@]}")
  put kubeha_runs "$times"
  say "step overhead: kubeha Executor, a fresh JVM per run (start-up included)"
  times=$(time_runs "$runs" run_quiet "${java[@]}" steps "$key" 0 1 "${STEP_HOSTS[@]}")
  put kubeha_process_runs "$times"

  say "fan-out: $FAN_COUNT addresses on $FAN_NODE"
  mapfile -t fan < <(fan_addresses)
  ssh "${SSH_OPTS[@]}" -i "$key" "root@$FAN_NODE" "for a in ${fan[*]}; do ip addr add \$a/24 dev host0 || exit 1; done; \
    printf 'MaxStartups 200:30:300\nPerSourcePenalties no\n' >/etc/ssh/sshd_config.d/20-kubeha-bench.conf && systemctl reload ssh"
  wait_ssh "$key" "$FAN_NODE" "${fan[@]}"
  trap 'ssh "${SSH_OPTS[@]}" -i "$bench_key" "root@$FAN_NODE" "for a in ${fan[*]}; do ip addr del \$a/24 dev host0; done; \
    rm -f /etc/ssh/sshd_config.d/20-kubeha-bench.conf; systemctl reload ssh" || true' EXIT
  "${java[@]}" script "$key" 0 0 "${fan[@]}" >"$work/probe.sh"
  ssh_probe_once "$key" "$work/probe.sh" "$FAN_NODE"
  put ssh_probe1_runs "$(time_runs "$runs" ssh_probe_once "$key" "$work/probe.sh" "$FAN_NODE")"
  put ssh_probe50_runs "$(time_runs "$runs" ssh_probe_once "$key" "$work/probe.sh" "${fan[@]}")"
  times=$("${java[@]}" facts "$key" 1 "$runs" "$FAN_NODE")
  put facts1_runs "$times"
  times=$("${java[@]}" facts "$key" 1 "$runs" "${fan[@]}")
  put facts50_runs "$times"

  say "memory: peak RSS of one facts+preflight process on $FAN_COUNT addresses, and on 1"
  /usr/bin/time -v "${java[@]}" facts "$key" 0 1 "${fan[@]}" >/dev/null 2>"$work/time50"
  put rss50_kb "$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time50")"
  /usr/bin/time -v "${java[@]}" facts "$key" 0 1 "$FAN_NODE" >/dev/null 2>"$work/time1"
  put rss1_kb "$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time1")"
  rm -rf "$work"
}

# waits until sshd (reloading) accepts a login on every given address
wait_ssh() {
  local key=$1 a deadline=$((SECONDS + 30))
  shift
  for a in "$@"; do
    until ssh "${SSH_OPTS[@]}" -i "$key" -o ConnectTimeout=2 "root@$a" true 2>/dev/null; do
      (( SECONDS < deadline )) || die "sshd on $a does not accept logins"
      sleep 0.2
    done
  done
}

run_quiet() { "$@" >/dev/null 2>&1; }

if [[ ${1:-} == --inside ]]; then
  shift
  inside "$@"
  exit 0
fi

# ---------- outside: set-up, start-up, size, table ----------

[[ $EUID -eq 0 ]] || die "run as root: sudo bench/run.sh (it starts the lab and installs ansible-core)"
started_at=$(date -u '+%Y-%m-%d %H:%M UTC')

say "waiting until no CI check uses the lab (at most 15 minutes)"
deadline=$((SECONDS + 900))
while pgrep -f '/tmp/ci-check' >/dev/null || ip -br link | grep -q kubeha-lab0; do
  (( SECONDS < deadline )) || die "the lab is still busy after 15 minutes"
  sleep 20
done

command -v ansible-playbook >/dev/null || {
  say "installing ansible-core with apt"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q ansible-core >/dev/null
}

. scripts/find-jdk.sh
kubeha_find_jdk
image=$(ls -d build/kubeha-*/ 2>/dev/null | head -n1 || true)
image=${image%/}
if [[ -z $image || ! -x $image/bin/kubeha ]]; then
  say "building the image with jlink/build.sh"
  jlink/build.sh >&2
  image=$(ls -d build/kubeha-*/ | head -n1)
  image=${image%/}
fi
image=$(cd "$image" && pwd)
tarball=$top/build/$(basename "$image")-linux-x64.tar.gz

classes=$(mktemp -d)
out=$(mktemp)
cleanup() { sudo_down || true; rm -rf "$classes" "$out"; }
sudo_down() { "$top/lab/lab.sh" down >&2; }
"$KUBEHA_JDK/bin/javac" --release 21 -d "$classes" -cp "$image/lib/*" bench/EngineBench.java
# The JVM exactly as the launcher starts it (same runtime, options and start-up cache), plus the bench class.
java_cmd=("$image/runtime/bin/java" -XX:AOTCache="$image/lib/kubeha.aot" -Xlog:disable -Xlog:all=error:stderr
  $(cat "$image/lib/jvm.options") -Dkubeha.home="$image" -cp "$(sed "s|^|$image/lib/|" "$image/lib/classpath" | paste -sd:):$classes" EngineBench)
[[ -f $image/lib/kubeha.aot ]] || java_cmd=("${java_cmd[0]}" "${java_cmd[@]:2}")

trap cleanup EXIT
say "starting the lab"
lab/lab.sh up >&2
key=$(lab/lab.sh env | sed -n 's/^KUBEHA_LAB_KEY=//p')
lab/lab.sh exec "$top/bench/run.sh" --runs "$runs" --inside "$out" "$key" "${java_cmd[@]}" </dev/null
say "taking the lab down"
sudo_down
trap 'rm -rf "$classes" "$out"' EXIT

get() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$out"; }

say "start-up: bench/startup.sh on $image"
startup=$(bench/startup.sh --runs 11 "$image")
echo "$startup" >&2
st() { grep -F "$1" <<<"$startup" | awk '{print $NF}'; }

frames() { local i r=(); for ((i = 0; i < runs; i++)); do r+=("$(first_frame_once "$@")"); done; echo "${r[*]}"; }
say "first TUI frame from tmux (80x24), $runs runs each"
frame_cache=$(frames "$image/bin/kubeha")
frame_nocache=$(frames env KUBEHA_NO_CACHE=1 "$image/bin/kubeha")
frame_floor=$(frames "sh -c 'echo Cluster name; exec sleep 30' #")

say "install schedule: bench/schedule.sh --delay $SCHEDULE_DELAY (4 full lab installs, each on a fresh lab)"
schedule=$(bench/schedule.sh --delay "$SCHEDULE_DELAY")
sched() { awk -v k="$1" '$1 == k { print $2 }' <<<"$schedule"; }

image_kb=$(du -sk "$image" | cut -f1)
tar_kb=$(du -k "$tarball" | cut -f1)
breakdown=$( {
  echo "runtime/lib/modules $(du -sk "$image/runtime/lib/modules" | cut -f1)"
  echo "runtime/lib/server/libjvm.so $(du -sk "$image/runtime/lib/server/libjvm.so" | cut -f1)"
  echo "runtime/lib (rest) $(( $(du -sk "$image/runtime/lib" | cut -f1) - $(du -sk "$image/runtime/lib/modules" | cut -f1) - $(du -sk "$image/runtime/lib/server/libjvm.so" | cut -f1) ))"
  echo "runtime (other) $(( $(du -sk "$image/runtime" | cut -f1) - $(du -sk "$image/runtime/lib" | cut -f1) ))"
  for f in "$image"/lib/*; do echo "lib/$(basename "$f") $(du -sk "$f" | cut -f1)"; done
  echo "examples $(du -sk "$image/examples" | cut -f1)"
} | sort -k2 -n -r -t' ' )
modules=$(cat "$image/lib/modules.txt")
gz_no_aot_kb=$(tar -C "$(dirname "$image")" --exclude='*.aot' -czf - "$(basename "$image")" | wc -c | awk '{print int($1/1024)}')

# ---------- table ----------

m() { median <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { if (v <= t) print "met"; else printf "MISSED by %.0f%%", (v / t - 1) * 100 }'; }

ssh_ms=$(m "$(get ssh_runs)"); ans_ms=$(m "$(get ansible_runs)"); raw_ms=$(m "$(get ansible_raw_runs)")
kh_ms=$(m "$(get kubeha_runs)"); khp_ms=$(m "$(get kubeha_process_runs)")
f1=$(m "$(get facts1_runs)"); f50=$(m "$(get facts50_runs)")
s1=$(m "$(get ssh_probe1_runs)"); s50=$(m "$(get ssh_probe50_runs)")
rss50=$(get rss50_kb); rss1=$(get rss1_kb)
frame_c=$(m "$frame_cache"); frame_n=$(m "$frame_nocache")
val_c=$(st 'validate -f guide.yaml (cache)'); val_n=$(st 'validate -f guide.yaml (no cache)')
ver_c=$(st 'version (cache)'); ver_n=$(st 'version (no cache)')

table=$(
  printf '| %-58s | %-12s | %-40s | %-8s | %-26s | %-16s |\n' Measure kubeha Peer Ratio Target Result
  printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..60})" "$(printf -- '-%.0s' {1..14})" \
    "$(printf -- '-%.0s' {1..42})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..28})" "$(printf -- '-%.0s' {1..18})"
  row() { printf '| %-58s | %-12s | %-40s | %-8s | %-26s | %-16s |\n' "$@"; }
  row "1. 20 x /bin/true on 5 hosts, engine in a warm JVM" "$kh_ms ms" "OpenSSH ControlMaster: $ssh_ms ms" \
    "$(ratio "$kh_ms" "$ssh_ms")" "<= 1.5x OpenSSH" "$(verdict "$(ratio "$kh_ms" "$ssh_ms" | tr -d x)" 1.5)"
  row "1. same, kubeha engine vs Ansible" "$kh_ms ms" "ansible-playbook command: $ans_ms ms" \
    "$(ratio "$ans_ms" "$kh_ms")" ">= 10x faster than Ansible" \
    "$(awk -v r="$(ratio "$ans_ms" "$kh_ms" | tr -d x)" 'BEGIN { if (r >= 10) print "met"; else printf "MISSED (%.1fx)", r }')"
  row "1. same, vs Ansible's raw module (its floor)" "$kh_ms ms" "ansible-playbook raw: $raw_ms ms" \
    "$(ratio "$raw_ms" "$kh_ms")" "(informative)" "-"
  row "1. same, a fresh kubeha JVM per run (start-up included)" "$khp_ms ms" "OpenSSH ControlMaster: $ssh_ms ms" \
    "$(ratio "$khp_ms" "$ssh_ms")" "(informative)" "Ansible/kubeha $(ratio "$ans_ms" "$khp_ms")"
  row "2. connect + facts probe + preflight, $FAN_COUNT addresses" "$f50 ms" "same on 1 host: $f1 ms" \
    "$(ratio "$f50" "$f1")" "<= 3x one host" "$(verdict "$(ratio "$f50" "$f1" | tr -d x)" 3)"
  row "2. same probe script by plain OpenSSH, $FAN_COUNT addresses" "$f50 ms" "OpenSSH, all at once: $s50 ms" \
    "$(ratio "$f50" "$s50")" "(informative)" "OpenSSH 1 host: $s1 ms"
  row "3. kubeha version (AOT cache)" "$ver_c ms" "no cache: $ver_n ms" "$(ratio "$ver_c" "$ver_n")" "-" "-"
  row "3. kubeha validate -f guide.yaml (AOT cache)" "$val_c ms" "no cache: $val_n ms" "$(ratio "$val_c" "$val_n")" \
    "<= 100 ms" "$(verdict "$val_c" 100)"
  row "3. first TUI frame in tmux 80x24 (AOT cache)" "$frame_c ms" "no cache: $frame_n ms" \
    "$(ratio "$frame_c" "$frame_n")" "<= 150 ms" "$(verdict "$frame_c" 150)"
  row "3. tmux floor: a shell that echoes 'Cluster name'" "$(m "$frame_floor") ms" "-" "-" "(informative)" "-"
  row "4. peak RSS, facts+preflight process on $FAN_COUNT addresses" "$(mib "$rss50")" "same on 1 host: $(mib "$rss1")" \
    "$(ratio "$rss50" "$rss1")" "<= 150 MiB" "$(verdict "$rss50" $((150 * 1024)))"
  row "5. jlink image on disk" "$(mib "$image_kb")" "-" "-" "<= 80 MiB" "$(verdict "$image_kb" $((80 * 1024)))"
  row "5. release tar.gz" "$(mib "$tar_kb")" "without the AOT cache: $(mib "$gz_no_aot_kb")" "-" "<= 40 MiB" \
    "$(verdict "$tar_kb" $((40 * 1024)))"
  row "6. full lab install, graph schedule, ${SCHEDULE_DELAY} s mirror delay" "$(sched graph_delay) s" \
    "barrier schedule: $(sched barrier_delay) s" "$(sched ratio_delay)x" "<= 0.75x barrier" \
    "$(verdict "$(sched ratio_delay)" 0.75)"
  row "6. same, no mirror delay" "$(sched graph_plain) s" "barrier schedule: $(sched barrier_plain) s" \
    "$(sched ratio_plain)x" "never slower (<= 1.00x)" "$(verdict "$(sched ratio_plain)" 1.00)"
)
machine="$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)), \
$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) memory, kernel $(uname -r), \
load $(cut -d' ' -f1-3 /proc/loadavg) at the end"

echo "$table"
{
  echo "# kubeha benchmark results"
  echo
  echo "Run $started_at by \`sudo bench/run.sh\` ($runs runs each, medians; a run that failed shows as 'failed' in"
  echo "the raw figures and is left out of the median) on $machine."
  echo "What the figures mean, what misses its target and why: bench/FINDINGS.md."
  echo "Peer: $(get ansible_version | tr '_' ' '), $(ssh -V 2>&1)."
  echo
  echo "$table"
  echo
  echo "## Raw figures (ms unless noted)"
  echo
  echo '```'
  cat "$out"
  echo "tui_first_frame_cache $frame_cache"
  echo "tui_first_frame_nocache $frame_nocache"
  echo "tui_first_frame_floor(tmux+sh echo) $frame_floor"
  echo "$startup"
  echo "$schedule" | sed 's/^/schedule_/'
  echo '```'
  echo
  echo "## What takes the image's space (KiB)"
  echo
  echo '```'
  echo "$breakdown"
  echo "jlink modules: $modules"
  echo '```'
  echo
  # Earlier runs' sections stay below the marker; everything above it is this run's.
  echo "$EARLIER_MARKER"
  awk -v m="$EARLIER_MARKER" 'kept { print } $0 == m { kept = 1 }' bench/RESULTS.md
} >bench/RESULTS.md.new
mv bench/RESULTS.md.new bench/RESULTS.md
say "wrote bench/RESULTS.md"
