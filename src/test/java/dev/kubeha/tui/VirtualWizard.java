package dev.kubeha.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.kubeha.state.StateHome;
import dev.kubeha.tui.probe.LiveProbes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;

/** The wizard running on Lanterna's in-memory terminal, driven key by key, read back as text. */
final class VirtualWizard implements AutoCloseable {
    static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

    final DefaultVirtualTerminal terminal;
    final MultiWindowTextGUI gui;
    final Wizard wizard;
    private final TerminalScreen screen;

    VirtualWizard(int columns, int rows, Draft draft, Optional<LiveProbes> probe, Path stateDir) throws IOException {
        this(columns, rows, draft, probe, stateDir, Optional.empty());
    }

    VirtualWizard(int columns, int rows, Draft draft, Optional<LiveProbes> probe, Path stateDir,
                  Optional<WizardSettings.WizardBundle> bundle) throws IOException {
        terminal = new DefaultVirtualTerminal(new TerminalSize(columns, rows));
        screen = new TerminalScreen(terminal);
        screen.startScreen();
        gui = new MultiWindowTextGUI(screen);
        wizard = new Wizard(gui, draft, new WizardSettings(TODAY, new Palette(false), new StateHome(stateDir),
                Optional.of(stateDir.resolve("answers.yaml")), probe, bundle));
        wizard.drawFirstFrameThenCheck();
    }

    void keys(KeyStroke... keys) throws IOException {
        for (KeyStroke key : keys) {
            terminal.addInput(key);
            gui.getGUIThread().processEventsAndUpdate();
        }
    }

    void type(String text) throws IOException {
        for (char c : text.toCharArray()) {
            keys(new KeyStroke(c, false, false));
        }
    }

    String text() throws IOException {
        gui.getGUIThread().processEventsAndUpdate();
        gui.updateScreen();
        return text(terminal);
    }

    /** The terminal's characters, one line per row with trailing blanks removed. */
    static String text(DefaultVirtualTerminal terminal) {
        TerminalSize size = terminal.getTerminalSize();
        StringBuilder out = new StringBuilder();
        for (int row = 0; row < size.getRows(); row++) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < size.getColumns(); column++) {
                var c = terminal.getCharacter(column, row);
                line.append(c.getCharacterString());
                if (c.isDoubleWidth()) {
                    column++;
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        wizard.close();
        screen.stopScreen();
    }
}
