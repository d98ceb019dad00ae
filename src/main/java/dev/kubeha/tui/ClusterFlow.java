package dev.kubeha.tui;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.DefaultWindowManager;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.dialogs.MessageDialog;
import com.googlecode.lanterna.gui2.dialogs.MessageDialogButton;
import com.googlecode.lanterna.gui2.dialogs.TextInputDialog;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.ansi.UnixTerminal;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.exec.RunResult;
import dev.kubeha.install.AppliedRecord;
import dev.kubeha.install.ClusterSurvey;
import dev.kubeha.install.ClusterWorkspace;
import dev.kubeha.install.ConsolePrompts;
import dev.kubeha.install.InstallSession;
import dev.kubeha.install.MembershipRun;
import dev.kubeha.install.Renewal;
import dev.kubeha.install.UpgradeRun;
import dev.kubeha.model.ClusterChange;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Printable;
import dev.kubeha.model.Role;
import dev.kubeha.model.UpgradePath;
import dev.kubeha.plan.MembershipOptions;
import dev.kubeha.plan.Plan;
import dev.kubeha.plan.RenewCertificates;
import dev.kubeha.plan.UpgradeInput;
import dev.kubeha.render.Topology;
import dev.kubeha.sources.ReleaseSites;
import dev.kubeha.ssh.HostKeyPolicy;
import dev.kubeha.ssh.SecretPrompt;
import dev.kubeha.ssh.SshException;
import dev.kubeha.ssh.SshHosts;
import dev.kubeha.ssh.SshSettings;
import dev.kubeha.state.StateException;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * {@code kubeha --answers FILE} on an installed cluster: the Cluster screen, and the actions its keys start (the
 * rolling certificate renewal, a Kubernetes upgrade, the hosts the answers add or remove, on the install's progress
 * panes); back on the Cluster screen
 * afterwards, with the answers file read again.
 */
