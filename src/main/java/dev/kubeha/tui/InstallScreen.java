package dev.kubeha.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.AbstractComponent;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.ComponentRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.kubeha.events.EngineEvent;
import dev.kubeha.events.EventSink;
import dev.kubeha.events.RunFailure;
import dev.kubeha.exec.Cancellation;
import dev.kubeha.model.Role;
import dev.kubeha.plan.Plan;
import dev.kubeha.progress.Elapsed;
import dev.kubeha.progress.HostState;
import dev.kubeha.progress.HostStatus;
import dev.kubeha.progress.InstallProgress;
import dev.kubeha.progress.PhaseStatus;
import dev.kubeha.progress.ProgressBar;
import dev.kubeha.progress.ProgressSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** The install screen: phases and overall progress, one live pane per node, a node's log, failure prompts, summary. */
public final class InstallScreen {
    static final int PANE_HEIGHT = 5;
    static final int PANE_MIN_WIDTH = 38;
    static final int PANE_MAX_WIDTH = 100;
    static final String HELP_PANES = "arrows choose a node  Enter its log  Ctrl-C cancel";
    static final String HELP_LOG = "Up/Down PgUp/PgDn scroll  End follow  Esc back";
    static final String HELP_END = "Enter/q quit  Esc nodes  s summary  arrows + Enter a node's log";

    /** What the middle of the screen shows. */
    enum View { PANES, LOG, SUMMARY }

    private final WindowBasedTextGUI gui;
    private final InstallProgress progress;
    private final Map<String, Set<Role>> roles;
    private final InstallSummary summary;
    private final Palette palette;
    private final Clock clock;
    private final Cancellation cancellation = new Cancellation();
    private final FailurePrompts prompts;
    private final BasicWindow window = new BasicWindow("kubeha install");
    private final Canvas canvas = new Canvas();
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final EventSink sink;
    private View view = View.PANES;
    private int selected;
    private int firstRow;
    private int logBack;
    private long lastSecond = -1;
    private String notice = "";
    private boolean engineStopped;

    public InstallScreen(WindowBasedTextGUI gui, Plan plan, Map<String, Set<Role>> roles, InstallSummary summary,
                         Palette palette, Clock clock) {
        this.gui = gui;
        this.progress = new InstallProgress(plan);
        this.roles = Map.copyOf(roles);
        this.summary = summary;
        this.palette = palette;
        this.clock = clock;
        this.prompts = new FailurePrompts(gui, palette, cancellation, this::cancel);
        this.sink = this::accept;
        window.setHints(List.of(Window.Hint.FULL_SCREEN, Window.Hint.NO_DECORATIONS));
        window.setTheme(palette.theme());
        window.setComponent(canvas);
        window.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window basePane, KeyStroke key, AtomicBoolean deliverEvent) {
                deliverEvent.set(!handleKey(key));
                canvas.invalidate();
            }

