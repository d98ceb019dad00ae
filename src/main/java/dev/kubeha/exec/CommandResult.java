package dev.kubeha.exec;

/** Exit code and combined output of a remote command. */
public record CommandResult(int exitCode, String output) {
    public boolean ok() {
        return exitCode == 0;
    }
}
