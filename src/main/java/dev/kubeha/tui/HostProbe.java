package dev.kubeha.tui;

/** Checks one host from the jump host; the engine's full probe (login, facts, conntrack) implements it too. */
@FunctionalInterface
public interface HostProbe {
    ProbeReport probe(ProbeTarget target) throws InterruptedException;
}
