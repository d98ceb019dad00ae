/** The external etcd cluster's PKI: its own CA and every certificate etcd members and their clients present. */
package dev.kubeha.pki;
