package dev.kubeha.tui;

import dev.kubeha.model.Printable;
import dev.kubeha.validate.Problem;
import java.util.ArrayList;
import java.util.List;

/** Widths and text cutting shared by every screen, so that 80 columns and wide terminals both fit. */
final class Layout {
    static final String ERROR = "✗ ";
    static final String WARNING = "! ";

    private Layout() {
    }

    static int inputWidth(int columns) {
        return Math.max(20, Math.min(40, (columns - Form.LABEL) / 2 - 6));
    }

    static String mark(Problem p) {
        return p.isError() ? ERROR : WARNING;
    }

    /** The text made {@linkplain Printable printable} and cut to width with an ellipsis. */
    static String cut(String raw, int width) {
        if (width <= 0) {
            return "";
        }
        String text = Printable.of(raw);
        if (text.length() <= width) {
            return text;
        }
        return text.substring(0, Math.max(0, width - 1)) + "…";
    }

    /** Wraps at spaces to at most {@code lines} lines; a longer text ends with "… (F1: all of it)". */
    static List<String> wrap(String text, int width, int lines) {
        if (text.isEmpty()) {
            return List.of("");
        }
        List<String> all = HostKeyDialog.wrap(text, width);
        List<String> out = new ArrayList<>();
        for (String line : all) {
            out.add(cut(line, width));
        }
        if (out.size() <= lines) {
            return out;
        }
        List<String> shown = new ArrayList<>(out.subList(0, lines));
        String more = "… (F1: all of it)";
        String last = shown.get(lines - 1);
        shown.set(lines - 1, last.substring(0, Math.max(0, Math.min(last.length(), width - more.length()))) + more);
        return shown;
    }

    static String pad(String text, int width) {
        String cut = cut(text, width);
        return cut + " ".repeat(Math.max(0, width - cut.length()));
    }
}
