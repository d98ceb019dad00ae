package dev.kubeha.tui;

import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.dialogs.MessageDialog;
import com.googlecode.lanterna.gui2.dialogs.MessageDialogButton;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * A key on the Cluster screen that runs something on the cluster once the operator agreed on the screen, such as the
 * certificate renewal (one question) or an upgrade (a target version, then what will change).
 *
 * @param key the character that starts it
 * @param label what the screen's key line shows
 * @param ask asks on the screen; the run (the Cluster screen is closed meanwhile, it returns its exit code) when the
 *            operator agreed, else empty
 */
record ClusterAction(char key, String label, Asking ask) {
    /** The questions an action asks before it runs. */
    @FunctionalInterface
    interface Asking {
        Optional<IntSupplier> ask(WindowBasedTextGUI gui);
    }

    /** What the operator chose on the Cluster screen: the action's label and its run. */
    record Chosen(String label, IntSupplier run) {
    }

    /** An action that asks one yes/no question first. */
    static ClusterAction confirmed(char key, String label, String question, IntSupplier run) {
        return new ClusterAction(key, label, gui -> MessageDialog.showMessageDialog(gui, label, question,
                MessageDialogButton.Yes, MessageDialogButton.No) == MessageDialogButton.Yes
                ? Optional.of(run) : Optional.empty());
    }
}
