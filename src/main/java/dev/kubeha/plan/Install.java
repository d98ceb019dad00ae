package dev.kubeha.plan;

import static dev.kubeha.plan.Workflow.phase;

import java.util.List;

/** The install workflow, in order: apply, plan and the wizard's Install run it. */
public final class Install {
    /** The last step of an install, on the first control plane: once it finished, the cluster is installed. */
    public static final String VERIFIED_STEP = "verify.cluster";
    public static final String OS = "os";
    public static final String LOAD_BALANCER = "load-balancer";
    public static final String VIP = "vip";
    public static final String ETCD = "etcd";
    public static final String ETCD_START = "etcd-start";
    public static final String RUNTIME = "runtime";
    public static final String PACKAGES = "packages";
    public static final String IMAGES = "images";
    public static final String INIT = "init";
    public static final String JOIN_CREDENTIALS = "join-credentials";
    public static final String CONTROL_PLANE_JOIN = "control-plane-join";
    public static final String WORKER_JOIN = "worker-join";
    public static final String NETWORK = "network";
    public static final String KUBE_PROMETHEUS = "kube-prometheus";
    public static final String VERIFY = "verify";

    public static final Workflow<PlanInput> WORKFLOW = new Workflow<>("install", List.of(
            phase(OS, PrepareOs::build),
            phase(LOAD_BALANCER, InstallLoadBalancer::build),
            phase(VIP, VerifyVip::build),
            phase(ETCD, InstallEtcd::build),
            phase(ETCD_START, StartEtcd::build),
            phase(RUNTIME, InstallRuntime::build),
            phase(PACKAGES, InstallKubernetes::build),
            phase(IMAGES, PullImages::build),
            phase(INIT, InitControlPlane::build),
            phase(JOIN_CREDENTIALS, JoinNodes::renewCredentials),
            phase(CONTROL_PLANE_JOIN, JoinNodes::joinControlPlanes),
            phase(WORKER_JOIN, JoinNodes::joinWorkers),
            phase(NETWORK, InstallNetwork::build),
            phase(KUBE_PROMETHEUS, InstallKubePrometheus::build),
            phase(VERIFY, VerifyCluster::build)));

    private Install() {
    }
}
