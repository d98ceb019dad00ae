/** The typed cluster model: what the operator asked for, independent of files and hosts. */
package dev.kubeha.model;
