package dev.kubeha.pki;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.EtcdUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The table of the external etcd cluster's certificates. */
public final class EtcdCertificates {
    private static final String HOST_NAME = null;

    public static final CertificateTemplate CA = new CertificateTemplate(
            "etcd-ca", "ca", null, "etcd-ca", Set.of(), member -> AltNames.NONE, false);
    public static final CertificateTemplate SERVER = new CertificateTemplate(
            "etcd-server", EtcdUnit.SERVER_BASE_NAME, CA.name(), HOST_NAME,
            Set.of(ExtendedUsage.SERVER_AUTH, ExtendedUsage.CLIENT_AUTH), AltNames::forMember, true);
    public static final CertificateTemplate PEER = new CertificateTemplate(
            "etcd-peer", EtcdUnit.PEER_BASE_NAME, CA.name(), HOST_NAME,
            Set.of(ExtendedUsage.SERVER_AUTH, ExtendedUsage.CLIENT_AUTH), AltNames::forMember, true);
    public static final CertificateTemplate APISERVER_CLIENT = new CertificateTemplate(
            "apiserver-etcd-client", "apiserver-etcd-client", CA.name(), "kube-apiserver-etcd-client",
            Set.of(ExtendedUsage.CLIENT_AUTH), member -> AltNames.NONE, false);
    public static final CertificateTemplate ETCDCTL_CLIENT = new CertificateTemplate(
            "kubeha-etcdctl", "kubeha-etcdctl", CA.name(), "kubeha-etcdctl",
            Set.of(ExtendedUsage.CLIENT_AUTH), member -> AltNames.NONE, false);

    public static final List<CertificateTemplate> TABLE = List.of(CA, SERVER, PEER, APISERVER_CLIENT, ETCDCTL_CLIENT);

    private EtcdCertificates() {
    }

    /** Every certificate the spec needs, CA first; empty for stacked etcd, whose PKI kubeadm makes. */
    public static List<CertificateRequest> requests(ClusterSpec spec) {
        if (spec.stackedEtcd()) {
            return List.of();
        }
        List<CertificateRequest> out = new ArrayList<>();
        for (CertificateTemplate row : TABLE) {
            if (row.perMember()) {
                for (HostSpec member : spec.hostsWith(Role.ETCD)) {
                    out.add(row.request(member));
                }
            } else {
                out.add(row.request(null));
            }
        }
        return out;
    }
}
