/** The command line: thin picocli commands over the validated model and the engine. */
package dev.kubeha.cli;
