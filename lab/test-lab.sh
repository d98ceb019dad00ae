#!/usr/bin/env bash
# Self-test of the kubeha lab: brings up the default lab, checks every node over SSH from the
# jump namespace, moves a keepalived VIP between the two load balancers, and takes it all down.
set -Euo pipefail
shopt -s nullglob

readonly LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly LAB=$LAB_DIR/lab.sh
[[ $EUID -eq 0 ]] || { echo "test-lab.sh must run as root (the lab creates namespaces, bridges and containers): sudo $0" >&2; exit 1; }

eval "$("$LAB" env)"
WORK=$(mktemp -d /tmp/kubeha-lab-test.XXXXXX)
KNOWN_HOSTS=$WORK/known_hosts
FAILURES=0
CHECKS=0
PHASE_NAME="" PHASE_START=0
declare -A TIMES=()

cleanup() {
  local rc=$?
  close_ssh_masters
  if [[ -n ${KUBEHA_LAB_KEEP:-} ]]; then
    echo "KUBEHA_LAB_KEEP is set: the lab stays up (sudo lab/lab.sh down removes it)"
  else
    "$LAB" down >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

phase() {
  end_phase
  PHASE_NAME=$1 PHASE_START=$(now_ms)
  echo
  echo "== $1"
}

end_phase() {
  [[ -n $PHASE_NAME ]] || return 0
  TIMES[$PHASE_NAME]=$(( $(now_ms) - PHASE_START ))
  printf '   (%s: %d.%03d s)\n' "$PHASE_NAME" $(( TIMES[$PHASE_NAME] / 1000 )) $(( TIMES[$PHASE_NAME] % 1000 ))
  PHASE_NAME=""
}

source "$LAB_DIR/checks.sh"

# lab_ssh USER ADDRESS COMMAND: runs COMMAND on a node from the jump namespace
lab_ssh() {
  local user=$1 addr=$2
  shift 2
  on_jump ssh -i "$KUBEHA_LAB_KEY" -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=5 \
    -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile="$KNOWN_HOSTS" -o LogLevel=ERROR \
    -o ControlMaster=auto -o ControlPath="$WORK/cm-%r@%h" -o ControlPersist=120 "$user@$addr" "$@"
}

close_ssh_masters() {
  local socket
  for socket in "$WORK"/cm-*; do
    on_jump ssh -o ControlPath="$socket" -O exit dummy >/dev/null 2>&1 || true
  done
}

NODE_NAMESPACES=""
NODES=() ADDRS=() CIDRS=() ROLES=() VIP=""
read_topology() {
  local name cidr roles
  while read -r name cidr roles _; do
    case $name in
      ''|jump) ;;
      vip) VIP=$cidr ;;
      *) NODES+=("$name") CIDRS+=("$cidr") ADDRS+=("${cidr%/*}") ROLES+=("$roles") ;;
    esac
  done < <(sed 's/#.*//' "$LAB_DIR/default.topology")
}

subnet24() { echo "${1%.*}"; }

lab_leftovers() {
  ip -br link | awk '{print $1}' | grep -E "^(kubeha|vb-)" || true
  awk -v d="$KUBEHA_LAB_STATE" 'index($5, d) == 1 { print "mount " $5 }' /proc/self/mountinfo
  local p
  for p in /proc/[0-9]*; do
    [[ $(cat "$p/comm" 2>/dev/null) == systemd-nspawn ]] || continue
    [[ $(tr '\0' ' ' 2>/dev/null <"$p/cmdline") == *"$KUBEHA_LAB_STATE/"* ]] && echo "process ${p#/proc/} systemd-nspawn"
  done
  for p in /proc/[0-9]*; do
    [[ $(tr '\0' ' ' 2>/dev/null <"$p/cmdline") == *"repo-server.py"*"$KUBEHA_LAB_STATE/"* ]] && echo "process ${p#/proc/} package repository server"
  done
  if [[ -n $NODE_NAMESPACES ]]; then
    for p in /proc/[0-9]*; do
      grep -qxF "$(readlink "$p/ns/pid" 2>/dev/null)" <<<"$NODE_NAMESPACES" && echo "process ${p#/proc/} inside a lab node"
    done
  fi
  ip netns list | grep -w "$KUBEHA_LAB_NS" || true
  [[ -e $KUBEHA_LAB_STATE ]] && echo "directory $KUBEHA_LAB_STATE"
  return 0
}

