package dev.kubeha.cli;

import java.util.List;
import picocli.CommandLine;

/** {@code kubeha help [COMMAND]}: the same text as {@code kubeha [COMMAND] --help}. */
final class HelpCommand implements Command {
    private static final Option COMMAND = Option.positional("COMMAND", "The command to describe.");

    @Override
    public String name() {
        return "help";
    }

    @Override
    public String summary() {
        return "Show kubeha's help, or a command's.";
    }

    @Override
    public List<Option> options() {
        return List.of(COMMAND, HELP);
    }

    @Override
    public int run(Arguments args, CliContext context) throws UsageException {
        CommandLine tree = args.tree();
        CommandLine described = tree;
        if (args.value(COMMAND.name()).isPresent()) {
            String name = args.value(COMMAND.name()).get();
            described = tree.getSubcommands().get(name);
            if (described == null) {
                throw new UsageException("kubeha", "unknown command '" + name + "'");
            }
        }
        CommandTree.usage(described, context.out());
        return ExitCodes.OK;
    }
}
