package dev.kubeha.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.CheckBox;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.table.Table;
import com.googlecode.lanterna.gui2.table.TableModel;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.facts.PreflightResult;
import dev.kubeha.model.Role;
import dev.kubeha.validate.Problem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The host table (name, address, roles, live check, first problem) with an editor for the chosen row. */
final class HostsScreen implements Screen {
    private static final Pattern HOST_PATH = Pattern.compile("hosts\\[(\\d+)](?:\\.(\\w+))?.*");
    static final Map<Role, String> SHORT = Map.of(Role.CONTROL_PLANE, "cp", Role.WORKER, "w", Role.ETCD,
            "etcd", Role.LOAD_BALANCER, "lb");
    private static final String SPINNER = "|/-\\";
    /** From this width on, each fact of the live check has its own column. */
    static final int WIDE = 170;
    /** Table rows shown at least, which 80x24 fits. */
    static final int MIN_VISIBLE = 4;
    /**
     * Lines around the table: steps (3), table header, summary, buttons, the editor (7), navigation, two status lines
     * and the help line.
     */
    private static final int FIXED_LINES = 17;
    private static final String[] HEADERS = {"#", "Name", "Address", "Roles", "Check", "Problem"};
    private static final String[] WIDE_HEADERS = {"#", "Name", "Address", "Roles", "Reach", "SSH", "OS", "Kernel",
        "Conntrack", "CPU", "Mem", "Preflight", "Problem"};

    private final Draft draft;
    private final Palette palette;
    private final Runnable changed;
    private final LiveState live;
    private final IntConsumer askKey;
    private final Panel body = new Panel(new LinearLayout(Direction.VERTICAL).setSpacing(0));
    private final Table<String> table = new Table<>("#", "Name", "Address", "Roles", "Check", "Problem");
    private final Label summary = new Label("");
    private final Label detail = new Label("");
    private final Panel editorHolder = new Panel(new LinearLayout(Direction.VERTICAL).setSpacing(0));
    private final Button addButton = new Button("Add host", this::add);
    private Form editor;
    private int editing = -1;
    private int tick;
    private List<Problem> lastProblems = List.of();
    private int lastColumns = 80;
    private int lastRows = 24;
    private final Deque<Deleted> undo = new ArrayDeque<>();

    /** A deleted host and where it stood, for undo until the step changes. */
    private record Deleted(int index, Draft.HostDraft host) {
    }

    HostsScreen(Draft draft, Palette palette, Runnable changed, LiveState live,
                IntConsumer askKey) {
        this.draft = draft;
        this.palette = palette;
        this.changed = changed;
        this.live = live;
        this.askKey = askKey;
        table.setSelectAction(() -> edit(table.getSelectedRow()));
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        buttons.addComponent(addButton);
        buttons.addComponent(new Button("Edit", () -> edit(table.getSelectedRow())));
        buttons.addComponent(new Button("Delete", () -> askDelete(editing)));
        buttons.addComponent(new Button("Undo", this::undo));
        buttons.addComponent(new Label("Ins add ^Z undo; table: Del, c/w/e/l, t key"));
        body.addComponent(table);
        body.addComponent(detail);
        body.addComponent(summary);
        body.addComponent(buttons);
        body.addComponent(editorHolder);
        edit(draft.hosts.isEmpty() ? -1 : 0);
    }

    @Override
    public Component body() {
        return body;
    }

    private void add() {
        draft.hosts.add(new Draft.HostDraft());
        changed.run();
        edit(draft.hosts.size() - 1);
        focus("hosts[" + editing + "].name");
    }

    /** Asks "Delete worker1?" about a row; Cancel has the focus. */
    private void askDelete(int row) {
        if (row < 0 || row >= draft.hosts.size()) {
            return;
        }
        String who = label(row);
        Dialogs.ask((WindowBasedTextGUI) body.getTextGUI(), palette, "Delete host", List.of("Delete " + who + "?",
                        "Undo (Ctrl-Z) brings it back until you leave this step."),
                List.of(new Dialogs.Choice("Cancel", () -> { }), new Dialogs.Choice("Delete", () -> delete(row))));
    }

