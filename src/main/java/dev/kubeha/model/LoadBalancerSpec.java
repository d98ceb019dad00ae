package dev.kubeha.model;

/** The apiserver VIP and the haproxy + keepalived pair that holds it. */
public record LoadBalancerSpec(String vip, int port, String networkInterface, int virtualRouterId, VrrpMode vrrp) {
    public static final LoadBalancerSpec DEFAULTS = new LoadBalancerSpec("", 16443, "", 51, VrrpMode.UNICAST);
}
