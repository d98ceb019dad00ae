/** Where the files kubeha fetches on the jump host come from: release URLs, the shipped checksum table, the shared cache, one resumable downloader. */
package dev.kubeha.sources;
