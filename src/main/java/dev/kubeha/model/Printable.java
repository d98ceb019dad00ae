package dev.kubeha.model;

import java.util.OptionalInt;

/** Text from a file, a host or a keyboard made safe to show on a terminal: control characters become escapes. */
public final class Printable {
    private Printable() {
    }

    /** The text with every {@linkplain #isUnsafe unsafe} character written as \n, \r, \t, \e or a hex escape. */
    public static String of(String text) {
        if (text == null || text.codePoints().noneMatch(Printable::isUnsafe)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            if (!isUnsafe(c)) {
                out.appendCodePoint(c);
            } else {
                out.append(escape(c));
            }
        });
        return out.toString();
    }

    /** The escape {@link #of} writes for one unsafe character. */
    public static String escape(int c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case 0x1b -> "\\e";
            default -> c <= 0xff ? String.format("\\x%02x", c) : String.format("\\u{%04x}", c);
        };
    }

    /**
     * True for a character a terminal acts on or that hides or reorders text: C0 and C1 controls, DEL, format
     * characters (bidirectional overrides, zero-width characters), the Unicode line and paragraph separators and
     * unpaired surrogates.
     */
    public static boolean isUnsafe(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }

    /** The first unsafe character of the text, if any. */
    public static OptionalInt firstUnsafe(String text) {
        return text == null ? OptionalInt.empty() : text.codePoints().filter(Printable::isUnsafe).findFirst();
    }
}
