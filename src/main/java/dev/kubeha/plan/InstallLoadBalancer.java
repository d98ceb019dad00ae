package dev.kubeha.plan;

import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.HaproxyConfig;
import dev.kubeha.render.Keepalived;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** haproxy in front of every API server and keepalived holding the VIP, on the load-balancer hosts. */
final class InstallLoadBalancer {

    private InstallLoadBalancer() {
    }

    static Optional<Phase> build(String name, PlanInput in) {
        List<HostSpec> hosts = in.spec().hostsWith(Role.LOAD_BALANCER);
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        List<Step> steps = new ArrayList<>();
        List<String> rolled = MembershipPhases.rolled(in).stream().map(HostSpec::name).toList();
        for (HostSpec host : hosts) {
            String h = host.name();
            steps.add(Step.of("lb.packages", "Install haproxy and keepalived", h, List.of(OsCommands.installPackages(
                    in.factsOf(host).osFamily(), List.of("haproxy", "keepalived", "procps", "curl")))).withAttempts(3));
            if (rolled.contains(h)) {
                continue;
            }
            steps.add(haproxy(in, host));
            steps.add(Step.of("lb.keepalived", "Configure and start keepalived", h,
                    List.of(in.write(host, Keepalived.CHECK_SCRIPT), in.write(host, Keepalived.CONFIG),
                            RunCommand.afterChange("keepalived -t -f " + Keepalived.CONFIG + " >/dev/null 2>&1;"
                                    + " systemctl restart keepalived"),
                            OsCommands.enableAndStart("keepalived")))
                    .verifiedBy(Verification.within(Duration.ofSeconds(10),
                            "systemctl is-active --quiet keepalived")));
        }
        return Optional.of(Phase.parallel(name, "Load balancer: haproxy and keepalived", steps));
    }

    /** haproxy's configuration in place (checked, then a graceful reload when it changed) and haproxy running. */
    static Step haproxy(PlanInput in, HostSpec host) {
        return Step.of("lb.haproxy", "Configure and start haproxy on port " + in.spec().loadBalancer().port(),
                host.name(), List.of(in.write(host, HaproxyConfig.PATH),
                        RunCommand.afterChange("haproxy -c -q -f " + HaproxyConfig.PATH
                                + " && systemctl reload-or-restart haproxy"),
                        OsCommands.enableAndStart("haproxy")))
                .verifiedBy(Verification.within(Duration.ofSeconds(10),
                        "systemctl is-active --quiet haproxy"));
    }
}
