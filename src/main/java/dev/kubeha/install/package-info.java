/** The install session both views share: connect, lock, probe, preflight, plan, run, report, release. */
package dev.kubeha.install;
