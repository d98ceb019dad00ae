package dev.kubeha.pki;

import java.nio.file.Path;

/** Where the operator's etcdctl client certificate, its key and the etcd CA certificate lie in the state directory. */
public record EtcdctlCredentials(Path caCertificate, Path certificate, Path key) {
}
