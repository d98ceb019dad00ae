package dev.kubeha.plan;

import dev.kubeha.model.ClusterSpec;
import java.util.Optional;
import java.util.Set;

/**
 * What the drills are planned from, found on the running cluster just before planning.
 *
 * @param spec the cluster
 * @param drills which of {@link Drill#VIP}, {@link Drill#ETCD}, {@link Drill#CONTROL_PLANE} run
 * @param rounds how often the VIP drill runs (its target is a median)
 * @param vipHolder the load-balancer host that holds the VIP now
 * @param etcdLeader the etcd member that leads now
 * @param clusterCaPem the cluster CA certificate, so /healthz through the VIP is verified
 */
public record DrillInput(ClusterSpec spec, Set<String> drills, int rounds, Optional<String> vipHolder,
                         Optional<String> etcdLeader, byte[] clusterCaPem) {
    public DrillInput {
        drills = Set.copyOf(drills);
        if (rounds < 1 || rounds > 20) {
            throw new IllegalArgumentException("the VIP drill runs 1 to 20 rounds, not " + rounds);
        }
    }
}
