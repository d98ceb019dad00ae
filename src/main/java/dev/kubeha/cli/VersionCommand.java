package dev.kubeha.cli;

import dev.kubeha.model.KubernetesRelease;
import dev.kubeha.model.SupportedReleases;
import java.util.List;

/** {@code kubeha version}: kubeha's own version and the Kubernetes minors it installs. */
public final class VersionCommand implements Command {
    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "Print kubeha's version and the Kubernetes versions it supports.";
    }

    @Override
    public List<Option> options() {
        return List.of(HELP);
    }

    @Override
    public int run(Arguments args, CliContext context) {
        var out = context.out();
        out.println("kubeha " + KubehaVersion.get() + " (Java " + Runtime.version() + ")");
        out.println("Kubernetes  config API              kube-prometheus  flannel  end of life         containerd"
                + " (installs; recommended)");
        for (KubernetesRelease r : SupportedReleases.all()) {
            out.printf("%-11s %-24s %-16s %-8s %-19s %s; %s%n", r.minor(), r.kubeadmApiVersion(),
                    r.kubePrometheus().orElse("none yet"), r.flannel(), r.endOfLife()
                            + (r.endOfLifeBefore(context.today()) ? " (ended)" : ""), r.containerdArchive(),
                    String.join(", ", r.containerd().stream().map(v -> v + "+").toList()));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
