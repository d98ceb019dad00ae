/** Offline checks of a cluster spec, shared by the command line and the TUI. */
package dev.kubeha.validate;
