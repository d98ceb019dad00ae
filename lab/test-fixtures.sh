#!/usr/bin/env bash
# Self-test of the lab fixtures (lab/fixtures: stand-ins, never shipped). On a fresh lab: the real
# installer sets up the OS, haproxy/keepalived and the TLS etcd cluster (--only os,...,etcd-start);
# then this test installs the stand-in packages from the lab's apt repository exactly as the
# contract says, and proves the stand-ins are strict: config validation, the external etcd checks,
# discovery (CA hash, token), the certificate key, /healthz through the VIP, nodes, flannel, CRDs.
# Needs the installer built: mvn -q -o -DskipTests package. Run as root; it takes the lab down at the end.
set -Euo pipefail
shopt -s nullglob

readonly LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly ROOT=$(dirname "$LAB_DIR")
readonly LAB=$LAB_DIR/lab.sh
[[ $EUID -eq 0 ]] || { echo "test-fixtures.sh must run as root: sudo $0" >&2; exit 1; }
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
[[ -x $JAVA && -d $ROOT/target/classes ]] || { echo "build the installer first (mvn -q -o -DskipTests package) and set JAVA_HOME" >&2; exit 1; }

eval "$("$LAB" env)"
WORK=$(mktemp -d /tmp/kubeha-fixtures-test.XXXXXX)
FAILURES=0 CHECKS=0
readonly CP1=192.168.233.11 CP2=192.168.233.12 WORKER1=192.168.233.21 VIP=192.168.233.100
readonly REPO=$KUBEHA_LAB_PACKAGE_REPOSITORY SOCK=unix:///var/run/containerd/containerd.sock

cleanup() {
  local rc=$?
  if [[ -n ${KUBEHA_LAB_KEEP:-} ]]; then echo "KUBEHA_LAB_KEEP is set: the lab stays up"; else "$LAB" down >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

phase() { echo; echo "== $1"; }
source "$LAB_DIR/checks.sh"
node() {
  local addr=$1
  shift
  on_jump ssh -i "$KUBEHA_LAB_KEY" -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=5 -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "root@$addr" "$@"
}
# put ADDRESS PATH < content
put() { node "$1" "mkdir -p \$(dirname $2) && cat > $2"; }
kubeha() { on_jump "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$ROOT/target/classes:$ROOT/target/lib/*" dev.kubeha.cli.Main "$@"; }
retry() { local n=$1; shift; for ((i = 0; i < n; i++)); do "$@" && return 0; sleep 1; done; return 1; }

phase "fresh lab, OS, load balancer, VIP and TLS etcd by the installer"
"$LAB" down >/dev/null 2>&1
start=$SECONDS
check "lab.sh up --mirror-delay 1" "$LAB" up --mirror-delay 1
echo "   (lab.sh up took $((SECONDS - start)) s)"
check_equal "lab.sh env prints the repository URL" "http://192.168.233.1:8080" "$REPO"
check_equal "lab.sh env prints the mirror delay" "KUBEHA_LAB_MIRROR_DELAY=1" "$("$LAB" env | grep MIRROR_DELAY)"
check_refused "lab.sh up refuses a mirror delay that is not a number of seconds" 'mirror delay must be a number of seconds' "$LAB" up --mirror-delay 1s
fetch_seconds() { on_jump curl -fsS -o /dev/null -w '%{time_total}' "$REPO/core:/stable:/v1.37/deb/$1"; }
DEB=$(on_jump curl -fsS "$REPO/core:/stable:/v1.37/deb/Packages" | awk '/^Filename: .*kubectl_1.37.1/ {print $2; exit}')
check "the repository waits 1 s before a .deb ($DEB)" awk -v t="$(fetch_seconds "$DEB")" 'BEGIN {exit !(t >= 1.0)}'
check "... but not before its index (Release)" awk -v t="$(fetch_seconds Release)" 'BEGIN {exit !(t < 0.9)}'
check "the kube-prometheus archive exists at KUBEHA_LAB_KUBE_PROMETHEUS_ARCHIVE" tar tzf "$KUBEHA_LAB_KUBE_PROMETHEUS_ARCHIVE" kube-prometheus-0.18.0/manifests/setup/namespace.yaml
sed "s|^  flannelManifest:.*|  flannelManifest: $LAB_DIR/fixtures/kube-flannel.yml|" "$LAB_DIR/lab.yaml" >"$WORK/lab.yaml"
check "kubeha apply --only os,load-balancer,vip,etcd,etcd-start" \
  kubeha apply -f "$WORK/lab.yaml" --yes --only os,load-balancer,vip,etcd,etcd-start --state-dir "$WORK/state" --accept-new-host-keys
check "kubeha render" kubeha render -f "$WORK/lab.yaml" -o "$WORK/render" --state-dir "$WORK/state"
R=$WORK/render

phase "packages from the lab repository, exactly as the installer installs them"
install_packages() {
  node "$1" "set -e
    mkdir -p /etc/apt/keyrings
    curl -fsSL $REPO/core:/stable:/v1.36/deb/Release.key -o /etc/apt/keyrings/kubernetes-apt-keyring.asc
    echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.asc] $REPO/core:/stable:/v1.36/deb/ /' >/etc/apt/sources.list.d/kubernetes.list
    apt-get -q update -o Dir::Etc::sourcelist=sources.list.d/kubernetes.list -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0
    DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends kubelet=1.36.3-1.1 kubeadm=1.36.3-1.1 kubectl=1.36.3-1.1
    apt-mark hold kubelet kubeadm kubectl
    systemctl enable kubelet"
}
for a in $CP1 $CP2 $WORKER1; do check "$a: apt-get update (signed repository, sqv) and install pinned 1.36.3" install_packages "$a"; done
check_equal "cp1: kubeadm version -o short" "v1.36.3" "$(node $CP1 kubeadm version -o short)"
check_equal "cp1: installed versions (not 1.36.4, the newest)" "cri-tools=1.36.0-1.1 kubeadm=1.36.3-1.1 kubectl=1.36.3-1.1 kubelet=1.36.3-1.1 kubernetes-cni=1.7.1-1.1" \
  "$(node $CP1 "dpkg-query -W -f='\${Package}=\${Version}\n' kubeadm kubelet kubectl cri-tools kubernetes-cni" | sort | xargs)"
