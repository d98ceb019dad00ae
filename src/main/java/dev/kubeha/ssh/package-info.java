/** SSH access to the cluster's hosts: one persistent sshj connection per host, commands as root, atomic uploads. */
package dev.kubeha.ssh;
