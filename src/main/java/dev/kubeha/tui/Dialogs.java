package dev.kubeha.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** The wizard's dialogs over the full screen: Esc, Ctrl-C and F10 close each one; answers arrive by callback. */
final class Dialogs {
    /** One button of a question: its label and what it does after the dialog closed. */
    record Choice(String label, Runnable action) {
    }

    private Dialogs() {
    }

    /** A centred modal window that Esc, Ctrl-C and F10 close. */
    static BasicWindow window(Palette palette, String title) {
        BasicWindow window = new BasicWindow(title);
        window.setHints(List.of(Window.Hint.CENTERED, Window.Hint.MODAL));
        window.setTheme(palette.theme());
        window.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window basePane, KeyStroke key, AtomicBoolean deliverEvent) {
                if (closes(key)) {
                    window.close();
                    deliverEvent.set(false);
                }
            }
        });
        window.setComponent(new EmptySpace());
        return window;
    }

    static boolean closes(KeyStroke key) {
        return key.getKeyType() == KeyType.Escape || key.getKeyType() == KeyType.F10
                || key.getKeyType() == KeyType.Character && key.isCtrlDown() && key.getCharacter() == 'c';
    }

    /** Lines of text and a row of buttons; the first button has the focus; closing the window chooses none. */
    static Window ask(WindowBasedTextGUI gui, Palette palette, String title, List<String> lines,
                      List<Choice> choices) {
        BasicWindow window = window(palette, title);
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL).setSpacing(0));
        int width = Math.max(30, gui.getScreen().getTerminalSize().getColumns() - 8);
        for (String line : lines) {
            String indent = line.substring(0, line.length() - line.stripLeading().length());
            for (String part : line.isBlank() ? List.of("") : HostKeyDialog.wrap(line.strip(),
                    width - indent.length())) {
                body.addComponent(new Label(indent + part));
            }
        }
        body.addComponent(new Label(""));
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        for (Choice choice : choices) {
            buttons.addComponent(new Button(choice.label(), () -> {
                window.close();
                choice.action().run();
            }));
        }
        body.addComponent(buttons);
        window.setComponent(body);
        gui.addWindow(window);
        ((Button) buttons.getChildrenList().get(0)).takeFocus();
        return window;
    }

    /** Asks for a line of text; Enter in the field or OK passes it on, Esc cancels. */
    static Window input(WindowBasedTextGUI gui, Palette palette, String title, String prompt, String initial,
                        Consumer<String> chosen) {
        BasicWindow window = window(palette, title);
        Panel body = new Panel(new LinearLayout(Direction.VERTICAL).setSpacing(0));
        body.addComponent(new Label(prompt));
        int width = Math.max(30, Math.min(70, gui.getScreen().getTerminalSize().getColumns() - 10));
        TextBox field = new ShellTextBox(new TerminalSize(width, 1), initial) {
            @Override
            public synchronized Result handleKeyStroke(KeyStroke key) {
                if (key.getKeyType() == KeyType.Enter) {
                    window.close();
                    chosen.accept(getText());
                    return Result.HANDLED;
                }
                return super.handleKeyStroke(key);
            }
        };
        body.addComponent(field);
        body.addComponent(new Label("Enter saves, Esc cancels; Ctrl-A/E/U/W edit as in a shell."));
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        buttons.addComponent(new Button("OK", () -> {
            window.close();
            chosen.accept(field.getText());
        }));
        buttons.addComponent(new Button("Cancel", window::close));
        body.addComponent(buttons);
        window.setComponent(body);
        gui.addWindow(window);
        field.takeFocus();
        field.setCaretPosition(initial.length());
        return window;
    }
}
