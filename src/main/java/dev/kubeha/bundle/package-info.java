/** The offline bundle: everything an air-gapped install needs beyond the hosts' own mirrors, in one verified archive. */
package dev.kubeha.bundle;
