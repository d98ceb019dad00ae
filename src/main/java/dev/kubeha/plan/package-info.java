/** The pure plan: ordered phases of named, idempotent steps per host, built from the spec and the host facts. */
package dev.kubeha.plan;
