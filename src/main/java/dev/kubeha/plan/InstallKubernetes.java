package dev.kubeha.plan;

import dev.kubeha.model.ShellQuote;
import dev.kubeha.facts.OsFamily;
import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.render.KubernetesPackages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** kubelet, kubeadm and kubectl from the minor's package repository, pinned to the exact version, held; kubelet on. */
public final class InstallKubernetes extends PhaseBuilder {
    public static final String NAME = "packages";
    private static final String PACKAGE_LIST = String.join(" ", KubernetesPackages.PACKAGES);

    public InstallKubernetes() {
        super(NAME);
    }

    @Override
    public Optional<Phase> build(PlanInput in) {
        List<Step> steps = new ArrayList<>();
        String version = KubernetesPackages.version(in.spec());
        for (HostSpec host : in.kubernetesNodes()) {
            String h = host.name();
            OsFamily family = in.factsOf(host).osFamily();
            steps.add(Step.of("k8s.repository", "Add the Kubernetes " + version + " package repository", h,
                    repository(in, host, family)).withAttempts(3));
            steps.add(Step.of("k8s.packages", "Install kubelet, kubeadm and kubectl " + version + " and hold them", h,
                    List.of(RunCommand.unless(installed(family, version), install(in.spec(), family, version))))
                    .withAttempts(3).withTimeout(Duration.ofMinutes(10)));
            steps.add(Step.of("k8s.kubelet", "Enable the kubelet (it waits for kubeadm)", h, List.of(
                    RunCommand.unless("systemctl is-enabled --quiet kubelet", "systemctl enable kubelet"))));
        }
        return Optional.of(Phase.parallel(NAME, "Kubernetes packages " + version, steps));
    }

    private static List<Operation> repository(PlanInput in, HostSpec host, OsFamily family) {
        return switch (family) {
            case DEBIAN -> List.of(OsCommands.installPackages(family, List.of("curl", "ca-certificates")),
                    RunCommand.unless("test -s " + KubernetesPackages.APT_KEY,
                            "install -d -m 0755 /etc/apt/keyrings && curl -fsSL --retry 3 "
                                    + ShellQuote.quote(KubernetesPackages.aptKeyUrl(in.spec())) + " -o "
                                    + KubernetesPackages.APT_KEY + ".tmp && chmod 0644 " + KubernetesPackages.APT_KEY
                                    + ".tmp && mv " + KubernetesPackages.APT_KEY + ".tmp " + KubernetesPackages.APT_KEY),
                    in.write(host, KubernetesPackages.APT_SOURCE));
            case RHEL -> List.of(in.write(host, KubernetesPackages.YUM_REPO));
        };
    }

    private static String installed(OsFamily family, String version) {
        return switch (family) {
            case DEBIAN -> "for p in " + PACKAGE_LIST + "; do case \"$(dpkg-query -W -f='${Status} ${Version}' $p"
                    + " 2>/dev/null)\" in *'ok installed " + version + "-'*) ;; *) exit 1;; esac; done"
                    + " && test \"$(apt-mark showhold | grep -cxE 'kubelet|kubeadm|kubectl')\" -eq 3";
            case RHEL -> "for p in " + PACKAGE_LIST + "; do test \"$(rpm -q --qf '%{VERSION}' $p 2>/dev/null)\" = "
                    + version + " || exit 1; done";
        };
    }

    /** apt refreshes only the Kubernetes source, so an unrelated broken source cannot fail the install. */
    private static String install(ClusterSpec spec, OsFamily family, String version) {
        return switch (family) {
            case DEBIAN -> "export DEBIAN_FRONTEND=noninteractive; apt-get update -q -o Dir::Etc::sourcelist="
                    + KubernetesPackages.APT_SOURCE.substring("/etc/apt/".length())
                    + " -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0"
                    + " && apt-get install -y -q --no-install-recommends --allow-change-held-packages"
                    + " --allow-downgrades "
                    + KubernetesPackages.PACKAGES.stream().map(p -> p + "='" + version + "-*'")
                    .collect(Collectors.joining(" "))
                    + " && apt-mark hold " + PACKAGE_LIST;
            case RHEL -> "dnf install -y -q --disableexcludes=" + KubernetesPackages.YUM_REPO_ID + " "
                    + KubernetesPackages.PACKAGES.stream().map(p -> p + "-" + version)
                    .collect(Collectors.joining(" "));
        };
    }
}
