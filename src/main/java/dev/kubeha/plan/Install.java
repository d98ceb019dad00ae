package dev.kubeha.plan;

import static dev.kubeha.plan.Need.everywhere;
import static dev.kubeha.plan.Need.onItsHosts;
import static dev.kubeha.plan.Need.onSameHost;
import static dev.kubeha.plan.Workflow.phase;

import dev.kubeha.model.ClusterChange;
import dev.kubeha.model.ClusterSpec;
import java.util.List;
import java.util.Map;

/**
 * The install workflow: its phases in order, each with what its steps use (a host's runtime only that host's OS
 * preparation, the Kubernetes repository, the packages' download and crictl nothing, the image pre-pull only the
 * host's runtime and crictl, the etcd members' start only the members' set-up, init the VIP, the etcd cluster and its
 * own packages and images, flannel only init, as kubeadm has the Pod network applied before the joins), then what a
 * membership change does to the hosts that stay and leave; apply, plan and the wizard's Install run it. The listed
 * order is the barrier schedule's. Kubernetes' packages run in a lane of their own, the image pre-pull and the
 * container runtime each in another, so on a control plane the downloads go on while the same host's runtime, load
 * balancer, etcd certificates and VIP are set up, and the images are pulled while kubelet, kubeadm and kubectl go in.
 */
public final class Install {
    /** The last step of an install, on the first control plane: once it finished, the cluster is installed. */
    public static final String VERIFIED_STEP = "verify.cluster";
    public static final String OS = "os";
    public static final String LOAD_BALANCER = "load-balancer";
    public static final String VIP = "vip";
    public static final String ETCD = "etcd";
    public static final String ETCD_START = "etcd-start";
    public static final String RUNTIME = "runtime";
    public static final String REPOSITORY = "repository";
    public static final String PACKAGES = "packages";
    public static final String IMAGES = "images";
    public static final String INIT = "init";
    public static final String JOIN_CREDENTIALS = "join-credentials";
    public static final String CONTROL_PLANE_JOIN = "control-plane-join";
    public static final String WORKER_JOIN = "worker-join";
    public static final String RELEASE_VIP = "release-vip";
    public static final String UPDATE_LOAD_BALANCERS = "update-load-balancers";
    public static final String DRAIN_NODES = "drain-nodes";
    public static final String REMOVE_HOSTS = "remove-hosts";
    public static final String DELETE_NODES = "delete-nodes";
    public static final String NETWORK = "network";
    public static final String NODES_READY = "nodes-ready";
    public static final String KUBE_PROMETHEUS = "kube-prometheus";
    public static final String VERIFY = "verify";
    /** The lane of the repository and packages phases, which take turns with nothing else of kubeha's on dpkg/rpm. */
    public static final String KUBERNETES_LANE = "kubernetes";
    /** The lane of the image pre-pull, beside the Kubernetes packages' install once the host has crictl. */
    public static final String IMAGES_LANE = "images";
    /** The lane of the container runtime, beside the Kubernetes packages' download (they share the package lock). */
    public static final String RUNTIME_LANE = "runtime";
    /** The lane of the etcd set-up, so a control plane's etcd client certificate does not wait for its VIP check. */
    public static final String ETCD_LANE = "etcd";

    public static final Workflow<PlanInput> WORKFLOW = new Workflow<>("install", List.of(
            phase(OS, PrepareOs::build),
            phase(LOAD_BALANCER, InstallLoadBalancer::build, onSameHost(OS)),
            phase(VIP, VerifyVip::build, everywhere(LOAD_BALANCER)),
            phase(ETCD, InstallEtcd::build, onSameHost(OS)).inLane(ETCD_LANE),
            phase(ETCD_START, StartEtcd::build, onItsHosts(ETCD)),
            phase(RUNTIME, InstallRuntime::build, onSameHost(OS)).inLane(RUNTIME_LANE),
            phase(REPOSITORY, InstallKubernetes::repositoryAndCriTools).inLane(KUBERNETES_LANE),
            phase(PACKAGES, InstallKubernetes::build, onSameHost(REPOSITORY)).inLane(KUBERNETES_LANE),
            phase(IMAGES, PullImages::build, onSameHost(RUNTIME), onSameHost(REPOSITORY)).inLane(IMAGES_LANE),
            phase(INIT, InitControlPlane::build, everywhere(VIP), everywhere(ETCD_START), onSameHost(ETCD),
                    onSameHost(PACKAGES), onSameHost(IMAGES)),
            phase(JOIN_CREDENTIALS, JoinNodes::renewCredentials, everywhere(INIT)),
            phase(CONTROL_PLANE_JOIN, JoinNodes::joinControlPlanes, everywhere(JOIN_CREDENTIALS), onSameHost(ETCD),
                    onSameHost(PACKAGES), onSameHost(IMAGES)),
            phase(WORKER_JOIN, JoinNodes::joinWorkers, everywhere(JOIN_CREDENTIALS), onSameHost(PACKAGES),
                    onSameHost(IMAGES)),
            phase(RELEASE_VIP, MembershipPhases::releaseVip, everywhere(LOAD_BALANCER)),
            phase(UPDATE_LOAD_BALANCERS, MembershipPhases::updateLoadBalancers, everywhere(CONTROL_PLANE_JOIN),
                    everywhere(RELEASE_VIP)),
            phase(DRAIN_NODES, MembershipPhases::drainNodes, everywhere(UPDATE_LOAD_BALANCERS),
                    everywhere(WORKER_JOIN)),
            phase(REMOVE_HOSTS, MembershipPhases::resetHosts, everywhere(DRAIN_NODES)),
            phase(DELETE_NODES, MembershipPhases::deleteNodes, everywhere(REMOVE_HOSTS)),
            phase(NETWORK, InstallNetwork::apply, everywhere(INIT)),
            phase(NODES_READY, InstallNetwork::nodesReady, everywhere(NETWORK), everywhere(CONTROL_PLANE_JOIN),
                    everywhere(WORKER_JOIN), everywhere(DELETE_NODES)),
            phase(KUBE_PROMETHEUS, InstallKubePrometheus::build, everywhere(INIT)),
            phase(VERIFY, VerifyCluster::build, everywhere(NODES_READY), everywhere(CONTROL_PLANE_JOIN),
                    everywhere(WORKER_JOIN), everywhere(ETCD_START), everywhere(DELETE_NODES))));

    private Install() {
    }

    /** The removal steps that do not run on leaving hosts given up as unreachable, their titles by host. */
    public static Map<String, List<String>> notCleaned(ClusterSpec spec, ClusterChange change,
                                                       MembershipOptions options) {
        return MembershipPhases.notCleaned(spec, change, options);
    }
}
