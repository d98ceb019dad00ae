package dev.kubeha.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.ActionListBox;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.BorderLayout;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.CheckBox;
import com.googlecode.lanterna.gui2.ComboBox;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Separator;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.gui2.table.Table;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.tui.probe.ProbeReport;
import dev.kubeha.tui.probe.ProbeTarget;
import dev.kubeha.validate.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The full-screen wizard: one window whose middle shows the current screen, with steps on top and keys at the bottom. */
public final class Wizard implements AutoCloseable {
    static final String HELP = "F1 keys  Tab move  PgDn next step  PgUp/Esc back  F2 save  F3 save as  F10 quit";
    /** The smallest terminal every screen fits. */
    static final int MIN_COLUMNS = 80;
    static final int MIN_ROWS = 24;
    /** Lines the status area wraps a message to; F1 shows a longer one whole. */
    static final int STATUS_LINES = 2;
    static final List<String> KEYS = List.of(
            "Tab / Shift-Tab  next / previous field",
            "PgDn / PgUp, Esc next / previous step (the whole step, not the field)",
            "F2 save   F3 save as   F5 check hosts and VIP again",
            "F6 the first open host-key question   F1, ? (off text fields) this list",
            "F10, Ctrl-C      quit (asks when the answers are not saved)",
            "Text fields      Ctrl-A/Ctrl-E start/end, Ctrl-U/Ctrl-W delete line/word",
            "Hosts            Ins add a host, Ctrl-Z undo a delete,",
            "                 Delete button: the host being edited",
            "  on the table   Enter edit, Del delete, c w e l roles, t host key",
            "  on the roles   Space toggles the focused role",
            "Dialogs          Esc, Ctrl-C, F10 close them (as Cancel)");

    private final WindowBasedTextGUI gui;
    private final Draft draft;
    private final WizardSettings settings;
    private final Autosave autosave;
    private final BasicWindow window = new BasicWindow("kubeha");
    private final Label heading = new Label("");
    private final Label stepBar = new Label("");
    private final Panel middle = new Panel(new LinearLayout(Direction.VERTICAL).setSpacing(0));
    private final Label status = new Label("");
    private final Label help = new Label(HELP);
    private final List<WizardStep> steps;
    private final LiveState live;
    private final ScheduledExecutorService ticker;
    private int current = -1;
    private boolean finished;
    private Optional<Path> installRequested = Optional.empty();
    private String notice = "";
    /** The draft checked last; null until the first frame is drawn, which draws no verdict. */
    private CheckedAnswers checked;
    private Optional<ClusterSpec> saved = Optional.empty();
    /** The answers that count as saved, read once the first frame is drawn (the draft itself: from its first check). */
    private Draft savedFrom;
    private boolean firstFrameDrawn;
    private Optional<Path> lastAutosave = Optional.empty();
    private boolean quitUnsaved;

