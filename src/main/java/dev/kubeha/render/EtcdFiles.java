package dev.kubeha.render;

import dev.kubeha.model.ClusterSpec;
import dev.kubeha.model.ShellQuote;

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
    /** etcdctl against {@code endpoints} with the member's CA and the client pair in these files. */
    public static String etcdctl(ClusterSpec spec, String endpoints, String cert, String key) {
        return "ETCDCTL_API=3 " + spec.etcd().install().etcdctlBinary() + " --endpoints=" + ShellQuote.quote(endpoints)
                + " --cacert=" + ShellQuote.quote(ca(spec)) + " --cert=" + ShellQuote.quote(cert) + " --key="
                + ShellQuote.quote(key) + " --command-timeout=5s";
    }

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
