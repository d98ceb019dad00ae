package dev.kubeha.tui.probe;

/** Checks one host from the jump host: a TCP check of its SSH port, or the full login and facts probe. */
@FunctionalInterface
public interface HostProbe extends ProbeRunner.Probe<ProbeTarget, ProbeReport> {
    default ProbeReport probe(ProbeTarget target) throws InterruptedException {
        return probe(target, ProbeRunner.Progress.NONE);
    }
}
