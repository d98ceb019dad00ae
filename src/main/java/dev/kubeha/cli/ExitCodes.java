package dev.kubeha.cli;

/** kubeha's exit codes. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int PROBLEMS = 1;
    public static final int USAGE = 2;
    public static final int INTERNAL = 3;

    private ExitCodes() {
    }
}
