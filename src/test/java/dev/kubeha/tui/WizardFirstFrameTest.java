package dev.kubeha.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import com.googlecode.lanterna.terminal.virtual.VirtualTerminalListener;
import dev.kubeha.state.StateHome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wizard draws its first frame before it checks the draft, and the check's verdicts follow before any key. */
class WizardFirstFrameTest {
    @TempDir
    Path state;

    @Test
    void theFirstFrameComesBeforeTheCheckAndTheVerdictsBeforeAnyKey() throws Exception {
        Draft draft = Draft.defaults();
        draft.clusterName = "Bad_Name";
        String expected;
        try (VirtualWizard reference = new VirtualWizard(80, 24, copy(draft), Optional.empty(), state.resolve("a"))) {
            reference.wizard.refresh();
            expected = reference.text();
        }
        assertTrue(expected.contains("Bad_Name") && expected.lines().anyMatch(l -> l.startsWith(" Cluster name")
                && l.length() > " Cluster name       Bad_Name".length() + 2), "the name's verdict:\n" + expected);

        DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(80, 24));
        List<String> frames = new ArrayList<>();
        terminal.addVirtualTerminalListener(new VirtualTerminalListener() {
            @Override
            public void onFlush() {
                frames.add(VirtualWizard.text(terminal));
            }

            @Override
            public void onBell() {
            }

            @Override
            public void onResized(com.googlecode.lanterna.terminal.Terminal t, TerminalSize size) {
            }

            @Override
            public void onClose() {
            }
        });
        TerminalScreen screen = new TerminalScreen(terminal);
        screen.startScreen();
        MultiWindowTextGUI gui = new MultiWindowTextGUI(screen);
        Path dir = state.resolve("b");
        Wizard wizard = new Wizard(gui, copy(draft), new WizardSettings(VirtualWizard.TODAY, new Palette(false),
                new StateHome(dir), Optional.of(dir.resolve("answers.yaml")), Optional.empty(), Optional.empty()));
        try {
            int before = frames.size();
            wizard.drawFirstFrameThenCheck();
            assertEquals(before + 1, frames.size(), "one frame is drawn before the check");
            String first = frames.get(before);
            assertTrue(first.contains("Cluster name       Bad_Name"), first);
            assertFalse(first.lines().anyMatch(l -> l.startsWith(" Cluster name")
                    && l.length() > " Cluster name       Bad_Name".length() + 2), "no verdict before the check:\n" + first);

            terminal.addInput(new KeyStroke(KeyType.Tab));
            terminal.addInput(new KeyStroke(KeyType.Tab));
            gui.getGUIThread().processEventsAndUpdate();
            String afterKeys = VirtualWizard.text(terminal);
            assertEquals(frames.get(frames.size() - 1), afterKeys);
            assertTrue(afterKeys.contains(lineOf(expected)),
                    "the check's verdict, the same as a later check's:\n" + afterKeys + "\nwanted:\n" + expected);
            assertFalse(wizard.unsaved(), "the draft as opened counts as saved");
        } finally {
            wizard.close();
            screen.stopScreen();
        }
    }

    private static String lineOf(String text) {
        return text.lines().filter(l -> l.startsWith(" Cluster name")).findFirst().orElseThrow();
    }

    private static Draft copy(Draft draft) {
        Draft copy = Draft.defaults();
        copy.clusterName = draft.clusterName;
        return copy;
    }
}
