package dev.kubeha.plan;

import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.render.EtcdFiles;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.render.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The restore workflow's phases: each step checks first and runs on every restore, whatever a journal says. */
final class RestorePhases {
    static final String SNAPSHOT_DIR = "/var/lib/kubeha/restore";
    static final String SNAPSHOT = SNAPSHOT_DIR + "/snapshot.db";
    static final String MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";
    static final String MANIFEST_ASIDE = "/etc/kubernetes/kube-apiserver.yaml.kubeha-restore";
    static final String ETCD_RUNNING = "systemctl is-active --quiet etcd";

    private RestorePhases() {
    }

    static Optional<Phase> upload(String name, RestoreInput in) {
        String check = "echo " + in.sha256() + "'  " + SNAPSHOT + "' | sha256sum -c --quiet && "
                + EtcdCtl.snapshotStatus(in.spec(), SNAPSHOT) + " | grep -q '\"revision\":" + in.revision() + "[,}]'";
        List<Step> steps = members(in).stream().map(m -> step("restore.upload", "Upload the snapshot and check its"
                + " SHA-256 and revision", m, RunCommand.always("install -d -m 0700 " + SNAPSHOT_DIR),
                new WriteFile(new RenderedFile(m.name(), SNAPSHOT, 0600, "root", in.snapshot())))
                .verifiedBy(Verification.now(check))).toList();
        return Optional.of(Phase.parallel(name, "Copy the snapshot to every etcd member", steps));
    }

    /** kubeadm's way: the manifest leaves the manifests directory, so the kubelet stops the static pod. */
    static Optional<Phase> stopApiservers(String name, RestoreInput in) {
        String stopped = "! " + Kube.crictl(in.spec()) + " ps --name kube-apiserver -q | grep -q .";
        List<Step> steps = in.spec().hostsWith(Role.CONTROL_PLANE).stream().map(h -> step("restore.stop-apiserver",
                "Stop the kube-apiserver (its manifest moved to " + MANIFEST_ASIDE + ")", h,
                RunCommand.unless("! test -e " + MANIFEST, "mv " + MANIFEST + " " + MANIFEST_ASIDE))
                .verifiedBy(Verification.within(Duration.ofSeconds(60), stopped))).toList();
        return steps.isEmpty() ? Optional.empty()
                : Optional.of(Phase.parallel(name, "Stop every kube-apiserver", steps));
    }

    static Optional<Phase> stopEtcd(String name, RestoreInput in) {
        List<Step> steps = members(in).stream().map(m -> step("restore.stop-etcd", "Stop etcd", m,
                RunCommand.unless("! " + ETCD_RUNNING, "systemctl stop etcd"))
                .verifiedBy(Verification.now("! " + ETCD_RUNNING))).toList();
        return Optional.of(Phase.parallel(name, "Stop every etcd member", steps));
    }

    /** Refuses on a member whose etcd runs: the data directory is replaced only under a stopped member. */
    static Optional<Phase> restoreData(String name, RestoreInput in) {
        String data = ShellQuote.quote(in.spec().etcd().dataDir());
        String fresh = ShellQuote.quote(in.restoredInto());
        String aside = ShellQuote.quote(in.keptAside());
        List<Step> steps = members(in).stream().map(m -> step("restore.data", "Restore the snapshot into a new data"
                + " directory, keep the old one as " + in.keptAside(), m, RunCommand.unless("test -d " + aside,
                "if " + ETCD_RUNNING + "; then echo 'etcd is running on this member: refusing to restore into it'"
                        + " >&2; exit 1; fi; rm -rf " + fresh + " && " + in.spec().etcd().install().etcdutlBinary()
                        + " snapshot restore " + SNAPSHOT + " --name " + ShellQuote.quote(m.name())
                        + " --initial-cluster " + ShellQuote.quote(EtcdUnit.initialCluster(in.spec()))
                        + " --initial-cluster-token " + ShellQuote.quote(EtcdUnit.initialClusterToken(in.spec()))
                        + " --initial-advertise-peer-urls " + ShellQuote.quote(EtcdUnit.peerUrl(m))
                        + " --data-dir " + fresh + " && chown -R " + EtcdFiles.ETCD_USER + ": " + fresh
                        + " && chmod 0700 " + fresh + " && mv " + data + " " + aside + " && mv " + fresh + " " + data))
                .verifiedBy(Verification.now("test -d " + aside + " && test -d " + data + "/member")))
                .toList();
        return Optional.of(Phase.parallel(name, "Restore the snapshot on every etcd member", steps));
    }

    static Optional<Phase> startEtcd(String name, RestoreInput in) {
        List<Step> steps = members(in).stream().map(m -> step("restore.start-etcd", "Start etcd; the cluster is"
                + " healthy at the snapshot's revision " + in.revision(), m,
                RunCommand.unless(ETCD_RUNNING, "systemctl start --no-block etcd"))
                .verifiedBy(Verification.within(Duration.ofSeconds(90), EtcdCtl.clusterHealthy(in.spec())
                        + " && test \"$(" + EtcdCtl.revision(in.spec(), m) + ")\" -ge " + in.revision()))
                .withTimeout(Duration.ofMinutes(3))).toList();
        return Optional.of(Phase.parallel(name, "Start every etcd member together", steps));
    }

    static Optional<Phase> startApiservers(String name, RestoreInput in) {
        String running = Kube.crictl(in.spec()) + " ps --name kube-apiserver -q | grep -q . && " + Kube.API_HEALTHY;
        List<Step> steps = in.spec().hostsWith(Role.CONTROL_PLANE).stream().map(h -> step("restore.start-apiserver",
                "Start the kube-apiserver (its manifest back in place)", h,
                RunCommand.unless("test -e " + MANIFEST, "mv " + MANIFEST_ASIDE + " " + MANIFEST))
                .verifiedBy(Verification.within(Kube.API_START, running)).withTimeout(Kube.API_START.plusMinutes(1)))
                .toList();
        return steps.isEmpty() ? Optional.empty()
                : Optional.of(Phase.serial(name, "Start the kube-apiservers one at a time", steps));
    }

    static Optional<Phase> verify(String name, RestoreInput in) {
        HostSpec first = Topology.firstControlPlane(in.spec());
        return Optional.of(Phase.parallel(name, "Verify /healthz through " + Topology.controlPlaneEndpoint(in.spec()),
                List.of(Step.of("restore.verify", "Check /healthz through " + Topology.controlPlaneEndpoint(in.spec()),
                        first.name(), List.of()).verifiedBy(Verification.within(Duration.ofSeconds(60),
                        Kube.API_HEALTHY)).onEveryRun())));
    }

    private static List<HostSpec> members(RestoreInput in) {
        if (in.spec().stackedEtcd()) {
            throw new IllegalArgumentException("restore works on kubeha's external etcd; this cluster has none");
        }
        return EtcdCtl.members(in.spec());
    }

    private static Step step(String id, String title, HostSpec host, Operation... operations) {
        return Step.of(id, title, host.name(), List.of(operations)).onEveryRun();
    }
}
