/** The command line: thin commands over the validated model and the engine. */
package dev.kubeha.cli;
