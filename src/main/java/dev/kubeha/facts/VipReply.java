package dev.kubeha.facts;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.IpLiteral;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** The VIP must not answer from the network while none of the cluster's hosts holds it: someone else uses it. */
public final class VipReply {
    private static final int TIMEOUT_MS = 1500;

    private VipReply() {
    }

    /** A preflight result when the spec has a VIP; {@code answers} asks the network (ICMP echo as root). */
    public static Optional<PreflightResult> check(ClusterSpec spec, Map<String, ProbedHost> probed,
                                                  Predicate<InetAddress> answers) {
        Optional<InetAddress> vip = IpLiteral.parse(spec.loadBalancer().vip());
        if (vip.isEmpty()) {
            return Optional.empty();
        }
        if (probed.values().stream().anyMatch(ProbedHost::vipOnInterface)) {
            return Optional.of(PreflightResult.pass(PreflightResult.CLUSTER, "vip-reply",
                    spec.loadBalancer().vip() + " is held by a host of this cluster"));
        }
        return Optional.of(answers.test(vip.get())
                ? PreflightResult.fail(PreflightResult.CLUSTER, "vip-reply", spec.loadBalancer().vip()
                        + " answers from the network but no host of this cluster holds it: another machine uses it")
                : PreflightResult.pass(PreflightResult.CLUSTER, "vip-reply", spec.loadBalancer().vip()
                        + " does not answer: it is free"));
    }

    /** Whether the address answers an echo request from this jump host. */
    public static boolean answers(InetAddress address) {
        try {
            return address.isReachable(TIMEOUT_MS);
        } catch (IOException e) {
            return false;
        }
    }
}