check_equal "cp1: 1.36.4 is the repository's candidate, so the pin mattered" "Candidate: 1.36.4-1.1" "$(node $CP1 'apt-cache policy kubeadm' | grep -o 'Candidate: .*')"
check_equal "cp1: kubeadm, kubelet, kubectl are held" "kubeadm kubectl kubelet" "$(node $CP1 'apt-mark showhold' | xargs)"
check "cp1: kubelet.service + 10-kubeadm.conf drop-in, enabled" node $CP1 "test -f /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf && systemctl is-enabled kubelet"
check_refused "cp1: kubelet refuses to run before init (no config.yaml)" "config.yaml" node $CP1 kubelet --config=/var/lib/kubelet/config.yaml
check_refused "cp1: an unsupported kubectl command fails, naming it" "unsupported command: logs" node $CP1 kubectl logs x

phase "containerd with the installer's config"
put $CP1 /tmp/rendered-containerd.toml <"$R/cp1/etc/containerd/config.toml"
if node $CP1 "cp /tmp/rendered-containerd.toml /etc/containerd/config.toml && systemctl restart containerd" >/dev/null 2>&1; then
  pass "containerd starts with the rendered config ($(head -c 60 "$R/cp1/etc/containerd/config.toml" | tr '\n' ' '))"
else
  echo "   note containerd $(node $CP1 'containerd --version' | awk '{print $3}') refuses the rendered config: $(node $CP1 'journalctl -u containerd --no-pager | grep -o "containerd config version.*" | tail -n1')"
  echo "   note (kubeha rendered it from assumed facts; with gathered facts it must write version = 2 for containerd 1.7)"
fi
for a in $CP1 $CP2 $WORKER1; do
  put $a /etc/containerd/config.toml <<'EOF'
version = 2
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = true
EOF
  check "$a: containerd starts with a version 2 config, SystemdCgroup = true" node $a "systemctl reset-failed containerd; systemctl restart containerd"
  check "$a: crictl info answers" node $a "crictl --runtime-endpoint $SOCK info"
done
check_refused "crictl info fails on a socket where no containerd runs" "connect" node $CP1 "crictl --runtime-endpoint unix:///run/nothing.sock info"

phase "kubeadm config validate is strict"
put $CP1 /etc/kubernetes/kubeadm-config.yaml <"$R/cp1/etc/kubernetes/kubeadm-config.yaml"
# The installer places its own cluster CA on the first control plane before init; the joins pin it.
put $CP1 /etc/kubernetes/pki/ca.crt <"$R/cp1/etc/kubernetes/pki/ca.crt"
put $CP1 /etc/kubernetes/pki/ca.key <"$R/cp1/etc/kubernetes/pki/ca.key"
node $CP1 "chmod 0600 /etc/kubernetes/pki/ca.key"
check "the installer's init config validates" node $CP1 "kubeadm config validate --config /etc/kubernetes/kubeadm-config.yaml"
bad() { node $CP1 "sed '$1' /etc/kubernetes/kubeadm-config.yaml >/tmp/bad.yaml && kubeadm config validate --config /tmp/bad.yaml"; }
check_refused "an unknown nested key is rejected, naming key and document" 'unknown field "networking.podCIDR".*|document 2.*podCIDR' bad 's/podSubnet/podCIDR/'
check_refused "an unknown top-level key is rejected" 'unknown field "maxPods2"' bad 's/^cgroupDriver: systemd/cgroupDriver: systemd\nmaxPods2: 3/'
check_refused "an unknown apiVersion is rejected" 'no kind "KubeProxyConfiguration" is registered for version "kubeproxy.config.k8s.io/v1beta9"' bad 's|kubeproxy.config.k8s.io/v1alpha1|kubeproxy.config.k8s.io/v1beta9|'
check_refused "a missing controlPlaneEndpoint is rejected" 'controlPlaneEndpoint: Required value' bad '/^controlPlaneEndpoint/d'
check_refused "another kubernetesVersion than the package's is rejected" 'kubernetesVersion' bad 's/^kubernetesVersion: .*/kubernetesVersion: v1.36.4/'
check_refused "a malformed token is rejected" 'bootstrap token is invalid' bad 's/- token: .*/- token: abc.def/'
check_refused "a short certificateKey is rejected" 'certificateKey' bad 's/^certificateKey: .*/certificateKey: abcdef/'
check_refused "an invalid podSubnet is rejected" 'podSubnet' bad 's|podSubnet: .*|podSubnet: 10.244.0.0/33|'
check_refused "a criSocket that does not exist is rejected" 'criSocket' bad 's|criSocket: .*|criSocket: unix:///run/cri-dockerd.sock|'

phase "images"
check_equal "images list --config" "registry.k8s.io/kube-apiserver:v1.36.3 registry.k8s.io/kube-controller-manager:v1.36.3 registry.k8s.io/kube-scheduler:v1.36.3 registry.k8s.io/kube-proxy:v1.36.3 registry.k8s.io/coredns/coredns:v1.14.2 registry.k8s.io/pause:3.10.2" \
  "$(node $CP1 'kubeadm config images list --config /etc/kubernetes/kubeadm-config.yaml' | xargs)"
check_refused "images pull fails on a dead CRI socket" 'connect' node $CP1 "kubeadm config images pull --kubernetes-version v1.36.3 --image-repository registry.k8s.io --cri-socket unix:///run/nothing.sock"
check "images pull --config" node $CP1 "kubeadm config images pull --config /etc/kubernetes/kubeadm-config.yaml"
check "crictl pull waits the mirror delay (1 s)" node $CP1 "s=\$(date +%s%N); crictl --runtime-endpoint $SOCK pull registry.k8s.io/kubeha-lab-delay-probe:1 >/dev/null; test \$(( (\$(date +%s%N) - s) / 1000000 )) -ge 1000"
check "crictl inspecti finds a pulled image" node $CP1 "crictl --runtime-endpoint $SOCK inspecti registry.k8s.io/pause:3.10.2"
check_refused "crictl inspecti refuses an image never pulled" 'no such image' node $CP1 "crictl --runtime-endpoint $SOCK inspecti registry.k8s.io/pause:3.9"

phase "kubeadm init on cp1 against the external TLS etcd"
node $CP1 "sysctl -qw net.ipv4.ip_forward=1"
check_refused "init refuses etcd 3.5.16 without --ignore-preflight-errors=ExternalEtcdVersion" \
  'ERROR ExternalEtcdVersion.*>= 3.5.24. Current version: 3.5.16' node $CP1 "kubeadm init --config /etc/kubernetes/kubeadm-config.yaml --upload-certs"
node $CP1 "cd /tmp && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout rogue.key -out rogue.crt -subj /CN=rogue -days 1 2>/dev/null
  sed 's|certFile: .*|certFile: /tmp/rogue.crt|; s|keyFile: .*|keyFile: /tmp/rogue.key|' /etc/kubernetes/kubeadm-config.yaml >/tmp/rogue.yaml"
