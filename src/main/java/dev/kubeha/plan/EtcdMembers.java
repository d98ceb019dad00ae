package dev.kubeha.plan;

import static dev.kubeha.plan.Need.everywhere;
import static dev.kubeha.plan.Need.onSameHost;
import static dev.kubeha.plan.Workflow.phase;
import static dev.kubeha.plan.Workflow.rolling;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.render.EtcdUnit;
import java.util.List;

/**
 * The external etcd membership change, in order: every voting member healthy; each joining host prepared, given its
 * certificates and a unit that joins the running cluster, then one at a time added as a learner, started and
 * promoted once in sync; the apiservers' etcd endpoints set to the answers' members one control plane at a time and
 * kubeadm's ClusterConfiguration uploaded; then the leaving member loses the leadership, is removed, and its host's
 * etcd is stopped and its data and certificates deleted.
 */
public final class EtcdMembers {
    public static final String HEALTH = "etcd-members-health";
    public static final String OS = "etcd-members-os";
    public static final String INSTALL = "etcd-members-install";
    public static final String ADD = "etcd-members-add";
    public static final String APISERVERS = "etcd-members-apiservers";
    public static final String REMOVE = "etcd-members-remove";
    /** The static pod manifest whose --etcd-servers the workflow rolls. */
    public static final String APISERVER_MANIFEST = UpgradePhases.APISERVER_MANIFEST;

    public static final Workflow<EtcdMembersInput> WORKFLOW = new Workflow<>("etcd membership", List.of(
            phase(HEALTH, EtcdMemberPhases::health),
            phase(OS, EtcdMemberPhases::os, everywhere(HEALTH)),
            phase(INSTALL, EtcdMemberPhases::install, onSameHost(OS)),
            rolling(ADD, EtcdMemberPhases::add, everywhere(INSTALL)),
            rolling(APISERVERS, EtcdMemberPhases::apiservers, everywhere(ADD)),
            rolling(REMOVE, EtcdMemberPhases::remove, everywhere(APISERVERS))));

    private EtcdMembers() {
    }

    /** The kube-apiserver flag that names the answers' etcd members. */
    public static String etcdServers(ClusterSpec spec) {
        return "--etcd-servers=" + String.join(",", EtcdUnit.clientUrls(spec));
    }
}
