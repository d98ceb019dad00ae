package dev.kubeha.render;

import dev.kubeha.model.ClusterSpec;

/** Where the external etcd PKI lies on hosts: the guide's file names in etcd.certDir, and kubeadm's on control planes. */
public final class EtcdFiles {
    public static final String ETCD_USER = "etcd";
    /** The CN of every member's peer certificate; etcd's {@code --peer-cert-allowed-cn} admits only it on 2380. */
    public static final String PEER_COMMON_NAME = "etcd-peer";
    public static final String CONTROL_PLANE_CA = "/etc/kubernetes/pki/etcd/ca.pem";
    public static final String APISERVER_CLIENT_CERT = "/etc/kubernetes/pki/apiserver-etcd-client.pem";
    public static final String APISERVER_CLIENT_KEY = "/etc/kubernetes/pki/apiserver-etcd-client-key.pem";

    private EtcdFiles() {
    }

    /** A file of an etcd member's certificate directory, e.g. {@code inCertDir(spec, "server-key.pem")}. */
    public static String inCertDir(ClusterSpec spec, String fileName) {
        return spec.etcd().certDir().replaceAll("/+$", "") + "/" + fileName;
    }

    public static String ca(ClusterSpec spec) {
        return inCertDir(spec, "ca.pem");
    }

    public static String cert(ClusterSpec spec, String baseName) {
        return inCertDir(spec, baseName + ".pem");
    }

    public static String key(ClusterSpec spec, String baseName) {
        return inCertDir(spec, baseName + "-key.pem");
    }
}
