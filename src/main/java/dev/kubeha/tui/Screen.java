package dev.kubeha.tui;

import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.input.KeyStroke;
import dev.kubeha.answers.CheckedAnswers;
import dev.kubeha.validate.Problem;
import java.util.List;

/** One page of the wizard: its widgets and how it shows the current problems ({@link WizardStep} names it). */
interface Screen {
    Component body();

    void refresh(CheckedAnswers checked, int columns, int rows);

    /** Moves the focus to the input of a field path; false when this screen has no such input. */
    boolean focus(String path);

    /** The problems of the focused input, for the status line. */
    List<Problem> problemsOf(Interactable focused);

    default boolean handleKey(KeyStroke key, Interactable focused) {
        return false;
    }

    /** The wizard moves to another step. */
    default void leave() {
    }
}
