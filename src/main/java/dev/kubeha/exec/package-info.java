/** The one executor: runs a plan's steps on every host with bounded fan-out, retries, journal and events. */
package dev.kubeha.exec;