    private void delete(int row) {
        undo.push(new Deleted(row, draft.hosts.remove(row)));
        changed.run();
        edit(Math.min(row, draft.hosts.size() - 1));
        table.takeFocus();
    }

    private void undo() {
        Deleted last = undo.poll();
        if (last == null) {
            return;
        }
        int at = Math.min(last.index(), draft.hosts.size());
        draft.hosts.add(at, last.host());
        changed.run();
        edit(at);
        table.takeFocus();
    }

    /** The host as the screen shows it: "Host 2 (worker1)", or "Host 2" before it has a name. */
    String label(int row) {
        String name = row < draft.hosts.size() ? draft.hosts.get(row).name.strip() : "";
        return "Host " + (row + 1) + (name.isEmpty() ? "" : " (" + name + ")");
    }

    @Override
    public void leave() {
        undo.clear();
    }

    private void edit(int index) {
        editing = index;
        editorHolder.removeAllComponents();
        editor = new Form(palette, changed);
        if (index < 0 || index >= draft.hosts.size()) {
            editorHolder.addComponent(new Label(draft.hosts.isEmpty() ? "No hosts yet: choose Add host." : ""));
            return;
        }
        Draft.HostDraft h = draft.hosts.get(index);
        String at = "hosts[" + index + "]";
        editor.note("Host " + (index + 1) + " of " + draft.hosts.size() + " (Tab: fields, Space: role, PgDn: next step)");
        editor.text("Name", at + ".name", h.name, v -> h.name = v);
        editor.text("Address", at + ".address", h.address, v -> h.address = v);
        Panel roles = new Panel(new LinearLayout(Direction.HORIZONTAL));
        for (Role role : Role.values()) {
            CheckBox box = new CheckBox(role.yamlName());
            box.setChecked(h.has(role));
            box.addListener(checked -> {
                if (checked != h.has(role)) {
                    h.toggle(role);
                    changed.run();
                }
            });
            roles.addComponent(box);
        }
        editor.wide("Roles", at + ".roles", roles, rolesFocus(roles));
        editor.number("SSH port", at + ".port", h.port, v -> h.port = v);
        editor.text("SSH user", at + ".user", h.user, v -> h.user = v);
        editor.text("Key file", at + ".identityFile", h.identityFile, v -> h.identityFile = v);
        editorHolder.addComponent(editor.panel());
        editor.show(lastProblems, lastColumns);
        if (index < table.getTableModel().getRowCount()) {
            table.setSelectedRow(index);
        }
    }

    private static Interactable rolesFocus(Panel roles) {
        return (CheckBox) roles.getChildrenList().get(0);
    }

