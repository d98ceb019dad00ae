package dev.kubeha.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandTreeTest {
    private static final Option DAYS = Option.value(null, "--days", "N", "Warn this many days ahead.");
    private static final Option NAME = Option.value("-n", "--name", "NAME", "A name (repeatable).");
    private static final Option REPEATED = new Option(NAME.names(), NAME.param(), NAME.description(), List.of(), null,
            false, true);

    /** A command that prints what it was given, as a day-2 command group would nest it. */
    private record Echo(String name, List<Option> options, List<Command> subcommands) implements Command {
        @Override
        public String summary() {
            return "Echo " + name + " (100% of it).";
        }

        @Override
        public int run(Arguments args, CliContext context) {
            context.out().println(args.command() + " days=" + args.value("--days").orElse("-") + " names="
                    + args.values("--name"));
            return ExitCodes.OK;
        }
    }

    private static final List<Command> COMMANDS = List.of(new Echo("certs", List.of(Command.HELP), List.of(
            new Echo("check", List.of(DAYS, REPEATED, Command.HELP), List.of()),
            new Echo("renew", List.of(Command.HELP), List.of()))));

    private static CliRunner.Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new CliContext(new PrintWriter(out), new PrintWriter(err), Clock.systemUTC()), COMMANDS,
                args);
        return new CliRunner.Run(code, out.toString(), err.toString());
    }

    @Test
    void nestedCommandsRunTheLeafWithItsOptions() {
        CliRunner.Run r = run("certs", "check", "--days=30", "-n", "a", "--name", "b");
        assertEquals(0, r.code(), r.err());
        assertEquals("check days=30 names=[a, b]\n", r.out());
        assertEquals("certs days=- names=[]\n", run("certs").out());
    }

    @Test
    void nestedUsageErrorsNameTheirCommand() {
        CliRunner.Run r = run("certs", "check", "--days");
        assertEquals(2, r.code());
        assertEquals("kubeha: missing required parameter for option '--days' (N)\nTry 'kubeha certs check --help'.\n",
                r.err());
        CliRunner.Run typo = run("certs", "renw");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("Did you mean: renew?"), typo.err());
    }

    /** Each command's node costs start-up time: the wizard (no command) gets none, a command only its own. */
    @Test
    void theTreeHoldsOnlyTheNodesTheArgumentsNeed() {
        assertEquals(List.of(), nodes("--no-probe", "--state-dir", "/tmp/s"));
        assertEquals(List.of(), nodes());
        assertEquals(List.of("validate"), nodes("validate", "-f", "a.yaml"));
        List<String> every = Main.commands().stream().map(Command::name).toList();
        assertEquals(every, nodes("--help"));
        assertEquals(every, nodes("help", "validate"));
        assertEquals(every, nodes("valdate"));
        assertEquals(every, nodes("--state-dir"));
    }

    private static List<String> nodes(String... args) {
        PrintWriter quiet = new PrintWriter(new StringWriter());
        return List.copyOf(CommandTree.forArguments(Main.TOP_OPTIONS, Main.commands(),
                new CliContext(quiet, quiet, Clock.systemUTC()), args).getSubcommands().keySet());
    }

    @Test
    void helpListsSubcommandsAndKeepsPercentSigns() {
        CliRunner.Run r = run("certs", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: kubeha certs [-h] [COMMAND]\n\nEcho certs (100% of it).\n"), r.out());
        assertTrue(r.out().contains("\nCommands:\n  check  Echo check (100% of it).\n  renew  Echo renew"), r.out());
    }
}
