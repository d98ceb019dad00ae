/** What read-only probes learn about each host, and the documented assumptions used when rendering offline. */
package dev.kubeha.facts;
