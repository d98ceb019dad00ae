package dev.kubeha.tui;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.DefaultWindowManager;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.dialogs.MessageDialog;
import com.googlecode.lanterna.gui2.dialogs.MessageDialogButton;
import com.googlecode.lanterna.gui2.dialogs.TextInputDialog;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.ansi.UnixTerminal;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.exec.RunResult;
import dev.kubeha.install.ClusterSurvey;
import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.install.ConsolePrompts;
import dev.kubeha.install.InstallSession;
import dev.kubeha.install.Renewal;
import dev.kubeha.install.UpgradeRun;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.Printable;
import dev.kubeha.model.Role;
import dev.kubeha.model.UpgradePath;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.RenewCertificates;
import dev.kubeha.render.Topology;
import dev.kubeha.ssh.HostKeyPolicy;
import dev.kubeha.ssh.SshSettings;
import dev.kubeha.state.StateHome;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * {@code kubeha --answers FILE} on an installed cluster: the Cluster screen, and the actions its keys start (the
 * rolling certificate renewal, a Kubernetes upgrade, on the install's progress panes); back on the Cluster screen
 * afterwards, with the answers file read again.
 */
final class ClusterFlow {
    private static final int PARALLEL = 32;

    private ClusterWorkspace workspace;
    private final Path answers;
    private final StateHome home;
    private final LocalDate today;
    private final Map<String, String> env;
    private final PrintWriter out;

    private ClusterFlow(ClusterWorkspace workspace, Path answers, StateHome home, LocalDate today,
                        Map<String, String> env, PrintWriter out) {
        this.workspace = workspace;
        this.answers = answers;
        this.home = home;
        this.today = today;
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
                ? Optional.of(new ClusterFlow(ClusterWorkspace.open(spec, home), answers, home, today, env, out))
                : Optional.empty();
    }

    /**
     * The keys of the Cluster screen. The lead wires backup and drills here once their commands exist: one
     * {@link ClusterAction} each, with its confirmation, running on the install's progress panes like renewal.
     */
    List<ClusterAction> actions() {
        List<ClusterAction> actions = new ArrayList<>();
        actions.add(ClusterAction.confirmed('r', "renew certificates", "Renew every certificate kubeha and kubeadm"
                + " manage, one etcd member and one control plane at a time?", this::renew));
        actions.add(upgradeAction(workspace.spec(), path -> () -> upgrade(path)));
        return actions;
    }

    /**
     * 'u': asks for the target version, shows why kubeha refuses it or what the upgrade will change, and on Yes
     * runs {@code upgrade} with the checked path.
     */
    static ClusterAction upgradeAction(ClusterSpec spec, Function<UpgradePath, IntSupplier> upgrade) {
        String label = "upgrade Kubernetes";
        return new ClusterAction('u', label, gui -> {
            String target = TextInputDialog.showDialog(gui, label, "The cluster runs Kubernetes "
                    + spec.cluster().kubernetesVersion() + ". Upgrade to (one minor at a time, e.g. 1.37.1):", "");
            if (target == null || target.isBlank()) {
                return Optional.empty();
            }
            UpgradePath path;
            try {
                path = UpgradeRun.path(spec, target.strip());
            } catch (UpgradePath.Refused e) {
                MessageDialog.showMessageDialog(gui, label + ": refused", String.join("\n",
                        e.reasons().stream().map(Printable::of).toList()), MessageDialogButton.OK);
                return Optional.empty();
            }
            String question = String.join("\n", UpgradeRun.outline(spec, path, 1)) + "\n\nUpgrade now?";
            return MessageDialog.showMessageDialog(gui, label, question, MessageDialogButton.Yes,
                    MessageDialogButton.No) == MessageDialogButton.Yes ? Optional.of(upgrade.apply(path))
                    : Optional.empty();
        });
    }

    int run() throws IOException {
        while (true) {
            Optional<ClusterAction.Chosen> chosen;
            UnixTerminal terminal = new QuickUnixTerminal(System.in, System.out, StandardCharsets.UTF_8);
            TerminalScreen screen = new TerminalScreen(terminal);
            screen.startScreen();
            try (ClusterSurvey survey = new ClusterSurvey(workspace, ssh(), PARALLEL, Clock.systemUTC())) {
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
            reload();
            out.println("kubeha: " + chosen.get().label() + (code == 0 ? ": done" : ": stopped (exit " + code + ")"));
            out.flush();
            if (code != 0) {
                ConsolePrompts.pause("press Enter for the Cluster screen ");
            }
        }
    }

    /** The answers file may say something new after an action (an upgrade sets the version): read it again. */
    private void reload() {
        CheckedAnswers.check(answers, today).validSpec()
                .ifPresent(spec -> workspace = ClusterWorkspace.open(spec, home));
    }

    private SshSettings ssh() {
        return SshSettings.defaults(workspace.state().root(), HostKeyPolicy.REJECT_UNKNOWN, ConsolePrompts.secrets());
    }

    private int renew() {
        String round = Renewal.round(workspace.state(), Clock.systemUTC());
        ClusterWorkspace renewed = Renewal.renewInState(workspace, Optional.empty(), round);
        try (InstallSession session = new InstallSession(renewed, ssh(), PARALLEL, Clock.systemDefaultZone())) {
            InstallSession.Preparation prepared = session.prepare(false, RenewCertificates.WORKFLOW,
                    probed -> Renewal.input(renewed, true, true, Optional.empty(), round));
            prepared.blockers().forEach(b -> out.println("kubeha: " + b.text()));
            if (!prepared.ready()) {
                return 1;
            }
            RunResult result = onPanes(session, prepared.plan().orElseThrow());
            if (result.ok()) {
                Renewal.roundFinished(workspace.state());
                session.refreshKubeconfig();
            }
            return result.ok() ? 0 : 1;
        } catch (UncheckedIOException e) {
            out.println("kubeha: cannot use the terminal: " + e.getCause().getMessage());
            return 1;
        }
    }

    /** The upgrade as kubeha upgrade runs it (refusals, status check, backup, answers file), on the panes. */
    private int upgrade(UpgradePath path) {
        try {
            return new UpgradeRun(workspace, path, 1, answers, ssh(), false, Clock.systemUTC())
                    .run(out, out, plan -> true, this::onPanes);
        } catch (UncheckedIOException e) {
            out.println("kubeha: cannot use the terminal: " + e.getCause().getMessage());
            return 1;
        }
    }

    /** Runs the plan on the install's per-node progress panes. */
    private RunResult onPanes(InstallSession session, Plan plan) {
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        session.spec().hosts().forEach(h -> roles.put(h.name(), h.roles()));
        InstallSummary summary = new InstallSummary(session.spec().cluster().name(),
                Topology.controlPlaneEndpoint(session.spec()), Optional.of(session.kubeconfigPath()),
                List.of("logs: " + session.logs()), answers);
        try {
            return InstallView.run(plan, roles, summary, env,
                    hooks -> session.run(plan, hooks.sink(), hooks.failures(), hooks.cancellation()).result());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
