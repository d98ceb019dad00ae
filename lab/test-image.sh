#!/usr/bin/env bash
# The paths of a built kubeha image that reach hosts, run from the image on one fresh lab install: a headless
# apply of lab/lab.yaml (SSH with host-key trust, every step's remote execution, SFTP uploads, the etcd PKI push,
# the kubeconfig hand-over), the installed cluster's screen (one pane per node), status (text and json), certs
# check, backup and the VIP drill, each checked for its exit code and output. Catches a library class that
# jlink/shrink.sh removed and only these paths load. kubeha runs only inside the lab's jump namespace.
# Usage: sudo flock /tmp/kubeha-lab.lock lab/test-image.sh IMAGE_DIR   (the lab is taken down at the end)
set -Euo pipefail

readonly LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly LAB=$LAB_DIR/lab.sh
[[ $EUID -eq 0 ]] || { echo "test-image.sh must run as root (it brings the lab up): sudo $0 $*" >&2; exit 1; }
image=$(cd "${1:?usage: lab/test-image.sh IMAGE_DIR}" && pwd)
readonly KUBEHA=$image/bin/kubeha
[[ -x $KUBEHA ]] || { echo "test-image.sh: $KUBEHA is missing" >&2; exit 1; }

WORK=$(mktemp -d /tmp/kubeha-image-lab.XXXXXX)
chmod 0755 "$WORK"
readonly STATE=$WORK/state ANSWERS=$WORK/answers.yaml TMUX_SOCKET=kubeha-image-lab-$$
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
  grep -q 'Exception\|NoClassDefFoundError\|NoSuchMethodError' <<<"$out" && missing+=("(no exception)")
  if [[ $code -eq $want && ${#missing[@]} -eq 0 ]]; then
    PASSED=$((PASSED + 1)); echo "ok   $name ($((SECONDS - start)) s)"
  else
    FAILED=$((FAILED + 1)); echo "FAIL $name (exit $code, wanted $want; missing: ${missing[*]})"
    tail -n 25 <<<"$out" | sed 's/^/     /'
  fi
}

kubeha() { "$LAB" exec "$KUBEHA" "$@" --state-dir "$STATE" </dev/null; }

# The installed cluster's screen at 200x60: every node's pane, the VIP's holder, etcd's leader, the worker Ready.
cluster_screen() {
  local screen="" deadline=$((SECONDS + 120)) host
  tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -x 200 -y 60 "env TERM=xterm-256color $LAB exec $KUBEHA \
--answers $ANSWERS --state-dir $STATE --no-probe 2>$WORK/screen.err; echo KUBEHA-EXIT=\$?; sleep 600"
  until grep -q 'worker1 Ready v1.36.3' <<<"$screen" && grep -qF '(* leader)' <<<"$screen" &&
    grep -qF 'VIP 192.168.233.100: cp1, /healthz ok' <<<"$screen"; do
    [[ $SECONDS -lt $deadline ]] || { echo "the cluster screen did not show the cluster:"; echo "$screen"; return 1; }
    sleep 0.5; screen=$(tmux -L "$TMUX_SOCKET" capture-pane -p 2>/dev/null || true)
  done
  for host in cp1 cp2 etcd1 etcd2 etcd3 worker1; do
    grep -qF "─$host─" <<<"$screen" || { echo "no pane for $host:"; echo "$screen"; return 1; }
  done
  tmux -L "$TMUX_SOCKET" send-keys q
  deadline=$((SECONDS + 30))
  until grep -q 'KUBEHA-EXIT=' <<<"$screen"; do
    [[ $SECONDS -lt $deadline ]] || { echo "kubeha did not quit on q:"; echo "$screen"; return 1; }
    sleep 0.2; screen=$(tmux -L "$TMUX_SOCKET" capture-pane -p 2>/dev/null || true)
  done
  tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
  grep -q 'KUBEHA-EXIT=0' <<<"$screen" && [[ ! -s $WORK/screen.err ]] ||
    { echo "$screen" | tail -n 5; cat "$WORK/screen.err"; return 1; }
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

check "image on the lab: headless apply of lab.yaml" 0 "is applied and verified" -- \
  kubeha apply -f "$ANSWERS" --yes --accept-new-host-keys
check "image on the lab: the kubeconfig was handed over" 0 -- test -s "$STATE/kubeha-lab/admin.conf"
if command -v tmux >/dev/null 2>&1; then
  check "image on the lab: the cluster screen shows every node" 0 -- cluster_screen
fi
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
