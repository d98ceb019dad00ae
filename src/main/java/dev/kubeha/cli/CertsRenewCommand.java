package dev.kubeha.cli;

import dev.kubeha.install.ClusterSurvey;
import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.install.HandOver;
import dev.kubeha.install.Renewal;
import dev.kubeha.pki.CertificateExpiry;
import dev.kubeha.plan.RenewCertificates;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code kubeha certs renew}: renews from the state directory's CAs, rolling (one etcd member, then one control plane
 * at a time), resumable from the journal.
 */
public final class CertsRenewCommand implements Command {
    static final Option ETCD = Option.flag("--etcd", "Renew the etcd certificates kubeha issues (members, clients).");
    static final Option KUBERNETES = Option.flag("--kubernetes",
            "Renew kubeadm's certificates on every control plane and admin.conf on this jump host.");
    static final Option WITHIN = Option.value(null, "--within", "DAYS",
            "Renew only what expires within DAYS (default: everything kubeha renews).");

    @Override
    public String name() {
        return "renew";
    }

    @Override
    public String summary() {
        return "Renew the cluster's certificates, one etcd member and one control plane at a time.";
    }

    @Override
    public List<Option> options() {
        return List.of(Workspace.FILE, ETCD, KUBERNETES, WITHIN, ApplyCommand.ACCEPT_NEW, ApplyCommand.BREAK_LOCK,
                Workspace.STATE_DIR, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Without --etcd or --kubernetes both are renewed. The CA keys never leave the state directory;",
                "each host's CAs must match it before anything is written. A failure stops the renewal with the",
                "remaining hosts on their old, still valid, certificates; running it again resumes.",
                "Exit codes: 0 renewed and verified, 1 problems or a failed step, 2 usage error.");
    }

    @Override
    public int run(Arguments args, CliContext context) throws UsageException {
        Optional<Duration> within = within(args);
        boolean both = !args.flag(ETCD.name()) && !args.flag(KUBERNETES.name());
        boolean etcd = both || args.flag(ETCD.name());
        boolean kubernetes = both || args.flag(KUBERNETES.name());
        Optional<Workspace> opened = Workspace.open(args, context);
        if (opened.isEmpty()) {
            return ExitCodes.PROBLEMS;
        }
        Workspace w = opened.get();
        String round = Renewal.round(w.cluster().state(), context.clock());
        if (etcd && Renewal.etcdIssuedIn(w.cluster().state(), within, round)) {
            context.out().println("resuming renewal round " + round + ": the etcd certificates issued in it are kept");
        }
        ClusterWorkspace renewed = etcd ? Renewal.renewInState(w.cluster(), within, round) : w.cluster();
        renewed.pki().newlyIssued().forEach(n -> context.out().println("issued in the state directory: " + n));
        return WorkflowRun.run(args, context, w, RenewCertificates.WORKFLOW,
                Renewal.input(renewed, etcd, kubernetes, within, round), (session, plan) -> {
                    Renewal.roundFinished(w.cluster().state());
                    if (kubernetes) {
                        HandOver.Result handOver = session.refreshKubeconfig();
                        context.out().println(handOver.kubeconfig().map(p -> "admin.conf renewed on this jump host: "
                                + p).orElse("admin.conf could not be fetched again from the first control plane"));
                        context.out().println(handOver.healthz());
                    }
                    for (CertificateExpiry c : ClusterSurvey.localCertificates(renewed)) {
                        context.out().println("  " + c.name() + " (" + c.location() + "): "
                                + c.daysLeft(context.clock().instant()) + " days left" + (c.ca() ? " (CA)" : ""));
                    }
                    context.out().println("certificates renewed (logs: " + session.logs() + ")");
                    context.out().flush();
                    return ExitCodes.OK;
                });
    }

    private Optional<Duration> within(Arguments args) throws UsageException {
        Optional<String> text = args.value(WITHIN.name());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            int days = Integer.parseInt(text.get());
            if (days >= 1) {
                return Optional.of(Duration.ofDays(days));
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("certs renew", "option '--within': '" + text.get() + "' is not a whole number of days of"
                + " 1 or more");
    }
}
