# Sourced by lab/test-lab.sh and lab/test-fixtures.sh: counted checks that print "ok" or "FAIL" lines.

pass() { CHECKS=$((CHECKS + 1)); echo "   ok   $1"; }
fail() { CHECKS=$((CHECKS + 1)); FAILURES=$((FAILURES + 1)); echo "   FAIL $1${2:+: $2}"; }

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds
check() {
  local desc=$1 out
  shift
  if out=$("$@" 2>&1); then pass "$desc"; else fail "$desc" "$(tail -n 3 <<<"$out" | tr '\n' ' ')"; fi
}

# check_fails DESCRIPTION COMMAND...: passes when COMMAND fails
check_fails() {
  local desc=$1
  shift
  if "$@" >/dev/null 2>&1; then fail "$desc" "it succeeded"; else pass "$desc"; fi
}

# check_refused DESCRIPTION PATTERN COMMAND...: passes when COMMAND fails and its output matches PATTERN
check_refused() {
  local desc=$1 pattern=$2 out
  shift 2
  if out=$("$@" 2>&1); then fail "$desc" "it succeeded"
  elif grep -Eq -- "$pattern" <<<"$out"; then pass "$desc"
  else fail "$desc" "failed without /$pattern/: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
  fi
}

# check_equal DESCRIPTION EXPECTED ACTUAL
check_equal() { if [[ $2 == "$3" ]]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi; }

# on_jump COMMAND...: runs COMMAND in the lab's jump network namespace
on_jump() { ip netns exec "$KUBEHA_LAB_NS" "$@"; }