check_refused "init refuses when etcd rejects the client certificate, naming the endpoint" \
  'ExternalEtcdHealth.*https://192.168.234.1[123]:2379' node $CP1 "kubeadm init --config /tmp/rogue.yaml --upload-certs --ignore-preflight-errors=ExternalEtcdVersion"
check "init --upload-certs --ignore-preflight-errors=ExternalEtcdVersion" \
  node $CP1 "kubeadm init --config /etc/kubernetes/kubeadm-config.yaml --upload-certs --ignore-preflight-errors=ExternalEtcdVersion | grep 'Your Kubernetes control-plane has initialized successfully!'"
check_refused "a second init is refused by preflight" 'Port-6443|already exists|is not empty' node $CP1 "kubeadm init --config /etc/kubernetes/kubeadm-config.yaml --upload-certs --ignore-preflight-errors=ExternalEtcdVersion"
check "the apiserver certificate names the VIP, the service IP and kubernetes.default.svc.cluster.local" \
  node $CP1 "openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -ext subjectAltName | grep -q 'IP Address:192.168.233.100' && openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -ext subjectAltName | grep -q 'IP Address:10.96.0.1' && openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -ext subjectAltName | grep -q 'kubernetes.default.svc.cluster.local'"
vip_healthz() { [[ $(on_jump curl -sk --max-time 3 https://$VIP:16443/healthz) == ok ]]; }
check "/healthz through the VIP $VIP:16443 answers ok (haproxy checks pass)" retry 60 vip_healthz
check_equal "curl with the cluster CA through the VIP (TLS verified)" "200" \
  "$(node $CP1 "curl -s -o /dev/null -w '%{http_code}' --cacert /etc/kubernetes/pki/ca.crt https://$VIP:16443/healthz")"
check_equal "kubectl get --raw=/healthz" "ok" "$(node $CP1 kubectl --kubeconfig /etc/kubernetes/admin.conf get --raw=/healthz)"
check_equal "kubectl get nodes (no CNI yet)" "cp1 NotReady control-plane" "$(node $CP1 "kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes --no-headers" | awk '{print $1, $2, $3}' | xargs)"
check_refused "kubectl refuses a server whose certificate does not match the kubeconfig's CA" 'certificate' node $CP1 \
  "sed \"s|certificate-authority-data: .*|certificate-authority-data: \$(base64 -w0 /tmp/rogue.crt)|\" /etc/kubernetes/admin.conf >/tmp/rogue.conf && kubectl --kubeconfig /tmp/rogue.conf get nodes"
check_equal "KUBECONFIG is honoured" "ok" "$(node $CP1 KUBECONFIG=/etc/kubernetes/admin.conf kubectl get --raw=/healthz)"

phase "joins: discovery, token and certificate key are checked"
HASH=sha256:$(node $CP1 "openssl x509 -in /etc/kubernetes/pki/ca.crt -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1")
cp "$R/cp2/etc/kubernetes/kubeadm-join.yaml" "$WORK/join-cp2.yaml"
cp "$R/worker1/etc/kubernetes/kubeadm-join.yaml" "$WORK/join-worker1.yaml"
check "init kept the installer's CA: the rendered joins pin cp1's ca.crt ($HASH)" grep -q -- "- $HASH" "$WORK/join-cp2.yaml"
put $CP2 /tmp/j-badhash.yaml < <(sed "s|$HASH|sha256:$(printf 'ab%.0s' {1..32})|" "$WORK/join-cp2.yaml")
put $CP2 /tmp/j-badtoken.yaml < <(sed -E "s|token: ([a-z0-9]{6})\..*|token: \1.0000000000000000|" "$WORK/join-cp2.yaml")
put $CP2 /tmp/j-unknowntoken.yaml < <(sed -E "s|token: [a-z0-9]{6}\.|token: zzzzzz.|" "$WORK/join-cp2.yaml")
put $CP2 /tmp/j-badkey.yaml < <(sed "s|certificateKey: .*|certificateKey: $(printf 'cd%.0s' {1..32})|" "$WORK/join-cp2.yaml")
put $CP2 /etc/kubernetes/kubeadm-join.yaml <"$WORK/join-cp2.yaml"
put $WORKER1 /etc/kubernetes/kubeadm-join.yaml <"$WORK/join-worker1.yaml"
for a in $CP2 $WORKER1; do node $a "sysctl -qw net.ipv4.ip_forward=1"; done
check_refused "cp2: a control-plane join is refused while kubeadm's images are missing" 'ERROR ImagePull.*registry.k8s.io/kube-apiserver:v1.36.3' node $CP2 "kubeadm join --config /etc/kubernetes/kubeadm-join.yaml"
check "cp2: kubeadm's images pulled" node $CP2 "kubeadm config images pull --kubernetes-version v1.36.3 --image-repository registry.k8s.io >/dev/null"
check_refused "cp2: a wrong caCertHash is refused" 'none of the public keys .* are pinned' node $CP2 "kubeadm join --config /tmp/j-badhash.yaml"
check_refused "cp2: a wrong token secret is refused" 'failed to verify JWS signature' node $CP2 "kubeadm join --config /tmp/j-badtoken.yaml"
check_refused "cp2: an unknown token is refused" 'token id "zzzzzz" is invalid' node $CP2 "kubeadm join --config /tmp/j-unknowntoken.yaml"
check_refused "cp2: a wrong certificate key is refused" 'message authentication failed' node $CP2 "kubeadm join --config /tmp/j-badkey.yaml"
check_equal "cp2: refused joins left no kubelet.conf" "absent" "$(node $CP2 'test -e /etc/kubernetes/kubelet.conf && echo present || echo absent')"
check "cp2: control-plane join through the VIP" node $CP2 "kubeadm join --config /etc/kubernetes/kubeadm-join.yaml"
check "cp2: serves /healthz on :6443 with its own apiserver certificate" node $CP2 "curl -sf --cacert /etc/kubernetes/pki/ca.crt https://192.168.233.12:6443/healthz"
check "worker1: worker join through the VIP" node $WORKER1 "kubeadm join --config /etc/kubernetes/kubeadm-join.yaml"
check_refused "worker1: a second join is refused by preflight" 'kubelet.conf already exists' node $WORKER1 "kubeadm join --config /etc/kubernetes/kubeadm-join.yaml"
check "token create --config renews the token" node $CP1 "kubeadm token create --config /etc/kubernetes/kubeadm-config.yaml"
check "init phase upload-certs --upload-certs --config" node $CP1 "kubeadm init phase upload-certs --upload-certs --config /etc/kubernetes/kubeadm-config.yaml"

phase "flannel, nodes Ready, pods"
kc() { node $CP1 "kubectl --kubeconfig /etc/kubernetes/admin.conf $*"; }
put $CP1 /tmp/kube-flannel.yml <"$LAB_DIR/fixtures/kube-flannel.yml"
check "kubectl apply -f kube-flannel.yml" kc apply -f /tmp/kube-flannel.yml
all_ready() { [[ $(kc get nodes --no-headers | awk '{print $1 "=" $2}' | xargs) == "cp1=Ready cp2=Ready worker1=Ready" ]]; }
check "every node becomes Ready" retry 40 all_ready
check_equal "kube-flannel-ds pods Running, one per node" "3" "$(kc get pods -n kube-flannel --no-headers | grep -c 'kube-flannel-ds-.*Running')"
check "kube-flannel-ds DaemonSet exists" kc -n kube-flannel get daemonset kube-flannel-ds
check_equal "coredns Running twice" "2" "$(kc get pods -n kube-system --no-headers | grep -c '^coredns-.*Running')"
check "worker1: flannel leftovers (conflist, subnet.env, cni0, flannel.1) and the nftables kube-proxy table" \
  node $WORKER1 "test -f /etc/cni/net.d/10-flannel.conflist && test -f /run/flannel/subnet.env && ip link show cni0 && ip link show flannel.1 && nft list table ip kube-proxy"

phase "kube-prometheus archive"
on_jump scp -q -i "$KUBEHA_LAB_KEY" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "$KUBEHA_LAB_KUBE_PROMETHEUS_ARCHIVE" root@$CP1:/tmp/
node $CP1 "tar -C /tmp -xzf /tmp/kube-prometheus-0.18.0.tar.gz"
KP=/tmp/kube-prometheus-0.18.0/manifests
check_refused "a Prometheus before its CRD is refused" 'no matches for kind "Prometheus" in version "monitoring.coreos.com/v1"' kc apply -f $KP/prometheus-prometheus.yaml
check_refused "client-side apply of the big CRD fails on the annotation limit" 'metadata.annotations: Too long' kc apply -f $KP/setup
check "server-side apply of manifests/setup" kc apply --server-side -f $KP/setup
check "wait --for condition=Established --all CustomResourceDefinition" kc wait --for condition=Established --all CustomResourceDefinition --namespace=monitoring --timeout=300s
check "kubectl get crd prometheuses.monitoring.coreos.com" kc get crd prometheuses.monitoring.coreos.com
check "apply manifests" kc apply -f $KP

phase "certificates: check-expiration, renew, static pod restarts"
expiration() { node "$1" "kubeadm certs check-expiration -o json ${3:-}" | python3 -c "import json,sys; d=json.load(sys.stdin); $2"; }
summary='print(*["%s:%s:%s:%s:%d" % (c["name"], c.get("caName"), c["missing"], c["externallyManaged"], c["residualTime"] // 86400) for c in d["certificates"]])'
check_equal "cp1: check-expiration -o json prints a CertificateExpirationInfo (output.kubeadm.k8s.io/v1alpha3)" \
  "CertificateExpirationInfo output.kubeadm.k8s.io/v1alpha3" "$(expiration $CP1 'print(d["kind"], d["apiVersion"])')"
check_equal "cp1: external etcd: no etcd certificate, no apiserver-etcd-client, no etcd-ca; each from its CA, 364 days left" \
  "admin.conf:ca:False:False:364 apiserver:ca:False:False:364 apiserver-kubelet-client:ca:False:False:364 controller-manager.conf:ca:False:False:364 front-proxy-client:front-proxy-ca:False:False:364 scheduler.conf:ca:False:False:364 super-admin.conf:ca:False:False:364" \
  "$(expiration $CP1 "$summary")"
check_equal "cp1: the CAs are ca and front-proxy-ca, ~10 years" "ca:9 front-proxy-ca:9" \
  "$(expiration $CP1 'print(*["%s:%d" % (c["name"], c["residualTime"] // (365 * 86400)) for c in d["certificateAuthorities"]])')"
check_equal "cp1: --config gives the same list" "$(expiration $CP1 "$summary")" "$(expiration $CP1 "$summary" '--config /etc/kubernetes/kubeadm-config.yaml')"
check_equal "cp2: super-admin.conf is missing (it exists only where init ran)" "super-admin.conf:ca:True:False:0" \
  "$(expiration $CP2 "$summary" | tr ' ' '\n' | grep super-admin)"
check "cp1: the text output reads the kubeadm-config ConfigMap and has both tables" node $CP1 \
  "kubeadm certs check-expiration >/tmp/expiration.out && grep -q 'Reading configuration from the \"kubeadm-config\" ConfigMap' /tmp/expiration.out && grep -Eq '^CERTIFICATE AUTHORITY +EXPIRES +RESIDUAL TIME +EXTERNALLY MANAGED' /tmp/expiration.out"
check_equal "worker1: without admin.conf the defaults (local etcd) list the etcd certificates, all missing" "apiserver-etcd-client:etcd-ca:True:False:0" \
  "$(expiration $WORKER1 "$summary" | tr ' ' '\n' | grep apiserver-etcd-client)"
serial() { node "$1" "openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -serial"; }
served() { node "$1" "openssl s_client -connect $1:6443 </dev/null 2>/dev/null | openssl x509 -noout -serial"; }
apiserver_down() { ! node "$1" "curl -sk --max-time 2 https://$1:6443/livez >/dev/null"; }
apiserver_ok() { [[ $(node "$1" "curl -s --max-time 2 --cacert /etc/kubernetes/pki/ca.crt https://$1:6443/healthz") == ok ]]; }
# restart_apiserver ADDRESS: kubeadm's documented static pod restart: the manifest out of the directory and back
restart_apiserver() {
  node "$1" "mv /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/kube-apiserver.yaml.moved" &&
    retry 20 apiserver_down "$1" && node "$1" "mv /etc/kubernetes/kube-apiserver.yaml.moved /etc/kubernetes/manifests/kube-apiserver.yaml"
}
OLD=$(serial $CP1)
check_equal "cp1: the apiserver serves apiserver.crt ($OLD)" "$OLD" "$(served $CP1)"
check_refused "renewing apiserver-etcd-client is refused with external etcd (kubernetes#86864)" \
  'apiserver-etcd-client is not a valid certificate for this cluster' node $CP1 "kubeadm certs renew apiserver-etcd-client"
check_refused "renewing an unknown certificate is refused" 'unknown command "nonsense"' node $CP1 "kubeadm certs renew nonsense"
CP2_OLD=$(serial $CP2)
check "cp2: with the CA key absent (external CA) renew does not renew: 'Detected external ca'" node $CP2 \
  "mv /etc/kubernetes/pki/ca.key /tmp/ca.key.away && kubeadm certs renew apiserver >/tmp/renew.out; grep -q \"Detected external ca, certificate for serving the Kubernetes API can't be renewed\" /tmp/renew.out; rc=\$?; mv /tmp/ca.key.away /etc/kubernetes/pki/ca.key; exit \$rc"
check_equal "cp2: ... and apiserver.crt is unchanged" "$CP2_OLD" "$(serial $CP2)"
PUB=$(node $CP1 "openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -pubkey | sha256sum")
ADMIN_OLD=$(node $CP1 "grep client-certificate-data /etc/kubernetes/admin.conf")
check "cp1: kubeadm certs renew all" node $CP1 "kubeadm certs renew all >/tmp/renew.out && grep -q 'Done renewing certificates' /tmp/renew.out"
NEW=$(serial $CP1)
[[ $NEW != "$OLD" ]] && pass "cp1: apiserver.crt was re-signed ($NEW)" || fail "cp1: apiserver.crt was re-signed" "serial unchanged"
check_equal "cp1: ... with its existing key" "$PUB" "$(node $CP1 "openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -pubkey | sha256sum")"
check "cp1: ... by the cluster CA, SANs kept" node $CP1 "openssl verify -CAfile /etc/kubernetes/pki/ca.crt /etc/kubernetes/pki/apiserver.crt && openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -ext subjectAltName | grep -q 192.168.233.100"
[[ $(node $CP1 "grep client-certificate-data /etc/kubernetes/admin.conf") != "$ADMIN_OLD" ]] && pass "cp1: admin.conf's embedded certificate was renewed" || fail "cp1: admin.conf's embedded certificate was renewed" "unchanged"
check_equal "cp1: the renewed admin.conf works" "ok" "$(node $CP1 kubectl --kubeconfig /etc/kubernetes/admin.conf get --raw=/healthz)"
check_equal "cp1: the running apiserver still serves the certificate it loaded at start" "$OLD" "$(served $CP1)"
check "cp1: restart by moving the manifest out of /etc/kubernetes/manifests and back" restart_apiserver $CP1
check "cp1: the apiserver is healthy again" retry 30 apiserver_ok $CP1
check_equal "cp1: ... and serves the renewed certificate" "$NEW" "$(served $CP1)"
CID=$(node $CP1 "crictl --runtime-endpoint $SOCK ps --name kube-apiserver -q")
check "cp1: crictl ps lists the kube-apiserver container ($CID)" test -n "$CID"
check "cp1: crictl stop of the kube-apiserver container" node $CP1 "crictl --runtime-endpoint $SOCK stop $CID"
restarted() { local c; c=$(node $CP1 "crictl --runtime-endpoint $SOCK ps --name kube-apiserver -q"); [[ -n $c && $c != "$CID" ]] && apiserver_ok $CP1; }
check "cp1: the kubelet starts a new kube-apiserver container, healthy" retry 30 restarted
ETCD_CERT=$(node $CP2 "grep -o -- '--etcd-certfile=[^ ]*' /etc/kubernetes/manifests/kube-apiserver.yaml | cut -d= -f2")
ETCD_KEY=$(node $CP2 "grep -o -- '--etcd-keyfile=[^ ]*' /etc/kubernetes/manifests/kube-apiserver.yaml | cut -d= -f2")
check "cp2: an etcd client certificate from a wrong CA (same key) replaces $ETCD_CERT" node $CP2 "set -e; cd /tmp
  cp $ETCD_CERT etcd-client.good
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout wrong-ca.key -out wrong-ca.crt -subj /CN=wrong-etcd-ca -days 1 2>/dev/null
  openssl req -new -key $ETCD_KEY -subj /CN=kube-apiserver-etcd-client | openssl x509 -req -CA wrong-ca.crt -CAkey wrong-ca.key -set_serial 7 -days 1 -out $ETCD_CERT 2>/dev/null"
check "cp2: the running apiserver keeps its loaded etcd client certificate: /healthz ok" apiserver_ok $CP2
check "cp2: restart (manifest out and back)" restart_apiserver $CP2
etcd_refused() { node $CP2 "curl -s --max-time 3 --cacert /etc/kubernetes/pki/ca.crt https://$CP2:6443/livez" | grep -qx ok && ! apiserver_ok $CP2; }
check "cp2: with the wrong CA's certificate it cannot reach etcd: /livez ok, /healthz fails" retry 30 etcd_refused
check "cp2: the good certificate back, restart" node $CP2 "cp /tmp/etcd-client.good $ETCD_CERT"
check "cp2: restart (manifest out and back)" restart_apiserver $CP2
check "cp2: /healthz ok again" retry 30 apiserver_ok $CP2
check "lab.sh audit: every apiserver stop and start recorded, never two down at once" "$LAB" audit
check_equal "lab.sh audit counts the restarts (cp1: 3 starts, cp2: 3 starts)" "cp1: 3 start(s) cp2: 3 start(s)" \
  "$("$LAB" audit | grep -o '^kube-apiserver on cp[12]: [0-9]* start(s)' | cut -d' ' -f3- | xargs)"
# graceful_stop: on cp1 with --shutdown-delay-duration=2s, a request in flight when the kubelet stops the
# kube-apiserver (the manifest moved out: SIGTERM); prints what a client saw, then puts the manifest back
graceful_stop() {
  node $CP1 "python3 - $CP1" <<'EOF'
import json, os, shutil, socket, ssl, subprocess, sys, time, yaml
addr, manifest, aside = sys.argv[1], "/etc/kubernetes/manifests/kube-apiserver.yaml", "/root/kube-apiserver.yaml"
def code(path):
    return subprocess.run(["curl", "-s", "--max-time", "2", "--cacert", "/etc/kubernetes/pki/ca.crt", "-o", "/dev/null",
                           "-w", "%{http_code}", "https://%s:6443%s" % (addr, path)], capture_output=True, text=True).stdout
def until(what, seconds):
    end = time.time() + seconds
    while time.time() < end:
        if what():
            return True
        time.sleep(0.05)
    return False
shutil.copy(manifest, aside)
pod = yaml.safe_load(open(aside))
pod["spec"]["containers"][0]["command"].insert(1, "--shutdown-delay-duration=2s")
with open(manifest + ".new", "w") as f:
    f.write(yaml.safe_dump(pod, sort_keys=False))
os.rename(manifest + ".new", manifest)
until(lambda: "shutdown-delay-duration=2s" in open("/run/kubeha-lab/kube-apiserver.yaml").read() and code("/healthz") == "200", 30)
conn = ssl.create_default_context(cafile="/etc/kubernetes/pki/ca.crt").wrap_socket(
    socket.create_connection((addr, 6443)), server_hostname=addr)
conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: %s\r\n" % addr.encode())
os.rename(manifest, manifest + ".moved")
until(lambda: code("/readyz") == "500", 5)
terminating = time.time()
seen = ["readyz=" + code("/readyz"), "healthz=" + code("/healthz")]
until(lambda: code("/livez") == "000", 10)
seen.append("refused-after-delay=%s" % (time.time() - terminating > 1.5))
unit = subprocess.run(["systemctl", "is-active", "kubeha-lab-kube-apiserver"], capture_output=True, text=True).stdout
seen.append("unit-while-in-flight=" + unit.strip())
conn.sendall(b"\r\n")
answer = b""
while b"\r\n\r\nok" not in answer:
    chunk = conn.recv(4096)
    if not chunk:
        break
    answer += chunk
seen.append("in-flight-answer=" + answer.split(b"\r\n")[0].decode())
until(lambda: subprocess.run(["systemctl", "is-active", "--quiet", "kubeha-lab-kube-apiserver"]).returncode != 0, 10)
events = [json.loads(l) for l in open("/var/lib/kubeha-lab/apiserver-events.jsonl") if l.strip()][-3:]
seen.append("events=" + ",".join(e["event"] for e in events) + " drained=%s" % events[-1].get("drained"))
shutil.copy(aside, manifest + ".new")
os.rename(manifest + ".new", manifest)
os.remove(manifest + ".moved")
print(" ".join(seen))
EOF
}
check_equal "cp1: SIGTERM with --shutdown-delay-duration=2s: /readyz fails at once, /healthz answers, new connections are refused after the delay, the request in flight is answered, then it exits" \
  "readyz=500 healthz=200 refused-after-delay=True unit-while-in-flight=deactivating in-flight-answer=HTTP/1.1 200 OK events=shutdown-initiated,stop,exit drained=True" \
  "$(graceful_stop)"
check "cp1: the apiserver is healthy again" retry 30 apiserver_ok $CP1

phase "upgrade 1.36.3 -> 1.37.1, drain, version skew"
use_minor() { node "$1" "sed -i 's|/v1\.3[0-9]/deb/|/v$2/deb/|' /etc/apt/sources.list.d/kubernetes.list && apt-get -q update -o Dir::Etc::sourcelist=sources.list.d/kubernetes.list -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0"; }
upgrade_packages() {
  local a=$1; shift
  node "$a" "apt-mark unhold $* >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends --allow-change-held-packages $(printf '%s=1.37.1-1.1 ' "$@") && apt-mark hold $*"
}
check_refused "cp1: kubeadm 1.36.3 refuses upgrade apply v1.37.1: Upgrade kubeadm first" 'is higher than the kubeadm version "v1.36.3". Upgrade kubeadm first' \
  node $CP1 "kubeadm upgrade apply v1.37.1 -y"
for a in $CP1 $CP2 $WORKER1; do check "$a: the repository line switched to v1.37" use_minor $a 1.37; done
check_equal "cp1: the v1.37 repository offers 1.37.0 and 1.37.1" "1.37.0-1.1 1.37.1-1.1" "$(node $CP1 "apt-cache madison kubeadm | awk '{print \$3}' | sort" | xargs)"
for a in $CP1 $CP2 $WORKER1; do check "$a: kubeadm 1.37.1 alone (kubelet stays 1.36.3)" upgrade_packages $a kubeadm; done
check "cp1: upgrade plan proposes kubeadm upgrade apply v1.37.1" node $CP1 "kubeadm upgrade plan >/tmp/plan.out && grep -q 'Cluster version: v1.36.3' /tmp/plan.out && grep -q 'kubeadm upgrade apply v1.37.1' /tmp/plan.out"
check_refused "cp1: a skipped minor is refused" 'kubeadm can upgrade only 1 minor version at a time' node $CP1 "kubeadm upgrade apply v1.38.0 -y"
check_refused "cp1: a downgrade is refused" 'lower than the cluster version' node $CP1 "kubeadm upgrade apply v1.36.2 -y"
check_refused "cp1: --force does not exist here" 'unknown flag: --force' node $CP1 "kubeadm upgrade apply v1.37.1 -y --force"
check_refused "cp1: without -y and no answer it does not proceed" "won't proceed" node $CP1 "kubeadm upgrade apply v1.37.1 </dev/null"
check_refused "cp2: upgrade node before upgrade apply is refused" 'run "kubeadm upgrade apply v1.37.1" on a control plane node first' node $CP2 "kubeadm upgrade node"
skew() { node "$1" "cd /tmp && apt-get -q download kubelet=1.37.1-1.1 >/dev/null && rm -rf k137 && dpkg-deb -x kubelet_1.37.1-1.1_amd64.deb k137 && timeout 40 k137/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml --kubeconfig=/etc/kubernetes/kubelet.conf"; }
check_refused "worker1: kubelet 1.37.1 refuses to start against a 1.36 cluster (version skew)" "newer than the cluster's kube-apiserver v1.36.3" skew $WORKER1
check_refused "cp2: kubelet 1.37.1 refuses to start beside a 1.36 kube-apiserver static pod" "newer than the kube-apiserver v1.36.3 of its static pod" skew $CP2
check "cp1: kubeadm upgrade apply v1.37.1 -y" node $CP1 "kubeadm upgrade apply v1.37.1 -y >/tmp/apply.out && grep -q 'SUCCESS! A control plane node of your cluster was upgraded to \"v1.37.1\"' /tmp/apply.out"
version_of() { node "$1" "curl -s --cacert /etc/kubernetes/pki/ca.crt https://$1:6443/version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["gitVersion"])'; }
check_equal "cp1: its apiserver is v1.37.1" "v1.37.1" "$(version_of $CP1)"
check_equal "cp2: its apiserver is still v1.36.3" "v1.36.3" "$(version_of $CP2)"
[[ $(serial $CP1) != "$NEW" ]] && pass "cp1: upgrade apply renewed the certificates" || fail "cp1: upgrade apply renewed the certificates" "serial unchanged"
check_equal "cp1: the running apiserver serves the renewed certificate" "$(serial $CP1)" "$(served $CP1)"
check "cp1: upgrade plan: up to date" node $CP1 "kubeadm upgrade plan >/tmp/plan.out && grep -q \"you're up-to-date\" /tmp/plan.out"
CP2_SERIAL=$(serial $CP2)
check "cp2: kubeadm upgrade node --certificate-renewal=false" node $CP2 "kubeadm upgrade node --certificate-renewal=false"
check_equal "cp2: its apiserver is v1.37.1" "v1.37.1" "$(version_of $CP2)"
check_equal "cp2: --certificate-renewal=false kept apiserver.crt" "$CP2_SERIAL" "$(serial $CP2)"
# upgrade_kubelet NAME ADDRESS: kubeadm's documented order for one node
upgrade_kubelet() { kc drain "$1" --ignore-daemonsets --timeout=120s && upgrade_packages "$2" kubelet kubectl && node "$2" "systemctl restart kubelet" && kc uncordon "$1"; }
check "cp1: drain, kubelet and kubectl 1.37.1, restart, uncordon" upgrade_kubelet cp1 $CP1
check "cp2: drain, kubelet and kubectl 1.37.1, restart, uncordon" upgrade_kubelet cp2 $CP2
check_refused "worker1: drain without --ignore-daemonsets is refused, naming the DaemonSet pods" 'cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): .*kube-flannel/kube-flannel-ds-' kc drain worker1
check_equal "worker1: ... and stays cordoned" "Ready,SchedulingDisabled" "$(kc get nodes --no-headers | awk '$1 == "worker1" {print $2}')"
check "worker1: uncordon" kc uncordon worker1
workload_on_worker1() { kc get pods -A --no-headers -o wide | grep -Eq "^default +lab-workload-.* worker1 "; }
check "worker1: the lab's workload pod runs on it" workload_on_worker1
# pdb MIN_OR_MAX VALUE [NAME]: a PodDisruptionBudget over the lab's workload pods, applied through kubectl
pdb() { node $CP1 "kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f -" <<<"{apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: ${3:-workload}, namespace: default}, spec: {$1: $2, selector: {matchLabels: {app: lab-workload}}}}"; }
check "a PodDisruptionBudget minAvailable 1 over the workload pods" pdb minAvailable 1
check_equal "kubectl get pdb -A: it allows no disruption (one workload pod, on worker1)" "default workload 1 N/A 0" \
  "$(kc get pdb -A --no-headers | awk '{print $1, $2, $3, $4, $5}')"
drain_lines() { kc drain worker1 --ignore-daemonsets --delete-emptydir-data --timeout=7s 2>&1 | tr '\n' ' '; return "${PIPESTATUS[0]}"; }
drain_started=$SECONDS
DRAIN_OUT=$(drain_lines); DRAIN_RC=$?
check_equal "worker1: drain --timeout=7s blocked by the budget fails (exit 1)" "1" "$DRAIN_RC"
check "... after retrying every 5 s until the timeout (10 s)" test $((SECONDS - drain_started)) -ge 9
check "... each refusal printed as kubectl does" grep -Eq \
  'error when evicting pods/"lab-workload-[a-z0-9]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod.s disruption budget\.' <<<"$DRAIN_OUT"
check "... and the end: the pending pod, the node pending, the timeout named" grep -Eq \
  'There are pending pods in node "worker1" when an error occurred: .* pod/lab-workload-[a-z0-9]+ .*There are pending nodes to be drained:  worker1 error: error when evicting pods/"lab-workload-[a-z0-9]+" -n "default": global timeout reached: 7s' <<<"$DRAIN_OUT"
check "worker1: the workload pod was not evicted" workload_on_worker1
check_equal "worker1: cordoned, not drained" "Ready,SchedulingDisabled" "$(kc get nodes --no-headers | awk '$1 == "worker1" {print $2}')"
check "a second budget over the same pods" pdb maxUnavailable 1 second
check_refused "worker1: drain: two budgets for one pod are refused at once, not retried" \
  'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support' \
  kc drain worker1 --ignore-daemonsets --timeout=60s
check "the second budget now selects nothing" node $CP1 "kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f -" \
  <<<"{apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: second, namespace: default}, spec: {maxUnavailable: 1, selector: {matchLabels: {app: none}}}}"
check "the first budget allows one disruption (maxUnavailable 1)" pdb maxUnavailable 1
check_equal "kubectl get pdb -n default: ALLOWED DISRUPTIONS 1" "1" "$(kc get pdb workload -n default --no-headers | awk '{print $4}')"
check_refused "drain --skip-wait-for-delete-timeout takes whole seconds" 'invalid argument "x" for "--skip-wait-for-delete-timeout"' \
  kc drain worker1 --ignore-daemonsets --skip-wait-for-delete-timeout=x
check "worker1: uncordon" kc uncordon worker1
check "worker1: the workload pod is back" workload_on_worker1
check_equal "lab.sh audit: no violation yet" "audit: ok" "$("$LAB" audit | tail -n1)"
node $WORKER1 "systemctl restart kubelet"
recorded() { { "$LAB" audit || true; } | grep -q 'VIOLATION worker1 .*kubelet restarted on node worker1 while it was not drained'; }
check "worker1: a kubelet restart without a drain is recorded as a violation" retry 20 recorded
check_refused "lab.sh audit fails on it" 'audit: 1 violation' "$LAB" audit
check "worker1: drain --ignore-daemonsets --delete-emptydir-data evicts the workload pod" kc drain worker1 --ignore-daemonsets --delete-emptydir-data --timeout=120s
check_equal "worker1: SchedulingDisabled" "Ready,SchedulingDisabled" "$(kc get nodes --no-headers | awk '$1 == "worker1" {print $2}')"
check "worker1: kubeadm upgrade node (not a control plane)" node $WORKER1 "kubeadm upgrade node >/tmp/upgrade.out && grep -q 'Skipping phase. Not a control plane node' /tmp/upgrade.out"
check "worker1: kubelet and kubectl 1.37.1, restart" upgrade_packages $WORKER1 kubelet kubectl
check "worker1: kubelet restarted after the drain" node $WORKER1 "systemctl restart kubelet"
check "worker1: uncordon" kc uncordon worker1
upgraded() { [[ $(kc get nodes --no-headers | awk '{print $1 "=" $2 "=" $5}' | xargs) == "cp1=Ready=v1.37.1 cp2=Ready=v1.37.1 worker1=Ready=v1.37.1" ]]; }
check "every node Ready at v1.37.1" retry 40 upgraded
check_equal "lab.sh audit: still exactly the one violation, no two apiservers down at once" "1 0" \
  "$("$LAB" audit | grep -c '^VIOLATION worker1') $("$LAB" audit | grep -c 'down at the same time')"

phase "two kube-apiservers down at once is caught"
node $CP1 "mv /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/kube-apiserver.yaml.moved"
node $CP2 "mv /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/kube-apiserver.yaml.moved"
both_down() { apiserver_down $CP1 && apiserver_down $CP2; }
check "both apiservers stop" retry 20 both_down
for a in $CP1 $CP2; do node $a "mv /etc/kubernetes/kube-apiserver.yaml.moved /etc/kubernetes/manifests/kube-apiserver.yaml"; done
both_ok() { apiserver_ok $CP1 && apiserver_ok $CP2; }
check "both apiservers are back" retry 30 both_ok
check_refused "lab.sh audit names the overlap" 'kube-apiservers on cp1 and cp2 were down at the same time' "$LAB" audit

phase "calls.jsonl, reset"
calls() { node "$1" "cat /var/lib/kubeha-lab/calls.jsonl" | python3 -c "$2"; }
check_equal "init succeeded exactly once on cp1" "1" "$(calls $CP1 'import json,sys; print(sum(1 for l in sys.stdin if (c := json.loads(l))["tool"] == "kubeadm" and c["argv"][:1] == ["init"] and "phase" not in c["argv"] and c["exit"] == 0))')"
check_equal "every successful join used $VIP:16443" "$VIP:16443 $VIP:16443" "$(for a in $CP2 $WORKER1; do calls $a 'import json,sys; print(*[c["detail"]["endpoint"] for l in sys.stdin if (c := json.loads(l))["argv"][:1] == ["join"] and c["exit"] == 0])'; done | xargs)"
check_equal "cp2's successful join downloaded the certs" "True" "$(calls $CP2 'import json,sys; print(*[c["detail"].get("certsDownloaded") for l in sys.stdin if (c := json.loads(l))["exit"] == 0 and c["argv"][:1] == ["join"]])')"
check "worker1: kubeadm reset -f" node $WORKER1 "kubeadm reset -f --cri-socket $SOCK"
check "worker1: reset removed kubelet.conf and /var/lib/kubelet's contents but left CNI config, links and nftables" \
  node $WORKER1 "! test -e /etc/kubernetes/kubelet.conf && test -z \"\$(ls -A /var/lib/kubelet)\" && test -f /etc/cni/net.d/10-flannel.conflist && ip link show cni0 >/dev/null && nft list table ip kube-proxy >/dev/null"
stale() { [[ $(kc get nodes --no-headers | awk '$1 == "worker1" {print $2}') == NotReady ]]; }
check "worker1 turns NotReady once its heartbeat is stale (40 s)" retry 60 stale
check "kubectl delete node worker1" kc delete node worker1
check_equal "worker1 is gone from kubectl get nodes" "cp1 cp2" "$(kc get nodes --no-headers | awk '{print $1}' | xargs)"
check_refused "deleting it again: NotFound" 'Error from server \(NotFound\): nodes "worker1" not found' kc delete node worker1

phase "the kubelet registers its node and reports its status as kubelet does"
# pkg/kubelet/kubelet_node_status.go registerWithAPIServer: the kubelet creates its Node itself, trying again after
# 100 ms, 200 ms, 400 ms ... up to 7 s until the API server accepts it; here cp2's kubelet starts while the
# kube-apiserver it talks to (its own static pod) is held back, which it then starts once the manifest is back
check "kubectl delete node cp2" kc delete node cp2
check "cp2: kubelet and its kube-apiserver stopped, the manifest set aside, the kubelet started again" \
  node $CP2 "systemctl stop kubelet && mv /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/kube-apiserver.yaml.held && systemctl stop kubeha-lab-kube-apiserver && systemctl start kubelet"
cp2_refused() { node $CP2 'journalctl _PID=$(systemctl show -p MainPID --value kubelet) --no-pager -o cat' | grep -q 'Unable to register node with API server'; }
check "cp2: its registration is refused while its kube-apiserver is down" retry 20 cp2_refused
check "cp2: the kube-apiserver's manifest back" \
  node $CP2 "mv /etc/kubernetes/kube-apiserver.yaml.held /etc/kubernetes/manifests/kube-apiserver.yaml"
cp2_registered() { [[ $(kc get nodes --no-headers | awk '$1 == "cp2" {print $1}') == cp2 ]]; }
check "cp2: the kubelet registers its deleted node again" retry 30 cp2_registered
check_equal "cp2: its first registration was refused (its kube-apiserver was not up yet) and tried again until accepted" \
  "Unable to register node with API server,Successfully registered node" \
  "$(node $CP2 'journalctl _PID=$(systemctl show -p MainPID --value kubelet) --no-pager -o cat' | grep -o 'Unable to register node with API server\|Successfully registered node' | uniq | paste -sd,)"
cp2_status() { kc get nodes --no-headers | awk '$1 == "cp2" {print $2}'; }
cp2_ready() { [[ $(cp2_status) == Ready ]]; }
check "cp2: Ready again" retry 20 cp2_ready
# pkg/kubelet/kubelet.go fastStatusUpdateOnce: after a start the kubelet looks every 100 ms and reports Ready as soon as
# the runtime's network is ready, not at its next status update (10 s); the kubelet before reported every 5 s
node $CP2 "echo '{\"cniVersion\": \"0.4.0\", \"name\": \"other\", \"type\": \"calico\"}' >/etc/cni/net.d/05-other.conf"
cp2_notready() { [[ $(cp2_status) == NotReady ]]; }
check "cp2: NotReady with another CNI's configuration (at its next status update, within 10 s)" retry 15 cp2_notready
check "cp2: kubelet restarted and healthy" node $CP2 "systemctl restart kubelet && for i in \$(seq 100); do curl -sf http://127.0.0.1:10248/healthz >/dev/null && exit 0; sleep 0.1; done; exit 1"
sleep 1.5
FIXED=$(date +%s%N)
node $CP2 "rm /etc/cni/net.d/05-other.conf"
ready_after_ms() { while (( ($(date +%s%N) - FIXED) / 1000000 < $1 )); do cp2_ready && { echo $(( ($(date +%s%N) - FIXED) / 1000000 )); return; }; sleep 0.2; done; echo never; }
READY_MS=$(ready_after_ms 8000)
echo "   (cp2 Ready $READY_MS ms after its CNI configuration was fixed)"
check "cp2: Ready within 2.5 s of its network being fixed, 1.5 s after a kubelet start" test "$READY_MS" != never -a "${READY_MS/never/0}" -lt 2500
check "cp2: ... reported by the fast status update" node $CP2 \
  'journalctl _PID=$(systemctl show -p MainPID --value kubelet) --no-pager -o cat | grep -q "Fast updating node status as it just became ready"'

echo
if (( FAILURES > 0 )); then echo "fixture self-test: $FAILURES of $CHECKS checks FAILED"; exit 1; fi
echo "fixture self-test: all $CHECKS checks passed"
