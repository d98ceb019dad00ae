package dev.kubeha.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/** kubeha's commands and options as picocli's command tree, built without reflection (start-up stays short). */
final class CommandTree {
    static final Option VERSION = new Option(List.of("-V", "--version"), null, "Print kubeha's version and exit.",
            List.of(), null, false, false);

    private CommandTree() {
    }

    /**
     * The tree to parse these arguments with (each node costs start-up time): when they name a command, only that
     * command's node; when they name none (the wizard), none; else every command, for --help, help, completion,
     * typo suggestions and errors in the top options.
     */
    static CommandLine forArguments(List<Option> topOptions, List<Command> commands, CliContext context,
                                    String... args) {
        CommandSpec top = CommandSpec.create();
        topOptions.forEach(o -> top.add(spec(o)));
        ParseResult parsed;
        try {
            parsed = new CommandLine(top).setStopAtUnmatched(true).setExpandAtFiles(false).parseArgs(args);
        } catch (ParameterException e) {
            return of(topOptions, commands, context);
        }
        if (parsed.isUsageHelpRequested()) {
            return of(topOptions, commands, context);
        }
        if (parsed.unmatched().isEmpty()) {
            return of(topOptions, List.of(), context);
        }
        String name = parsed.unmatched().get(0);
        List<Command> named = commands.stream().filter(c -> c.name().equals(name)).toList();
        boolean describesAll = named.stream().anyMatch(c -> c instanceof HelpCommand || c instanceof CompletionCommand);
        return of(topOptions, named.isEmpty() || describesAll ? commands : named, context);
    }

    /** The tree for {@code kubeha [OPTIONS] [COMMAND]}: the top options (the wizard's) and one node per command. */
    static CommandLine of(List<Option> topOptions, List<Command> commands, CliContext context) {
        CommandSpec top = CommandSpec.wrapWithoutInspection(null).name("kubeha").version("kubeha "
                + KubehaVersion.get());
        describe(top.usageMessage(), List.of(
                "Install a highly-available Kubernetes cluster with kubeadm, over SSH, from this jump host.",
                "Without a command, kubeha opens its full-screen wizard."));
        footer(top.usageMessage(), List.of("Run 'kubeha COMMAND --help' for a command's options."));
        List<String> sections = new ArrayList<>(top.usageMessage().sectionKeys());
        sections.removeAll(List.of(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
                UsageMessageSpec.SECTION_KEY_COMMAND_LIST));
        sections.addAll(sections.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING), List.of(
                UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING, UsageMessageSpec.SECTION_KEY_COMMAND_LIST));
        top.usageMessage().abbreviateSynopsis(true).sectionKeys(sections);
        topOptions.forEach(o -> top.add(spec(o)));
        CommandLine tree = new CommandLine(top);
        commands.forEach(command -> tree.addSubcommand(command.name(), node(command)));
        return tree.setExpandAtFiles(false).setInterpolateVariables(false).setOut(context.out())
                .setErr(context.err()).setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
    }

    private static CommandLine node(Command command) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(command.name());
        describe(spec.usageMessage(), List.of(command.summary()));
        command.options().forEach(o -> spec.add(spec(o)));
        command.hiddenOptions().forEach(o -> spec.add(hidden(spec(o))));
        CommandLine node = new CommandLine(spec);
        command.subcommands().forEach(sub -> node.addSubcommand(sub.name(), node(sub)));
        return node;
    }

    /**
     * Prints a node's --help. A command's notes are asked for only here: they may name what costs start-up time to
     * load (apply's notes list the install workflow's phases).
     */
    static void usage(CommandLine node, PrintWriter out) {
        if (node.getCommandSpec().userObject() instanceof Command command) {
            footer(node.getCommandSpec().usageMessage(), command.notes());
        }
        node.usage(out);
        out.flush();
    }

    private static void describe(UsageMessageSpec usage, List<String> description) {
        usage.description(literal(description)).descriptionHeading("%n").parameterListHeading("%nArguments:%n")
                .optionListHeading("%nOptions:%n").commandListHeading("%nCommands:%n");
    }

    private static void footer(UsageMessageSpec usage, List<String> notes) {
        if (!notes.isEmpty()) {
            usage.footerHeading("%n").footer(literal(notes));
        }
    }

    private static ArgSpec spec(Option option) {
        String[] description = literal(List.of(option.description()));
        if (option.isPositional()) {
            return PositionalParamSpec.builder().paramLabel(option.param()).description(description)
                    .arity(option.required() ? "1" : "0..1").required(option.required()).type(type(option))
                    .converters(converters(option)).completionCandidates(candidates(option)).build();
        }
        // Identity, not equals: a record's equals spins method handles at run time, tens of ms before the cache warms.
        OptionSpec.Builder o = OptionSpec.builder(option.names().toArray(String[]::new)).description(description)
                .usageHelp(option == Command.HELP).versionHelp(option == VERSION);
        if (option.isFlag()) {
            return o.arity("0").type(boolean.class).build();
        }
        return o.paramLabel(option.param()).arity("1").required(option.required()).type(type(option))
                .auxiliaryTypes(String.class).converters(converters(option))
                .completionCandidates(candidates(option)).build();
    }

    private static ArgSpec hidden(ArgSpec option) {
        return ((OptionSpec) option).toBuilder().hidden(true).build();
    }

    /** Values stay text (commands read them through {@link Arguments}); a path type lets FILE and DIR complete. */
    private static Class<?> type(Option option) {
        return option.repeatable() ? String[].class : option.namesAPath() ? Path.class : String.class;
    }

    private static List<String> candidates(Option option) {
        return option.choices().isEmpty() ? null : option.choices();
    }

    private static ITypeConverter<?>[] converters(Option option) {
        if (option.choices().isEmpty()) {
            return new ITypeConverter<?>[0];
        }
        return new ITypeConverter<?>[] {value -> {
            if (!option.choices().contains(value)) {
                throw new TypeConversionException("'" + value + "' is not one of "
                        + String.join(", ", option.choices()));
            }
            return value;
        }};
    }

    /** picocli formats help text with String.format: a '%' in kubeha's own text stays a '%'. */
    private static String[] literal(List<String> lines) {
        return lines.stream().map(line -> line.replace("%", "%%")).toArray(String[]::new);
    }
}
