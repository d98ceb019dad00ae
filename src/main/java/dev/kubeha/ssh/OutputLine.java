package dev.kubeha.ssh;

/** One line a remote command wrote, without its line terminator, as it arrives. */
public record OutputLine(Pipe pipe, String text) {
    /** Which of the command's outputs the line came from. */
    public enum Pipe { STDOUT, STDERR }
}
