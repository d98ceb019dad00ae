package dev.kubeha.tui;

import java.util.function.IntSupplier;

/**
 * A key on the Cluster screen that runs something on the cluster after a confirmation, such as the certificate
 * renewal; backups and drills are added to {@link ClusterFlow#actions} the same way.
 *
 * @param key the character that starts it
 * @param label what the screen's key line shows
 * @param question the confirmation asked first
 * @param run runs it (the Cluster screen is closed meanwhile) and returns its exit code
 */
record ClusterAction(char key, String label, String question, IntSupplier run) {
}
