package dev.kubeha.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code kubeha} command. */
@Command(name = "kubeha", mixinStandardHelpOptions = true, versionProvider = KubehaCommand.Version.class,
        description = "Install a highly-available Kubernetes cluster with kubeadm, over SSH, from this jump host.",
        subcommands = {ValidateCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class KubehaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final CliContext context;

    public KubehaCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(context.out());
        return ExitCodes.OK;
    }

    /** Supplies {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kubeha " + KubehaVersion.get()};
        }
    }
}
