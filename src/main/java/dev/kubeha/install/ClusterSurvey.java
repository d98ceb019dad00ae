package dev.kubeha.install;

import dev.kubeha.exec.FanOut;
import dev.kubeha.facts.FactsDefaults;
import dev.kubeha.facts.FactsProbe;
import dev.kubeha.facts.HostFacts;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.pki.CertificateExpiry;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.render.RenderedFile;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SshHosts;
import dev.kubeha.ssh.SshSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read-only status pass over every host in parallel (the engine's one {@link FanOut}): no lock is taken and
 * nothing is changed; the hosts' facts are probed so that the answers render the same files as apply, whose hashes
 * the hosts' files are compared with.
 */
public final class ClusterSurvey implements AutoCloseable {
    static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    private final ClusterWorkspace workspace;
    private final SshHosts ssh;
    private final FanOut fanOut;
    private final Clock clock;

    public ClusterSurvey(ClusterWorkspace workspace, SshSettings settings, int parallel, Clock clock) {
        this.workspace = workspace;
        this.ssh = new SshHosts(settings);
        this.fanOut = new FanOut(parallel);
        this.clock = clock;
    }

    /** One pass: every host's answer, /healthz through the VIP from here, the local certificates, the last backup. */
    public ClusterStatus run() {
        ClusterSpec spec = workspace.spec();
        Map<String, HostSpec> hosts = new LinkedHashMap<>();
        spec.hosts().forEach(h -> hosts.put(h.name(), h));
        Map<String, FanOut.Outcome<HostFacts>> probed = fanOut.run(hosts.keySet(), name -> {
            RemoteHost host = remote(hosts.get(name));
            host.connect();
            return FactsProbe.probe(host, spec, hosts.get(name), clock).facts();
        });
        Map<String, HostFacts> facts = new LinkedHashMap<>(FactsDefaults.forSpec(spec));
        Map<String, String> unreachable = new LinkedHashMap<>();
        probed.forEach((name, outcome) -> {
            if (outcome.ok()) {
                facts.put(name, outcome.value());
            } else {
                unreachable.put(name, message(outcome.error()));
            }
        });
        List<RenderedFile> files = workspace.files(facts, AddonFiles.NONE);
        String leadControlPlane = first(spec, Role.CONTROL_PLANE, unreachable);
        String leadEtcd = first(spec, Role.ETCD, unreachable);
        List<String> reachable = hosts.keySet().stream().filter(h -> !unreachable.containsKey(h)).toList();
        Map<String, FanOut.Outcome<HostSurvey.Report>> surveyed = fanOut.run(reachable, name -> {
            HostSpec host = hosts.get(name);
            List<RenderedFile> own = files.stream().filter(f -> f.host().equals(name)).toList();
            String output = remote(host).run(RemoteCommand.probe(HostSurvey.script(spec, host, own,
                    name.equals(leadControlPlane), name.equals(leadEtcd)), SCRIPT_TIMEOUT), line -> { }).stdout();
            return HostSurvey.parse(name, output, own);
        });
        Map<String, Optional<HostSurvey.Report>> reports = new LinkedHashMap<>();
        for (String name : hosts.keySet()) {
            FanOut.Outcome<HostSurvey.Report> outcome = surveyed.get(name);
            if (outcome != null && !outcome.ok()) {
                unreachable.put(name, message(outcome.error()));
            }
            reports.put(name, outcome != null && outcome.ok() ? Optional.of(outcome.value()) : Optional.empty());
        }
        String healthz = HandOver.healthz(spec, workspace.clusterCa());
        return new ClusterStatus(spec, clock.instant(), reports, unreachable, healthz,
                healthz.contains(" answered 200 "), localCertificates(workspace), BackupRecord.newest(workspace.state()));
    }

    /** The certificates on the jump host: the state directory's CAs and etcd leaves, and admin.conf's client. */
    public static List<CertificateExpiry> localCertificates(ClusterWorkspace workspace) {
        List<CertificateExpiry> out = new ArrayList<>(workspace.pki().expiries());
        out.add(workspace.clusterCa().expiry());
        Path kubeconfig = HandOver.kubeconfigPath(workspace.state());
        if (Files.isRegularFile(kubeconfig)) {
            try {
                CertificateExpiry.ofKubeconfig(HandOver.KUBECONFIG, "jump host", Files.readString(kubeconfig))
                        .ifPresent(out::add);
            } catch (IOException e) {
                return out;
            }
        }
        return out;
    }

    /** One warning per certificate of the jump host that expires within 30 days, CAs included. */
    public static List<String> expiryWarnings(ClusterWorkspace workspace, Instant now) {
        return localCertificates(workspace).stream()
                .filter(c -> c.expiresWithin(CertificateExpiry.WARN_WITHIN, now))
                .map(c -> "certificate " + c.name() + " (" + c.location() + ") expires on " + c.notAfter() + ", in "
                        + c.daysLeft(now) + " days: renew it with kubeha certs renew").toList();
    }

    private static String first(ClusterSpec spec, Role role, Map<String, String> unreachable) {
        return spec.hostsWith(role).stream().map(HostSpec::name).filter(n -> !unreachable.containsKey(n)).findFirst()
                .orElse("");
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private RemoteHost remote(HostSpec host) {
        return ssh.host(host, workspace.spec().ssh());
    }

    @Override
    public void close() {
        ssh.close();
    }
}
