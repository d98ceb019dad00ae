/** Pure rendering of every file kubeha writes to a host, from the spec, the host facts and the state. */
package dev.kubeha.render;
