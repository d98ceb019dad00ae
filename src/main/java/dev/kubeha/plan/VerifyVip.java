package dev.kubeha.plan;

import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.model.ShellQuote;
import dev.kubeha.render.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The VIP is up on the first load-balancer host and haproxy answers behind it from every load-balancer host. */
final class VerifyVip {

    private VerifyVip() {
    }

    static Optional<Phase> build(String name, PlanInput in) {
        List<HostSpec> hosts = in.spec().hostsWith(Role.LOAD_BALANCER);
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        String vip = in.spec().loadBalancer().vip();
        int port = in.spec().loadBalancer().port();
        HostSpec master = hosts.get(0);
        Step holds = Step.of("vip.master", "Check that " + vip + " is up here", master.name(), List.of())
                .verifiedBy(Verification.within(Duration.ofSeconds(30),
                        "ip -o addr show | grep -qw " + ShellQuote.quote("inet6\\? " + vip + "/[0-9]*")));
        List<Step> steps = new ArrayList<>(List.of(holds));
        for (HostSpec host : hosts) {
            steps.add(Step.of("vip.answers", "Check that " + Topology.hostPort(vip, port) + " accepts connections",
                    host.name(), List.of()).verifiedBy(Verification.within(Duration.ofSeconds(30),
                    "timeout 3 bash -c " + ShellQuote.quote("exec 3<>/dev/tcp/" + vip + "/" + port))));
        }
        return Optional.of(Phase.parallel(name, "Check the VIP " + vip, steps));
    }
}
