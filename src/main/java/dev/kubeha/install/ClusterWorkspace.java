package dev.kubeha.install;

import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import dev.kubeha.plan.BackupInput;
import dev.kubeha.bundle.Bundle;
import dev.kubeha.exec.FanOut;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.plan.PlanInput;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.render.ConfigRenderer;
import dev.kubeha.render.EtcdUnit;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.sources.SourceFiles;
import dev.kubeha.state.Secrets;
import dev.kubeha.state.SecretsStore;
import dev.kubeha.state.StateDir;
import dev.kubeha.state.StateHome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One cluster opened for work: its checked spec and its state (secrets, etcd PKI, cluster CA), and the plan input
 * built from them; the one way render, plan, apply, reset, the wizard's Install and tests open a cluster.
 */
public final class ClusterWorkspace {
    private final ClusterSpec spec;
    private final StateDir state;
    private final Secrets secrets;
    private final FanOut.Beside<EtcdPki> pki;
    private final FanOut.Beside<ClusterCa> clusterCa;

    public ClusterWorkspace(ClusterSpec spec, StateDir state, Secrets secrets, EtcdPki pki, ClusterCa clusterCa) {
        this(spec, state, secrets, FanOut.done(pki), FanOut.done(clusterCa));
    }

    private ClusterWorkspace(ClusterSpec spec, StateDir state, Secrets secrets, FanOut.Beside<EtcdPki> pki,
                             FanOut.Beside<ClusterCa> clusterCa) {
        this.spec = spec;
        this.state = state;
        this.secrets = secrets;
        this.pki = pki;
        this.clusterCa = clusterCa;
    }

    /** Opens the spec's cluster directory under home, creating its secrets and certificates on first use. */
    public static ClusterWorkspace open(ClusterSpec spec, StateHome home) {
        StateDir state = StateDir.at(home.clusterDir(spec.cluster().name()));
        return new ClusterWorkspace(spec, state, new SecretsStore(state).loadOrCreate(),
                EtcdPki.loadOrCreate(state, spec), ClusterCa.loadOrCreate(state));
    }

    /**
     * The same, with the etcd PKI and the cluster CA loaded or created beside the caller's work (key generation is
     * seconds of a cold start, connecting to the hosts needs neither): {@link #pki()} and {@link #clusterCa()} wait
     * for them and throw what loading them threw. The caller calls {@link #settle()} before it ends.
     */
    public static ClusterWorkspace opening(ClusterSpec spec, StateHome home) {
        StateDir state = StateDir.at(home.clusterDir(spec.cluster().name()));
        Secrets secrets = new SecretsStore(state).loadOrCreate();
        state.subdir(ClusterCa.STATE_SUBDIR);
        return new ClusterWorkspace(spec, state, secrets, FanOut.beside(() -> EtcdPki.loadOrCreate(state, spec)),
                FanOut.beside(() -> ClusterCa.loadOrCreate(state)));
    }

    public ClusterSpec spec() {
        return spec;
    }

    public StateDir state() {
        return state;
    }

    public Secrets secrets() {
        return secrets;
    }

    /** The etcd PKI; waits for it when it is still being loaded or created. */
    public EtcdPki pki() {
        return pki.join();
    }

    /** The cluster CA; waits for it when it is still being loaded or created. */
    public ClusterCa clusterCa() {
        return clusterCa.join();
    }

    /** Waits until the PKI is loaded or its loading failed, without throwing: no key is left half-written. */
    public void settle() {
        pki.settle();
        clusterCa.settle();
    }

    /**
     * The backup workflow's input: the spec and kubeha's etcdctl client pair from the state directory.
     *
     * @throws IllegalStateException for stacked etcd, which has no such pair
     */
    public BackupInput backupInput() {
        return etcdBackupInput().orElseThrow(() -> new IllegalStateException(
                "stacked etcd has no kubeha etcdctl client pair"));
    }

    /** The backup workflow's input, which the snapshots before upgrades share; empty for stacked etcd. */
    public Optional<BackupInput> etcdBackupInput() {
        return pki().etcdctlCredentials().map(pair -> new BackupInput(spec, pem(pair.certificate()), pem(pair.key())));
    }

    private String pem(Path file) {
        return new String(state.readPrivate(file).orElseThrow(() -> new IllegalStateException(file
                + " is missing from the state directory")), StandardCharsets.UTF_8);
    }

    /** Every file kubeha writes to every host: configuration, etcd units, both PKIs' host files and the add-ons. */
    public List<RenderedFile> files(Map<String, HostFacts> facts, AddonFiles addons) {
        List<RenderedFile> out = new ArrayList<>(ConfigRenderer.render(spec, facts, secrets, clusterCa().caCertHash()));
        out.addAll(EtcdUnit.renderAll(spec, spec.etcd().install().etcdBinary()));
        out.addAll(pki().hostFiles(spec));
        out.addAll(clusterCa().hostFiles(spec));
        out.addAll(addons.render(spec));
        out.sort(Comparator.comparing(RenderedFile::host).thenComparing(RenderedFile::path));
        return List.copyOf(out);
    }

    /** What a workflow plans from: the spec, these facts and every file rendered for them. */
    public PlanInput planInput(Map<String, HostFacts> facts, AddonFiles addons) {
        return planInput(facts, addons, SourceFiles.NONE);
    }

    /** The same, with the release files the plan installs from the shared cache. */
    public PlanInput planInput(Map<String, HostFacts> facts, AddonFiles addons, SourceFiles sources) {
        return planInput(facts, addons, sources, Optional.empty());
    }

    /** The same, with the packages and images from a verified offline bundle. */
    public PlanInput planInput(Map<String, HostFacts> facts, AddonFiles addons, SourceFiles sources,
                               Optional<Bundle> bundle) {
        return new PlanInput(spec, facts, files(facts, addons), sources, bundle, AppliedRecord.changeTo(state, spec));
    }
}
