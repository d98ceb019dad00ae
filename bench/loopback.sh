#!/usr/bin/env bash
# Loopback-only engine bench (no lab): one or more OpenSSH sshd processes on this machine listen on 127.0.0.2,
# 127.0.0.3, ... (each address a separate connection, like the lab's 50-address fan-out), and EngineBench connects,
# probes facts and runs preflight on all of them, in the image's JVM with the launcher's options and start-up cache.
# Prints wall time and peak RSS (VmHWM, from /usr/bin/time -v) of one process.
# With --mode install, the Executor installs a release binary (a random 24 MiB "etcd" in a .tar.gz) on every address
# instead: apply's upload-heavy step (the "hosts" are this machine: each gets a directory of its own).
# Usage: sudo bench/loopback.sh [--mode facts|install] [--count N] [--runs N] [--java-opts 'OPTS'] IMAGE_DIR
#   (root: the facts probe logs in as root; every connection stays on 127.0.0.0/8)
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=facts count=50 runs=1 extra=""
while [ $# -gt 1 ]; do
  case "$1" in
    --mode) mode=$2; shift ;;
    --count) count=$2; shift ;;
    --runs) runs=$2; shift ;;
    --java-opts) extra=$2; shift ;;
    *) break ;;
  esac
  shift
done
image=$(cd "${1:?usage: bench/loopback.sh [--mode facts|install] [--count N] [--runs N] [--java-opts OPTS] IMAGE_DIR}" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "bench/loopback.sh: run as root (the probe logs in as root)" >&2; exit 1; }
. "$top/scripts/find-jdk.sh"
kubeha_find_jdk

work=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
chmod 0755 "$work"
mkdir -p "$work/keys" /run/sshd
ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$work/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -C bench-client -f "$work/client_ed25519"
cp "$work/client_ed25519.pub" "$work/keys/root"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
addresses=()
for ((i = 0; i < count; i++)); do addresses+=("127.0.$(((i + 2) / 256)).$(((i + 2) % 256))"); done

# sshd listens on at most 16 addresses, so one sshd per 16.
for ((first = 0; first < count; first += 16)); do
  conf=$work/sshd_config.$first
  {
    for a in "${addresses[@]:first:16}"; do echo "ListenAddress $a:$port"; done
    echo "HostKey $work/host_ed25519"
    echo "PidFile none"
    echo "AuthorizedKeysFile $work/keys/%u"
    echo "UsePAM no"
    echo "StrictModes no"
    echo "PermitRootLogin prohibit-password"
    echo "PasswordAuthentication no"
    echo "KbdInteractiveAuthentication no"
    echo "MaxStartups 200:30:300"
    echo "Subsystem sftp internal-sftp"
    echo "LogLevel ERROR"
  } >"$conf"
  # OpenSSH 9.8+ penalises many connections from one source; this one machine is every "host's" only client.
  echo "PerSourcePenalties no" >>"$conf"
  /usr/sbin/sshd -t -f "$conf" 2>/dev/null || sed -i '/^PerSourcePenalties/d' "$conf"
  /usr/sbin/sshd -D -e -f "$conf" 2>>"$work/sshd.log" &
  pids+=($!)
done
for a in "${addresses[@]}"; do
  for ((t = 0; t < 100; t++)); do
    (exec 3<>"/dev/tcp/$a/$port") 2>/dev/null && break
    sleep 0.05
  done
done

classes=$work/classes
"$KUBEHA_JDK/bin/javac" --release 21 -d "$classes" -cp "$image/lib/*" "$top/bench/EngineBench.java"
# The JVM as the launcher starts it (runtime, options, start-up cache), plus the bench class and the port.
java_cmd=("$image/runtime/bin/java")
[ -f "$image/lib/kubeha.aot" ] && java_cmd+=(-XX:AOTCache="$image/lib/kubeha.aot")
java_cmd+=(-Xlog:disable -Xlog:all=error:stderr $(cat "$image/lib/jvm.options") $extra -Dbench.port="$port"
  -Dkubeha.home="$image" -cp "$(sed "s|^|$image/lib/|" "$image/lib/classpath" | paste -sd:):$classes" EngineBench)

for ((r = 0; r < runs; r++)); do
  /usr/bin/time -v "${java_cmd[@]}" "$mode" "$work/client_ed25519" 0 1 "${addresses[@]}" >/dev/null \
    2>"$work/time" || { cat "$work/time" "$work/sshd.log" >&2; exit 1; }
  wall=$(sed -n "s/^$mode run 1: \([0-9]*\) ms.*/\1/p" "$work/time")
  detail=$(sed -n "s/^$mode run 1: [0-9]* ms, //p" "$work/time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
  echo "$mode on $count loopback addresses: ${wall} ms in-process, peak RSS $((rss / 1024)) MiB ($rss KiB); $detail"
done