final class ClusterFlow {
    private static final int PARALLEL = 32;
    private static final int DIALOG_WIDTH = 110;

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
        actions.add(membershipAction(() -> AppliedRecord.changeTo(workspace.state(), workspace.spec()),
                this::unknownKey, Palette.fromEnvironment(env), SshSettings.defaults(workspace.state().root(),
                        HostKeyPolicy.REJECT_UNKNOWN, SecretPrompt.NONE).knownHosts().stateFile().toString(),
                confirmed -> () -> changeMembership(confirmed)));
        return actions;
    }

    /** What the operator confirmed for a membership change: the options, and the joining hosts' keys trusted. */
    record Confirmed(ClusterChange.Allowed allowed, Set<HostKeyPolicy.UnknownKey> trusted) {
    }

    /**
     * 'm': shows what the answers change against the applied record (joins, removals, haproxy backends, keepalived
     * peers, etcd members) and every refusal by name; what no confirmation can lift stops there. A removal is
     * confirmed by typing the leaving hosts' names, an even etcd count by typing the count (the screen's
     * --allow-removal and --allow-even), a joining host's unknown key ({@code unknownKey}) by its fingerprint dialog;
     * then {@code apply} runs with what was confirmed.
     */
    static ClusterAction membershipAction(Supplier<ClusterChange> change,
                                          Function<HostSpec, Optional<HostKeyPolicy.UnknownKey>> unknownKey,
                                          Palette palette, String knownHosts, Function<Confirmed, IntSupplier> apply) {
        String label = "apply host changes";
        return new ClusterAction('m', label, gui -> {
            ClusterChange proposed;
            try {
                proposed = change.get();
            } catch (StateException e) {
                MessageDialog.showMessageDialog(gui, label + ": refused", wrapped(Printable.of(e.getMessage())),
                        MessageDialogButton.OK);
                return Optional.empty();
            }
            List<String> blocking = proposed.refusals(new ClusterChange.Allowed(true, true));
            if (!blocking.isEmpty()) {
                MessageDialog.showMessageDialog(gui, label + ": refused", wrapped(proposed.describe() + "\n"
                        + String.join("\n", blocking.stream().map(r -> "refused: " + r).toList())),
                        MessageDialogButton.OK);
                return Optional.empty();
            }
            boolean removal = !proposed.leaving().isEmpty();
            List<String> even = proposed.refusals(new ClusterChange.Allowed(true, false));
            List<String> asked = proposed.refusals(ClusterChange.Allowed.NOTHING);
            String question = proposed.describe() + (asked.isEmpty() ? "" : "\nWithout your confirmation next:\n"
                    + String.join("\n", asked.stream().map(r -> "refused: " + r).toList()) + "\n")
                    + "\nApply these changes to the cluster now?";
            if (MessageDialog.showMessageDialog(gui, label, wrapped(question), MessageDialogButton.Yes,
                    MessageDialogButton.No) != MessageDialogButton.Yes) {
                return Optional.empty();
            }
            if (removal && !typed(gui, label + ": confirm the removal", "These hosts leave the cluster (a node is"
                    + " drained, deleted and reset with kubeadm reset; an etcd member is removed and its data"
                    + " deleted):\n" + leavingNames(proposed) + "\nType their names, separated by spaces, to remove"
                    + " them:", leavingNames(proposed))) {
                return Optional.empty();
            }
            int members = proposed.etcdMembersAfter().size();
            if (!even.isEmpty() && !typed(gui, label + ": confirm the even etcd count", wrapped(String.join("\n",
                    even)) + "\nType " + members + " to let etcd run with " + members + " members:",
                    String.valueOf(members))) {
                return Optional.empty();
            }
            Set<HostKeyPolicy.UnknownKey> trusted = new LinkedHashSet<>();
            for (HostSpec joining : proposed.joining()) {
                Optional<HostKeyPolicy.UnknownKey> key = unknownKey.apply(joining);
                if (key.isPresent()) {
                    HostKeyDialog.unknown(gui, palette, joining.name(), key.get(), knownHosts,
                            () -> trusted.add(key.get())).waitUntilClosed();
                    if (!trusted.contains(key.get())) {
                        MessageDialog.showMessageDialog(gui, label, "Not confirmed: " + joining.name() + "'s host"
                                + " key is not trusted; nothing was changed.", MessageDialogButton.OK);
                        return Optional.empty();
                    }
                }
            }
            return Optional.of(apply.apply(new Confirmed(new ClusterChange.Allowed(removal, !even.isEmpty()),
                    Set.copyOf(trusted))));
        });
    }

    /** The text wrapped at spaces for a dialog, each continuation indented under its line. */
    static String wrapped(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String indent = " ".repeat(line.length() - line.stripLeading().length());
            List<String> parts = HostKeyDialog.wrap(line.strip(), DIALOG_WIDTH - indent.length() - 2);
            for (int i = 0; i < parts.size(); i++) {
                out.add((i == 0 ? indent : indent + "  ") + parts.get(i));
            }
            if (parts.isEmpty()) {
                out.add("");
            }
        }
        return String.join("\n", out);
    }

    private static String leavingNames(ClusterChange change) {
        return String.join(" ", change.leaving().stream().map(HostSpec::name).toList());
    }

    /** True when the operator typed {@code expected} (words in any order); a mismatch is said and is a no. */
    private static boolean typed(WindowBasedTextGUI gui, String title, String description, String expected) {
        String answer = TextInputDialog.showDialog(gui, title, description, "");
        if (answer != null && Set.of(answer.strip().split("[\\s,]+")).equals(Set.of(expected.split(" ")))) {
            return true;
        }
        MessageDialog.showMessageDialog(gui, title, "Not confirmed: nothing was changed.", MessageDialogButton.OK);
        return false;
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
        return ssh(HostKeyPolicy.REJECT_UNKNOWN);
    }

    private SshSettings ssh(HostKeyPolicy policy) {
        return SshSettings.defaults(workspace.state().root(), policy, ConsolePrompts.secrets());
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
            RunResult result = onPanes("certificate renewal", "has renewed certificates")
                    .run(session, prepared.plan().orElseThrow());
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
            return new UpgradeRun(workspace, path, 1, answers, ssh(), false, Clock.systemUTC(),
                    UpgradeInput.DEFAULT_DRAIN_TIMEOUT)
                    .run(out, out, plan -> true, onPanes("upgrade", "is upgraded to " + path.to()));
        } catch (UncheckedIOException e) {
            out.println("kubeha: cannot use the terminal: " + e.getCause().getMessage());
            return 1;
        }
    }

    /**
     * The membership change as kubeha apply runs it with what the operator confirmed: the record's refusals, the
     * external etcd's members (on the panes), then the install plan that joins and removes hosts (on the panes).
     */
    private int changeMembership(Confirmed confirmed) {
        SshSettings ssh = ssh(key -> confirmed.trusted().contains(key) ? HostKeyPolicy.Decision.ACCEPT
                : HostKeyPolicy.Decision.REJECT);
        MembershipRun run = new MembershipRun(workspace, ssh, confirmed.allowed(), MembershipOptions.DEFAULT, false,
                ReleaseSites.UPSTREAM, Clock.systemUTC());
        try {
            if (!run.admitted(out, out)) {
                return 1;
            }
            int etcd = run.etcdMembers(out, out, question -> true, onPanes("etcd membership change",
                    "has the answers' etcd members"));
            return etcd != 0 ? etcd : InstallFlow.onPanes(workspace, ssh, Optional.empty(), answers, env, out, out,
                    "host change", "has the answers' hosts");
        } catch (IOException e) {
            out.println("kubeha: cannot use the terminal: " + e.getMessage());
            return 1;
        } catch (UncheckedIOException e) {
            out.println("kubeha: cannot use the terminal: " + e.getCause().getMessage());
            return 1;
        }
    }

    /** A joining host's key when no known_hosts file lists it: one connection, refused once the key is seen. */
    private Optional<HostKeyPolicy.UnknownKey> unknownKey(HostSpec host) {
        AtomicReference<HostKeyPolicy.UnknownKey> seen = new AtomicReference<>();
        SshSettings probe = SshSettings.defaults(workspace.state().root(), key -> {
            seen.set(key);
            return HostKeyPolicy.Decision.REJECT;
        }, SecretPrompt.NONE);
        try (SshHosts hosts = new SshHosts(probe)) {
            hosts.host(host, workspace.spec().ssh()).connect();
        } catch (SshException e) {
            // an unknown key is in seen; any other failure is the run's to report
        }
        return Optional.ofNullable(seen.get());
    }

    /** Runs a plan on the install's per-node progress panes; its summary names the work and what it made. */
    private UpgradeRun.Execution onPanes(String work, String done) {
        return (session, plan) -> {
            InstallSummary summary = new InstallSummary(session.spec().cluster().name(),
                    Topology.controlPlaneEndpoint(session.spec()), Optional.of(session.kubeconfigPath()),
                    List.of("logs: " + session.logs()), answers, work, done);
            try {
                return InstallView.run(session, plan, summary, env);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
