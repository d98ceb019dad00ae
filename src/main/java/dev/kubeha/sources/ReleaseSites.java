package dev.kubeha.sources;

import java.net.URI;
import java.net.URISyntaxException;

/** The base URLs kubeha downloads releases from; tests and mirrors give their own. */
public record ReleaseSites(URI etcd, URI flannel, URI kubePrometheus, URI containerd, URI runc, URI cniPlugins,
                           URI criDockerd) {
    public static final ReleaseSites UPSTREAM = new ReleaseSites(
            URI.create("https://github.com/etcd-io/etcd/releases/download/"),
            URI.create("https://github.com/flannel-io/flannel/releases/download/"),
            URI.create("https://github.com/prometheus-operator/kube-prometheus/archive/refs/tags/"),
            URI.create("https://github.com/containerd/containerd/releases/download/"),
            URI.create("https://github.com/opencontainers/runc/releases/download/"),
            URI.create("https://github.com/containernetworking/plugins/releases/download/"),
            URI.create("https://github.com/Mirantis/cri-dockerd/releases/download/"));

    /** An operator's mirror: an http(s) URL with a host, laid out as {@link #under}. */
    public static ReleaseSites mirror(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new SourceException("'" + url + "' is not a URL: " + e.getReason());
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new SourceException("'" + url + "' is not an http(s) URL such as https://mirror.example/kubeha/");
        }
        return under(uri);
    }

    /**
     * The same layout below one base URL: BASE/etcd/, BASE/flannel/, BASE/kube-prometheus/, BASE/containerd/,
     * BASE/runc/, BASE/cni-plugins/, BASE/cri-dockerd/, each laid out as its upstream release page.
     */
    public static ReleaseSites under(URI base) {
        URI dir = base.toString().endsWith("/") ? base : URI.create(base + "/");
        return new ReleaseSites(dir.resolve("etcd/"), dir.resolve("flannel/"), dir.resolve("kube-prometheus/"),
                dir.resolve("containerd/"), dir.resolve("runc/"), dir.resolve("cni-plugins/"),
                dir.resolve("cri-dockerd/"));
    }
}