    @Override
    public void refresh(CheckedAnswers checked, int columns, int rows) {
        lastProblems = checked.problems();
        lastColumns = columns;
        lastRows = rows;
        tick++;
        LiveChecks.Result checks = live.checks();
        boolean wide = columns >= WIDE;
        int[] widths = wide ? wideWidths(columns) : widths(columns);
        TableModel<String> model = new TableModel<>(pad(widths, wide ? WIDE_HEADERS : HEADERS));
        for (int i = 0; i < draft.hosts.size(); i++) {
            Draft.HostDraft h = draft.hosts.get(i);
            List<Problem> mine = Draft.at(lastProblems, "hosts[" + i + "]");
            String problem = mine.stream().filter(Problem::isError).findFirst().or(() -> mine.stream().findFirst())
                    .map(p -> Layout.mark(p) + field(p.path()) + Wording.message(p.message())).orElse("");
            String roleText = String.join(",", h.roles.stream().map(r -> Role.fromYaml(r).map(SHORT::get).orElse(r))
                    .toList());
            LiveChecks.Row check = checks.row(i);
            String spin = check.tone() == LiveChecks.Tone.PENDING
                    ? SPINNER.charAt(tick % SPINNER.length()) + " " : "";
            if (wide) {
                model.addRow(pad(widths, Integer.toString(i + 1), h.name, h.address, roleText, spin + check.reach(),
                        check.ssh(), check.os(), check.kernel(), check.conntrack(), check.cpus(), check.memory(),
                        check.preflight(), problem));
            } else {
                model.addRow(pad(widths, Integer.toString(i + 1), h.name, h.address, roleText,
                        spin + check.compact(), problem));
            }
        }
        int selected = table.getSelectedRow();
        table.setTableModel(model);
        if (model.getRowCount() > 0) {
            table.setSelectedRow(Math.max(0, Math.min(selected < 0 ? 0 : selected, model.getRowCount() - 1)));
        }
        int detailLines = rows >= 40 ? 6 : 3;
        int visible = Math.max(MIN_VISIBLE, rows - FIXED_LINES - detailLines);
        table.setVisibleRows(visible);
        int chosen = table.getSelectedRow();
        int top = Math.min(table.getViewTopRow(), Math.max(0, model.getRowCount() - visible));
        if (chosen >= 0) {
            top = Math.max(Math.min(top, chosen), chosen - visible + 1);
        }
        table.setViewTopRow(Math.max(0, top));
        table.setPreferredSize(new TerminalSize(columns - 2, visible + 1));
        showDetail(checks, table.getSelectedRow(), detailLines, columns);
        List<Problem> general = lastProblems.stream().filter(p -> p.path().equals("hosts")).toList();
        if (general.isEmpty()) {
            String hosts = draft.hosts.size() + " host" + (draft.hosts.size() == 1 ? "" : "s");
            List<String> cluster = checks.cluster().stream().map(r -> (r.status()
                    == PreflightResult.Status.FAIL ? Layout.ERROR : Layout.WARNING) + r.check() + ": "
                    + r.reason()).toList();
            summary.setText(Layout.cut(hosts + (cluster.isEmpty() ? checks.note().isEmpty() ? ""
                    : "; " + checks.note() : "; " + String.join("; ", cluster)), columns - 2));
            summary.setForegroundColor(cluster.isEmpty() ? palette.good() : palette.error());
        } else {
            Problem first = general.stream().filter(Problem::isError).findFirst().orElse(general.get(0));
            summary.setText(Layout.cut(Layout.mark(first) + Wording.message(first.message())
                    + (general.size() > 1 ? " (+" + (general.size() - 1) + " more on Review)" : ""), columns - 2));
            summary.setForegroundColor(first.isError() ? palette.error() : palette.warning());
        }
        if (editor != null) {
            editor.show(lastProblems, columns);
        }
    }

