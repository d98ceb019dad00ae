#!/usr/bin/env bash
# (Re)creates the start-up cache of an installed kubeha image at its final location (a cache is tied to its paths).
# One training JVM validates the example answers and, when util-linux `script` can give it a terminal, draws the
# full-screen wizard's first frame at 80x24 and quits (F10), so the cache serves `kubeha validate` and the wizard.
# Usage: jlink/train-cache.sh IMAGE_DIR, or IMAGE_DIR/lib/train-cache.sh in an unpacked release (its own image)
set -euo pipefail
image=$(cd "${1:-$(dirname "$(readlink -f "$0")")/..}" && pwd)
java=$image/runtime/bin/java
rm -f "$image/lib/kubeha.aot" "$image/lib/kubeha.jsa"
read -r -a options < "$image/lib/jvm.options"
scratch=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null || true; rm -rf "$scratch"' EXIT
mkdir -m 0700 "$scratch/state"
class_path=""
while read -r jar; do class_path="$class_path${class_path:+:}$image/lib/$jar"; done < "$image/lib/classpath"
train=(-cp "$class_path" "${options[@]}" -Dkubeha.home="$image" dev.kubeha.cli.CacheTraining
  "$image/examples/guide.yaml")

# JDK 24+ knows -XX:AOTCacheOutput; the probe writes into the scratch directory (never at a device path).
if "$java" -XX:AOTCacheOutput="$scratch/probe.aot" -version >/dev/null 2>&1; then
  record=(-XX:AOTCacheOutput="$image/lib/kubeha.aot" -Xlog:aot=error)
  out=$image/lib/kubeha.aot
else
  record=(-XX:ArchiveClassesAtExit="$image/lib/kubeha.jsa" -Xlog:cds=error)
  out=$image/lib/kubeha.jsa
fi

# The wizard in a pseudo-terminal: script(1) runs the JVM on a pty whose keyboard is a FIFO; once the typescript
# shows the first frame, F10 (then Ctrl-C, should F10 not reach it) quits.
with_wizard() {
  command -v script >/dev/null 2>&1 || return 1
  local cmd q=() a deadline
  for a in "$java" "${record[@]}" "${train[@]}" "$scratch/state"; do q+=("$(printf '%q' "$a")"); done
  # The JDK runs the cache's assembly step as a child with JAVA_TOOL_OPTIONS and announces it; noise here.
  cmd="stty cols 80 rows 24 && TERM=xterm-256color exec ${q[*]} 2>$scratch/err"
  mkfifo "$scratch/keys"
  script -qfec "$cmd" "$scratch/typescript" <"$scratch/keys" >/dev/null 2>&1 &
  local pid=$!
  exec 3>"$scratch/keys"
  # Lanterna asks the terminal for its size (ESC[6n) and waits for the answer, which a terminal would give.
  local asked answered=0 esc=$'\e' frame
  frame="Cluster(${esc}\\[[0-9;]*[A-Za-z]| )+name"
  deadline=$((SECONDS + 60))
  until grep -aqE "$frame" "$scratch/typescript" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      pkill -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
      exec 3>&-
      return 1
    fi
    asked=$(grep -ao "${esc}\\[6n" "$scratch/typescript" 2>/dev/null | wc -l)
    while [ "$answered" -lt "$asked" ]; do printf '\033[24;80R' >&3; answered=$((answered + 1)); done
    sleep 0.05
  done
  printf '\033[21~' >&3
  # Quitting ends the JVM, which then assembles the cache (several seconds); Ctrl-C if F10 went unnoticed.
  deadline=$((SECONDS + 180))
  local nudged=$((SECONDS + 10))
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
    if [ $SECONDS -ge $nudged ] && ! grep -aq "${esc}\\[?1049l" "$scratch/typescript"; then
      printf '\003' >&3 2>/dev/null || true
      nudged=$((SECONDS + 10))
    fi
    sleep 0.1
  done
  exec 3>&-
  if kill -0 "$pid" 2>/dev/null; then
    pkill -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true
  fi
  wait "$pid" && [ -s "$out" ]
}

if ! with_wizard; then
  [ -s "$scratch/err" ] && grep -v '^Picked up JAVA_TOOL_OPTIONS' "$scratch/err" >&2 || true
  echo "jlink/train-cache.sh: note: no pseudo-terminal (util-linux script) for the wizard; the cache covers validate only" >&2
  rm -f "$out"
  "$java" "${record[@]}" "${train[@]}" >/dev/null 2> >(grep -v '^Picked up JAVA_TOOL_OPTIONS' >&2)
fi
