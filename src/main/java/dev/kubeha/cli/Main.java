package dev.kubeha.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine;

/** kubeha's entry point: wires the commands and maps every failure to a message and an exit code. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        CliContext context = new CliContext(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), Clock.systemDefaultZone());
        System.exit(run(context, args));
    }

    public static int run(CliContext context, String... args) {
        CommandLine cli = new CommandLine(KubehaCommand.class, factory(context));
        cli.setOut(context.out());
        cli.setErr(context.err());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("kubeha: " + e.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
            failed.getErr().flush();
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, failed, parseResult) -> {
            String where = saveCrashReport(e);
            failed.getErr().println("kubeha: internal error: " + e + (where.isEmpty() ? "" : " (details: " + where
                    + ")"));
            failed.getErr().flush();
            return ExitCodes.INTERNAL;
        });
        return cli.execute(args);
    }

    private static CommandLine.IFactory factory(CliContext context) {
        CommandLine.IFactory fallback = CommandLine.defaultFactory();
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                try {
                    Constructor<K> withContext = type.getDeclaredConstructor(CliContext.class);
                    return withContext.newInstance(context);
                } catch (NoSuchMethodException e) {
                    return fallback.create(type);
                }
            }
        };
    }

    /** Keeps the stack trace out of the terminal but on disk, for a bug report. */
    private static String saveCrashReport(Exception e) {
        try {
            Path dir = Path.of(System.getProperty("user.home"), ".kubeha", "crash");
            Files.createDirectories(dir);
            Path file = dir.resolve("crash-" + Instant.now().toEpochMilli() + ".txt");
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            Files.writeString(file, trace.toString());
            return file.toString();
        } catch (IOException | SecurityException ignored) {
            return "";
        }
    }
}
