package dev.kubeha.sources;

/** Receives the progress of downloads, from the thread that downloads. */
@FunctionalInterface
public interface TransferListener {
    TransferListener NONE = t -> { };

    void progress(Transfer transfer);
}
