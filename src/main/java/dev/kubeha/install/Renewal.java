package dev.kubeha.install;

import dev.kubeha.facts.FactsDefaults;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.pki.CertificateExpiry;
import dev.kubeha.pki.EtcdCertificates;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.plan.CertificateRenewal;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.state.StateHome;
import dev.kubeha.exec.Journal;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.plan.Install;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A certificate renewal's local half: new leaves in the state directory (the CA keys never leave it) and the input. */
public final class Renewal {
    /** Longer than any leaf kubeha issues: renewing "within" it renews every leaf. */
    static final Duration EVERYTHING = Duration.ofDays(365L * 30);

    private Renewal() {
    }

    /**
     * The workspace with its etcd leaves reissued in the state directory when they expire within {@code within}
     * (all of them when empty); the hosts keep their old, still valid, certificates until the workflow replaces them.
     */
    public static ClusterWorkspace renewInState(ClusterWorkspace workspace, Optional<Duration> within) {
        EtcdPki renewed = EtcdPki.renew(workspace.state(), workspace.spec(), within.orElse(EVERYTHING));
        return new ClusterWorkspace(workspace.spec(), workspace.state(), workspace.secrets(), renewed,
                workspace.clusterCa());
    }

    /** Whether the journal says the install finished (its last step on the first control plane), since any reset. */
    public static boolean installed(ClusterSpec spec, StateHome home) {
        List<HostSpec> controlPlanes = spec.hostsWith(Role.CONTROL_PLANE);
        return !controlPlanes.isEmpty() && new Journal(home.clusterDir(spec.cluster().name()).resolve("journal"),
                Clock.systemUTC()).hasFinished(controlPlanes.get(0).name(), Install.VERIFIED_STEP);
    }

    /**
     * What {@link dev.kubeha.plan.RenewCertificates} plans from, for the renewed workspace. The renewal writes only
     * certificate files, which do not depend on the hosts' facts: the documented defaults render them.
     */
    public static CertificateRenewal input(ClusterWorkspace renewed, boolean etcd, boolean kubernetes,
                                           Optional<Duration> within) {
        Map<String, HostFacts> facts = FactsDefaults.forSpec(renewed.spec());
        String etcdCa = renewed.pki().certificate(EtcdCertificates.CA.name()).map(CertificateExpiry::fingerprint).orElse("");
        return new CertificateRenewal(renewed.planInput(facts, AddonFiles.NONE), etcd, kubernetes, within, etcdCa,
                CertificateExpiry.fingerprint(renewed.clusterCa().certificate()));
    }
}
