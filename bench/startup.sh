#!/usr/bin/env bash
# Start-up benchmark of a built kubeha image: median wall time of `kubeha version`, `kubeha validate` and the
# wizard's first frame (in tmux, when installed) with and without the start-up cache, each beside its floor in the
# same run (a process that only echoes; a tmux pane that only echoes the text the frame is waited for). With
# --smoke, runs each command once and checks its exit code and output instead, and pages through every wizard
# screen. Runs in a network namespace of its own (unshare --net): the wizard must reach no host.
# Usage: bench/startup.sh [--smoke] [--runs N] IMAGE_DIR
set -euo pipefail
if [ -z "${KUBEHA_BENCH_NETNS:-}" ]; then
  export KUBEHA_BENCH_NETNS=1
  for isolate in "unshare --net" "unshare --map-root-user --net"; do
    if $isolate true 2>/dev/null; then exec $isolate "$0" "$@"; fi
  done
  echo "bench/startup.sh: cannot make a network namespace (unshare --net); refusing to run kubeha outside one" >&2
  exit 1
fi
# A new network namespace's loopback is down; the smoke's registry and sshd listen on it.
ip link set lo up 2>/dev/null || true
smoke=false
runs=21
while [ $# -gt 1 ]; do
  case "$1" in
    --smoke) smoke=true ;;
    --runs) runs=$2; shift ;;
    *) break ;;
  esac
  shift
done
image=$(cd "${1:?usage: bench/startup.sh [--smoke] [--runs N] IMAGE_DIR}" && pwd)
kubeha=$image/bin/kubeha
guide=$image/examples/guide.yaml

if $smoke; then
  passed=0; failed=0
  check() {
    local name=$1 want=$2; shift 2
    local out code=0
    out=$("$@" 2>&1) || code=$?
    if [ "$code" -eq "$want" ] && ! grep -q 'Exception\|AOT cache\|CDS' <<<"$out"; then
      passed=$((passed + 1)); echo "ok   $name"
    else
      failed=$((failed + 1)); echo "FAIL $name (exit $code, wanted $want)"; echo "$out" | head -5 | sed 's/^/     /'
    fi
  }
  bad=$(mktemp); scratch=$(mktemp -d); trap 'rm -rf "$bad" "$scratch"' EXIT
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  sed 's/adress\|address: 10.0.8.12/adress: 10.0.8.12/' "$guide" > "$bad"
  check "image: kubeha version" 0 "$kubeha" version
  check "image: validate guide.yaml (with cache)" 0 "$kubeha" validate -f "$guide"
  check "image: validate guide.yaml (without cache)" 0 env KUBEHA_NO_CACHE=1 "$kubeha" validate -f "$guide"
  check "image: validate a bad file exits 1" 1 "$kubeha" validate -f "$bad"
  check "image: usage error exits 2" 2 "$kubeha" validate
  check "image: start-up cache present" 0 test -f "$image/lib/kubeha.aot" -o -f "$image/lib/kubeha.jsa"
  no_awt_natives() { ! ls "$image"/runtime/lib/libawt*.so "$image"/runtime/lib/libfontmanager.so 2>/dev/null; }
  check "image: java.desktop's native libraries left out" 0 no_awt_natives
  # The first frame, then PgDn through every screen to the review (step 8/8); nothing may reach stderr.
  wizard_draws() {
    local socket state deadline screen want step
    socket=kubeha-smoke-$$; state=$(mktemp -d)
    tmux -L "$socket" new-session -d -x 80 -y 24 "$kubeha --state-dir $state --no-probe 2>$state/err"
    for step in 1 2 3 4 5 6 7 8; do
      want="step $step/8"; [ "$step" -eq 1 ] && want="Cluster name"
      [ "$step" -gt 1 ] && tmux -L "$socket" send-keys NPage 2>/dev/null
      deadline=$((SECONDS + 30)); screen=""
      while [ $SECONDS -lt $deadline ] && ! grep -q "$want" <<<"$screen"; do
        sleep 0.2; screen=$(tmux -L "$socket" capture-pane -p 2>/dev/null || true)
      done
      grep -q "$want" <<<"$screen" || break
    done
    tmux -L "$socket" send-keys F10 2>/dev/null || true; sleep 0.5
    tmux -L "$socket" kill-server 2>/dev/null || true
    if ! grep -q 'step 8/8' <<<"$screen" || [ -s "$state/err" ]; then
      echo "stopped waiting for '$want'; screen:"; echo "$screen"; cat "$state/err"; rm -rf "$state"; return 1
    fi
    rm -rf "$state"
  }
  check "image: the full-screen wizard draws all 8 screens at 80x24" 0 wizard_draws
  check "image: plan guide.yaml" 0 "$kubeha" plan -f "$guide" --state-dir "$scratch/plan"
  # BouncyCastle issues every key and certificate of render (the guide's external etcd and the cluster CA), once
  # per key algorithm; openssl reads each key, checks each certificate against the CAs and each key against its
  # certificate.
  pki_checks() {
    local algorithm=$1 work=$scratch/render-$1 cert key ca n=0
    mkdir -p "$work"
    sed "/^etcd:/a\\  keyAlgorithm: $algorithm" "$guide" > "$work/answers.yaml"
    "$kubeha" render -f "$work/answers.yaml" -o "$work/out" --state-dir "$work/state" >"$work/said" 2>&1 ||
      { cat "$work/said"; return 1; }
    find "$work/out" \( -name 'ca.pem' -o -name 'ca.crt' \) -exec cat {} + > "$work/cas.pem"
    while read -r cert; do
      openssl verify -CAfile "$work/cas.pem" "$cert" >/dev/null || { echo "not verified: $cert"; return 1; }
      case $cert in *.crt) key=${cert%.crt}.key ;; *) key=${cert%.pem}-key.pem ;; esac
      if [ -f "$key" ]; then
        [ "$(openssl pkey -in "$key" -pubout)" = "$(openssl x509 -in "$cert" -noout -pubkey)" ] ||
          { echo "$key does not belong to $cert"; return 1; }
        n=$((n + 1))
      fi
    done < <(find "$work/out" -type f \( -name '*.crt' -o -name '*.pem' \) ! -name '*-key.pem')
    openssl x509 -in "$(find "$work/out" -name server.pem | head -n1)" -noout -text | grep -q "$2" ||
      { echo "the certificates' keys are not $2"; return 1; }
    # Three etcd members' server and peer pairs, two API servers' etcd client pairs, the cluster CA.
    [ "$n" -eq 9 ] || { echo "$n key pairs rendered, not 9"; return 1; }
  }
  check "image: render's PKI (ECDSA P-256) passes openssl" 0 pki_checks ecdsa-p256 "id-ecPublicKey"
  check "image: render's PKI (RSA 2048) passes openssl" 0 pki_checks rsa-2048 "rsaEncryption"
  # The paths whose set-up is Java (a registry, a package repository and an sshd on 127.0.0.1), run by the tests
  # against this image's launcher: line mode, the wizard to a saved file, the wizard's live SSH check (sshj and
  # BouncyCastle against a real sshd, with a key) and kubeha bundle (jib, jackson, HttpClient, commons-compress,
  # OpenPGP). Needs the compiled tests (mvn verify ran) and Maven's local repository (offline).
  image_tests() {
    if (cd "$repo" && . scripts/find-jdk.sh && kubeha_find_jdk && export JAVA_HOME=$KUBEHA_JDK &&
      mvn -o -B -ntp -q test -Dkubeha.image="$image" -Dsurefire.failIfNoSpecifiedTests=false \
        -Dtest=LineModeTest,WizardInTmuxTest,WizardLiveInTmuxTest,BundleCommandProcessTest) \
        > "$scratch/image-tests.log" 2>&1; then
      return 0
    fi
    grep -v '^\s*at ' "$scratch/image-tests.log" | tail -40
    return 1
  }
  if [ "${KUBEHA_SMOKE_TESTS:-1}" != 0 ]; then
    check "image: line mode, wizard, live SSH check and bundle tests on the image" 0 image_tests
  fi
  echo "image smoke: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
