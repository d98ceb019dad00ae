package dev.kubeha.facts;

import java.util.List;

/**
 * One preflight check's verdict on one host, or on the whole cluster.
 *
 * @param host the host's name from the answers file, or {@value #CLUSTER} for checks across hosts
 * @param check the check's name (os, memory, ports, clock-skew, ...)
 */
public record PreflightResult(String host, String check, Status status, String reason) {
    public static final String CLUSTER = "cluster";

    /** PASS: fine; WARN: kubeha goes on and says why; FAIL: kubeha stops before changing anything. */
    public enum Status { PASS, WARN, FAIL }

    public static PreflightResult pass(String host, String check, String reason) {
        return new PreflightResult(host, check, Status.PASS, reason);
    }

    public static PreflightResult warn(String host, String check, String reason) {
        return new PreflightResult(host, check, Status.WARN, reason);
    }

    public static PreflightResult fail(String host, String check, String reason) {
        return new PreflightResult(host, check, Status.FAIL, reason);
    }

    public static boolean anyFailed(List<PreflightResult> results) {
        return results.stream().anyMatch(r -> r.status() == Status.FAIL);
    }

    @Override
    public String toString() {
        return status + " " + host + " " + check + ": " + reason;
    }
}