check_nothing_left() {
  local left
  left=$(lab_leftovers)
  if [[ -z $left ]]; then pass "$1: no links, mounts, nspawn or node processes, namespace or state left"
  else fail "$1: leftovers" "$(tr '\n' ' ' <<<"$left")"
  fi
}

read_topology

phase "preconditions"
echo "   (the test owns the lab: an existing lab is taken down first)"
check "lab.sh down on whatever exists" "$LAB" down
check_nothing_left "clean start"
install -m 0755 "$LAB" "$WORK/lab.sh"
chmod 0755 "$WORK"
check "lab.sh refuses to run without root, saying so" \
  bash -c "setpriv --reuid=65534 --regid=65534 --clear-groups '$WORK/lab.sh' status 2>&1 | grep -q 'must run as root'"
for i in "${!NODES[@]}"; do
  check "lab.yaml lists ${NODES[$i]} at ${ADDRS[$i]}" grep -Eq "name: *${NODES[$i]}, *address: *\"?${ADDRS[$i]}\"?," "$LAB_DIR/lab.yaml"
done
check "lab.yaml uses the topology's vip $VIP" grep -Eq "^  vip: *\"?$VIP\"?( *#.*)?\$" "$LAB_DIR/lab.yaml"
check "lab.yaml points at the lab key" grep -Eq "identityFile: *$KUBEHA_LAB_KEY( *#.*)?\$" "$LAB_DIR/lab.yaml"
check "lab.yaml uses the lab's package repository" grep -Eq "packageRepository: *\"?$KUBEHA_LAB_PACKAGE_REPOSITORY\"?( *#.*)?\$" "$LAB_DIR/lab.yaml"
check "lab.yaml pins the fixture repository's signing key" grep -Eq "packageRepositoryKeyFingerprint: *\"?$KUBEHA_LAB_PACKAGE_KEY_FINGERPRINT\"?( *#.*)?\$" "$LAB_DIR/lab.yaml"
check "the pinned fingerprint is the fixture signing key's" bash -c "h=\$(mktemp -d); trap 'rm -rf \$h' EXIT; GNUPGHOME=\$h gpg --batch --show-keys --with-colons '$LAB_DIR/fixtures/packaging/signing-key.pub.asc' 2>/dev/null | grep -qx 'fpr:::::::::$KUBEHA_LAB_PACKAGE_KEY_FINGERPRINT:'"

phase "half-failed up, then down"
KUBEHA_LAB_BOOT_TIMEOUT=0 KUBEHA_LAB_KEEP_FAILED=1 "$LAB" up >"$WORK/half.log" 2>&1
check_equal "up with a zero boot timeout fails" 1 "$?"
check "the half-started lab left state behind to clean" test -n "$(lab_leftovers)"
check "down after a half-failed up, killing the nodes at once (stop timeout 0)" env KUBEHA_LAB_STOP_TIMEOUT=0 "$LAB" down
check_nothing_left "after the half-failed up"

phase "up"
up_start=$(now_ms)
if ! "$LAB" up; then
  fail "lab.sh up"
  exit 1
fi
TIMES[up-command]=$(( $(now_ms) - up_start ))
pass "lab.sh up in $(( TIMES[up-command] / 1000 )).$(( TIMES[up-command] % 1000 / 100 )) s"
check_fails "up again is refused while the lab exists" "$LAB" up
check_equal "status shows every node running with sshd up" "${#NODES[@]}" "$("$LAB" status | grep -c 'running, sshd up')"

