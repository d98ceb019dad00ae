package dev.kubeha.render;

import dev.kubeha.model.Printable;
import java.util.regex.Pattern;

/** Writes values into systemd unit files: Exec arguments quoted and escaped, specifiers and variables doubled. */
final class SystemdUnits {
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9._/:,=@+\\[\\]-]+");

    private SystemdUnits() {
    }

    /** One argument of an Exec line, exactly as the program will receive it. */
    static String argument(String value) {
        if (BARE.matcher(value).matches()) {
            return value;
        }
        if (value.indexOf('\0') >= 0) {
            throw new RenderException("'" + value + "' cannot be passed to a program: it holds a NUL character");
        }
        StringBuilder quoted = new StringBuilder("\"");
        value.codePoints().forEach(c -> quoted.append(switch (c) {
            case '\\' -> "\\\\";
            case '"' -> "\\\"";
            case '$' -> "$$";
            case '%' -> "%%";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : Character.toString(c);
        }));
        return quoted.append('"').toString();
    }

    /** The value of a one-line setting or comment, such as Description=: one line, specifiers doubled. */
    static String text(String value) {
        if (Printable.firstUnsafe(value).isPresent()) {
            throw new RenderException("'" + value + "' cannot be written into a unit file: it holds a control"
                    + " character");
        }
        return value.replace("%", "%%");
    }
}
