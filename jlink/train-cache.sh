#!/usr/bin/env bash
# (Re)creates the start-up cache of an installed kubeha image at its final location (a cache is tied to its paths).
# Usage: jlink/train-cache.sh IMAGE_DIR
set -euo pipefail
image=$(cd "$1" && pwd)
java=$image/runtime/bin/java
rm -f "$image/lib/kubeha.aot" "$image/lib/kubeha.jsa"
read -r -a options < "$image/lib/jvm.options"
train=(-cp "$image/lib/*" "${options[@]}" -Dkubeha.home="$image" dev.kubeha.cli.Main validate -f "$image/examples/guide.yaml")
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
# JDK 24+ knows -XX:AOTCacheOutput; the probe writes into a scratch directory (never at a device path).
if "$java" -XX:AOTCacheOutput="$probe/probe.aot" -version >/dev/null 2>&1; then
  # The JDK runs the assembly step as a child with JAVA_TOOL_OPTIONS and announces it; that line is noise here.
  "$java" -XX:AOTCacheOutput="$image/lib/kubeha.aot" -Xlog:aot=error "${train[@]}" >/dev/null \
    2> >(grep -v '^Picked up JAVA_TOOL_OPTIONS' >&2)
else
  "$java" -XX:ArchiveClassesAtExit="$image/lib/kubeha.jsa" -Xlog:cds=error "${train[@]}" >/dev/null
fi