phase "network isolation"
check_equal "the bridge has no address in the root namespace" "" "$(ip -o addr show dev "$KUBEHA_LAB_BRIDGE")"
check_equal "no bridge port has an address in the root namespace" "" "$(ip -o addr show master "$KUBEHA_LAB_BRIDGE")"
check_equal "lab.sh exec runs in the jump namespace, which holds one address per lab subnet" \
  "$(for c in "${CIDRS[@]}"; do echo "${c%.*}.1/${c#*/}"; done | sort -u | xargs)" "$("$LAB" exec ip -4 -o addr show dev jump0 | awk '{print $4}' | sort | xargs)"
check_equal "the jump namespace has no default route (IPv4)" "" "$(on_jump ip -4 route show default)"
check_equal "the jump namespace has no default route (IPv6)" "" "$(on_jump ip -6 route show default)"
gateway=$(ip -4 route show default | awk '{print $3; exit}')
check_fails "the jump namespace has no route to the machine's gateway ${gateway:-(none)}" on_jump ip route get "${gateway:-192.0.2.1}"

phase "nodes over ssh"
for i in "${!NODES[@]}"; do
  name=${NODES[$i]} addr=${ADDRS[$i]}
  check_equal "$name: root login, hostname" "$name" "$(lab_ssh root "$addr" hostname)"
  check_equal "$name: address on host0" "${CIDRS[$i]}" "$(lab_ssh root "$addr" "ip -4 -o addr show dev host0" | awk '{print $4}')"
  check_equal "$name: no default route" "" "$(lab_ssh root "$addr" "ip -4 route show default; ip -6 route show default")"
  check_equal "$name: systemd finished booting with no failed unit" "running" \
    "$(lab_ssh root "$addr" 'state=$(systemctl is-system-running --wait); echo $state; [ $state = running ] || { systemctl --failed --no-legend --plain; journalctl -b --no-pager -p warning | tail -n 20; }' | xargs)"
  check_equal "$name: haproxy, keepalived, etcd, containerd are installed and disabled" "disabled disabled disabled disabled" \
    "$(lab_ssh root "$addr" "systemctl is-enabled haproxy keepalived etcd containerd" | xargs)"
  check_equal "$name: /sys/fs/cgroup is cgroup v2" cgroup2fs "$(lab_ssh root "$addr" "stat -fc %T /sys/fs/cgroup")"
  check_equal "$name: sees the host kernel's modules at /sys/module" "$(ls /sys/module | xargs)" "$(lab_ssh root "$addr" "ls /sys/module" | xargs)"
  check_fails "$name: /sys/module is read-only" lab_ssh root "$addr" "touch /sys/module/kubeha-lab-probe"
  check "$name: $KUBEHA_LAB_SUDO_USER has passwordless sudo" lab_ssh "$KUBEHA_LAB_SUDO_USER" "$addr" "sudo -n true"
  check_fails "$name: $KUBEHA_LAB_SUDO_PASSWORD_USER's sudo needs a password" lab_ssh "$KUBEHA_LAB_SUDO_PASSWORD_USER" "$addr" "sudo -n true"
  check "$name: $KUBEHA_LAB_SUDO_PASSWORD_USER's sudo works with the lab password" \
    lab_ssh "$KUBEHA_LAB_SUDO_PASSWORD_USER" "$addr" "sudo -S -p '' true" <<<"$KUBEHA_LAB_SUDO_PASSWORD"
done
distinct=$(awk '$2 == "ssh-ed25519" {print $3}' "$KNOWN_HOSTS" | sort -u | wc -l)
check_equal "every node has its own ed25519 host key" "${#NODES[@]}" "$distinct"
distinct=$(for i in "${!NODES[@]}"; do lab_ssh root "${ADDRS[$i]}" "cat /etc/machine-id"; done | sort -u | wc -l)
check_equal "every node has its own machine-id" "${#NODES[@]}" "$distinct"

phase "package repository"
for i in "${!NODES[@]}"; do
  check "${NODES[$i]} fetches InRelease from the lab repository $KUBEHA_LAB_PACKAGE_REPOSITORY" \
    lab_ssh root "${ADDRS[$i]}" "curl -fsS --max-time 5 $KUBEHA_LAB_PACKAGE_REPOSITORY/core:/stable:/v1.36/deb/InRelease | grep -q 'BEGIN PGP SIGNED MESSAGE'"
done

phase "cross-subnet reachability"
for i in "${!NODES[@]}"; do
  for j in "${!NODES[@]}"; do
    if [[ $(subnet24 "${ADDRS[$i]}") != $(subnet24 "${ADDRS[$j]}") ]]; then
      check "${NODES[$i]} (${ADDRS[$i]}) reaches ${NODES[$j]} (${ADDRS[$j]})" \
        lab_ssh root "${ADDRS[$i]}" "ping -c 1 -W 2 ${ADDRS[$j]}"
      break
    fi
  done
done

phase "keepalived vip failover"
LBS=() LB_ADDRS=()
for i in "${!NODES[@]}"; do
  [[ ${ROLES[$i]} == *load-balancer* ]] && LBS+=("${NODES[$i]}") LB_ADDRS+=("${ADDRS[$i]}")
done
keepalived_conf() {
  local me=$1 peer=$2 state=$3 priority=$4
  cat <<EOF
global_defs {
    router_id $state
    enable_script_security
}
vrrp_instance lab_vip {
    state $state
    interface host0
    virtual_router_id 51
    priority $priority
    advert_int 1
    unicast_src_ip $me
    unicast_peer {
        $peer
    }
    authentication {
        auth_type PASS
        auth_pass labtest
    }
    virtual_ipaddress {
        $VIP/${CIDRS[0]#*/} dev host0
    }
}
EOF
}
vip_holder() {
  on_jump ssh -i "$KUBEHA_LAB_KEY" -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=5 \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "root@$VIP" hostname
}
has_vip() { lab_ssh root "$1" "ip -4 -o addr show dev host0" | grep -q " $VIP/"; }
wait_vip() {
  local addr=$1 deadline=$(( $(now_ms) + 15000 ))
  while (( $(now_ms) < deadline )); do has_vip "$addr" && return 0; sleep 0.2; done
  return 1
}
install_keepalived() {
  keepalived_conf "$@" | lab_ssh root "$1" "cat > /etc/keepalived/keepalived.conf && keepalived -t -f /etc/keepalived/keepalived.conf"
}
master=${LB_ADDRS[0]} backup=${LB_ADDRS[1]}
check "keepalived.conf (MASTER, unicast) written on ${LBS[0]} and accepted by keepalived -t" install_keepalived "$master" "$backup" MASTER 150
check "keepalived.conf (BACKUP, unicast) written on ${LBS[1]} and accepted by keepalived -t" install_keepalived "$backup" "$master" BACKUP 100
check "keepalived starts on ${LBS[0]}" lab_ssh root "$master" "systemctl start keepalived"
check "keepalived starts on ${LBS[1]}" lab_ssh root "$backup" "systemctl start keepalived"
check "the vip $VIP comes up on the MASTER ${LBS[0]}" wait_vip "$master"
check_fails "the BACKUP ${LBS[1]} does not hold the vip" has_vip "$backup"
check_equal "ssh to the vip from the jump namespace lands on ${LBS[0]}" "${LBS[0]}" "$(vip_holder)"
lab_ssh root "$backup" "for i in \$(seq 600); do ip -4 -o addr show dev host0 | grep -q ' $VIP/' && { date +%s%N; exit 0; }; sleep 0.02; done; exit 1" >"$WORK/switch" &
watcher=$!
sleep 0.5
stop_ns=$(date +%s%N)
lab_ssh root "$master" "systemctl stop keepalived"
if wait "$watcher"; then
  switch_ms=$(( ($(cat "$WORK/switch") - stop_ns) / 1000000 ))
  TIMES[vip-switch]=$switch_ms
  pass "the vip moved to ${LBS[1]} ${switch_ms} ms after keepalived stop was issued on ${LBS[0]}"
else
  fail "the vip did not move to ${LBS[1]} within 12 s"
fi
check_fails "${LBS[0]} no longer holds the vip" has_vip "$master"
check_equal "ssh to the vip from the jump namespace lands on ${LBS[1]} after the switch" "${LBS[1]}" "$(vip_holder)"
check_equal "the jump namespace's neighbour entry for the vip is ${LBS[1]}'s host0" \
  "$(lab_ssh root "$backup" "cat /sys/class/net/host0/address")" \
  "$(on_jump ip neigh show "$VIP" | awk '{for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1)}')"

phase "down"
close_ssh_masters
NODE_NAMESPACES=$(cat "$KUBEHA_LAB_STATE"/nodes/*/pidns)
check_equal "every node's PID namespace is recorded" "${#NODES[@]}" "$(sort -u <<<"$NODE_NAMESPACES" | wc -l)"
last=${NODES[-1]}
check "simulated crash: SIGKILL the nspawn of $last, leaving its systemd orphaned" kill -KILL "$(cat "$KUBEHA_LAB_STATE/nodes/$last/nspawn.pid")"
down_start=$(now_ms)
check "lab.sh down" "$LAB" down
TIMES[down-command]=$(( $(now_ms) - down_start ))
check_nothing_left "after down"
check "lab.sh down again (idempotent)" "$LAB" down
check_nothing_left "after the second down"
check_fails "lab.sh exec refuses when the lab is down" "$LAB" exec true
end_phase

echo
echo "== times"
for k in "${!TIMES[@]}"; do printf '   %-34s %6d ms\n' "$k" "${TIMES[$k]}"; done | sort
echo
if (( FAILURES > 0 )); then
  echo "lab self-test: $FAILURES of $CHECKS checks FAILED"
  exit 1
fi
echo "lab self-test: all $CHECKS checks passed"
