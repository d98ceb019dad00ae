package dev.kubeha.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

/** A one-line text field that edits as a shell line does: Ctrl-A start, Ctrl-E end, Ctrl-U and Ctrl-W delete. */
class ShellTextBox extends TextBox {
    ShellTextBox(TerminalSize size, String text) {
        super(size, text);
    }

    @Override
    public synchronized Result handleKeyStroke(KeyStroke key) {
        if (key.getKeyType() != KeyType.Character || !key.isCtrlDown() || key.isAltDown()) {
            return super.handleKeyStroke(key);
        }
        String text = getText();
        int caret = Math.min(getCaretPosition().getColumn(), text.length());
        switch (Character.toLowerCase(key.getCharacter())) {
            case 'a' -> setCaretPosition(0);
            case 'e' -> setCaretPosition(text.length());
            case 'u' -> replace(text.substring(caret), 0);
            case 'w' -> {
                int start = caret;
                while (start > 0 && Character.isWhitespace(text.charAt(start - 1))) {
                    start--;
                }
                while (start > 0 && !Character.isWhitespace(text.charAt(start - 1)) && text.charAt(start - 1) != '/') {
                    start--;
                }
                if (start == caret && start > 0) {
                    start--;
                }
                replace(text.substring(0, start) + text.substring(caret), start);
            }
            default -> {
                return Result.UNHANDLED;
            }
        }
        return Result.HANDLED;
    }

    private void replace(String text, int caret) {
        setText(text);
        setCaretPosition(0, caret);
    }
}
