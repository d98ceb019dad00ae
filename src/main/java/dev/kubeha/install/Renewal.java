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
import dev.kubeha.state.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A certificate renewal's local half: new leaves in the state directory (the CA keys never leave it) and the input. */
public final class Renewal {
    /** Longer than any leaf kubeha issues: renewing "within" it renews every leaf. */
    static final Duration EVERYTHING = Duration.ofDays(365L * 30);
    /** The state file naming the renewal under way; removed when a renewal finishes. */
    static final String ROUND_FILE = "renewal-round";
    /** The state file naming the round (and window) whose etcd leaves the state directory holds; removed with it. */
    static final String ETCD_ROUND_FILE = "renewal-round.etcd";
    /** A renewal run again within this time resumes the round that failed; later, a new round starts. */
    static final Duration ROUND_RESUMES = Duration.ofDays(1);

    private Renewal() {
    }

    /**
     * The workspace with its etcd leaves reissued in the state directory when they expire within {@code within}
     * (all of them when empty); the hosts keep their old, still valid, certificates until the workflow replaces them.
     * In a resumed {@code round} with the same window the leaves issued in that round are kept, so the members that
     * already run them are left alone.
     */
    public static ClusterWorkspace renewInState(ClusterWorkspace workspace, Optional<Duration> within, String round) {
        if (etcdIssuedIn(workspace.state(), within, round)) {
            return workspace;
        }
        EtcdPki renewed = EtcdPki.renew(workspace.state(), workspace.spec(), within.orElse(EVERYTHING));
        workspace.state().writePrivate(workspace.state().ensure().resolve(ETCD_ROUND_FILE),
                (etcdIssue(within, round) + "\n").getBytes(StandardCharsets.UTF_8));
        return new ClusterWorkspace(workspace.spec(), workspace.state(), workspace.secrets(), renewed,
                workspace.clusterCa());
    }

    /** Whether the state directory's etcd leaves were issued in this round for this window. */
    public static boolean etcdIssuedIn(StateDir state, Optional<Duration> within, String round) {
        return state.readPrivate(state.root().resolve(ETCD_ROUND_FILE))
                .map(b -> new String(b, StandardCharsets.UTF_8).strip()).filter(etcdIssue(within, round)::equals)
                .isPresent();
    }

    private static String etcdIssue(Optional<Duration> within, String round) {
        return round + " within " + within.map(w -> w.toSeconds() + "s").orElse("everything");
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
                                           Optional<Duration> within, String round) {
        Map<String, HostFacts> facts = FactsDefaults.forSpec(renewed.spec());
        String etcdCa = renewed.pki().certificate(EtcdCertificates.CA.name()).map(CertificateExpiry::fingerprint).orElse("");
        return new CertificateRenewal(renewed.planInput(facts, AddonFiles.NONE), etcd, kubernetes, within, etcdCa,
                CertificateExpiry.fingerprint(renewed.clusterCa().certificate()), round);
    }

    /**
     * The round of the renewal that failed less than {@link #ROUND_RESUMES} ago (its start, which the state file
     * holds), or a new round starting now, recorded there.
     */
    public static String round(StateDir state, Clock clock) {
        Path file = state.ensure().resolve(ROUND_FILE);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Optional<Instant> started = state.readPrivate(file).flatMap(Renewal::instant);
        if (started.isPresent() && !started.get().isAfter(now) && started.get().plus(ROUND_RESUMES).isAfter(now)) {
            return started.get().toString();
        }
        state.writePrivate(file, (now + "\n").getBytes(StandardCharsets.UTF_8));
        return now.toString();
    }

    /** The renewal finished: the next one starts a new round and issues new etcd leaves. */
    public static void roundFinished(StateDir state) {
        for (String name : List.of(ETCD_ROUND_FILE, ROUND_FILE)) {
            try {
                Files.deleteIfExists(state.root().resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + state.root().resolve(name), e);
            }
        }
    }

    private static Optional<Instant> instant(byte[] content) {
        try {
            return Optional.of(Instant.parse(new String(content, StandardCharsets.UTF_8).strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
