package dev.kubeha.plan;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.EtcdUnit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Starts every etcd member together (a new cluster needs its quorum) and checks health with a client certificate. */
final class StartEtcd {
    static final String STEP = "etcd.start";

    private StartEtcd() {
    }

    static Optional<Phase> build(String name, PlanInput in) {
        if (in.spec().stackedEtcd()) {
            return Optional.empty();
        }
        List<Step> steps = new ArrayList<>();
        for (HostSpec host : in.spec().hostsWith(Role.ETCD)) {
            steps.add(Step.of(STEP, "Start etcd and wait for the cluster", host.name(), List.of(
                    RunCommand.unless("systemctl is-enabled --quiet etcd && systemctl is-active --quiet etcd",
                            "systemctl enable etcd && systemctl start --no-block etcd")))
                    .verifiedBy(Verification.within(Duration.ofSeconds(90),
                            health(in.spec(), EtcdUnit.clientUrl(host), true)))
                    .withTimeout(Duration.ofMinutes(3)));
        }
        return Optional.of(Phase.parallel(name, "External etcd: start the members together", steps));
    }

    /** etcdctl with the member's own server certificate (it carries clientAuth), as the guide's check does. */
    public static String health(ClusterSpec spec, String endpoints, boolean cluster) {
        return EtcdCtl.command(spec, endpoints) + " endpoint health" + (cluster ? " --cluster" : "");
    }
}
