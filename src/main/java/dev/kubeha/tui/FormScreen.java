package dev.kubeha.tui;

import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Interactable;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.validate.Problem;
import java.util.List;

/** A screen that is one {@link Form}. */
abstract class FormScreen implements Screen {
    protected final Draft draft;
    protected final Form form;

    FormScreen(Draft draft, Palette palette, Runnable changed) {
        this.draft = draft;
        this.form = new Form(palette, changed);
    }

    @Override
    public Component body() {
        return form.panel();
    }

    @Override
    public void refresh(CheckedAnswers checked, int columns, int rows) {
        form.show(checked.problems(), columns);
    }

    @Override
    public boolean focus(String path) {
        return (path.isEmpty() ? form.first() : form.field(path)).map(f -> {
            f.input().takeFocus();
            return true;
        }).orElse(false);
    }

    @Override
    public List<Problem> problemsOf(Interactable focused) {
        return form.fieldOf(focused).map(Form.Field::problems).map(List::copyOf).orElse(List.of());
    }
}
