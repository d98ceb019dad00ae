package dev.kubeha.cli;

import dev.kubeha.install.ClusterStatus;
import dev.kubeha.install.ClusterSurvey;
import dev.kubeha.model.Json;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code kubeha status}: one read-only pass over every host; exit 0 healthy, 1 degraded or expiring within 30 days. */
public final class StatusCommand implements Command {
    static final Option OUTPUT = Option.value(null, "--output", "FORMAT", "text (default) or json (schema in the"
            + " README).").choices("text", "text", "json");
    static final Option WATCH = Option.flag("--watch", "Run the pass again every 5 seconds until interrupted.");
    static final Duration WATCH_EVERY = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "Show the cluster's health, read-only: services, VIP, etcd, nodes, certificates, drift, last backup.";
    }

    @Override
    public List<Option> options() {
        return List.of(Workspace.FILE, OUTPUT, WATCH, ApplyCommand.ACCEPT_NEW, Workspace.STATE_DIR, HELP);
    }

    @Override
    public List<String> notes() {
        return List.of("Exit codes: 0 healthy, 1 degraded or a certificate expires within 30 days, 2 usage error.");
    }

    /** A read-only status pass's caller: what it prints and the exit code it returns. */
    @FunctionalInterface
    interface SurveyUse {
        int use(ClusterSurvey survey);
    }

    /** Opens the workspace of -f and runs {@code use} with a survey of its hosts; exit 1 when the answers fail. */
    static int withSurvey(Arguments args, CliContext context, SurveyUse use) {
        Optional<Workspace> opened = Workspace.open(args, context);
        if (opened.isEmpty()) {
            return ExitCodes.PROBLEMS;
        }
        Workspace w = opened.get();
        try (ClusterSurvey survey = new ClusterSurvey(w.cluster(), w.ssh(args), 32, context.clock())) {
            return use.use(survey);
        }
    }

    @Override
    public int run(Arguments args, CliContext context) {
        boolean json = args.value(OUTPUT).equals("json");
        return withSurvey(args, context, survey -> {
            while (true) {
                ClusterStatus status = survey.run();
                context.out().print(json ? Json.write(status.toJson()) + "\n" : StatusText.of(status));
                context.out().flush();
                if (!args.flag(WATCH.name())) {
                    return status.exitCode();
                }
                try {
                    Thread.sleep(WATCH_EVERY);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return status.exitCode();
                }
            }
        });
    }
}