    /**
     * The selected row's whole check, wrapped at word boundaries so that a fingerprint is never cut: the precise
     * error, the facts, every preflight verdict; what does not fit is counted on the last line.
     */
    private void showDetail(LiveChecks.Result checks, int row, int lines, int columns) {
        List<String> text = row < 0 || row >= draft.hosts.size() ? List.of() : checks.row(row).details();
        int width = columns - 2;
        List<String> wrapped = new ArrayList<>();
        for (String line : text) {
            List<String> parts = HostKeyDialog.wrap(line, width - 2);
            for (int i = 0; i < parts.size(); i++) {
                wrapped.add(i == 0 ? parts.get(i) : "  " + parts.get(i));
            }
        }
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            String line = i < wrapped.size() ? wrapped.get(i) : "";
            if (i == lines - 1 && wrapped.size() > lines) {
                line = "(+" + (wrapped.size() - lines + 1) + " more lines: a larger terminal shows them)";
            }
            shown.add(Layout.pad(line, width));
        }
        detail.setText(String.join("\n", shown));
        LiveChecks.Tone tone = row < 0 || row >= draft.hosts.size() ? LiveChecks.Tone.NONE : checks.row(row).tone();
        detail.setForegroundColor(switch (tone) {
            case BAD -> palette.error();
            case WARNING -> palette.warning();
            case GOOD -> palette.good();
            default -> TextColor.ANSI.DEFAULT;
        });
    }

    private static String[] pad(int[] widths, String... cells) {
        String[] out = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            out[i] = Layout.pad(cells[i], widths[i]);
        }
        return out;
    }

    private static String field(String path) {
        Matcher m = HOST_PATH.matcher(path);
        return m.matches() && m.group(2) != null ? m.group(2) + ": " : "";
    }

    private static int[] widths(int columns) {
        int check = Math.max(14, Math.min(34, columns / 5));
        int name = Math.max(8, Math.min(20, columns / 8));
        int address = Math.max(15, Math.min(39, columns / 7));
        int roles = 12;
        int problem = Math.max(8, columns - 2 - check - name - address - roles - 3 - 6);
        return new int[] {2, name, address, roles, check, problem};
    }

    /** One column per fact: # name address roles reach ssh os kernel conntrack cpu mem preflight problem. */
    private static int[] wideWidths(int columns) {
        int[] w = {2, 12, 15, 12, 9, 11, 16, 20, 22, 3, 7, 16, 0};
        int used = w.length;
        for (int x : w) {
            used += x;
        }
        w[w.length - 1] = Math.max(8, columns - 2 - used);
        return w;
    }

    @Override
    public boolean focus(String path) {
        Matcher m = HOST_PATH.matcher(path);
        if (!m.matches()) {
            if (draft.hosts.isEmpty()) {
                addButton.takeFocus();
            } else {
                table.takeFocus();
            }
            return true;
        }
        int index = Integer.parseInt(m.group(1));
        if (index >= draft.hosts.size()) {
            return false;
        }
        if (index != editing) {
            edit(index);
        }
        return editor.field(path).map(f -> {
            f.input().takeFocus();
            return true;
        }).orElse(false);
    }

    @Override
    public List<Problem> problemsOf(Interactable focused) {
        if (focused == table) {
            int row = table.getSelectedRow();
            List<Problem> out = new ArrayList<>(lastProblems.stream().filter(p -> p.path().equals("hosts")).toList());
            if (row >= 0) {
                out.addAll(0, Draft.at(lastProblems, "hosts[" + row + "]"));
            }
            return out;
        }
        return editor == null ? List.of() : editor.fieldOf(focused).map(Form.Field::problems).map(List::copyOf)
                .orElse(List.of());
    }

    @Override
    public boolean handleKey(KeyStroke key, Interactable focused) {
        if (key.getKeyType() == KeyType.Insert) {
            add();
            return true;
        }
        if (key.getKeyType() == KeyType.Character && key.isCtrlDown() && key.getCharacter() == 'z') {
            undo();
            return true;
        }
        if (focused != table) {
            return false;
        }
        if (key.getKeyType() == KeyType.Delete) {
            askDelete(table.getSelectedRow());
            return true;
        }
        if (key.getKeyType() == KeyType.Character && !key.isCtrlDown() && !key.isAltDown()
                && key.getCharacter() == 't') {
            askKey.accept(table.getSelectedRow());
            return true;
        }
        if (key.getKeyType() == KeyType.Character && !key.isCtrlDown() && !key.isAltDown()) {
            Optional<Role> role = switch (key.getCharacter()) {
                case 'c' -> Optional.of(Role.CONTROL_PLANE);
                case 'w' -> Optional.of(Role.WORKER);
                case 'e' -> Optional.of(Role.ETCD);
                case 'l' -> Optional.of(Role.LOAD_BALANCER);
                default -> Optional.empty();
            };
            int row = table.getSelectedRow();
            if (role.isPresent() && row >= 0 && row < draft.hosts.size()) {
                draft.hosts.get(row).toggle(role.get());
                edit(row);
                changed.run();
                table.takeFocus();
                return true;
            }
        }
        return false;
    }
}
