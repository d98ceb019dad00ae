package dev.kubeha.cli;

import dev.kubeha.state.StateException;
import dev.kubeha.state.StateHome;
import dev.kubeha.model.Printable;
import dev.kubeha.tui.Tui;
import dev.kubeha.tui.TuiOptions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;

/** kubeha's entry point: dispatches to a command and maps every failure to a message and an exit code. */
public final class Main {
    static final Option VERSION = Option.flag("--version", "Print kubeha's version and exit.");
    static final Option ANSWERS = Option.value(null, "--answers", "FILE", "Open the wizard prefilled from an answers file.");
    static final Option ANSWERS_OUT = Option.value(null, "--answers-out", "FILE",
            "Where \"Save answers\" writes (default: the --answers file, else answers.yaml in the state directory).");
    static final Option STATE_DIR = Option.value(null, "--state-dir", "DIR",
            "State root (default: $KUBEHA_STATE_HOME, else ~/.kubeha); one directory per cluster.");
    static final Option PLAIN = Option.flag("--plain", "Ask the questions line by line instead of full screen.");
    static final Option NO_PROBE = Option.flag("--no-probe", "Do not connect to the hosts while they are entered.");
    static final List<Option> TOP_OPTIONS = List.of(ANSWERS, ANSWERS_OUT, STATE_DIR, PLAIN, NO_PROBE, VERSION,
            Command.HELP);

    private Main() {
    }

    public static void main(String[] args) {
        CliContext context = new CliContext(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), systemClock());
        System.exit(run(context, args));
    }

    /**
     * The system clock at the default zone's offset of this moment: the clock's zone only gives today's date, and
     * java.util.TimeZone's offset spares start-up java.time's zone-rules provider (20-60 ms before the first frame).
     */
    static Clock systemClock() {
        return systemClock(TimeZone.getDefault(), Instant.now());
    }

    static Clock systemClock(TimeZone zone, Instant now) {
        return Clock.system(ZoneOffset.ofTotalSeconds(zone.getOffset(now.toEpochMilli()) / 1000));
    }

    static List<Command> commands() {
        return List.of(new ValidateCommand(), new RenderCommand(), new PlanCommand(), new ApplyCommand(),
                new ResetCommand(), new UpgradeCommand(), new EtcdUpgradeCommand(), new VersionCommand());
    }

    public static int run(CliContext context, String... args) {
        StateHome home = Diagnostics.home(Arrays.asList(args), System.getenv());
        Diagnostics.pointLogAt(home);
        try {
            return dispatch(context, Arrays.asList(args));
        } catch (UsageException e) {
            context.err().println("kubeha: " + Printable.of(e.getMessage()));
            context.err().println("Try '" + ("kubeha".equals(e.command()) ? "kubeha" : "kubeha " + e.command())
                    + " --help'.");
            context.err().flush();
            return ExitCodes.USAGE;
        } catch (StateException e) {
            context.err().println("kubeha: " + e.getMessage());
            context.err().flush();
            return ExitCodes.PROBLEMS;
        } catch (RuntimeException e) {
            String where = Diagnostics.saveCrashReport(e, home);
            context.err().println("kubeha: internal error: " + Printable.of(e.toString()) + (where.isEmpty() ? "" : " (details: " + where
                    + ")"));
            context.err().flush();
            return ExitCodes.INTERNAL;
        }
    }

    private static int dispatch(CliContext context, List<String> args) throws UsageException {
        List<Command> commands = commands();
        int first = 0;
        while (first < args.size() && args.get(first).startsWith("-")) {
            String arg = args.get(first);
            boolean takesValue = TOP_OPTIONS.stream().anyMatch(o -> !o.isFlag() && o.names().contains(arg));
            first += takesValue ? 2 : 1;
        }
        first = Math.min(first, args.size());
        Arguments top = Arguments.parse("kubeha", TOP_OPTIONS, args.subList(0, first));
        if (top.flag(Command.HELP.name())) {
            context.out().print(Help.forKubeha(commands, TOP_OPTIONS));
            context.out().flush();
            return ExitCodes.OK;
        }
        if (top.flag(VERSION.name())) {
            context.out().println("kubeha " + KubehaVersion.get());
            context.out().flush();
            return ExitCodes.OK;
        }
        if (first == args.size()) {
            return Tui.run(new TuiOptions(top.path(ANSWERS.name()), top.path(ANSWERS_OUT.name()),
                    top.path(STATE_DIR.name()), top.flag(PLAIN.name()), top.flag(NO_PROBE.name())), context.out(),
                    context.err(), context.today(), System.getenv());
        }
        String name = args.get(first);
        List<String> rest = args.subList(first + 1, args.size());
        if (name.equals("help")) {
            return help(context, commands, rest);
        }
        Command command = commands.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("kubeha", "unknown command '" + name + "'"));
        List<Option> accepted = new java.util.ArrayList<>(command.options());
        accepted.addAll(command.hiddenOptions());
        Arguments parsed = Arguments.parse(command.name(), accepted, rest);
        if (parsed.flag(Command.HELP.name())) {
            context.out().print(Help.forCommand(command));
            context.out().flush();
            return ExitCodes.OK;
        }
        return command.run(parsed, context);
    }

    private static int help(CliContext context, List<Command> commands, List<String> rest) throws UsageException {
        if (rest.isEmpty()) {
            context.out().print(Help.forKubeha(commands, TOP_OPTIONS));
        } else {
            Command command = commands.stream().filter(c -> c.name().equals(rest.get(0))).findFirst()
                    .orElseThrow(() -> new UsageException("kubeha", "unknown command '" + rest.get(0) + "'"));
            context.out().print(Help.forCommand(command));
        }
        context.out().flush();
        return ExitCodes.OK;
    }
}
