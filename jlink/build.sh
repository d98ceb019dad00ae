#!/usr/bin/env bash
# Builds kubeha's self-contained runtime image (jlink) with its launcher and start-up cache, and the release tar.gz.
# Usage: jlink/build.sh [--skip-maven]   Output: build/kubeha-VERSION/ and build/kubeha-VERSION-linux-x64.tar.gz
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/find-jdk.sh
kubeha_find_jdk
export JAVA_HOME=$KUBEHA_JDK
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

if [ "${1:-}" != "--skip-maven" ]; then
  rm -rf target/lib
  mvn -q -B package -DskipTests
fi
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n1)
jar=target/kubeha-$version.jar
[ -f "$jar" ] || { echo "jlink/build.sh: $jar is missing; run without --skip-maven" >&2; exit 1; }

image=build/kubeha-$version
rm -rf "$image" "build/kubeha-$version-linux-x64.tar.gz"
mkdir -p "$image/bin" "$image/lib"

# The library jars with what kubeha never reaches removed and merged into one, kubeha-libraries.jar (ProGuard,
# shrinking only: jlink/shrink.sh and its rules in jlink/shrink.pro); 23.8 MiB in 40 jars -> 11.2 MiB in one, and
# their licence and notice files in lib/licenses/JAR/. KUBEHA_SHRINK=0 ships the jars as Maven resolved them.
libs=target/lib
if [ "${KUBEHA_SHRINK:-1}" != 0 ]; then
  libs=target/lib-shrunk
  jlink/shrink.sh "$jar" target/lib "$libs"
fi

# Modules: what jdeps finds in kubeha and its libraries, plus the providers TLS and SSH need at run time.
# java.desktop is left out of a shrunk image: what remains of the libraries names it only in jackson's
# Java7SupportImpl (java.beans' @ConstructorProperties/@Transient; jackson catches its absence, as on Android) and
# snakeyaml's MethodProperty (JavaBeans, which kubeha never loads or dumps: maps and lists only); Lanterna's
# TextColor.toColor (java.awt.Color) is gone with the AWT/Swing terminals that called it. Guarded by
# bench/startup.sh --smoke, which runs every path that loads library code on the image.
modules=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 21 "$jar" "$libs"/*.jar),
if [ "$libs" = target/lib-shrunk ]; then modules=$(echo "$modules" | sed 's/\(^\|,\)java\.desktop,/\1/'); fi
for extra in jdk.crypto.ec jdk.unsupported; do
  case ",$modules" in *",$extra,"*) continue ;; esac
  if "$JAVA_HOME/bin/java" --list-modules | grep -q "^$extra@"; then modules="$modules$extra,"; fi
done
modules=${modules%,}
# zip-6 class compression keeps the image ~32 MiB smaller than none (the tar.gz is ~7 MiB larger for it, as
# deflated modules gzip worse); zip-9 gains nothing over zip-6. KUBEHA_JLINK_COMPRESS=zip-0 trades the other way.
# java.desktop's native libraries (AWT, fonts, sound, imaging: 6 MiB) are left out where java.desktop is in
# (KUBEHA_SHRINK=0): of it kubeha then only uses java.awt.Color (Lanterna's TextColor), which needs none.
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages \
  --no-header-files --compress="${KUBEHA_JLINK_COMPRESS:-zip-6}" --exclude-files='glob:/java.desktop/lib/**' \
  --strip-native-debug-symbols=exclude-debuginfo-files --output "$image/runtime"
# jlink leaves libjvm.so's symbol table in (29 MiB -> 24 MiB without it); the JVM does not need it to run.
if command -v strip >/dev/null 2>&1; then
  strip --strip-unneeded "$image/runtime/lib/server/libjvm.so"
else
  echo "jlink/build.sh: note: no strip (binutils); libjvm.so keeps its symbol table (5 MiB)" >&2
fi

cp "$jar" "$image/lib/kubeha.jar"
cp "$libs"/*.jar "$image/lib/"
if [ -d "$libs/licenses" ]; then cp -r "$libs/licenses" "$image/lib/licenses"; fi
# The class path in a fixed order, the jars validate and the wizard's first frame load from first (named by the
# prefixes in jlink/classpath-first): finding a resource (kubeha's release and checksum tables) or a class the cache
# does not serve opens every jar before the one that has it, and lib/*'s order is the file system's (kubeha.jar came
# 32nd of 41). The launcher and the cache's training read lib/classpath.
order=()
while read -r prefix; do
  for j in "$image"/lib/"$prefix"*; do [ -f "$j" ] && order+=("${j##*/}"); done
done < jlink/classpath-first
for j in "$image"/lib/*.jar; do
  case " ${order[*]} " in *" ${j##*/} "*) ;; *) order+=("${j##*/}") ;; esac
done
printf '%s\n' "${order[@]}" > "$image/lib/classpath"
cp jlink/kubeha "$image/bin/kubeha"
# aircompressor's zstd decoder (rpm repository metadata) reads memory through sun.misc.Unsafe, which JDK 24+ warns
# about on stderr unless the runtime allows it; older runtimes do not know the option.
jvm_options=$(cat jlink/jvm.options)
if "$image/runtime/bin/java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  jvm_options="$jvm_options --sun-misc-unsafe-memory-access=allow"
fi
printf '%s\n' "$jvm_options" > "$image/lib/jvm.options"
cp jlink/train-cache.sh "$image/lib/train-cache.sh"
chmod 0755 "$image/bin/kubeha" "$image/lib/train-cache.sh"
echo "$modules" > "$image/lib/modules.txt"
cp -r assets/examples "$image/examples"

# Start-up cache: JDK 24+ writes an AOT cache from a training run; older JDKs write a CDS archive.
jlink/train-cache.sh "$image"

# The tar.gz leaves the cache out: a cache serves only the paths it was trained at, so it is made where the image
# is unpacked (lib/train-cache.sh; install.sh runs it), and it would add ~5 MiB to the download.
tar -C build --exclude='*.aot' --exclude='*.jsa' -czf "build/kubeha-$version-linux-x64.tar.gz" "kubeha-$version"
echo "image: $image ($(du -sh "$image" | cut -f1)), archive: build/kubeha-$version-linux-x64.tar.gz ($(du -h "build/kubeha-$version-linux-x64.tar.gz" | cut -f1))"
