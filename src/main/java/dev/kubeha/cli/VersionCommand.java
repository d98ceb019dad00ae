package dev.kubeha.cli;

import dev.kubeha.model.KubernetesRelease;
import dev.kubeha.model.SupportedReleases;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code kubeha version}: kubeha's own version and the Kubernetes minors it installs. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print kubeha's version and the Kubernetes versions it supports.")
public final class VersionCommand implements Callable<Integer> {
    private final CliContext context;

    public VersionCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        var out = context.out();
        out.println("kubeha " + KubehaVersion.get() + " (Java " + Runtime.version() + ")");
        out.println("Kubernetes  config API              kube-prometheus  flannel  end of life");
        for (KubernetesRelease r : SupportedReleases.all()) {
            out.printf("%-11s %-24s %-16s %-8s %s%s%n", r.minor(), r.kubeadmApiVersion(),
                    r.kubePrometheus().orElse("none yet"), r.flannel(), r.endOfLife(),
                    r.endOfLifeBefore(context.today()) ? " (ended)" : "");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
