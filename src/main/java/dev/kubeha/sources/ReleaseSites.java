package dev.kubeha.sources;

import java.net.URI;

/** The base URLs kubeha downloads releases from; tests and mirrors give their own. */
public record ReleaseSites(URI etcd, URI flannel, URI kubePrometheus) {
    public static final ReleaseSites UPSTREAM = new ReleaseSites(
            URI.create("https://github.com/etcd-io/etcd/releases/download/"),
            URI.create("https://github.com/flannel-io/flannel/releases/download/"),
            URI.create("https://github.com/prometheus-operator/kube-prometheus/archive/refs/tags/"));

    /** The same layout below one base URL: BASE/etcd/, BASE/flannel/, BASE/kube-prometheus/. */
    public static ReleaseSites under(URI base) {
        URI dir = base.toString().endsWith("/") ? base : URI.create(base + "/");
        return new ReleaseSites(dir.resolve("etcd/"), dir.resolve("flannel/"), dir.resolve("kube-prometheus/"));
    }
}
