/** Progress of a plan run folded from the engine's events, and the headless view of it for runs without the TUI. */
package dev.kubeha.progress;