            @Override
            public void onResized(Window w, TerminalSize oldSize, TerminalSize newSize) {
                canvas.invalidate();
            }
        });
        gui.addWindow(window);
    }

    /** The sink, failure handler and cancellation to give the engine. */
    public EngineHooks hooks() {
        return new EngineHooks(sink, prompts, cancellation);
    }

    public Window window() {
        return window;
    }

    View view() {
        return view;
    }

    private void accept(EngineEvent event) {
        progress.accept(event);
        dirty.set(true);
        if (event instanceof EngineEvent.RunFinished) {
            gui.getGUIThread().invokeLater(() -> {
                prompts.abortAll();
                view = View.SUMMARY;
                notice = "";
                canvas.invalidate();
            });
        }
    }

    /** Shows that the engine itself broke off (not a step failure) and lets the operator leave. */
    void engineStopped(Throwable error) {
        engineStopped = true;
        prompts.abortAll();
        notice = "the engine stopped: " + error.getMessage() + " (q quits)";
        canvas.invalidate();
    }

    /** Asks the GUI thread to redraw when events arrived or the clock's second changed; call it every 100 ms. */
    public void tick() {
        long second = clock.instant().getEpochSecond();
        boolean secondChanged = second != lastSecond;
        lastSecond = second;
        if (dirty.getAndSet(false) || secondChanged) {
            gui.getGUIThread().invokeLater(canvas::invalidate);
        }
    }

    private boolean handleKey(KeyStroke key) {
        boolean over = engineStopped || progress.snapshot(clock.instant()).end().isPresent();
        if (key.getKeyType() == KeyType.Character && key.isCtrlDown()
                && key.getCharacter() == 'c') {
            if (over) {
                window.close();
            } else {
                cancel();
            }
            return true;
        }
        return switch (view) {
            case PANES -> panesKey(key, over);
            case LOG -> logKey(key);
            case SUMMARY -> summaryKey(key);
        };
    }

    private void cancel() {
        cancellation.request();
        prompts.abortAll();
        notice = "cancelling: the steps in flight finish, then the run stops (the journal keeps them)";
    }

    private boolean panesKey(KeyStroke key, boolean over) {
        int count = progress.hosts().size();
        int columns = layout(canvasSize()).columns();
        switch (key.getKeyType()) {
            case ArrowLeft -> selected = Math.max(0, selected - 1);
            case ArrowRight -> selected = Math.min(count - 1, selected + 1);
            case ArrowUp -> selected = Math.max(0, selected - columns);
            case ArrowDown -> selected = Math.min(count - 1, selected + columns);
            case PageUp -> selected = Math.max(0, selected - layout(canvasSize()).perPage());
            case PageDown -> selected = Math.min(count - 1, selected + layout(canvasSize()).perPage());
            case Enter -> {
                view = View.LOG;
                logBack = 0;
            }
            case Character -> {
                if (key.getCharacter() == 's' && over) {
                    view = View.SUMMARY;
                } else if (key.getCharacter() == 'q' && over) {
                    window.close();
                } else if (key.getCharacter() == 'q') {
                    cancel();
                } else {
                    return false;
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean logKey(KeyStroke key) {
        int page = Math.max(1, canvasSize().getRows() - 5);
        switch (key.getKeyType()) {
            case Escape -> view = View.PANES;
            case ArrowUp -> logBack++;
            case ArrowDown -> logBack = Math.max(0, logBack - 1);
            case PageUp -> logBack += page;
            case PageDown -> logBack = Math.max(0, logBack - page);
            case Home -> logBack = Integer.MAX_VALUE / 2;
            case End -> logBack = 0;
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean summaryKey(KeyStroke key) {
        switch (key.getKeyType()) {
            case Enter -> window.close();
            case Escape -> view = View.PANES;
            case Character -> {
                if (key.getCharacter() == 'q') {
                    window.close();
                } else {
                    return false;
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private TerminalSize canvasSize() {
        TerminalSize size = canvas.getSize();
        return size.getColumns() == 0 ? gui.getScreen().getTerminalSize() : size;
    }

    /** How the panes fit: columns of panes, rows of panes on one page, and panes per page. */
    record PaneLayout(int columns, int rows, int paneWidth) {
        int perPage() {
            return columns * rows;
        }
    }

    PaneLayout layout(TerminalSize size) {
        int count = Math.max(1, progress.hosts().size());
        int rows = Math.max(1, (size.getRows() - 6) / PANE_HEIGHT);
        int maxColumns = Math.max(1, size.getColumns() / PANE_MIN_WIDTH);
        int wanted = Math.max((count + rows - 1) / rows, (size.getColumns() + PANE_MAX_WIDTH - 1) / PANE_MAX_WIDTH);
        int columns = Math.max(1, Math.min(Math.min(maxColumns, count), wanted));
        return new PaneLayout(columns, rows, size.getColumns() / columns);
    }

    private void paint(TextGUIGraphics g) {
        TerminalSize size = g.getSize();
        int width = size.getColumns();
        int height = size.getRows();
        g.setForegroundColor(TextColor.ANSI.DEFAULT).setBackgroundColor(TextColor.ANSI.DEFAULT);
        g.fill(' ');
        Instant now = clock.instant();
        ProgressSnapshot s = progress.snapshot(now);
        String right = s.finishedSteps() + "/" + s.totalSteps() + " steps  " + Elapsed.clock(s.elapsed()) + " ";
        put(g, 0, 0, Layout.pad(" kubeha: installing cluster " + summary.cluster(), width - right.length()) + right,
                width);
        put(g, 0, 1, " " + phases(s, width - 1), width);
        String state = s.end().map(e -> e.ok() ? "installed" : e.cancelled() ? "cancelled" : "failed")
                .orElse(cancellation.requested() ? "cancelling" : s.runningPhases().isEmpty() ? "starting"
                        : String.join(" · ", s.runningPhases().stream().map(PhaseStatus::title).toList()));
        put(g, 0, 2, " " + ProgressBar.text(s.finishedSteps(), s.totalSteps(), Math.min(42, width / 2)) + "  "
                + state, width);
        put(g, 0, 3, "─".repeat(width), width);
        String status = switch (view) {
            case PANES -> panes(g, s, size);
            case LOG -> log(g, size);
            case SUMMARY -> summary(g, s, width, height);
        };
        String line = notice.isEmpty() ? status : notice;
        if (!line.isEmpty()) {
            g.setForegroundColor(notice.isEmpty() ? TextColor.ANSI.DEFAULT : palette.warning());
            put(g, 0, height - 2, line, width);
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        }
        put(g, 0, height - 1, s.end().isPresent() ? HELP_END : view == View.LOG ? HELP_LOG : HELP_PANES, width);
    }

    /**
     * Every phase with its mark, the running ones (several at once) in brackets: with titles when they fit, else
     * only the running ones titled, else those by name.
     */
    private String phases(ProgressSnapshot s, int width) {
        StringBuilder full = new StringBuilder();
        StringBuilder compact = new StringBuilder();
        StringBuilder tight = new StringBuilder();
        for (PhaseStatus p : s.phases()) {
            String mark = switch (p.state()) {
                case DONE -> "✓";
                case FAILED -> "✗";
                case RUNNING -> "▶";
                case PENDING -> "·";
            };
            boolean running = p.state() == PhaseStatus.State.RUNNING;
            String named = mark + " " + p.title();
            full.append(running ? "[" + named + "] " : named + "  ");
            compact.append(running ? "[" + named + "] " : mark + " ");
            tight.append(running ? "[" + mark + " " + p.name() + "] " : mark + " ");
        }
        StringBuilder fitting = full.length() <= width ? full : compact.length() <= width ? compact : tight;
        return Layout.cut(fitting.toString().stripTrailing(), width);
    }

    private String panes(TextGUIGraphics g, ProgressSnapshot s, TerminalSize size) {
        List<HostStatus> hosts = s.hosts();
        if (hosts.isEmpty()) {
            return "the plan has no steps";
        }
        selected = Math.min(selected, hosts.size() - 1);
        PaneLayout layout = layout(size);
        int selectedRow = selected / layout.columns();
        int paneRows = (hosts.size() + layout.columns() - 1) / layout.columns();
        firstRow = Math.min(firstRow, Math.max(0, paneRows - layout.rows()));
        if (selectedRow < firstRow) {
            firstRow = selectedRow;
        } else if (selectedRow >= firstRow + layout.rows()) {
            firstRow = selectedRow - layout.rows() + 1;
        }
        int first = firstRow * layout.columns();
        int last = Math.min(hosts.size(), first + layout.perPage());
        for (int i = first; i < last; i++) {
            int slot = i - first;
            int column = slot % layout.columns();
            int row = slot / layout.columns();
            int paneWidth = column == layout.columns() - 1
                    ? size.getColumns() - column * layout.paneWidth() : layout.paneWidth();
            pane(g, hosts.get(i), column * layout.paneWidth(), 4 + row * PANE_HEIGHT, paneWidth, i == selected);
        }
        if (hosts.size() > layout.perPage()) {
            return " nodes " + (first + 1) + "-" + last + " of " + hosts.size() + " (arrows and PgUp/PgDn scroll)";
        }
        return "";
    }

    private void pane(TextGUIGraphics g, HostStatus h, int x, int y, int width, boolean chosen) {
        String[] box = chosen ? new String[] {"╔", "═", "╗", "║", "╚", "╝"}
                : new String[] {"┌", "─", "┐", "│", "└", "┘"};
        int inner = width - 4;
        String title = box[0] + " " + h.host() + "  " + roleText(h.host()) + " ";
        String right = " " + h.state().label() + " " + Elapsed.clock(h.elapsed()) + " " + box[2];
        String top = Layout.cut(title, width - right.length());
        put(g, x, y, top + box[1].repeat(Math.max(0, width - top.length() - right.length())) + right, width);
        TextColor colour = stateColour(h.state());
        if (colour != TextColor.ANSI.DEFAULT) {
            g.setForegroundColor(colour);
            put(g, x + width - right.length() + 1, y, h.state().label(), h.state().label().length());
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        }
        String step = h.index() == 0 ? "waiting for its first step" : h.index() + "/" + h.total() + " " + h.step();
        String last = h.state() == HostState.FAILED ? "✗ " + h.error() : h.lastLine();
        String[] lines = {step, ProgressBar.text(h.finished(), h.total(), Math.min(inner, 40)), last};
        for (int i = 0; i < lines.length; i++) {
            put(g, x, y + 1 + i, box[3] + " " + Layout.pad(lines[i].replace('\t', ' '), inner) + " " + box[3], width);
        }
        if (h.state() == HostState.FAILED) {
            g.setForegroundColor(palette.error());
            put(g, x + 2, y + 3, Layout.cut(last, inner), inner);
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        }
        put(g, x, y + 4, box[4] + box[1].repeat(Math.max(0, width - 2)) + box[5], width);
    }

    private TextColor stateColour(HostState state) {
        return switch (state) {
            case DONE -> palette.good();
            case FAILED -> palette.error();
            case RETRYING, STOPPED -> palette.warning();
            case WAITING, RUNNING -> TextColor.ANSI.DEFAULT;
        };
    }

    private String roleText(String host) {
        return String.join(",", roles.getOrDefault(host, Set.of()).stream().sorted()
                .map(HostsScreen.SHORT::get).toList());
    }

    private String log(TextGUIGraphics g, TerminalSize size) {
        String host = progress.hosts().get(selected);
        List<String> lines = progress.log(host);
        int room = Math.max(1, size.getRows() - 7);
        logBack = Math.max(0, Math.min(logBack, lines.size() - room));
        int end = lines.size() - logBack;
        int start = Math.max(0, end - room);
        long dropped = progress.droppedLines(host);
        put(g, 0, 4, " log of " + host + " (" + roleText(host) + "): lines " + (start + 1 + dropped) + "-"
                + (end + dropped) + " of " + (lines.size() + dropped) + (dropped > 0 ? ", the first " + dropped
                + " no longer kept" : "") + (logBack == 0 ? ", following" : ""), size.getColumns());
        for (int i = start; i < end; i++) {
            String line = lines.get(i).replace('\t', ' ');
            boolean bad = line.startsWith("✗");
            if (bad) {
                g.setForegroundColor(palette.error());
            }
            put(g, 0, 5 + i - start, " " + line, size.getColumns());
            if (bad) {
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
            }
        }
        return "";
    }

    private String summary(TextGUIGraphics g, ProgressSnapshot s, int width, int height) {
        List<String> lines = new ArrayList<>();
        EngineEvent.RunFinished end = s.end().orElseThrow();
        int skipped = s.skippedSteps();
        String took = "took " + Elapsed.clock(s.elapsed()) + ": " + s.finishedSteps() + " of " + s.totalSteps()
                + " steps done" + (skipped > 0 ? ", " + skipped + " skipped (they run again next time)" : "");
        if (end.ok()) {
            lines.add("The cluster " + summary.cluster() + " " + summary.done() + ".");
            lines.add(took);
            lines.add("");
            lines.add("API server (VIP)  " + summary.endpoint());
            summary.kubeconfig().ifPresent(k -> lines.add("kubeconfig        " + k));
            for (int i = 0; i < summary.usage().size(); i++) {
                lines.add((i == 0 ? "use it            " : "                  ") + summary.usage().get(i));
            }
        } else {
            lines.add(end.cancelled() ? "The " + summary.work() + " was cancelled."
                    : "The " + summary.work() + " stopped: " + end.failures().size() + " failure"
                    + (end.failures().size() == 1 ? "" : "s") + ".");
            lines.add(took);
            for (RunFailure f : end.failures()) {
                lines.add("✗ " + f.text());
            }
            lines.add("");
            lines.add("Finished steps are journaled: fix the cause and run the same command again.");
        }
        lines.add("");
        lines.add("replay            kubeha apply -f " + summary.answers());
        lines.add("open in wizard    kubeha --answers " + summary.answers());
        int row = 5;
        for (String line : lines) {
            if (row >= height - 2) {
                break;
            }
            boolean bad = line.startsWith("✗");
            g.setForegroundColor(bad ? palette.error() : row == 5 ? end.ok() ? palette.good() : palette.error()
                    : TextColor.ANSI.DEFAULT);
            put(g, 0, row++, " " + line, width);
        }
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
        return "";
    }

    private static void put(TextGUIGraphics g, int x, int y, String text, int width) {
        g.putString(x, y, Layout.cut(text, width));
    }

    /** The one component of the window: everything is drawn from a progress snapshot at render time. */
    private final class Canvas extends AbstractComponent<Canvas> {
        @Override
        protected ComponentRenderer<Canvas> createDefaultRenderer() {
            return new ComponentRenderer<>() {
                @Override
                public TerminalSize getPreferredSize(Canvas component) {
                    return gui.getScreen().getTerminalSize();
                }

                @Override
                public void drawComponent(TextGUIGraphics graphics, Canvas component) {
                    paint(graphics);
                }
            };
        }
    }
}
