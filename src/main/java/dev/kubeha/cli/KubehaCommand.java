package dev.kubeha.cli;

import dev.kubeha.tui.Tui;
import dev.kubeha.tui.TuiOptions;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The top-level {@code kubeha} command. */
@Command(name = "kubeha", mixinStandardHelpOptions = true, versionProvider = KubehaCommand.Version.class,
        description = "Install a highly-available Kubernetes cluster with kubeadm, over SSH, from this jump host.",
        subcommands = {ValidateCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class KubehaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Option(names = "--answers", paramLabel = "FILE", description = "Open the wizard prefilled from an answers file.")
    Path answers;

    @Option(names = "--answers-out", paramLabel = "FILE",
            description = "Where \"Save answers\" writes (default: the --answers file, else answers.yaml in the state directory).")
    Path answersOut;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "State root (default: $KUBEHA_STATE_HOME, else ~/.kubeha); one directory per cluster.")
    Path stateDir;

    @Option(names = "--plain", description = "Ask the questions line by line instead of full screen.")
    boolean plain;

    @Option(names = "--no-probe", description = "Do not connect to the hosts while they are entered.")
    boolean noProbe;

    public KubehaCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return Tui.run(new TuiOptions(Optional.ofNullable(answers), Optional.ofNullable(answersOut),
                Optional.ofNullable(stateDir), plain, noProbe), context.out(), context.err(), context.today(),
                System.getenv());
    }

    /** Supplies {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kubeha " + KubehaVersion.get()};
        }
    }
}
