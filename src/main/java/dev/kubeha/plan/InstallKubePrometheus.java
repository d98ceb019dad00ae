package dev.kubeha.plan;

import dev.kubeha.model.HostSpec;
import dev.kubeha.render.AddonFiles;
import dev.kubeha.render.KubePrometheus;
import dev.kubeha.render.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** kube-prometheus: its setup (CRDs) server-side, wait until they are Established, then the manifests. */
final class InstallKubePrometheus {

    private InstallKubePrometheus() {
    }

    static Optional<Phase> build(String name, PlanInput in) {
        if (!in.spec().addons().kubePrometheus()) {
            return Optional.empty();
        }
        HostSpec first = Topology.firstControlPlane(in.spec());
        KubePrometheus release = KubePrometheus.forSpec(in.spec());
        String archive = AddonFiles.kubePrometheusArchivePath(in.spec());
        String dir = AddonFiles.KUBE_PROMETHEUS_DIR + "/" + release.release();
        List<Operation> ops = new ArrayList<>();
        in.file(first, archive).map(WriteFile::new).ifPresent(ops::add);
        ops.add(RunCommand.afterChange("rm -rf " + dir + " && mkdir -p " + dir + " && tar -xzf " + archive + " -C "
                + dir + " --strip-components=1 --no-same-owner"));
        for (String command : release.steps()) {
            ops.add(RunCommand.afterChange("cd " + dir + " && " + command.replaceFirst("^kubectl ", Kube.KUBECTL
                    + " ")));
        }
        return Optional.of(Phase.serial(name, "kube-prometheus " + release.release(), List.of(
                Step.of("addons.kube-prometheus", "Install kube-prometheus " + release.release(), first.name(), ops)
                        .withTimeout(Duration.ofMinutes(10)))));
    }
}
