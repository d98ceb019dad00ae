package dev.kubeha.plan;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.render.EtcdFiles;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.render.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The renewal workflow's phases; each host's step checks what is already done, so a renewal resumes. */
final class RenewalPhases {
    static final String CLUSTER_CA = "/etc/kubernetes/pki/ca.crt";
    static final String APISERVER_CERT = "/etc/kubernetes/pki/apiserver.crt";
    static final String MANIFESTS = "/etc/kubernetes/manifests";
    static final String MANIFESTS_ASIDE = "/etc/kubernetes/kubeha-restarting";
    /** Touched after the static pods came back; reset removes /var/lib/kubeha. */
    static final String RESTARTED_MARKER = "/var/lib/kubeha/static-pods-restarted";
    /** Holds the renewal round in which kubeadm last renewed its certificates here, so a resumed round skips it. */
    static final String KUBEADM_RENEWED_MARKER = "/var/lib/kubeha/kubeadm-certs-renewed";
    /**
     * How long the static pods stay stopped behind a load balancer kubeha does not drain, as kubeadm's documentation
     * advises: longer than a health check takes to mark the apiserver down, so no request reaches it while it starts.
     */
    static final Duration STOPPED_FOR = Duration.ofSeconds(20);
    static final List<String> STATIC_PODS = List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler");
    static final List<String> KUBECONFIGS = List.of("admin", "super-admin", "controller-manager", "scheduler");

    private RenewalPhases() {
    }

    static Optional<Phase> checkCa(String name, CertificateRenewal renewal) {
        ClusterSpec spec = renewal.input().spec();
        List<Step> steps = new ArrayList<>();
        for (HostSpec host : spec.hosts()) {
            List<String> checks = new ArrayList<>();
            if (renewal.etcd() && !spec.stackedEtcd() && host.has(Role.ETCD)) {
                checks.add(sameCa(EtcdFiles.ca(spec), renewal.etcdCaFingerprint()));
            }
            if (!spec.stackedEtcd() && host.has(Role.CONTROL_PLANE) && (renewal.etcd() || renewal.kubernetes())) {
                checks.add(sameCa(EtcdFiles.CONTROL_PLANE_CA, renewal.etcdCaFingerprint()));
            }
            if (renewal.kubernetes() && host.has(Role.CONTROL_PLANE)) {
                checks.add(sameCa(CLUSTER_CA, renewal.clusterCaFingerprint()));
            }
            if (!checks.isEmpty()) {
                steps.add(Step.of("renew.check-ca", "Check that this host trusts the state directory's CAs",
                        host.name(), List.of()).verifiedBy(Verification.now(String.join(" && ", checks)))
                        .onEveryRun());
            }
        }
        return steps.isEmpty() ? Optional.empty()
                : Optional.of(Phase.parallel(name, "Check every host's CAs against the state directory", steps));
    }

    static Optional<Phase> etcd(String name, CertificateRenewal renewal) {
        PlanInput in = renewal.input();
        ClusterSpec spec = in.spec();
        if (!renewal.etcd() || spec.stackedEtcd()) {
            return Optional.empty();
        }
        List<Step> steps = new ArrayList<>();
        for (HostSpec member : spec.hostsWith(Role.ETCD)) {
            List<String> pairs = List.of(EtcdFiles.cert(spec, EtcdUnit.SERVER_BASE_NAME),
                    EtcdFiles.key(spec, EtcdUnit.SERVER_BASE_NAME), EtcdFiles.cert(spec, EtcdUnit.PEER_BASE_NAME),
                    EtcdFiles.key(spec, EtcdUnit.PEER_BASE_NAME));
            List<Operation> operations = new ArrayList<>();
            pairs.forEach(path -> operations.add(in.write(member, path)));
            operations.add(RunCommand.unless(runsNewCertificates(spec, member), "systemctl restart etcd"));
            steps.add(Step.of("renew.etcd", "Put the new server and peer certificates in place, restart etcd unless"
                    + " it already runs them, wait until the cluster is healthy", member.name(), operations)
                    .verifiedBy(Verification.within(Duration.ofSeconds(90),
                            StartEtcd.health(spec, EtcdUnit.clientUrl(member), true)))
                    .withTimeout(Duration.ofMinutes(3)));
        }
        return Optional.of(Phase.serial(name, "etcd: renew one member at a time", steps));
    }

