#!/usr/bin/env bash
# Shrinks kubeha's library jars with ProGuard (unused classes and members removed; nothing renamed or optimised) into
# ONE jar for the runtime image, OUT_DIR/kubeha-libraries.jar, and their licence files into OUT_DIR/licenses/JAR/.
# One jar, because every service lookup on the class path (the platform logger's, on the wizard's way to its first
# frame) opens every jar. Rules: jlink/shrink.pro, plus a keep rule for every class a jar names in META-INF/services
# or in jline's terminal-provider files. The jars are merged first (jlink/FlattenJars.java): multi-release jars
# flattened for the image's Java (the classes that Java would load), signature files dropped (a shrunk jar no longer
# matches them), service files joined, and any other entry two jars hold differently fails the build.
# Usage: jlink/shrink.sh KUBEHA_JAR LIB_DIR OUT_DIR   (JAVA_HOME: the JDK whose runtime the image carries)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kubeha_jar=$(readlink -f "$1"); lib=$(readlink -f "$2"); out=$(readlink -m "$3")
java_major=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 |
  sed -n 's/^ *java.specification.version = //p' | head -n1)
work=$top/target/shrink
rm -rf "$work" "$out"
mkdir -p "$work/out" "$work/jdk" "$out"

# ProGuard itself, resolved by Maven at build time (jlink/proguard/pom.xml); never shipped.
mvn -q -B -ntp -f "$top/jlink/proguard/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work/proguard.classpath"

# The JDK's classes as ProGuard's library: this JDK has no jmods, so they come from its lib/modules image.
"$JAVA_HOME/bin/jimage" extract --dir "$work/jdk" "$JAVA_HOME/lib/modules"

# The jars merged as the image's Java loads them (flattened, unsigned), and keep rules for the classes services name.
mkdir -p "$work/in"
"$JAVA_HOME/bin/java" "$top/jlink/FlattenJars.java" "$java_major" "$work/in/libraries.jar" "$out/licenses" \
  "$lib"/*.jar > "$work/services.pro"

config=$work/proguard.pro
{
  cat "$top/jlink/shrink.pro"
  echo "-injars $kubeha_jar"
  echo "-outjars $work/out/kubeha.jar"
  cat "$work/services.pro"
  # What the recorded paths loaded stays, whether or not the rules above reach it: a class the unshrunk jars served
  # by name on a path (BouncyCastle's provider loads its PQC key factories so) cannot go missing on it.
  grep -v '^#' "$top/jlink/loaded-classes.txt" | sed 's/.*/-keep class &/'
  echo "-injars $work/in/libraries.jar"
  echo "-outjars $out/kubeha-libraries.jar"
  for module in "$work"/jdk/*/; do
    echo "-libraryjars ${module%/}(**.class,!module-info.class)"
  done
} > "$config"
# ProGuard's own log4j would otherwise look for a configuration and say so.
"$JAVA_HOME/bin/java" -Xmx1g -Dlog4j2.level=warn -cp "$(cat "$work/proguard.classpath")" proguard.ProGuard \
  @"$config" -printusage "$work/usage.txt" 2>&1 | tee "$work/proguard.log"
# ProGuard keeps the first of two entries of the same name and only says so: the merge above must have left none.
if grep -i 'duplicate' "$work/proguard.log" >/dev/null; then
  echo "jlink/shrink.sh: ProGuard met duplicate entries (see above); the merged jar would lose one of each" >&2
  exit 1
fi
rm -rf "$work/jdk"
# Every library class the recorded paths load must have survived (jlink/record-classes.sh writes the list).
"$JAVA_HOME/bin/java" "$top/jlink/CheckClasses.java" "$top/jlink/loaded-classes.txt" "$out"/*.jar
echo "jlink/shrink.sh: $(ls "$lib"/*.jar | wc -l) library jars, $(du -cb "$lib"/*.jar | tail -n1 | cut -f1) bytes ->" \
  "1 jar, $(du -b "$out/kubeha-libraries.jar" | cut -f1) bytes in $SECONDS s"
