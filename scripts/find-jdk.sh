# Sourced by kubeha's scripts: sets KUBEHA_JDK to a JDK (with javac and jlink) of version 21 or newer.
# Looks at $JAVA_HOME, then /usr/lib/jvm/*, then the javac on PATH; newest wins among /usr/lib/jvm.

kubeha_jdk_major() {
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1)
  case "$v" in ''|*[!0-9.]*) echo 0 ;; 1.*) echo 1 ;; *) echo "${v%%.*}" ;; esac
}

kubeha_is_jdk() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ -x "$1/bin/jlink" ] && [ "$(kubeha_jdk_major "$1")" -ge 21 ]
}

kubeha_find_jdk() {
  local candidate best="" best_major=0 major
  if [ -n "${JAVA_HOME:-}" ] && kubeha_is_jdk "$JAVA_HOME"; then
    KUBEHA_JDK=$JAVA_HOME; return 0
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/*; do
    [ -d "$candidate" ] || continue
    if kubeha_is_jdk "$candidate"; then
      major=$(kubeha_jdk_major "$candidate")
      if [ "$major" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
    fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    kubeha_is_jdk "$candidate" && best=$candidate
  fi
  if [ -z "$best" ]; then
    cat >&2 <<'MSG'
kubeha: no JDK 21 or newer found (looked at $JAVA_HOME, /usr/lib/jvm, /opt/java and the javac on PATH).
  Debian/Ubuntu: sudo apt-get install openjdk-21-jdk   (Debian 13, Ubuntu 24.04; or Temurin from adoptium.net)
  RHEL/Rocky/Alma: sudo dnf install java-21-openjdk-devel
  Or point JAVA_HOME at one: JAVA_HOME=/path/to/jdk-21 ./install.sh
MSG
    return 1
  fi
  KUBEHA_JDK=$best
}
