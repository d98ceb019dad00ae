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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** kubeha's entry point: dispatches to a command and maps every failure to a message and an exit code. */
public final class Main {
    static final Option ANSWERS = Option.value(null, "--answers", "FILE", "Open the wizard prefilled from an answers file.");
    static final Option ANSWERS_OUT = Option.value(null, "--answers-out", "FILE",
            "Where \"Save answers\" writes (default: the --answers file, else answers.yaml in the state directory).");
    static final Option STATE_DIR = Option.value(null, "--state-dir", "DIR",
            "State root (default: $KUBEHA_STATE_HOME, else ~/.kubeha); one directory per cluster.");
    static final Option PLAIN = Option.flag("--plain", "Ask the questions line by line instead of full screen.");
    static final Option NO_PROBE = Option.flag("--no-probe", "Do not connect to the hosts while they are entered.");
    static final Option BUNDLE = Option.value(null, "--bundle", "FILE",
            "An offline bundle made by 'kubeha bundle': checked first, shown against the answers and the hosts on"
                    + " Review, and Install takes the packages, images and release files from it.");
    static final List<Option> TOP_OPTIONS = List.of(ANSWERS, ANSWERS_OUT, STATE_DIR, PLAIN, NO_PROBE, BUNDLE,
            CommandTree.VERSION, Command.HELP);

    private Main() {
    }

    public static void main(String[] args) {
        CliContext context = new CliContext(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), systemClock());
        int code = run(context, args);
        if (code != ExitCodes.OK || anotherThreadKeepsTheJvm()) {
            System.exit(code);
        }
    }

    /**
     * Whether a non-daemon thread other than this one still runs. When none does, returning from main ends the JVM
     * with 0 as System.exit would, without System.exit's look for a platform logger, which opens every jar of the
     * class path (10-40 ms).
     */
    static boolean anotherThreadKeepsTheJvm() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        if (count == threads.length) {
            return true;
        }
        for (int i = 0; i < count; i++) {
            if (threads[i] != Thread.currentThread() && threads[i].isAlive() && !threads[i].isDaemon()) {
                return true;
            }
        }
        return false;
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
                new BundleCommand(), new ResetCommand(), new BackupCommand(), new RestoreCommand(), new DrillCommand(),
                new StatusCommand(), new CertsCommand(), new UpgradeCommand(), new EtcdUpgradeCommand(),
                new VersionCommand(), new CompletionCommand(), new HelpCommand());
    }

    public static int run(CliContext context, String... args) {
        return run(context, commands(), args);
    }

    static int run(CliContext context, List<Command> commands, String... args) {
        StateHome home = Diagnostics.home(Arrays.asList(args), System.getenv());
        Diagnostics.pointLogAt(home);
        try {
            return dispatch(context, commands, args);
        } catch (UsageException e) {
            return usageError(context, "kubeha".equals(e.command()) ? "kubeha" : "kubeha " + e.command(),
                    e.getMessage(), List.of());
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

    private static int dispatch(CliContext context, List<Command> commands, String... args) throws UsageException {
        CommandLine tree = CommandTree.forArguments(TOP_OPTIONS, commands, context, args);
        ParseResult parsed;
        try {
            parsed = tree.parseArgs(args);
        } catch (ParameterException e) {
            return usageError(context, e.getCommandLine().getCommandSpec().qualifiedName(), message(e, tree),
                    e instanceof UnmatchedArgumentException u ? u.getSuggestions() : List.of());
        }
        for (ParseResult level = parsed; level != null; level = level.hasSubcommand() ? level.subcommand() : null) {
            if (level.isUsageHelpRequested()) {
                CommandTree.usage(level.commandSpec().commandLine(), context.out());
                return ExitCodes.OK;
            }
            if (level.isVersionHelpRequested()) {
                level.commandSpec().commandLine().printVersionHelp(context.out());
                context.out().flush();
                return ExitCodes.OK;
            }
        }
        if (!parsed.hasSubcommand()) {
            Arguments top = Arguments.of(parsed, TOP_OPTIONS);
            return Tui.run(new TuiOptions(top.path(ANSWERS.name()), top.path(ANSWERS_OUT.name()),
                    top.path(STATE_DIR.name()), top.flag(PLAIN.name()), top.flag(NO_PROBE.name()),
                    top.path(BUNDLE.name())), context.out(),
                    context.err(), context.today(), System.getenv());
        }
        ParseResult sub = parsed.subcommand();
        while (sub.hasSubcommand()) {
            sub = sub.subcommand();
        }
        Command command = (Command) sub.commandSpec().userObject();
        List<Option> accepted = new ArrayList<>(command.options());
        accepted.addAll(command.hiddenOptions());
        return command.run(Arguments.of(sub, accepted), context);
    }

    /** picocli's message in kubeha's voice: an unmatched word before any command is an unknown command. */
    private static String message(ParameterException e, CommandLine tree) {
        if (e instanceof UnmatchedArgumentException u && e.getCommandLine() == tree && !u.isUnknownOption()
                && !u.getUnmatched().isEmpty()) {
            return "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        String text = e.getMessage();
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    private static int usageError(CliContext context, String command, String message, List<String> suggestions) {
        context.err().println("kubeha: " + Printable.of(message));
        if (!suggestions.isEmpty()) {
            context.err().println("Did you mean: " + Printable.of(String.join(" or ", suggestions)) + "?");
        }
        context.err().println("Try '" + command + " --help'.");
        context.err().flush();
        return ExitCodes.USAGE;
    }
}
