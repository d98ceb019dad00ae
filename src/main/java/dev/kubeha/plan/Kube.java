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

    /** Evicts the node's pods (PodDisruptionBudgets respected), failing once {@code timeout} passes. */
    static String drain(String node, Duration timeout) {
        return KUBECTL + " drain " + ShellQuote.quote(node) + " --ignore-daemonsets --delete-emptydir-data --timeout="
                + timeout.toSeconds() + "s";
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
