package dev.kubeha.tui.probe;

import dev.kubeha.facts.FactsProbe;
import dev.kubeha.ssh.ExecResult;
import dev.kubeha.ssh.HostKeyPolicy;
import dev.kubeha.ssh.RemoteCommand;
import dev.kubeha.ssh.RemoteHost;
import dev.kubeha.ssh.SecretPrompt;
import dev.kubeha.ssh.SshException;
import dev.kubeha.ssh.SshHosts;
import dev.kubeha.ssh.SshSettings;
import dev.kubeha.tui.probe.ProbeReport.FactsOutput;
import dev.kubeha.tui.probe.ProbeReport.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The wizard's full live check of a host: the SSH port answers (a TCP connect and the banner, no ping), the SSH login
 * with the configured user, key or agent and sudo works, and the same read-only facts probe as {@code kubeha apply}
 * runs. Host keys are checked against the cluster's known_hosts; unknown ones are reported with their fingerprint
 * for the operator to trust. No password is asked: the check runs in the background.
 */
public final class SshFactsProbe implements HostProbe {
    private final SshBannerProbe banner;
    private final HostKeyTrust trust;
    private final Duration connectTimeout;
    private final Duration authTimeout;
    private final Clock clock;

    public SshFactsProbe(HostKeyTrust trust, Duration connectTimeout, Duration authTimeout, Clock clock) {
        this.banner = new SshBannerProbe(connectTimeout);
        this.trust = trust;
        this.connectTimeout = connectTimeout;
        this.authTimeout = authTimeout;
        this.clock = clock;
    }

    @Override
    public ProbeReport probe(ProbeTarget target, ProbeRunner.Progress progress) throws InterruptedException {
        ProbeReport reached = ProbeReport.reachable(Duration.ZERO, "");
        if (target.ssh().bastion().isEmpty()) {
            progress.stage("connecting");
            reached = banner.probe(target, progress);
            if (!reached.outcome().ok()) {
                return reached;
            }
        }
        return login(target, progress).after(reached);
    }

    private ProbeReport login(ProbeTarget target, ProbeRunner.Progress progress) throws InterruptedException {
        AtomicReference<HostKeyPolicy.UnknownKey> unknown = new AtomicReference<>();
        SshSettings defaults = SshSettings.defaults(target.stateDir(), trust.policy(unknown::set), SecretPrompt.NONE);
        SshSettings settings = new SshSettings(defaults.knownHosts(), defaults.hostKeyPolicy(), defaults.prompt(),
                connectTimeout, authTimeout, authTimeout.dividedBy(2), defaults.agentSocket());
        try (SshHosts hosts = new SshHosts(settings)) {
            progress.onCancel(hosts);
            RemoteHost host = hosts.host("live-check", target.ssh());
            progress.stage("logging in");
            host.connect();
            progress.stage("probing facts");
            Instant before = clock.instant();
            ExecResult result = host.run(RemoteCommand.probe(target.script(), FactsProbe.TIMEOUT), line -> { });
            Instant after = clock.instant();
            if (!result.ok()) {
                return ProbeReport.failed(Outcome.FACTS_FAILED, "facts probe exited with " + result.exitCode()
                        + tail(result.stderr()));
            }
            return new ProbeReport(Outcome.PROBED, Duration.ZERO, "", "", Optional.empty(),
                    Optional.of(new FactsOutput(result.stdout(), result.stderr(), before, after)));
        } catch (SshException e) {
            if (e instanceof SshException.Interrupted || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException(e.getMessage());
            }
            return failure(e, Optional.ofNullable(unknown.get()));
        }
    }

    /** The precise reason, without the user@host:port every row already shows. */
    static ProbeReport failure(SshException e, Optional<HostKeyPolicy.UnknownKey> key) {
        String what = e.getMessage().startsWith(e.where() + ": ")
                ? e.getMessage().substring(e.where().length() + 2) : e.getMessage();
        return switch (e) {
            case SshException.HostKeyUnknown u -> new ProbeReport(Outcome.HOST_KEY_UNKNOWN, Duration.ZERO, "",
                    "host key unknown: " + key.map(k -> k.keyType() + " ").orElse("") + u.fingerprint(), key,
                    Optional.empty());
            case SshException.HostKeyChanged c -> ProbeReport.failed(Outcome.HOST_KEY_CHANGED, what);
            case SshException.AuthFailed a -> ProbeReport.failed(Outcome.AUTH_FAILED, "auth failed: "
                    + what.replaceFirst("^authentication failed ", ""));
            case SshException.SudoFailed s -> ProbeReport.failed(Outcome.SUDO_FAILED, "sudo failed: " + what);
            case SshException.CommandTimedOut t -> ProbeReport.failed(Outcome.TIMEOUT, "timeout: facts probe "
                    + what.replaceFirst("^command ", ""));
            case SshException.Unreachable u when what.contains("timed out") || what.contains(" within ") ->
                    ProbeReport.failed(Outcome.TIMEOUT, "timeout: " + what);
            case SshException.Unreachable u when what.contains("refused") ->
                    ProbeReport.failed(Outcome.REFUSED, "refused: " + what);
            default -> ProbeReport.failed(Outcome.SSH_FAILED, "ssh failed: " + what);
        };
    }

    private static String tail(String stderr) {
        List<String> lines = stderr == null ? List.of() : stderr.strip().lines().toList();
        return lines.isEmpty() ? "" : ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 2),
                lines.size()));
    }
}
