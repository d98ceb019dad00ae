package dev.kubeha.plan;

/** One remote mutation inside a step; every kind knows how to tell that it is already done. */
public sealed interface Operation permits WriteFile, RunCommand, MergeBlock, InstallFromArchive, PushFile {
    /** A short human description, as `kubeha plan` prints it. */
    String describe();
}