    /** haproxy reconfigured (graceful reload) when the control planes' apiservers will restart. */
    static Optional<Phase> loadBalancer(String name, CertificateRenewal renewal) {
        boolean restarts = renewal.kubernetes() || (renewal.etcd() && !renewal.input().spec().stackedEtcd());
        return restarts ? InstallLoadBalancer.reconfigure(name, renewal.input()) : Optional.empty();
    }

    /**
     * One control plane after the other: drained on every haproxy, its certificates renewed (kubeadm's once per
     * renewal round), its static pods restarted, its apiserver healthy again, then back on every haproxy.
     */
    static List<Phase> kubernetes(String name, CertificateRenewal renewal) {
        PlanInput in = renewal.input();
        ClusterSpec spec = in.spec();
        List<HostSpec> controlPlanes = spec.hostsWith(Role.CONTROL_PLANE);
        boolean etcdClient = renewal.etcd() && !spec.stackedEtcd();
        if (controlPlanes.isEmpty() || !(etcdClient || renewal.kubernetes())) {
            return List.of();
        }
        Duration stoppedFor = spec.hostsWith(Role.LOAD_BALANCER).isEmpty() ? STOPPED_FOR : Duration.ZERO;
        List<Phase> phases = new ArrayList<>();
        for (int i = 0; i < controlPlanes.size(); i++) {
            HostSpec host = controlPlanes.get(i);
            List<Operation> operations = new ArrayList<>();
            if (etcdClient) {
                operations.add(in.write(host, EtcdFiles.APISERVER_CLIENT_CERT));
                operations.add(in.write(host, EtcdFiles.APISERVER_CLIENT_KEY));
            }
            if (renewal.kubernetes()) {
                String done = kubeadmRenewedIn(renewal.round()) + renewal.within().map(w -> " || "
                        + kubeadmCurrentFor(w)).orElse("");
                operations.add(RunCommand.unless(done, "kubeadm certs renew all && mkdir -p /var/lib/kubeha && echo "
                        + renewal.round() + " > " + KUBEADM_RENEWED_MARKER));
            }
            String served = serves(Topology.hostPort(host.address(), Topology.APISERVER_PORT), APISERVER_CERT);
            operations.add(RunCommand.unless(served + " && " + restartedAfter(List.of(APISERVER_CERT,
                    EtcdFiles.APISERVER_CLIENT_CERT)), restartStaticPods(host, stoppedFor)));
            Step restart = Step.of("renew.control-plane", "Renew the control plane's certificates and restart its"
                    + " static pods", host.name(), operations)
                    .verifiedBy(Verification.within(Kube.API_START, served + " && " + Kube.API_HEALTHY))
                    .withTimeout(Duration.ofMinutes(6))
                    .onEveryRun();
            phases.addAll(ApiserverRestart.around(name + "-" + (i + 1), spec, host, renewal.round(),
                    List.of(restart)));
        }
        return phases;
    }

    /** kubeadm renewed its certificates on this host in this renewal round. */
    static String kubeadmRenewedIn(String round) {
        return "grep -qxF " + round + " " + KUBEADM_RENEWED_MARKER + " 2>/dev/null";
    }

    /** The file's certificate has this SHA-256 fingerprint (openssl prints it in upper case, colon separated). */
    static String sameCa(String path, String fingerprint) {
        return "openssl x509 -noout -fingerprint -sha256 -in " + ShellQuote.quote(path)
                + " | grep -qix " + ShellQuote.quote("sha256 Fingerprint=" + fingerprint);
    }

    /** The unit has been active since after every one of these files last changed. */
    static String activeSinceAfter(String unit, List<String> files) {
        StringBuilder check = new StringBuilder("since=$(date -d \"$(systemctl show -p ActiveEnterTimestamp --value "
                + unit + ")\" +%s 2>/dev/null) && test -n \"$since\"");
        for (String file : files) {
            check.append(" && test \"$since\" -gt \"$(stat -c %Y ").append(ShellQuote.quote(file)).append(")\"");
        }
        return check.toString();
    }

