package dev.kubeha.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.ActionListBox;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.validate.Problem;
import dev.kubeha.validate.Severity;
import java.util.List;
import java.util.function.Consumer;

/** Every error and warning of the answers (Enter jumps to the field), then save; install waits for the engine. */
final class ReviewScreen implements Screen {
    static final String INSTALL_NOTE = "Install: saves, checks every host, then installs with a pane per node.";

    private final Palette palette;
    private final Panel body = new Panel(new LinearLayout(Direction.VERTICAL).setSpacing(0));
    private final Label summary = new Label("");
    private final ActionListBox list = new ActionListBox();
    private final Consumer<String> jump;
    private final Button save;
    private List<Problem> shown = List.of();
    private int shownWidth;
    private List<String> shownNames = List.of();

    ReviewScreen(Palette palette, Consumer<String> jump, Runnable saveAnswers, Runnable saveAs, Runnable install) {
        this.palette = palette;
        this.jump = jump;
        body.addComponent(summary);
        body.addComponent(list);
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        save = new Button("Save answers", saveAnswers);
        buttons.addComponent(save);
        buttons.addComponent(new Button("Save as...", saveAs));
        buttons.addComponent(new Button("Install", install));
        body.addComponent(buttons);
        body.addComponent(new Label(INSTALL_NOTE));
    }

    @Override
    public String title() {
        return "Review";
    }

    @Override
    public String tab() {
        return "Review";
    }

    @Override
    public boolean owns(String path) {
        return false;
    }

    @Override
    public Component body() {
        return body;
    }

    @Override
    public void refresh(CheckedAnswers checked, int columns, int rows) {
        long errors = checked.count(Severity.ERROR);
        long warnings = checked.count(Severity.WARNING);
        if (errors == 0 && warnings == 0) {
            summary.setText("No problems: the answers are valid.");
            summary.setForegroundColor(palette.good());
        } else {
            summary.setText(errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning"
                    + (warnings == 1 ? "" : "s") + (errors > 0 ? "; errors stop an install." : "")
                    + (checked.problems().isEmpty() ? "" : " Enter on a line jumps to its field."));
            summary.setForegroundColor(errors > 0 ? palette.error() : palette.warning());
        }
        List<Problem> ordered = checked.problems().stream().sorted((a, b) -> a.severity().compareTo(b.severity()))
                .toList();
        int height = Math.max(3, Math.min(ordered.size(), rows - 10));
        list.setPreferredSize(new TerminalSize(columns - 2, Math.max(1, height)));
        List<String> names = Wording.hostNames(checked);
        if (!ordered.equals(shown) || columns != shownWidth || !names.equals(shownNames)) {
            int selected = list.getSelectedIndex();
            list.clearItems();
            for (Problem p : ordered) {
                list.addItem(Layout.cut(Layout.mark(p) + Wording.text(p, names), columns - 4),
                        () -> jump.accept(p.path()));
            }
            if (selected >= 0 && selected < ordered.size()) {
                list.setSelectedIndex(selected);
            }
            shown = ordered;
            shownWidth = columns;
            shownNames = names;
        }
    }

    @Override
    public boolean focus(String path) {
        if (shown.isEmpty()) {
            save.takeFocus();
        } else {
            list.takeFocus();
        }
        return true;
    }

    @Override
    public List<Problem> problemsOf(Interactable focused) {
        if (focused == list && list.getSelectedIndex() >= 0 && list.getSelectedIndex() < shown.size()) {
            return List.of(shown.get(list.getSelectedIndex()));
        }
        return List.of();
    }
}
