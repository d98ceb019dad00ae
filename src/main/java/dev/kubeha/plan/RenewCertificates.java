package dev.kubeha.plan;

import static dev.kubeha.plan.Need.everywhere;
import static dev.kubeha.plan.Workflow.phase;
import static dev.kubeha.plan.Workflow.rolling;

import java.util.List;

/**
 * The certificate renewal workflow, in order, rolling: the hosts' CAs are checked against the state directory's
 * first; then one etcd member at a time (new pair in place, restart, member and cluster healthy), haproxy's
 * configuration brought up to date one load balancer at a time (its runtime API), then one control
 * plane at a time (drained on every haproxy, the apiserver's etcd client pair, kubeadm's certificates, its static pods
 * restarted the kubeadm way, healthy on its host, back on every haproxy; /healthz through the VIP answering).
 */
public final class RenewCertificates {
    public static final String CHECK_CA = "renew-check-ca";
    public static final String ETCD = "renew-etcd";
    public static final String LOAD_BALANCER = "renew-load-balancer";
    public static final String KUBERNETES = "renew-kubernetes";

    public static final Workflow<CertificateRenewal> WORKFLOW = new Workflow<>("certificate renewal", List.of(
            phase(CHECK_CA, RenewalPhases::checkCa),
            phase(ETCD, RenewalPhases::etcd, everywhere(CHECK_CA)),
            phase(LOAD_BALANCER, RenewalPhases::loadBalancer, everywhere(CHECK_CA), everywhere(ETCD)),
            rolling(KUBERNETES, RenewalPhases::kubernetes, everywhere(CHECK_CA), everywhere(ETCD),
                    everywhere(LOAD_BALANCER))));

    private RenewCertificates() {
    }
}
