package dev.kubeha.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kubeha.answers.AnswersFile;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.facts.FactsDefaults;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.facts.OsFamily;
import dev.kubeha.facts.RuntimeSource;
import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.pki.ClusterCa;
import dev.kubeha.pki.EtcdPki;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.sources.Releases;
import dev.kubeha.sources.SourceCache;
import dev.kubeha.sources.SourceFiles;
import dev.kubeha.state.Secrets;
import dev.kubeha.state.StateDir;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The table the per-phase tests share (kubeadm's style): clusters of each topology as answers files, hosts of each OS
 * family, and one exact check of what a phase plans for a row: the step ids of every host and the whole script of
 * chosen steps (commands, guards, files with their modes, verifications, attempts and time limits).
 */
final class PhaseTable {
    static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
    static final Secrets SECRETS = new Secrets("k7h2qa.0f3x9c2m4n6b8v1z", "0f".repeat(32), "Vr4pW9x2", "s".repeat(32));
    /** Where the shared download cache lies in these tests; nothing is read from it while planning. */
    static final Path CACHE = Path.of("/home/op/.kubeha/cache");

    /** The guide's shape: two control planes holding the VIP, a separate three-member etcd cluster, a worker. */
    static final String GUIDE = """
            hosts:
              - {name: cp1, address: 10.0.8.6, roles: [control-plane, load-balancer]}
              - {name: cp2, address: 10.0.8.12, roles: [control-plane, load-balancer]}
              - {name: etcd1, address: 10.0.8.21, roles: [etcd]}
              - {name: etcd2, address: 10.0.8.22, roles: [etcd]}
              - {name: etcd3, address: 10.0.8.23, roles: [etcd]}
              - {name: node1, address: 10.0.8.31, roles: [worker]}
            loadBalancer: {vip: 10.0.8.100, port: 16443}
            """;
    /** etcd on the control planes (no etcd hosts), two of which hold the VIP, and a worker. */
    static final String STACKED = """
            hosts:
              - {name: cp1, address: 10.0.8.6, roles: [control-plane, load-balancer]}
              - {name: cp2, address: 10.0.8.12, roles: [control-plane, load-balancer]}
              - {name: cp3, address: 10.0.8.13, roles: [control-plane]}
              - {name: node1, address: 10.0.8.31, roles: [worker]}
            loadBalancer: {vip: 10.0.8.100, port: 16443}
            """;
    /** haproxy and keepalived on two hosts of their own in front of stacked control planes. */
    static final String SEPARATE_LB = """
            hosts:
              - {name: lb1, address: 10.0.8.2, roles: [load-balancer]}
              - {name: lb2, address: 10.0.8.3, roles: [load-balancer]}
              - {name: cp1, address: 10.0.8.6, roles: [control-plane]}
              - {name: cp2, address: 10.0.8.12, roles: [control-plane]}
              - {name: node1, address: 10.0.8.31, roles: [worker]}
            loadBalancer: {vip: 10.0.8.100, port: 6443}
            """;
    /** No load-balancer hosts: the operator runs a load balancer of their own at the VIP. */
    static final String OWN_LB = """
            hosts:
              - {name: cp1, address: 10.0.8.6, roles: [control-plane]}
              - {name: cp2, address: 10.0.8.12, roles: [control-plane]}
              - {name: node1, address: 10.0.8.31, roles: [worker]}
            loadBalancer: {vip: 10.0.8.100, port: 6443}
            """;

    static final List<String> ETCD_MEMBERS = List.of("etcd1", "etcd2", "etcd3");
    static final String LOCAL_ETCD_ARCHIVE = "etcd: {archive: /srv/etcd-v3.6.9-linux-amd64.tar.gz}";
    static final String ETCD_ARCHIVE_WITH_SHA = "etcd: {version: 3.5.24, archive: /srv/etcd-v3.5.24-linux-amd64.tar.gz,"
            + " archiveSha256: 042497e2ddcee06f22e5d486d81f58affa26b53ee423e2a6aaca3d3ea98c8191}";
    static final String ETCD_PACKAGE_IN_DATA = "etcd: {dataDir: /data/etcd, certDir: /data/etcd/ssl, install: package}";

    /** Kubernetes 1.35 from a mirror whose signing key is pinned, and images from a registry of the operator's. */
    static final String MIRROR_135 = "cluster: {kubernetesVersion: \"1.35.2\", imageRepository: registry.example/k8s,"
            + " packageRepository: http://mirror.example/k8s,"
            + " packageRepositoryKeyFingerprint: 770A5A11914AE2052F38DF29B9D5FECE9CBA154E}";

    private PhaseTable() {
    }

    /**
     * A valid spec from a topology and further top-level answers sections (cluster, network, etcd, containerRuntime);
     * Kubernetes 1.36.3 from the upstream repositories unless a cluster section says otherwise.
     */
    static ClusterSpec cluster(String topology, String... sections) {
        boolean clusterGiven = Arrays.stream(sections).anyMatch(s -> s.startsWith("cluster:"));
        String yaml = (clusterGiven ? "" : "cluster: {kubernetesVersion: \"1.36.3\"}\n") + topology
                + String.join("\n", sections);
        CheckedAnswers checked = CheckedAnswers.of(AnswersFile.parse("row.yaml", yaml), TODAY);
        return checked.validSpec().orElseThrow(() -> new AssertionError(checked.problems() + "\n" + yaml));
    }

    /** Every host of the spec as FactsDefaults assumes it (Debian 13), or as a Rocky Linux 9 host. */
    static Map<String, HostFacts> facts(ClusterSpec spec, OsFamily family) {
        Map<String, HostFacts> facts = new TreeMap<>();
        FactsDefaults.forSpec(spec).forEach((name, f) -> facts.put(name, family == OsFamily.DEBIAN ? f
                : new HostFacts(f.hostname(), OsFamily.RHEL, "rocky", "9.4", "5.14.0-427.el9.x86_64", f.arch(),
                f.cpus(), f.memoryMb(), f.swapMb(), f.cgroupVersion(), f.machineId(), f.productUuid(),
                f.interfaces(), Optional.empty(), f.conntrackModule(), f.sysctls(), false)));
        return facts;
    }

    /**
     * The plan input apply builds, with the cluster's state (CAs, keys) made in a directory below {@code dir}: every
     * file rendered, and the releases it would download, in {@link #CACHE}.
     */
    static PlanInput input(ClusterSpec spec, OsFamily family, Path dir) {
        return input(spec, family, dir, AddonFiles.NONE);
    }

    /** The same with the add-on files fetched (flannel's manifest, kube-prometheus), for the phases that apply them. */
    static PlanInput input(ClusterSpec spec, OsFamily family, Path dir, AddonFiles addons) {
        Map<String, HostFacts> facts = facts(spec, family);
        StateDir state = StateDir.at(dir.resolve("state"));
        ClusterWorkspace workspace = new ClusterWorkspace(spec, state, SECRETS, EtcdPki.loadOrCreate(state, spec),
                ClusterCa.loadOrCreate(state));
        Map<String, String> arches = facts.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().arch()));
        SourceFiles sources = SourceFiles.of(Releases.needed(spec, arches, RuntimeSource.archiveHosts(spec, facts),
                ReleaseSites.UPSTREAM),
                new SourceCache(CACHE));
        return workspace.planInput(facts, addons, sources);
    }

    /**
     * One row: a cluster on one OS family, the step ids each host must get (in order, all hosts together; no hosts
     * means the phase has nothing to do), and the exact scripts of chosen steps as {@link #script} writes them.
     */
    record Row(String name, OsFamily os, ClusterSpec spec, Map<String, String> steps, Map<String, String> scripts) {
        Row(String name, OsFamily os, ClusterSpec spec) {
            this(name, os, spec, Map.of(), Map.of());
        }

        /** The step ids (space-separated, in order) this host gets. */
        Row steps(String host, String ids) {
            Map<String, String> more = new LinkedHashMap<>(steps);
            more.put(host, ids);
            return new Row(name, os, spec, more, scripts);
        }

        /** The same ids for each of these hosts. */
        Row steps(List<String> hosts, String ids) {
            Row row = this;
            for (String host : hosts) {
                row = row.steps(host, ids);
            }
            return row;
        }

        /** The whole script of one step on one host. */
        Row script(String host, String stepId, String expected) {
            Map<String, String> more = new LinkedHashMap<>(scripts);
            more.put(host + " " + stepId, expected);
            return new Row(name, os, spec, steps, more);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Plans the phase for the row and checks every host's step ids and the row's scripts exactly. */
    static void check(String phaseName, Row row, Path dir) {
        Plan plan = Install.WORKFLOW.plan(input(row.spec(), row.os(), dir), Set.of(phaseName), Set.of());
        Optional<Phase> phase = plan.phases().stream().filter(p -> p.name().equals(phaseName)).findFirst();
        if (row.steps().isEmpty()) {
            assertTrue(phase.isEmpty(), () -> phaseName + " has nothing to do here, but plans:\n" + ids(phase.get()));
            return;
        }
        assertTrue(phase.isPresent(), phaseName + " is not planned");
        String expected = row.steps().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
        assertEquals(expected, ids(phase.get()), "step ids per host");
        row.scripts().forEach((hostAndId, script) -> {
            String[] key = hostAndId.split(" ");
            Step step = phase.get().stepsOf(key[0]).stream().filter(s -> s.id().equals(key[1])).findFirst()
                    .orElseThrow(() -> new AssertionError("no step " + hostAndId));
            assertEquals(script.stripTrailing(), script(step), hostAndId);
        });
    }

    /** Each host's step ids, after a first line saying so when hosts go one after another instead of together. */
    private static String ids(Phase phase) {
        String hosts = phase.hosts().stream().map(h -> h + ": " + phase.stepsOf(h).stream().map(Step::id)
                .collect(Collectors.joining(" "))).collect(Collectors.joining("\n"));
        return (phase.oneHostAtATime() ? "one host at a time\n" : "") + hosts;
    }

    /**
     * A step as lines: each operation (a guarded command on two lines: "unless: CHECK" then "run: COMMAND"), then
     * the verification, then attempts and time limit when not the defaults.
     */
    static String script(Step step) {
        StringBuilder out = new StringBuilder();
        for (Operation op : step.operations()) {
            switch (op) {
                case WriteFile w -> out.append("write ").append(w.file().path()).append(' ')
                        .append(String.format("%04o", w.file().mode())).append(' ').append(w.file().owner());
                case RunCommand r when r.onlyAfterChange() -> out.append("after a change: ").append(r.command());
                case RunCommand r -> r.doneWhen().ifPresentOrElse(
                        check -> out.append("unless: ").append(check).append("\nrun: ").append(r.command()),
                        () -> out.append("run: ").append(r.command()));
                case MergeBlock m -> out.append("merge into ").append(m.path()).append(":\n").append(m.block().strip());
                case InstallFromArchive a -> out.append("install ").append(String.join(" ", a.members()))
                        .append(" into ").append(a.targetDir()).append(" from ").append(a.archive())
                        .append(a.sha256().isEmpty() ? "" : " sha256 " + a.sha256())
                        .append(a.keepPackaged() ? ", keeping files a package owns" : "");
                case PushFile p -> out.append("copy ").append(p.source()).append(" to ").append(p.path())
                        .append(p.mode() == 0644 ? "" : String.format(" %04o", p.mode()))
                        .append(" sha256 ").append(p.sha256());
            }
            out.append('\n');
        }
        step.verify().ifPresent(v -> out.append("verify").append(v.within().isZero() ? "" : " within "
                + seconds(v.within())).append(": ").append(v.command()).append('\n'));
        if (step.attempts() != 1) {
            out.append("attempts: ").append(step.attempts()).append('\n');
        }
        if (!step.timeout().equals(Step.DEFAULT_TIMEOUT)) {
            out.append("timeout: ").append(seconds(step.timeout())).append('\n');
        }
        if (step.everyRun()) {
            out.append("every run\n");
        }
        return out.toString().stripTrailing();
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + "s";
    }
}
