package dev.kubeha.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.ParseResult;

/** The options of one command line as picocli parsed them, by each {@link Option}'s canonical name. */
public final class Arguments {
    private final ParseResult parsed;
    private final Map<String, List<String>> values;

    private Arguments(ParseResult parsed, Map<String, List<String>> values) {
        this.parsed = parsed;
        this.values = values;
    }

    /** The values picocli matched for the command's options, in the order given. */
    static Arguments of(ParseResult parsed, List<Option> options) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        int position = 0;
        for (Option option : options) {
            ArgSpec matched = option.isPositional() ? parsed.matchedPositional(position++)
                    : parsed.matchedOption(option.names().get(0));
            if (matched != null) {
                values.put(option.name(), option.isFlag() ? List.of("true") : matched.originalStringValues());
            }
        }
        return new Arguments(parsed, values);
    }

    public String command() {
        return parsed.commandSpec().name();
    }

    /** The whole command tree, for the commands that describe it (help, completion). */
    CommandLine tree() {
        return parsed.commandSpec().root().commandLine();
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    public Optional<String> value(String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
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
