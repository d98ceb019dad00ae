package dev.kubeha.model;

/** Quotes a string for a POSIX shell. */
public final class ShellQuote {
    private ShellQuote() {
    }

    public static String quote(String text) {
        if (text.matches("[A-Za-z0-9_./=:@%+-]+")) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
