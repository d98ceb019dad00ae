package dev.kubeha.tui;

import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.bundle.Bundle;
import dev.kubeha.bundle.BundleCheck;
import dev.kubeha.exec.RunResult;
import dev.kubeha.facts.PreflightResult;
import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.install.ConsolePrompts;
import dev.kubeha.install.InstallSession;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Role;
import dev.kubeha.plan.Plan;
import dev.kubeha.progress.DownloadLines;
import dev.kubeha.render.Topology;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.ssh.HostKeyPolicy;
import dev.kubeha.ssh.SshSettings;
import dev.kubeha.state.StateDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The wizard's Install: the same install session as `kubeha apply`, shown on the install screen. */
final class InstallFlow {
    private static final int PARALLEL = 32;

    private InstallFlow() {
    }

    static int run(Path answers, WizardSettings settings, PrintWriter out, PrintWriter err) throws IOException {
        CheckedAnswers checked = CheckedAnswers.check(answers, settings.today());
        if (checked.hasErrors()) {
            err.println("kubeha: " + answers + " has errors; fix them in the wizard first");
            return 1;
        }
        ClusterSpec spec = checked.validSpec().orElseThrow();
        Optional<Bundle> bundle = settings.bundle().map(WizardSettings.WizardBundle::opened);
        List<String> misfits = bundle.map(b -> BundleCheck.problems(spec, b, List.of())).orElse(List.of());
        if (!misfits.isEmpty()) {
            misfits.forEach(m -> err.println("kubeha: " + settings.bundle().get().file() + ": " + m));
            err.println("kubeha: nothing was installed; no host was touched");
            return 1;
        }
        ClusterWorkspace workspace = ClusterWorkspace.open(spec, settings.stateHome());
        StateDir state = workspace.state();
        workspace.pki().warnings().forEach(p -> err.println("warning: " + p.text()));
        // Host keys must already be trusted (state known_hosts or ~/.ssh/known_hosts): a console question after the
        // full screen does not get the operator's answer reliably, so unknown keys stop the install with their
        // fingerprints and the command that trusts them.
        SshSettings ssh = SshSettings.defaults(state.root(), HostKeyPolicy.REJECT_UNKNOWN, ConsolePrompts.secrets());
        workspace.pki().warnings().forEach(p -> err.println("warning: " + p.text()));
        return onPanes(workspace, ssh, bundle, answers, System.getenv(), out, err, "install", "is installed");
    }

    /**
     * The install plan of the answers (which also joins and removes hosts against the applied record) on the install
     * screen's per-node panes: connect, lock, probe, preflight, then the plan; 0 when every step is verified.
     */
    static int onPanes(ClusterWorkspace workspace, SshSettings ssh, Optional<Bundle> bundle, Path answers,
                       Map<String, String> env, PrintWriter out, PrintWriter err, String work, String done)
            throws IOException {
        ClusterSpec spec = workspace.spec();
        try (InstallSession session = new InstallSession(workspace, ssh, PARALLEL, Clock.systemDefaultZone())) {
            out.println("kubeha: connecting to " + spec.hosts().size() + " hosts, taking their locks, probing them");
            out.flush();
            InstallSession.Preparation prepared = session.prepare(false, Set.of(), Set.of(), ReleaseSites.UPSTREAM,
                    new DownloadLines(out), bundle);
            prepared.blockers().forEach(u -> err.println("error: " + u.text()));
            if (prepared.blockers().stream().anyMatch(InstallSession.Blocker::hostKeyUnknown)) {
                err.println("kubeha: these host keys were not trusted in the wizard: open it again (kubeha --answers "
                        + answers + "), check each fingerprint and trust it on the Hosts screen (F6); or, after"
                        + " checking them: kubeha apply -f " + answers + " --accept-new-host-keys --only os");
            }
            prepared.checks().stream().filter(c -> c.status() != PreflightResult.Status.PASS).forEach(c ->
                    err.println("preflight " + c.status().name().toLowerCase(Locale.ROOT) + ": " + c.host()
                            + ": " + c.check() + ": " + c.reason()));
            err.flush();
            if (!prepared.ready()) {
                err.println("kubeha: nothing was installed; fix the problems above and start it again"
                        + " (kubeha --answers " + answers + ")");
                return 1;
            }
            Plan plan = prepared.plan().orElseThrow();
            InstallSummary summary = new InstallSummary(spec.cluster().name(), Topology.controlPlaneEndpoint(spec),
                    Optional.of(session.kubeconfigPath()), List.of("logs: " + session.logs(),
                    "export KUBECONFIG=" + session.kubeconfigPath()), answers, work, done);
            RunResult result = InstallView.run(session, plan, summary, env);
            out.println(result.ok() ? "kubeha: every step is applied and verified"
                    : "kubeha: the install stopped; the journal keeps what finished: kubeha apply -f " + answers);
            out.flush();
            return result.ok() ? 0 : 1;
        }
    }

}