    public Wizard(WindowBasedTextGUI gui, Draft draft, WizardSettings settings) {
        this.gui = gui;
        this.draft = draft;
        this.settings = settings;
        this.autosave = new Autosave(settings.stateHome());
        this.savedFrom = draft;
        Palette palette = settings.palette();
        Runnable changed = this::refresh;
        this.live = new LiveState(settings.probe(), settings.stateHome(), LiveState.DEBOUNCE,
                r -> gui.getGUIThread().invokeLater(r), this::refresh);
        this.steps = List.of(
                new WizardStep("Cluster", "Cluster and versions", Set.of("cluster", "containerRuntime",
                        "containerRuntimeInstall"),
                        () -> new ClusterScreen(draft, palette, changed, settings.today(), live::checks)),
                new WizardStep("SSH", "SSH access", Set.of("ssh"), () -> new SshScreen(draft, palette, changed)),
                new WizardStep("Hosts", "Hosts", Set.of("hosts"),
                        () -> new HostsScreen(draft, palette, changed, live, this::askKey)),
                new WizardStep("Load balancer", "Load balancer", Set.of("loadBalancer"),
                        () -> new LoadBalancerScreen(draft, palette, changed, live)),
                new WizardStep("Network", "Network", Set.of("network"),
                        () -> new NetworkScreen(draft, palette, changed)),
                new WizardStep("etcd", "External etcd", Set.of("etcd"), () -> new EtcdScreen(draft, palette, changed)),
                new WizardStep("Add-ons", "Add-ons", Set.of("addons"), () -> new AddonsScreen(draft, palette, changed)),
                new WizardStep("Review", "Review", Set.of(),
                        () -> new ReviewScreen(palette, live, settings.bundle(), this::jump, this::saveAnswers, this::saveAs, this::install)));
        Panel top = new Panel(new LinearLayout(Direction.VERTICAL).setSpacing(0));
        top.addComponent(heading);
        top.addComponent(stepBar);
        top.addComponent(new Separator(Direction.HORIZONTAL).setLayoutData(LinearLayout.createLayoutData(
                LinearLayout.Alignment.Fill)));
        Panel bottom = new Panel(new LinearLayout(Direction.VERTICAL).setSpacing(0));
        bottom.addComponent(status);
        bottom.addComponent(help);
        Panel root = new Panel(new BorderLayout());
        root.addComponent(top.setLayoutData(BorderLayout.Location.TOP));
        root.addComponent(middle.setLayoutData(BorderLayout.Location.CENTER));
        root.addComponent(bottom.setLayoutData(BorderLayout.Location.BOTTOM));
        window.setHints(List.of(Window.Hint.FULL_SCREEN, Window.Hint.NO_DECORATIONS));
        window.setTheme(palette.theme());
        window.setComponent(root);
        window.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window basePane, KeyStroke key, AtomicBoolean deliverEvent) {
                if (handleKey(key)) {
                    deliverEvent.set(false);
                }
                gui.getGUIThread().invokeLater(current == 2 ? Wizard.this::refresh : Wizard.this::updateStatus);
            }

