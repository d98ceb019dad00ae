package dev.kubeha.tui;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.DefaultWindowManager;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.ansi.UnixTerminal;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.exec.RunResult;
import dev.kubeha.install.ClusterSurvey;
import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.install.ConsolePrompts;
import dev.kubeha.install.InstallSession;
import dev.kubeha.install.Renewal;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Role;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.RenewCertificates;
import dev.kubeha.render.Topology;
import dev.kubeha.ssh.HostKeyPolicy;
import dev.kubeha.ssh.SshSettings;
import dev.kubeha.state.StateHome;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubeha --answers FILE} on an installed cluster: the Cluster screen, and the actions its keys start (the
 * rolling certificate renewal on the install's progress panes); back on the Cluster screen afterwards.
 */
final class ClusterFlow {
    private static final int PARALLEL = 32;

    private final ClusterWorkspace workspace;
    private final Path answers;
    private final Map<String, String> env;
    private final PrintWriter out;

    private ClusterFlow(ClusterWorkspace workspace, Path answers, Map<String, String> env, PrintWriter out) {
        this.workspace = workspace;
        this.answers = answers;
        this.env = env;
        this.out = out;
    }

    /** The flow when the answers are valid and the journal says this cluster is installed; else empty. */
    static Optional<ClusterFlow> forInstalled(Path answers, StateHome home, LocalDate today, Map<String, String> env,
                                              PrintWriter out) {
        CheckedAnswers checked = CheckedAnswers.check(answers, today);
        if (checked.hasErrors()) {
            return Optional.empty();
        }
        ClusterSpec spec = checked.validSpec().orElseThrow();
        return Renewal.installed(spec, home)
                ? Optional.of(new ClusterFlow(ClusterWorkspace.open(spec, home), answers, env, out)) : Optional.empty();
    }

    /**
     * The keys of the Cluster screen. The lead wires backup and drills here once their commands exist: one
     * {@link ClusterAction} each, with its confirmation, running on the install's progress panes like renewal.
     */
    List<ClusterAction> actions() {
        List<ClusterAction> actions = new ArrayList<>();
        actions.add(new ClusterAction('r', "renew certificates", "Renew every certificate kubeha and kubeadm manage,"
                + " one etcd member and one control plane at a time?", this::renew));
        return actions;
    }

    int run() throws IOException {
        SshSettings ssh = SshSettings.defaults(workspace.state().root(), HostKeyPolicy.REJECT_UNKNOWN,
                ConsolePrompts.secrets());
        while (true) {
            Optional<ClusterAction> chosen;
            UnixTerminal terminal = new QuickUnixTerminal(System.in, System.out, StandardCharsets.UTF_8);
            TerminalScreen screen = new TerminalScreen(terminal);
            screen.startScreen();
            try (ClusterSurvey survey = new ClusterSurvey(workspace, ssh, PARALLEL, Clock.systemUTC())) {
                MultiWindowTextGUI gui = new MultiWindowTextGUI(screen, new DefaultWindowManager(),
                        new EmptySpace(TextColor.ANSI.DEFAULT));
                chosen = new ClusterView(gui, workspace.spec(), actions(), Palette.fromEnvironment(env))
                        .run(survey::run);
            } finally {
                screen.stopScreen();
            }
            if (chosen.isEmpty()) {
                return 0;
            }
            int code = chosen.get().run().getAsInt();
            out.println("kubeha: " + chosen.get().label() + (code == 0 ? ": done" : ": stopped (exit " + code + ")"));
            out.flush();
        }
    }

    private int renew() {
        ClusterWorkspace renewed = Renewal.renewInState(workspace, Optional.empty());
        String round = Renewal.round(workspace.state(), Clock.systemUTC());
        SshSettings ssh = SshSettings.defaults(workspace.state().root(), HostKeyPolicy.REJECT_UNKNOWN,
                ConsolePrompts.secrets());
        try (InstallSession session = new InstallSession(renewed, ssh, PARALLEL, Clock.systemDefaultZone())) {
            InstallSession.Preparation prepared = session.prepare(false, RenewCertificates.WORKFLOW,
                    probed -> Renewal.input(renewed, true, true, Optional.empty(), round));
            prepared.blockers().forEach(b -> out.println("kubeha: " + b.text()));
            if (!prepared.ready()) {
                return 1;
            }
            Plan plan = prepared.plan().orElseThrow();
            Map<String, Set<Role>> roles = new LinkedHashMap<>();
            workspace.spec().hosts().forEach(h -> roles.put(h.name(), h.roles()));
            InstallSummary summary = new InstallSummary(workspace.spec().cluster().name(),
                    Topology.controlPlaneEndpoint(workspace.spec()), Optional.of(session.kubeconfigPath()),
                    List.of("logs: " + session.logs()), answers);
            RunResult result = InstallView.run(plan, roles, summary, env,
                    hooks -> session.run(plan, hooks.sink(), hooks.failures(), hooks.cancellation()).result());
            if (result.ok()) {
                Renewal.roundFinished(workspace.state());
                session.refreshKubeconfig();
            }
            return result.ok() ? 0 : 1;
        } catch (IOException e) {
            out.println("kubeha: cannot use the terminal: " + e.getMessage());
            return 1;
        }
    }
}
