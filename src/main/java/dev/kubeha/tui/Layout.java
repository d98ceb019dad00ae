package dev.kubeha.tui;

import dev.kubeha.model.Printable;
import dev.kubeha.validate.Problem;

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

    static String pad(String text, int width) {
        String cut = cut(text, width);
        return cut + " ".repeat(Math.max(0, width - cut.length()));
    }
}