            @Override
            public void onResized(Window window, TerminalSize oldSize, TerminalSize newSize) {
                refresh();
            }
        });
        gui.addWindow(window);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubeha-spinner");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> {
            if ((current == 2 || current == 3) && live.anyPending()) {
                gui.getGUIThread().invokeLater(this::refresh);
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        show(0);
    }

    public Window window() {
        return window;
    }

    public int current() {
        return current;
    }

    public Draft draft() {
        return draft;
    }

    /** How many of the steps' screens exist so far: each is built when first shown. */
    int screensBuilt() {
        return (int) steps.stream().filter(WizardStep::built).count();
    }

    private boolean handleKey(KeyStroke key) {
        Interactable focused = window.getFocusedInteractable();
        if (!finished && current >= 0 && steps.get(current).screen().handleKey(key, focused)) {
            return true;
        }
        switch (key.getKeyType()) {
            case PageDown -> next();
            case PageUp, Escape -> back();
            case F2 -> saveAnswers();
            case F3 -> saveAs();
            case F5 -> recheck();
            case F6 -> askKey(live.firstKeyQuestion().orElse(-1));
            case F10 -> quit();
            case F1 -> showKeys();
            case Character -> {
                if (key.isCtrlDown() && key.getCharacter() == 'c') {
                    quit();
                    return true;
                }
                if (key.getCharacter() == '?' && !key.isCtrlDown() && !key.isAltDown()
                        && !(window.getFocusedInteractable() instanceof TextBox)) {
                    showKeys();
                    return true;
                }
                return false;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    public void next() {
        if (finished) {
            return;
        }
        if (current < steps.size() - 1) {
            show(current + 1);
        }
    }

    public void back() {
        if (finished) {
            finished = false;
            show(steps.size() - 1);
        } else if (current > 0) {
            show(current - 1);
        }
    }

    /** Switches to screen {@code index}, autosaving the answers first. */
    public void show(int index) {
        if (current >= 0) {
            steps.get(current).screen().leave();
            autosaveNow();
        }
        finished = false;
        current = index;
        middle.removeAllComponents();
        middle.addComponent(steps.get(index).screen().body());
        middle.addComponent(navigation());
        refresh();
        steps.get(index).screen().focus("");
        if (window.getFocusedInteractable() == null) {
            window.setFocusedInteractable(null);
        }
        updateStatus();
    }

    private Panel navigation() {
        Panel nav = new Panel(new LinearLayout(Direction.HORIZONTAL));
        if (current > 0) {
            nav.addComponent(new Button("Back", this::back));
        }
        if (current < steps.size() - 1) {
            nav.addComponent(new Button("Next", this::next));
        }
        return nav;
    }

    private void jump(String path) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).owns(path)) {
                show(i);
                steps.get(i).screen().focus(path);
                updateStatus();
                return;
            }
        }
    }

    /** Re-checks the whole draft and updates every message; called on every edit. Before the first frame: no check. */
    public void refresh() {
        if (firstFrameDrawn) {
            check();
        }
        draw();
    }

    private void check() {
        checked = draft.check(settings.today());
        checked.loaded().spec().ifPresent(live::update);
    }

    /**
     * Draws the first frame, then checks the draft and draws its verdicts: the check is not on the way to the first
     * frame, and it is done before any key is handled.
     */
    void drawFirstFrameThenCheck() throws IOException {
        gui.updateScreen();
        firstFrameDrawn = true;
        check();
        saved = savedFrom == draft ? checked.loaded().spec() : savedFrom.load().spec();
        savedFrom = null;
        draw();
    }

    private void draw() {
        TerminalSize size = gui.getScreen().getTerminalSize();
        String step = "step " + (current + 1) + "/" + steps.size() + ": " + title() + " ";
        heading.setText(Layout.pad(" kubeha: cluster " + draft.clusterName, size.getColumns() - step.length())
                + step);
        StringBuilder bar = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            String tab = (i + 1) + " " + steps.get(i).tab();
            bar.append(i == current && !finished ? " [" + tab + "]" : " " + tab);
        }
        stepBar.setText(Layout.cut(bar.toString(), size.getColumns()));
        if (!finished && current >= 0 && checked != null) {
            steps.get(current).screen().refresh(checked, size.getColumns(), size.getRows());
        }
        help.setText(size.getColumns() < MIN_COLUMNS || size.getRows() < MIN_ROWS
                ? Layout.cut("the terminal is " + size.getColumns() + "x" + size.getRows() + "; the wizard needs at least "
                        + MIN_COLUMNS + "x" + MIN_ROWS, size.getColumns())
                : Layout.cut(HELP, size.getColumns()));
        updateStatus();
    }

    /** F1 and ?: every key, and the whole message of the focused field. */
    private void showKeys() {
        List<String> lines = new ArrayList<>();
        String message = statusText();
        if (!message.isEmpty()) {
            lines.add(message);
            lines.add("");
        }
        lines.addAll(KEYS);
        Dialogs.ask(gui, settings.palette(), "Keys", lines, List.of(new Dialogs.Choice("Close", () -> { })));
    }

    /** What the keys do on the focused input, where the help line cannot say it. */
    static String hint(Interactable focused) {
        // instanceof, not a pattern switch: a type switch spins a class at run time (its first use, on the first
        // frame, costs the class-file API's start-up), which the AOT cache does not keep.
        if (focused instanceof ComboBox<?>) {
            return "Enter opens the choices; Up/Down and Enter pick one";
        } else if (focused instanceof CheckBox) {
            return "Space toggles it";
        } else if (focused instanceof Table<?>) {
            return "Enter edits the row, Del deletes it, c/w/e/l toggle roles, t its host key";
        } else if (focused instanceof ActionListBox) {
            return "Up/Down choose a line, Enter uses it";
        } else if (focused instanceof TextBox) {
            return "Ctrl-U clears the field, Ctrl-W deletes a word";
        }
        return "";
    }

    private String statusText() {
        List<Problem> mine = finished || current < 0 || checked == null ? List.of()
                : steps.get(current).screen().problemsOf(window.getFocusedInteractable());
        return mine.isEmpty() ? notice
                : Layout.mark(mine.get(0)) + Wording.text(mine.get(0), Wording.hostNames(checked));
    }

    private String title() {
        return finished ? "Saved" : current < 0 ? "" : steps.get(current).title();
    }

    private void updateStatus() {
        if (checked == null) {
            return;
        }
        int width = gui.getScreen().getTerminalSize().getColumns();
        List<Problem> mine = finished || current < 0 ? List.of()
                : steps.get(current).screen().problemsOf(window.getFocusedInteractable());
        List<String> lines = new ArrayList<>(mine.isEmpty() ? List.of(Layout.cut(notice, width))
                : Layout.wrap(statusText(), width, STATUS_LINES));
        String hint = hint(window.getFocusedInteractable());
        if (mine.isEmpty() && !hint.isEmpty()) {
            lines.add(Layout.cut(hint, width));
        }
        status.setText(String.join("\n", lines));
        if (!mine.isEmpty()) {
            Problem p = mine.get(0);
            status.setForegroundColor(p.isError() ? settings.palette().error() : settings.palette().warning());
        } else {
            status.setForegroundColor(TextColor.ANSI.DEFAULT);
        }
    }

    /**
     * Opens the host-key question of a row: an unknown key's fingerprint for an explicit trust, or what to do about a
     * changed one.
     */
    void askKey(int row) {
        Optional<ProbeTarget> target = live.target(row);
        Optional<ProbeReport> report = live.checks().row(row).report();
        if (target.isEmpty() || report.isEmpty()) {
            notice = "no host key question is open";
            updateStatus();
            return;
        }
        String name = row < draft.hosts.size() ? draft.hosts.get(row).name : "";
        String host = (name.isBlank() ? "host " + (row + 1) : name) + " (" + target.get().ssh().where() + ")";
        switch (report.get().outcome()) {
            case HOST_KEY_UNKNOWN -> report.get().unknownKey().ifPresent(key -> HostKeyDialog.unknown(gui,
                    settings.palette(), host, key, target.get().knownHosts().toString(), () -> {
                        live.trust(key);
                        notice = "trusted " + key.fingerprint() + " for " + host + "; checking it again";
                        refresh();
                    }));
            case HOST_KEY_CHANGED -> HostKeyDialog.changed(gui, settings.palette(), host, report.get().reason(),
                    "ssh-keygen -R '" + (target.get().port() == 22 ? target.get().address() : "["
                            + target.get().address() + "]:" + target.get().port()) + "' -f "
                            + target.get().knownHosts() + " (and -f ~/.ssh/known_hosts where it is listed)");
            default -> {
                notice = "the host key of " + host + " needs nothing";
                updateStatus();
            }
        }
    }

    private void recheck() {
        live.recheckAll();
        notice = "checking the hosts again";
        refresh();
    }

    /** Saves the draft to the state directory; never throws, reports in the status line. */
    public Optional<Path> autosaveNow() {
        try {
            Path file = autosave.autosave(draft);
            lastAutosave = Optional.of(file);
            notice = "autosaved to " + file;
            return Optional.of(file);
        } catch (IOException | RuntimeException e) {
            notice = "autosave failed: " + e.getMessage();
            return Optional.empty();
        }
    }

    private void saveAnswers() {
        save(settings.saveTarget(draft.clusterName));
    }

    /**
     * Install: refused while errors remain or the live preflight fails (shown with the way to the field); otherwise
     * asks to confirm what will happen, and only then saves the answers and closes the wizard for the install.
     */
    void install() {
        if (checked.hasErrors()) {
            notice = "fix the errors listed above before installing";
            updateStatus();
            return;
        }
        if (live.anyPending()) {
            notice = "the host checks are still running; choose Install when they finish";
            updateStatus();
            return;
        }
        ClusterSpec spec = checked.validSpec().orElseThrow();
        List<InstallGate.Failure> failures = InstallGate.failures(spec, live);
        if (!failures.isEmpty()) {
            List<String> lines = new ArrayList<>(List.of("Install cannot start; the preflight of the hosts found:"));
            failures.forEach(f -> lines.add("  " + Layout.ERROR + f.text()));
            lines.add("Nothing was written and no host was changed. Fix these, then Install again.");
            InstallGate.Failure first = failures.get(0);
            Dialogs.ask(gui, settings.palette(), "Preflight failed", lines, List.of(
                    new Dialogs.Choice("Go to the field", () -> jump(first.path())),
                    new Dialogs.Choice("Close", () -> { })));
            return;
        }
        Path target = settings.saveTarget(draft.clusterName);
        Dialogs.ask(gui, settings.palette(), "Install?", InstallGate.confirmation(spec, target,
                        settings.stateHome().clusterDir(spec.cluster().name()), live.enabled()),
                List.of(new Dialogs.Choice("Cancel", () -> { }), new Dialogs.Choice("Install", () -> {
                    try {
                        installRequested = Optional.of(Autosave.saveAs(target, draft));
                        saved = draft.load().spec();
                        autosaveNow();
                        window.close();
                    } catch (IOException | RuntimeException e) {
                        notice = "could not save " + target + ": " + e.getMessage();
                        updateStatus();
                    }
                })));
    }

    /** The saved answers file to install from, when the operator chose Install. */
    public Optional<Path> installRequested() {
        return installRequested;
    }

    private void saveAs() {
        Dialogs.input(gui, settings.palette(), "Save as", "Path of the answers file:",
                settings.saveTarget(draft.clusterName).toString(), chosen -> {
                    if (!chosen.isBlank()) {
                        save(Path.of(chosen.strip().replaceFirst("^~(?=/)", System.getProperty("user.home"))));
                    }
                });
    }

    private void save(Path target) {
        try {
            Path file = Autosave.saveAs(target, draft);
            saved = draft.load().spec();
            autosaveNow();
            notice = "saved answers to " + file;
            showFinish(file);
        } catch (IOException | RuntimeException e) {
            notice = "could not save " + target + ": " + e.getMessage();
            updateStatus();
        }
    }

    private void showFinish(Path file) {
        finished = true;
        middle.removeAllComponents();
        boolean errors = checked.hasErrors();
        middle.addComponent(new Label(errors ? "Saved the answers; they still have errors:" : "Saved the answers:"));
        middle.addComponent(new Label("  " + file));
        middle.addComponent(new Label(""));
        middle.addComponent(new Label("Check them again with kubeha validate -f FILE; open them again in the wizard"));
        middle.addComponent(new Label("with kubeha --answers FILE."));
        middle.addComponent(new Label("Back to review, then Install, to install from them."));
        middle.addComponent(new Label(""));
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        Button quit = new Button("Quit", this::quit);
        buttons.addComponent(quit);
        buttons.addComponent(new Button("Back to review", this::back));
        middle.addComponent(buttons);
        refresh();
        quit.takeFocus();
    }

    /** Autosaves and closes the window, which ends {@link #run()}; asks first when the answers were not saved. */
    public void quit() {
        if (!unsaved()) {
            autosaveNow();
            window.close();
            return;
        }
        Path target = settings.saveTarget(draft.clusterName);
        Dialogs.ask(gui, settings.palette(), "Quit?", List.of("The answers have changes that are not saved to "
                        + target + ".", "The autosave keeps them; the next kubeha run offers to resume them."),
                List.of(new Dialogs.Choice("Keep editing", () -> { }),
                        new Dialogs.Choice("Save and quit", () -> {
                            try {
                                Autosave.saveAs(target, draft);
                                saved = draft.load().spec();
                                notice = "saved answers to " + target.toAbsolutePath();
                                quit();
                            } catch (IOException | RuntimeException e) {
                                notice = "could not save " + target + ": " + e.getMessage();
                                updateStatus();
                            }
                        }),
                        new Dialogs.Choice("Quit without saving", () -> {
                            quitUnsaved = true;
                            autosaveNow();
                            window.close();
                        })));
    }

    /** What the operator's file holds when the draft did not come from it (an autosave resumed). */
    public void savedIs(Draft file) {
        if (firstFrameDrawn) {
            saved = file.load().spec();
        } else {
            savedFrom = file;
        }
    }

    /** Whether the answers differ from what was loaded or last saved to the operator's file. */
    public boolean unsaved() {
        return !draft.load().spec().equals(firstFrameDrawn ? saved : savedFrom.load().spec());
    }

    /** Whether the operator left with answers that only the autosave holds. */
    public boolean quitUnsaved() {
        return quitUnsaved;
    }

    /** The autosave written last, if any. */
    public Optional<Path> lastAutosave() {
        return lastAutosave;
    }

    /** Runs the wizard on the calling thread until it is closed. */
    public void run() throws IOException {
        drawFirstFrameThenCheck();
        gui.waitForWindowToClose(window);
    }

    public String notice() {
        return notice;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        live.close();
    }
}
