package dev.kubeha.plan;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ShellQuote;
import java.time.Duration;
import java.util.List;

/** Command lines shared by the Kubernetes phases: kubectl with the admin kubeconfig, crictl on the CRI socket. */
final class Kube {
    static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";
    static final String KUBELET_CONF = "/etc/kubernetes/kubelet.conf";
    static final String KUBECTL = "kubectl --kubeconfig " + ADMIN_CONF;
    /** Through admin.conf's server, which is the controlPlaneEndpoint: with a VIP, through haproxy. */
    static final String API_HEALTHY = KUBECTL + " get --raw=/healthz >/dev/null";
    static final Duration API_START = Duration.ofMinutes(4);

    private Kube() {
    }

    /**
     * Evicts the node's pods, PodDisruptionBudgets respected: kubectl retries a refused eviction until {@code timeout}
     * passes, then this fails naming the node and the budgets that allow no disruption (kubectl names only the pod).
     */
    static String drain(String node, Duration timeout) {
        return drain(node, timeout, "");
    }

    /**
     * The same for a node whose kubelet is gone: a pod whose deletion time passed is not waited for (nobody on the
     * node can confirm it ended; deleting the Node lets the cluster forget it).
     */
    static String drainUnreachable(String node, Duration timeout) {
        return drain(node, timeout, " --skip-wait-for-delete-timeout=1");
    }

    private static String drain(String node, Duration timeout, String extra) {
        return "n=" + ShellQuote.quote(node) + "; " + KUBECTL + " drain \"$n\" --ignore-daemonsets"
                + " --delete-emptydir-data --timeout=" + timeout.toSeconds() + "s" + extra + " || { rc=$?; b=$("
                + KUBECTL + " get pdb -A --no-headers 2>/dev/null | awk '$5 == 0 { printf \"%s%s/%s\", s, $1, $2;"
                + " s = \", \" }'); if [ -n \"$b\" ]; then why=\"blocked by the PodDisruptionBudgets that allow no"
                + " disruption now: $b; give their pods room on other nodes or relax the budgets, then run kubeha"
                + " again\"; else why=\"no PodDisruptionBudget blocks it now: see the message of kubectl above\"; fi;"
                + " echo \"kubeha: node $n is not drained (kubectl drain gave up after " + human(timeout)
                + ", --drain-timeout): $why\" >&2; exit $rc; }";
    }

    /** A duration as an operator reads it: 90 s, 5 min, 1 h. */
    static String human(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : s + " s";
    }

    static String crictl(ClusterSpec spec) {
        return "crictl --runtime-endpoint " + ShellQuote.quote(spec.containerRuntime().criSocket());
    }

    /** Root's kubeconfig on a control plane, as kubeadm's own hand-over text suggests. */
    static Step rootKubeconfig(String host) {
        return Step.of("k8s.root-kubeconfig", "Give root the admin kubeconfig in ~/.kube/config", host, List.of(
                RunCommand.unless("cmp -s " + ADMIN_CONF + " /root/.kube/config",
                        "install -d -m 0700 /root/.kube && install -m 0600 " + ADMIN_CONF + " /root/.kube/config")));
    }

    /** Every node registered and Ready, and every kube-system pod Running. */
    static String clusterReady(int nodes) {
        return "test \"$(" + KUBECTL + " get nodes --no-headers | awk '$2 == \"Ready\"' | wc -l)\" -eq " + nodes
                + " && ! " + KUBECTL + " get pods -n kube-system --no-headers | awk '$3 != \"Running\"' | grep -q .";
    }
}
