package dev.kubeha.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The parsed options of one command line. */
public final class Arguments {
    private final String command;
    private final Map<String, List<String>> values;

    private Arguments(String command, Map<String, List<String>> values) {
        this.command = command;
        this.values = values;
    }

    /** Parses {@code args} against the command's options; unknown options, missing values and bad choices fail. */
    public static Arguments parse(String command, List<Option> options, List<String> args) throws UsageException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            Option option = find(options, name);
            if (option == null) {
                throw new UsageException(command, arg.startsWith("-") ? "unknown option '" + arg + "'"
                        : "unexpected argument '" + arg + "'");
            }
            String value;
            if (option.isFlag()) {
                if (inline != null) {
                    throw new UsageException(command, "option '" + option.name() + "' takes no value");
                }
                value = "true";
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException(command, "option '" + option.name() + "' needs a value (" + option.param()
                        + ")");
            }
            if (!option.choices().isEmpty() && !option.choices().contains(value)) {
                throw new UsageException(command, "option '" + option.name() + "': '" + value + "' is not one of "
                        + String.join(", ", option.choices()));
            }
            List<String> list = values.computeIfAbsent(option.name(), k -> new ArrayList<>());
            if (!list.isEmpty() && !option.repeatable()) {
                throw new UsageException(command, "option '" + option.name() + "' is given twice");
            }
            list.add(value);
        }
        for (Option option : options) {
            if (option.required() && !values.containsKey(option.name()) && !values.containsKey("--help")) {
                throw new UsageException(command, "missing required option '" + option.synopsis() + "'");
            }
        }
        return new Arguments(command, values);
    }

    private static Option find(List<Option> options, String name) {
        for (Option option : options) {
            if (option.names().contains(name)) {
                return option;
            }
        }
        return null;
    }

    public String command() {
        return command;
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    public Optional<String> value(String name) {
        List<String> list = values.get(name);
        return list == null ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    public String value(Option option) {
        return value(option.name()).orElse(option.fallback());
    }

    public List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    public Optional<Path> path(String name) {
        return value(name).map(Path::of);
    }
}
