package dev.kubeha.cli;

/** A command line that kubeha cannot make sense of; reported with a hint and exit code 2. */
public final class UsageException extends Exception {
    private final String command;

    public UsageException(String command, String message) {
        super(message);
        this.command = command;
    }

    public String command() {
        return command;
    }
}
