package dev.kubeha.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.CheckBox;
import com.googlecode.lanterna.gui2.ComboBox;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import dev.kubeha.validate.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/** A column of labelled inputs, each with the validator's message for its field path shown to its right. */
final class Form {
    static final int LABEL = 19;
    static final Pattern DIGITS = Pattern.compile("\\d{0,5}");

    /** One input bound to a field path. */
    record Field(String path, Interactable input, Label message, List<Problem> problems) {
    }

    private final Panel panel = new Panel(new GridLayout(3).setHorizontalSpacing(1).setVerticalSpacing(0)
            .setLeftMarginSize(1).setRightMarginSize(0));
    private final List<Field> fields = new ArrayList<>();
    private final List<TextBox> boxes = new ArrayList<>();
    private final List<Component> inputColumn = new ArrayList<>();
    private final Palette palette;
    private final Runnable changed;

    Form(Palette palette, Runnable changed) {
        this.palette = palette;
        this.changed = changed;
    }

    Panel panel() {
        return panel;
    }

    TextBox text(String label, String path, String value, Consumer<String> set) {
        TextBox box = new ShellTextBox(new TerminalSize(Layout.inputWidth(80), 1), value);
        box.setTextChangeListener((text, byUser) -> {
            set.accept(text);
            changed.run();
        });
        boxes.add(box);
        add(label, path, box);
        return box;
    }

    TextBox number(String label, String path, String value, Consumer<String> set) {
        TextBox box = text(label, path, value, set);
        box.setValidationPattern(DIGITS);
        return box;
    }

    <E> ComboBox<String> choice(String label, String path, List<E> items, E value, Function<E, String> name,
                                Consumer<E> set) {
        List<String> names = items.stream().map(name).toList();
        ComboBox<String> box = new ComboBox<>(names);
        box.setSelectedItem(name.apply(value));
        box.addListener((selected, previous, byUser) -> {
            set.accept(items.get(names.indexOf(box.getSelectedItem())));
            changed.run();
        });
        add(label, path, box);
        return box;
    }

    CheckBox flag(String label, String path, String text, boolean value, Consumer<Boolean> set) {
        CheckBox box = new CheckBox(text);
        box.setChecked(value);
        box.addListener(checked -> {
            set.accept(checked);
            changed.run();
        });
        add(label, path, box);
        return box;
    }

    void add(String label, String path, Interactable input) {
        add(label, path, input, input);
    }

    void add(String label, String path, Component shown, Interactable input) {
        Label message = new Label("");
        panel.addComponent(labelOf(label));
        panel.addComponent(shown);
        panel.addComponent(message);
        inputColumn.add(shown);
        fields.add(new Field(path, input, message, new ArrayList<>()));
    }

    /** An input wider than the input column; its problems show in the status line only. */
    void wide(String label, String path, Component shown, Interactable input) {
        panel.addComponent(labelOf(label));
        panel.addComponent(shown.setLayoutData(GridLayout.createHorizontallyFilledLayoutData(2)));
        fields.add(new Field(path, input, new Label(""), new ArrayList<>()));
    }

    /** The label column keeps one width on every screen, with or without messages beside the inputs. */
    private static Label labelOf(String text) {
        return new Label(Layout.pad(text, LABEL - 1));
    }

    Label note(String text) {
        Label label = new Label(text);
        panel.addComponent(label.setLayoutData(GridLayout.createHorizontallyFilledLayoutData(3)));
        return label;
    }

    void component(String label, Component component) {
        panel.addComponent(labelOf(label));
        panel.addComponent(component.setLayoutData(GridLayout.createHorizontallyFilledLayoutData(2)));
    }

    /** Shows each field's problems, cut to the room the terminal width leaves. */
    void show(List<Problem> problems, int columns) {
        for (TextBox box : boxes) {
            box.setPreferredSize(new TerminalSize(Layout.inputWidth(columns), 1));
        }
        int inputs = Layout.inputWidth(columns);
        for (Component c : inputColumn) {
            inputs = Math.max(inputs, c.getPreferredSize().getColumns());
        }
        int room = Math.max(4, columns - LABEL - inputs - 2);
        for (Field f : fields) {
            List<Problem> mine = Draft.at(problems, f.path());
            f.problems().clear();
            f.problems().addAll(mine);
            Label label = f.message();
            label.setPreferredSize(new TerminalSize(room, 1));
            if (mine.isEmpty()) {
                label.setText("");
                continue;
            }
            Problem first = mine.stream().filter(Problem::isError).findFirst().orElse(mine.get(0));
            label.setText(Layout.cut(Layout.mark(first) + Wording.message(first.message()), room));
            label.setForegroundColor(first.isError() ? palette.error() : palette.warning());
        }
    }

    Optional<Field> field(String path) {
        return fields.stream().filter(f -> f.path().equals(path)).findFirst()
                .or(() -> fields.stream().filter(f -> path.startsWith(f.path())).findFirst());
    }

    Optional<Field> first() {
        return fields.stream().filter(f -> f.input().isEnabled()).findFirst();
    }

    Optional<Field> fieldOf(Interactable focused) {
        return fields.stream().filter(f -> f.input() == focused).findFirst();
    }
}
