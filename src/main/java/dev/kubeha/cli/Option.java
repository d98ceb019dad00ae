package dev.kubeha.cli;

import java.util.List;

/**
 * A command-line option (or, without names, a positional parameter) of one command; {@link CommandTree} hands it to
 * picocli, which parses it, checks it and shows it in --help and in the completion script.
 *
 * @param names spellings, e.g. {@code -f} and {@code --file}; the last one is the canonical name; empty for a
 *              positional parameter, whose canonical name is its param
 * @param param the value's label (e.g. FILE; FILE and DIR complete as paths), or null for a flag
 * @param description one line for --help
 * @param choices allowed values, empty for any
 * @param fallback default value, or null
 * @param required whether the command refuses to run without it
 * @param repeatable whether it may be given several times (values collect)
 */
public record Option(List<String> names, String param, String description, List<String> choices, String fallback,
                     boolean required, boolean repeatable) {
    public Option {
        names = List.copyOf(names);
        choices = List.copyOf(choices);
    }

    public static Option value(String shortName, String longName, String param, String description) {
        return new Option(shortName == null ? List.of(longName) : List.of(shortName, longName), param, description,
                List.of(), null, false, false);
    }

    public static Option flag(String longName, String description) {
        return new Option(List.of(longName), null, description, List.of(), null, false, false);
    }

    /** A value given by its place after the command, e.g. the SHELL of {@code kubeha completion SHELL}. */
    public static Option positional(String param, String description) {
        return new Option(List.of(), param, description, List.of(), null, false, false);
    }

    public Option mandatory() {
        return new Option(names, param, description, choices, fallback, true, repeatable);
    }

    public Option choices(String fallbackValue, String... values) {
        return new Option(names, param, description, List.of(values), fallbackValue, required, repeatable);
    }

    public String name() {
        return names.isEmpty() ? param : names.get(names.size() - 1);
    }

    public boolean isFlag() {
        return param == null;
    }

    public boolean isPositional() {
        return names.isEmpty();
    }

    boolean namesAPath() {
        return "FILE".equals(param) || "DIR".equals(param);
    }
}
