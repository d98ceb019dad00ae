/**
 * The terminal user interface, a view over the engine: the wizard (a {@link dev.kubeha.tui.Draft} of the answers,
 * checked by the same loader and validator as a file), line mode for plain terminals, and the install screens that
 * show the executor's events; what it runs it asks of {@code install}, it decides nothing of the plan.
 */
package dev.kubeha.tui;
