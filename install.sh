#!/usr/bin/env bash
# Installs kubeha on this jump host, or (--test) installs what the tests need and runs the whole test suite.
#   ./install.sh                 build the runtime image and install it (root: /opt/kubeha + /usr/local/bin/kubeha;
#                                otherwise ~/.local/share/kubeha + ~/.local/bin/kubeha) with its bash completion
#   ./install.sh --prefix DIR    install the image into DIR (the launcher goes to DIR/bin/kubeha, the completion
#                                to DIR/share/bash-completion/completions/kubeha)
#   ./install.sh --test          install test dependencies (Debian/Ubuntu, as root) and run every test
#   ./install.sh --test-deps     only install the test dependencies
set -euo pipefail
top=$(cd "$(dirname "$0")" && pwd)
cd "$top"

mode=install
prefix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --test) mode=test ;;
    --test-deps) mode=test-deps ;;
    --prefix) prefix=${2:?--prefix needs a directory}; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

need_debian_packages() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install.sh: this is not a Debian/Ubuntu system; install by hand: $*" >&2
    return 1
  fi
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: missing packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
    return 1
  fi
  echo "install.sh: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

command -v mvn >/dev/null 2>&1 || need_debian_packages maven
. scripts/find-jdk.sh
kubeha_find_jdk
export JAVA_HOME=$KUBEHA_JDK
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
echo "install.sh: using the JDK at $JAVA_HOME"

if [ "$mode" = test ] || [ "$mode" = test-deps ]; then
  # rpm, dnf and createrepo-c: the bundle's rpm install run for real into a scratch root (RpmBundleToolsTest).
  need_debian_packages haproxy keepalived etcd-server etcd-client openssl tmux systemd-container debootstrap \
    openssh-server openssh-client sudo util-linux \
    iproute2 apt-utils dpkg-dev gnupg curl docker-registry rpm dnf createrepo-c
  [ "$mode" = test ] || exit 0
  # The bundle tests start their own registry on loopback; Debian's service is not wanted.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now docker-registry >/dev/null 2>&1 || true; fi
  # Debian starts these services on install where it can; the tests run their own instances.
  for unit in haproxy keepalived etcd; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$unit" 2>/dev/null; then
      echo "install.sh: note: the host's own $unit service is running; tests use their own ports and configs"
    fi
  done
  if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: --test runs the lab (systemd-nspawn nodes, network namespaces): run it as root" >&2
    exit 1
  fi
  lab/install-deps.sh
  trap 'lab/lab.sh down >/dev/null 2>&1 || true' EXIT
  rm -rf target/lib
  mvn -B -ntp verify
  lab/test-lab.sh
  lab/test-fixtures.sh
  jlink/build.sh --skip-maven
  bench/startup.sh --smoke build/kubeha-*/
  lab/test-image.sh build/kubeha-*/
  exit 0
fi

jlink/build.sh
image=$(ls -d build/kubeha-*/ | head -n1)
image=${image%/}
if [ -z "$prefix" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    prefix=/opt/kubeha; bindir=/usr/local/bin
    if [ -d /usr/share/bash-completion/completions ]; then completions=/usr/share/bash-completion/completions
    else completions=/etc/bash_completion.d; fi
  else
    prefix=$HOME/.local/share/kubeha; bindir=$HOME/.local/bin
    completions=${XDG_DATA_HOME:-$HOME/.local/share}/bash-completion/completions
  fi
else
  bindir=$prefix/bin
  completions=$prefix/share/bash-completion/completions
fi
staging="$prefix.new.$$"
rm -rf "$staging"
mkdir -p "$(dirname "$prefix")"
cp -a "$image" "$staging"
rm -rf "$prefix.old"
[ -e "$prefix" ] && mv "$prefix" "$prefix.old"
mv "$staging" "$prefix"
rm -rf "$prefix.old"
jlink/train-cache.sh "$prefix"
if [ "$bindir" != "$prefix/bin" ]; then
  mkdir -p "$bindir"
  ln -sfn "$prefix/bin/kubeha" "$bindir/kubeha"
fi
mkdir -p "$completions"
"$prefix/bin/kubeha" completion bash > "$completions/kubeha.new.$$"
bash -n "$completions/kubeha.new.$$"
mv "$completions/kubeha.new.$$" "$completions/kubeha"
echo "install.sh: bash completion in $completions/kubeha (zsh: source <(kubeha completion zsh) in ~/.zshrc)"
echo "install.sh: kubeha $("$prefix/bin/kubeha" --version | sed 's/^kubeha //') installed in $prefix; command: $bindir/kubeha"
case ":$PATH:" in *":$bindir:"*) ;; *) echo "install.sh: add $bindir to your PATH" ;; esac
