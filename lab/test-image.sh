#!/usr/bin/env bash
# The paths of a built kubeha image that reach hosts, run from the image on one fresh lab install: a headless apply
# of lab/lab.yaml's os phase (headless progress, SSH with host-key trust), the wizard installing the rest (the install
# screen's panes, every step's remote execution, SFTP uploads, the etcd PKI push, the kubeconfig hand-over), the
# installed cluster's screen, status (text and json), certs check, backup and the VIP drill, each checked for its
# exit code and output. Catches a library class that jlink/shrink.sh removed and only these paths load. kubeha runs
# only inside the lab's jump namespace.
# Usage: sudo flock /tmp/kubeha-lab.lock lab/test-image.sh IMAGE_DIR   (the lab is taken down at the end)
set -Euo pipefail

readonly LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly LAB=$LAB_DIR/lab.sh
[[ $EUID -eq 0 ]] || { echo "test-image.sh must run as root (it brings the lab up): sudo $0 $*" >&2; exit 1; }
image=$(cd "${1:?usage: lab/test-image.sh IMAGE_DIR}" && pwd)
readonly KUBEHA=$image/bin/kubeha
[[ -x $KUBEHA ]] || { echo "test-image.sh: $KUBEHA is missing" >&2; exit 1; }
command -v tmux >/dev/null 2>&1 || { echo "test-image.sh: needs tmux (the wizard and the cluster screen)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/kubeha-image-lab.XXXXXX)
chmod 0755 "$WORK"
readonly STATE=$WORK/state ANSWERS=$WORK/answers.yaml TMUX_SOCKET=kubeha-image-lab-$$
readonly FAILURE='Exception\|NoClassDefFoundError\|NoSuchMethodError'
PASSED=0 FAILED=0
cleanup() {
  tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
  "$LAB" down >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# check NAME EXIT_CODE TEXT... -- COMMAND: COMMAND exits with EXIT_CODE, prints every TEXT and no exception.
check() {
  local name=$1 want=$2 out code=0 start=$SECONDS texts=() missing=()
  shift 2
  while [[ $1 != -- ]]; do texts+=("$1"); shift; done
  shift
  out=$("$@" 2>&1) || code=$?
  for text in "${texts[@]}"; do grep -qF -- "$text" <<<"$out" || missing+=("$text"); done
  grep -q "$FAILURE" <<<"$out" && missing+=("(no exception)")
  if [[ $code -eq $want && ${#missing[@]} -eq 0 ]]; then
    PASSED=$((PASSED + 1)); echo "ok   $name ($((SECONDS - start)) s)"
  else
    FAILED=$((FAILED + 1)); echo "FAIL $name (exit $code, wanted $want; missing: ${missing[*]})"
    tail -n 25 <<<"$out" | sed 's/^/     /'
  fi
}

kubeha() { "$LAB" exec "$KUBEHA" "$@" --state-dir "$STATE" </dev/null; }

# The TUI in a tmux pane of COLUMNS x ROWS, kubeha's stderr going to tui.err; SCREEN holds the pane's last capture.
tui_start() {
  SCREEN=""
  tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
  tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -x "$1" -y "$2" "env TERM=xterm-256color $LAB exec $KUBEHA \
--answers $ANSWERS --state-dir $STATE --no-probe 2>$WORK/tui.err; echo KUBEHA-EXIT=\$?; sleep 600"
}

# tui_await WHAT SECONDS TEXT...: waits until the pane shows every TEXT.
tui_await() {
  local what=$1 deadline=$((SECONDS + $2)) text shown
  shift 2
  while :; do
    SCREEN=$(tmux -L "$TMUX_SOCKET" capture-pane -p 2>/dev/null || true)
    shown=yes
    for text in "$@"; do grep -qF -- "$text" <<<"$SCREEN" || shown=no; done
    [[ $shown == yes ]] && return 0
    [[ $SECONDS -lt $deadline ]] || { echo "stopped waiting for $what:"; echo "$SCREEN"; cat "$WORK/tui.err"
      return 1; }
    sleep 0.3
  done
}

tui_send() { tmux -L "$TMUX_SOCKET" send-keys "$@"; }

# kubeha left the pane with exit code 0 and wrote no exception to stderr (where the preflight's warnings go).
tui_exited() {
  tui_await "kubeha's exit" 30 "KUBEHA-EXIT=" || return 1
  tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
  grep -q 'KUBEHA-EXIT=0' <<<"$SCREEN" && ! grep -q "$FAILURE" "$WORK/tui.err" ||
    { echo "$SCREEN" | tail -n 5; cat "$WORK/tui.err"; return 1; }
}

# The wizard at 80x24, replaying the answers: every screen, the review, the confirmation, the install screen with a
# pane per node, the summary.
wizard_install() {
  local step
  tui_start 80 24
  tui_await "the first screen" 30 "step 1/8" || return 1
  for step in 2 3 4 5 6 7 8; do
    tui_send NPage
    tui_await "screen $step" 30 "step $step/8" || return 1
  done
  tui_await "the review" 30 "<Install>" "0 errors, 1 warning" || return 1
  tui_send Tab Tab Tab Enter
  tui_await "the confirmation" 30 "This CHANGES THE HOSTS" || return 1
  tui_send Tab Enter
  tui_await "the install screen" 60 "installing cluster kubeha-lab" || return 1
  tui_await "the summary" 600 "The cluster kubeha-lab is installed." "192.168.233.100:16443" || return 1
  tui_send Enter
  tui_exited && grep -qF "every step is applied and verified" <<<"$SCREEN"
}

# The installed cluster's screen at 200x60: every node's pane, the VIP's holder, etcd's leader, the worker Ready.
cluster_screen() {
  local host
  tui_start 200 60
  tui_await "the cluster screen" 120 "worker1 Ready v1.36.3" "(* leader)" "VIP 192.168.233.100: cp1, /healthz ok" ||
    return 1
  for host in cp1 cp2 etcd1 etcd2 etcd3 worker1; do
    grep -qF "─$host─" <<<"$SCREEN" || { echo "no pane for $host:"; echo "$SCREEN"; return 1; }
  done
  tui_send q
  tui_exited
}

backup_written() {
  kubeha backup -f "$ANSWERS" -o "$WORK/snap.db" &&
    [[ $(stat -c %a "$WORK/snap.db") == 600 ]] &&
    grep -qF "\"sha256\":\"$(sha256sum "$WORK/snap.db" | cut -d' ' -f1)\"" "$WORK/snap.db.json"
}

started=$SECONDS
"$LAB" down >/dev/null 2>&1 || true
"$LAB" up >"$WORK/up.log" 2>&1 || { tail -n 30 "$WORK/up.log"; echo "test-image.sh: lab up failed" >&2; exit 1; }
echo "lab up ($((SECONDS - started)) s)"
sed "s|flannelManifest: fixtures/|flannelManifest: $LAB_DIR/fixtures/|" "$LAB_DIR/lab.yaml" > "$ANSWERS"

check "image on the lab: headless apply of lab.yaml's os phase" 0 "is applied and verified" -- \
  kubeha apply -f "$ANSWERS" --yes --accept-new-host-keys --only os
check "image on the lab: the wizard installs the rest" 0 -- wizard_install
check "image on the lab: the kubeconfig was handed over" 0 -- test -s "$STATE/kubeha-lab/admin.conf"
check "image on the lab: the cluster screen shows every node" 0 -- cluster_screen
check "image on the lab: status" 0 "cluster kubeha-lab: healthy" -- kubeha status -f "$ANSWERS"
check "image on the lab: status --output json" 0 '"healthy":true' '"leader":true' -- \
  kubeha status -f "$ANSWERS" --output json
check "image on the lab: certs check" 0 "certificates (days left):" "apiserver-etcd-client" "etcd-server" -- \
  kubeha certs check -f "$ANSWERS"
check "image on the lab: backup" 0 -- backup_written
check "image on the lab: drill --vip" 0 "/healthz through the VIP answering again" "VIP back on the holder" -- \
  kubeha drill -f "$ANSWERS" --vip
echo "image on the lab: $PASSED passed, $FAILED failed ($((SECONDS - started)) s from the lab's start)"
[[ $FAILED -eq 0 ]]
