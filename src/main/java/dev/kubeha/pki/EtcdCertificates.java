package dev.kubeha.pki;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.HostSpec;
import dev.kubeha.model.Role;
import dev.kubeha.render.EtcdFiles;
import dev.kubeha.render.EtcdUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of the external etcd cluster's certificates. Peer certificates carry one shared CN that each member's
 * {@code --peer-cert-allowed-cn} requires, so the client certificates of the same CA are refused on the peer port.
 */
public final class EtcdCertificates {
    public static final CertificateTemplate CA = CertificateTemplate.ca("etcd-ca")
            .withStateFile("ca")
            .placedOn(Role.ETCD, EtcdFiles::ca, EtcdFiles.ETCD_USER)
            .placedOn(Role.CONTROL_PLANE, spec -> EtcdFiles.CONTROL_PLANE_CA, "root");
    public static final CertificateTemplate SERVER = CertificateTemplate.leaf("etcd-server", CA)
            .perEtcdMember(AltNames::forMember)
            .withUsages(ExtendedUsage.SERVER_AUTH, ExtendedUsage.CLIENT_AUTH)
            .withStateFile(EtcdUnit.SERVER_BASE_NAME)
            .placedOn(Role.ETCD, spec -> EtcdFiles.cert(spec, EtcdUnit.SERVER_BASE_NAME), EtcdFiles.ETCD_USER);
    public static final CertificateTemplate PEER = CertificateTemplate.leaf("etcd-peer", CA)
            .perEtcdMember(AltNames::forMember)
            .withCommonName(EtcdFiles.PEER_COMMON_NAME)
            .withUsages(ExtendedUsage.SERVER_AUTH, ExtendedUsage.CLIENT_AUTH)
            .withStateFile(EtcdUnit.PEER_BASE_NAME)
            .placedOn(Role.ETCD, spec -> EtcdFiles.cert(spec, EtcdUnit.PEER_BASE_NAME), EtcdFiles.ETCD_USER);
    public static final CertificateTemplate APISERVER_CLIENT = CertificateTemplate.leaf("apiserver-etcd-client", CA)
            .withCommonName("kube-apiserver-etcd-client")
            .withUsages(ExtendedUsage.CLIENT_AUTH)
            .placedOn(Role.CONTROL_PLANE, spec -> EtcdFiles.APISERVER_CLIENT_CERT, "root");
    /** The operator's etcdctl pair: it stays in the state directory. */
    public static final CertificateTemplate ETCDCTL_CLIENT = CertificateTemplate.leaf("kubeha-etcdctl", CA)
            .withCommonName("kubeha-etcdctl")
            .withUsages(ExtendedUsage.CLIENT_AUTH);

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
                    out.add(row.request(spec, member));
                }
            } else {
                out.add(row.request(spec, null));
            }
        }
        return out;
    }
}
