package dev.kubeha.plan;

import dev.kubeha.facts.OsFamily;
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
            OsFamily family = in.factsOf(host).osFamily();
            steps.add(Step.of("lb.packages", "Install haproxy and keepalived", h, List.of(OsCommands.installPackages(
                    family, packages(family)))).withAttempts(3));
            if (rolled.contains(h)) {
                continue;
            }
            steps.add(haproxy(in, host));
            if (MembershipPhases.joiningBesideKept(in).stream().anyMatch(j -> j.name().equals(h))) {
                continue;
            }
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

    /**
     * haproxy, keepalived, procps (pidof for the check script) and perl with IO::Socket::UNIX, haproxy's runtime API
     * client: Debian's essential perl-base has it, RHEL installs it.
     */
    static List<String> packages(OsFamily family) {
        return switch (family) {
            case DEBIAN -> List.of("haproxy", "keepalived", "procps", "curl");
            case RHEL -> List.of("haproxy", "keepalived", "procps", "curl", "perl-interpreter", "perl-IO");
        };
    }

    /**
     * haproxy's configuration brought up to date one load-balancer host at a time (a graceful reload), before a
     * workflow restarts apiservers: every haproxy then retries a refused connection on another apiserver and has its
     * runtime API.
     */
    static Optional<Phase> reconfigure(String name, PlanInput in) {
        List<Step> steps = in.spec().hostsWith(Role.LOAD_BALANCER).stream().map(h -> haproxy(in, h)).toList();
        return steps.isEmpty() ? Optional.empty() : Optional.of(Phase.serial(name,
                "haproxy configuration, one load balancer at a time", steps));
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
