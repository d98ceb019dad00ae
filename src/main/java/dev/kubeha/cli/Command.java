package dev.kubeha.cli;

import java.util.List;

/** One kubeha subcommand: its name, what it does, its options, and its action. */
public interface Command {
    Option HELP = Option.flag("--help", "Show this help and exit.");

    String name();

    String summary();

    List<Option> options();

    /** Options it accepts but --help does not list (for benchmarks); none by default. */
    default List<Option> hiddenOptions() {
        return List.of();
    }

    /** Lines printed after the options in --help (exit codes, examples); empty by default. */
    default List<String> notes() {
        return List.of();
    }

    int run(Arguments args, CliContext context) throws UsageException;
}