    /** Every certificate kubeadm renews here (its .crt files and the kubeconfigs' client certificates) is current. */
    static String kubeadmCurrentFor(Duration within) {
        long seconds = within.toSeconds();
        return "for c in /etc/kubernetes/pki/*.crt /etc/kubernetes/pki/etcd/*.crt; do case ${c##*/} in"
                + " ca.crt|front-proxy-ca.crt) continue;; esac; test ! -e \"$c\""
                + " || openssl x509 -checkend " + seconds + " -noout -in \"$c\" >/dev/null || exit 1; done;"
                + " for k in " + String.join(" ", KUBECONFIGS) + "; do f=/etc/kubernetes/$k.conf; test -e $f"
                + " || continue; grep -m1 'client-certificate-data:' $f | awk '{print $2}' | base64 -d"
                + " | openssl x509 -checkend " + seconds + " -noout >/dev/null || exit 1; done";
    }

    /** What listens on {@code hostPort} (TLS) serves the certificate in {@code certFile} now, by serial. */
    static String serves(String hostPort, String certFile) {
        return "test \"$(timeout 5 openssl s_client -connect " + ShellQuote.quote(hostPort)
                + " </dev/null 2>/dev/null | openssl x509 -noout -serial 2>/dev/null)\""
                + " = \"$(openssl x509 -noout -serial -in " + ShellQuote.quote(certFile) + ")\"";
    }

    /**
     * The member already runs its new certificates: its client and peer ports serve the server and peer certificates
     * in its files (etcd reads them at every handshake), and etcd has been restarted since they were written.
     */
    static String runsNewCertificates(ClusterSpec spec, HostSpec member) {
        String serverCert = EtcdFiles.cert(spec, EtcdUnit.SERVER_BASE_NAME);
        String peerCert = EtcdFiles.cert(spec, EtcdUnit.PEER_BASE_NAME);
        return serves(Topology.hostPort(member.address(), EtcdUnit.CLIENT_PORT), serverCert) + " && "
                + serves(Topology.hostPort(member.address(), EtcdUnit.PEER_PORT), peerCert) + " && "
                + activeSinceAfter("etcd", List.of(serverCert, EtcdFiles.key(spec, EtcdUnit.SERVER_BASE_NAME),
                peerCert, EtcdFiles.key(spec, EtcdUnit.PEER_BASE_NAME)));
    }

    /** The static pods were restarted after these files (those that exist) last changed. */
    static String restartedAfter(List<String> files) {
        return "test -e " + RESTARTED_MARKER + files.stream().map(f -> " && { test ! -e " + ShellQuote.quote(f)
                + " || test " + RESTARTED_MARKER + " -nt " + ShellQuote.quote(f) + "; }")
                .reduce("", String::concat);
    }

    /**
     * kubeadm's documented restart: the control-plane manifests leave /etc/kubernetes/manifests until the kubelet
     * has stopped the kube-apiserver, then come back; a previous attempt's manifests set aside come back too.
     */
    static String restartStaticPods(HostSpec host, Duration stoppedFor) {
        String port = ShellQuote.quote("exec 3<>/dev/tcp/" + host.address() + "/" + Topology.APISERVER_PORT);
        return "mkdir -p " + MANIFESTS_ASIDE + " /var/lib/kubeha && for m in " + String.join(" ", STATIC_PODS)
                + "; do if test -e " + MANIFESTS + "/$m.yaml; then mv " + MANIFESTS + "/$m.yaml " + MANIFESTS_ASIDE
                + "/ || exit 1; fi; done; for i in $(seq 60); do timeout 2 bash -c " + port
                + " 2>/dev/null || break; sleep 1; done;"
                + (stoppedFor.isZero() ? "" : " sleep " + stoppedFor.toSeconds() + ";")
                + " for f in " + MANIFESTS_ASIDE + "/*.yaml; do"
                + " test ! -e \"$f\" || mv \"$f\" " + MANIFESTS + "/ || exit 1; done; rmdir " + MANIFESTS_ASIDE
                + " && touch " + RESTARTED_MARKER;
    }
}
