/** What the engine reports while it works; the TUI panes and the headless log are observers of these events. */
package dev.kubeha.events;