fi

wall_ms_once() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

source "$(dirname "${BASH_SOURCE[0]}")/first-frame.sh"
# Each round takes every measure once, floors included, so a burst of load falls on all of them alike.
labels=("floor: /bin/echo" "kubeha version (cache)" "kubeha version (no cache)"
  "kubeha validate -f guide.yaml (cache)" "kubeha validate -f guide.yaml (no cache)")
command -v tmux >/dev/null 2>&1 && labels+=("floor: tmux pane that echoes 'Cluster name'"
  "first TUI frame, tmux 80x24 (cache)" "first TUI frame, tmux 80x24 (no cache)")
measure_once() {
  case $1 in
    0) wall_ms_once /bin/echo kubeha ;;
    1) wall_ms_once "$kubeha" version ;;
    2) wall_ms_once env KUBEHA_NO_CACHE=1 "$kubeha" version ;;
    3) wall_ms_once "$kubeha" validate -f "$guide" ;;
    4) wall_ms_once env KUBEHA_NO_CACHE=1 "$kubeha" validate -f "$guide" ;;
    5) first_frame_once "sh -c 'echo Cluster name; exec sleep 30' #" ;;
    6) first_frame_once "$kubeha" ;;
    7) first_frame_once env KUBEHA_NO_CACHE=1 "$kubeha" ;;
  esac
}

"$kubeha" version >/dev/null
results=()
for ((i = 0; i < runs; i++)); do
  for m in "${!labels[@]}"; do results[m]+="$(measure_once "$m") "; done
done
printf '%-44s %10s\n' "command ($runs interleaved runs each, median)" "wall ms"
for m in "${!labels[@]}"; do
  printf '%-44s %10s\n' "${labels[m]}" "$(printf '%s\n' ${results[m]} | grep -E '^[0-9]+$' | sort -n |
    awk '{v[NR]=$1} END {print NR ? v[int((NR+1)/2)] : "failed"}')"
done
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "image: $(du -sh "$image" | cut -f1) on disk"
