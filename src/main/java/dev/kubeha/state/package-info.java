/** The per-cluster state directory: generated secrets, the PKI, journals and logs, private to the operator. */
package dev.kubeha.state;
