#!/usr/bin/env bash
# Records the library classes kubeha's paths load into jlink/loaded-classes.txt, which jlink/shrink.sh checks every
# shrunk build against. The paths are bench/startup.sh --smoke's (validate, plan, render's PKI, the wizard's screens,
# line mode, the live SSH check, bundle) and lab/test-image.sh's (apply, the cluster screen, status, certs check,
# backup, the VIP drill on the lab), run on a copy of an image of unshrunk jars without its start-up cache, so every
# class is read from its jar and logged (-Xlog:class+load). Run it again when a library or a path changes, as root
# (the lab) under the lab's lock:
#   KUBEHA_SHRINK=0 jlink/build.sh && sudo flock /tmp/kubeha-lab.lock jlink/record-classes.sh build/kubeha-VERSION
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "jlink/record-classes.sh: run it as root (the lab)" >&2; exit 1; }
image=$(cd "${1:?usage: jlink/record-classes.sh IMAGE_DIR (built with KUBEHA_SHRINK=0)}" && pwd)
if ! grep -q '^bcprov-.*\.jar$' "$image/lib/classpath" || [ "$(du -b "$image"/lib/bcprov-*.jar | cut -f1)" -lt 7000000 ]; then
  echo "jlink/record-classes.sh: $image does not hold the unshrunk jars; build it with KUBEHA_SHRINK=0" >&2
  exit 1
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -a "$image" "$scratch/image"
chmod 0777 "$scratch"
mkdir -m 0777 "$scratch/logs"
printf '%s -Xlog:class+load=info:file=%s/%%p.log\n' "$(cat "$image/lib/jvm.options")" "$scratch/logs" \
  > "$scratch/image/lib/jvm.options"
KUBEHA_NO_CACHE=1 "$top/bench/startup.sh" --smoke "$scratch/image"
KUBEHA_NO_CACHE=1 "$top/lab/test-image.sh" "$scratch/image"
{
  echo "# Library classes loaded by bench/startup.sh --smoke's and lab/test-image.sh's paths" \
    "(jlink/record-classes.sh, $(date -u +%Y-%m-%d))."
  cat "$scratch"/logs/*.log | sed -n 's/^.*\] \([^ ]*\) source: file:.*\/lib\/\([^/]*\)\.jar$/\2 \1/p' |
    grep -v '^kubeha ' | cut -d' ' -f2 | sort -u
} > "$top/jlink/loaded-classes.txt"
echo "jlink/record-classes.sh: $(grep -vc '^#' "$top/jlink/loaded-classes.txt") library classes in jlink/loaded-classes.txt"
