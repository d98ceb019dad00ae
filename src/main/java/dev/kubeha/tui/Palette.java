package dev.kubeha.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.SimpleTheme;
import com.googlecode.lanterna.graphics.Theme;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.CheckBox;
import com.googlecode.lanterna.gui2.ComboBox;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.table.Table;
import java.util.Map;

/** The wizard's colours: the terminal's own foreground and background plus a few colours that read on dark and light, or none under NO_COLOR. */
public record Palette(boolean colour) {
    public static Palette fromEnvironment(Map<String, String> env) {
        String noColor = env.get("NO_COLOR");
        return new Palette(noColor == null || noColor.isEmpty());
    }

    public TextColor error() {
        return colour ? TextColor.ANSI.RED : TextColor.ANSI.DEFAULT;
    }

    public TextColor warning() {
        return colour ? TextColor.ANSI.MAGENTA : TextColor.ANSI.DEFAULT;
    }

    public TextColor good() {
        return colour ? TextColor.ANSI.GREEN : TextColor.ANSI.DEFAULT;
    }

    public Theme theme() {
        TextColor none = TextColor.ANSI.DEFAULT;
        SimpleTheme theme = new SimpleTheme(none, none);
        SimpleTheme.Definition base = theme.getDefaultDefinition();
        base.setActive(none, none, SGR.REVERSE);
        base.setSelected(none, none, SGR.REVERSE);
        base.setPreLight(none, none, SGR.BOLD);
        base.setInsensitive(none, none);
        if (colour) {
            theme.addOverride(TextBox.class, TextColor.ANSI.WHITE, TextColor.ANSI.BLUE)
                    .setActive(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN, SGR.BOLD);
            theme.addOverride(ComboBox.class, TextColor.ANSI.WHITE, TextColor.ANSI.BLUE)
                    .setActive(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN, SGR.BOLD)
                    .setPreLight(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN);
            theme.addOverride(Button.class, none, none).setActive(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN, SGR.BOLD)
                    .setSelected(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN, SGR.BOLD)
                    .setInsensitive(TextColor.ANSI.BLACK_BRIGHT, none);
            theme.addOverride(CheckBox.class, none, none).setActive(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN);
            theme.addOverride(Table.class, none, none).setActive(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN, SGR.BOLD)
                    .setSelected(none, none, SGR.REVERSE);
        } else {
            theme.addOverride(TextBox.class, none, none, SGR.UNDERLINE).setActive(none, none, SGR.REVERSE);
            theme.addOverride(ComboBox.class, none, none, SGR.UNDERLINE).setActive(none, none, SGR.REVERSE)
                    .setPreLight(none, none, SGR.REVERSE);
            theme.addOverride(Button.class, none, none).setActive(none, none, SGR.REVERSE)
                    .setSelected(none, none, SGR.REVERSE).setInsensitive(none, none);
            theme.addOverride(Table.class, none, none).setActive(none, none, SGR.REVERSE)
                    .setSelected(none, none, SGR.UNDERLINE);
        }
        return theme;
    }
}
