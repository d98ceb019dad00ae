/** The answers file: loading with positions and suggestions, atomic saving, round-tripping. */
package dev.kubeha.answers;
