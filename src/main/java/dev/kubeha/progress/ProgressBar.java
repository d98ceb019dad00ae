package dev.kubeha.progress;

import java.util.Locale;

/** A text progress bar such as {@code [#####.....]  50%}, the same in every view. */
public final class ProgressBar {
    private ProgressBar() {
    }

    /** A bar exactly {@code width} characters wide, percentage included, when width allows. */
    public static String text(int done, int total, int width) {
        int percent = total <= 0 ? 0 : (int) Math.min(100, Math.round(100.0 * done / total));
        String tail = String.format(Locale.ROOT, " %3d%%", percent);
        int inner = width - tail.length() - 2;
        if (inner < 3) {
            return tail.strip();
        }
        int filled = total <= 0 ? 0 : (int) Math.min(inner, (long) inner * done / total);
        return "[" + "#".repeat(filled) + ".".repeat(inner - filled) + "]" + tail;
    }
}
