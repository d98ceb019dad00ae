/**
 * The wizard's live checks of the hosts and the VIP as the operator types them: SSH banner, login and facts probes,
 * the VIP's reachability, and the runner that keeps one check per target in the background; no screen state.
 */
package dev.kubeha.tui.probe;
